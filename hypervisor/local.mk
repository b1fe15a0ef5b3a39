# SPDX-License-Identifier: BSD-2-Clause
# The hypervisor stub is not built here (a hypervisor builds it with its own
# compiler through hvcov.mk); it is installed for hypervisors to use and
# tested through tests/producer/ and tests/stub/.
HYPERVISOR_STUB_FILES = %reldir%/hvcov.c %reldir%/hvcov.lds \
	%reldir%/hvcov.mk %reldir%/include/hvcov/hvcov.h \
	%reldir%/include/hvcov/descriptor.h
nobase_dist_pkgdata_DATA = $(HYPERVISOR_STUB_FILES)
