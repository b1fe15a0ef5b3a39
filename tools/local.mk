# SPDX-License-Identifier: BSD-2-Clause
# The hvcov command and libhvcov.a, the library its layers form (the tests
# link it too).  Each layer folder's local.mk lists its own files; this is
# the one place that puts them together, in dependency order.
HVCOV_LIBRARY_SOURCES = $(HVCOV_BASE_SOURCES) $(HVCOV_IMAGE_SOURCES) \
	$(HVCOV_GCOV_SOURCES) $(HVCOV_ELF_SOURCES) $(HVCOV_SOURCE_SOURCES) \
	$(HVCOV_WRITE_SOURCES) $(HVCOV_LIVE_SOURCES) $(HVCOV_REPORT_SOURCES) \
	$(HVCOV_LLVM_SOURCES)

noinst_LIBRARIES += libhvcov.a
libhvcov_a_SOURCES = $(HVCOV_LIBRARY_SOURCES)
libhvcov_a_CFLAGS = $(AM_CFLAGS) $(LIBELF_CFLAGS)

bin_PROGRAMS += tools/hvcov
tools_hvcov_SOURCES = $(HVCOV_CLI_SOURCES)
tools_hvcov_LDADD = libhvcov.a $(LIBELF_LIBS) $(GCOV_LIBS)
tools_hvcov_CFLAGS = $(AM_CFLAGS) $(LIBELF_CFLAGS)
