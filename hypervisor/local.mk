# SPDX-License-Identifier: BSD-2-Clause
# The hypervisor stub is not built here (a hypervisor builds it with its own
# compiler through hvcov.mk); it is installed for hypervisors to use and
# tested through tests/producer.mk.
HYPERVISOR_STUB_FILES = hypervisor/hvcov.c hypervisor/hvcov.lds \
	hypervisor/hvcov.mk hypervisor/include/hvcov/hvcov.h \
	hypervisor/include/hvcov/descriptor.h
nobase_dist_pkgdata_DATA = $(HYPERVISOR_STUB_FILES)
