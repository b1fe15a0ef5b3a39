# SPDX-License-Identifier: BSD-2-Clause
# The hvcov command and the library its modules form (tests link it too).
noinst_LIBRARIES += libhvcov.a
libhvcov_a_SOURCES = tools/error.c tools/error.h tools/model.h \
	tools/fdio.c tools/fdio.h \
	tools/gcc-layout.h tools/cli-source.c tools/cli-source.h \
	tools/json.c tools/json.h tools/coverage-stats.c tools/hash.h \
	tools/coverage-stats.h

bin_PROGRAMS += tools/hvcov
tools_hvcov_SOURCES = tools/hvcov.c tools/cli.c tools/cli.h \
	tools/cmd-info.c tools/cmd-extract.c
tools_hvcov_LDADD = libhvcov.a $(LIBELF_LIBS) $(GCOV_LIBS)
tools_hvcov_CFLAGS = $(AM_CFLAGS) $(LIBELF_CFLAGS)
