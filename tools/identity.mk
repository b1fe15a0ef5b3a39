# SPDX-License-Identifier: BSD-2-Clause
# Build identity and ELF sources (libelf): the hypervisor's ELF (--elf),
# .gcno stamps, ELF cores (--core), the verify command; with their tests.
libhvcov_a_SOURCES += tools/elf-file.c tools/elf-file.h \
	tools/elf-image.c tools/elf-image.h \
	tools/core.c tools/core.h \
	tools/gcno-check.c tools/gcno-check.h
libhvcov_a_CFLAGS = $(AM_CFLAGS) $(LIBELF_CFLAGS)
tools_hvcov_SOURCES += tools/cmd-verify.c tools/cli-verify.c \
	tools/cli-verify.h
tests_check_hvcov_LDADD += $(LIBELF_LIBS)
tests_check_hvcov_CFLAGS += $(LIBELF_CFLAGS)

TESTS += tests/run-core-dump.sh
EXTRA_DIST += tests/run-core-dump.sh
TESTS += tests/run-verify.sh
EXTRA_DIST += tests/run-verify.sh
TESTS += tests/run-cross-hvcov.sh
EXTRA_DIST += tests/run-cross-hvcov.sh
tests_check_hvcov_SOURCES += tests/check_core.c
