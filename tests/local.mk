# SPDX-License-Identifier: BSD-2-Clause
# The Check unit suites (one runner, one suite per file, listed in
# tests/suites.def) and the shell tests, which share tests/test-subr.sh.
check_PROGRAMS += tests/check_hvcov
tests_check_hvcov_SOURCES = tests/check-main.c tests/suites.def tests/check_cli.c
tests_check_hvcov_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_check_hvcov_LDADD = libhvcov.a $(CHECK_LIBS) $(GCOV_LIBS)

TESTS += tests/check_hvcov tests/run-configured-gcov.sh
EXTRA_DIST += tests/test-subr.sh tests/tools.sh.in tests/run-configured-gcov.sh

# Shell tests find the build tree, the source tree and the tools here.
AM_TESTS_ENVIRONMENT = \
	top_srcdir='$(abs_top_srcdir)'; export top_srcdir; \
	top_builddir='$(abs_top_builddir)'; export top_builddir; \
	CK_DEFAULT_TIMEOUT=60; export CK_DEFAULT_TIMEOUT; \
	PRODUCER_CFLAGS='$(PRODUCER_CFLAGS)'; export PRODUCER_CFLAGS; \
	GCOV_CC='$(GCOV_CC)' GCOV_CXX='$(GCOV_CXX)' GCOV='$(GCOV)'; \
	GCOV_DUMP='$(GCOV_DUMP)'; export GCOV_CC GCOV_CXX GCOV GCOV_DUMP;

TEST_EXTENSIONS = .sh
SH_LOG_COMPILER = $(SHELL)
