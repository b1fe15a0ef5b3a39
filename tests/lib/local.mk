# SPDX-License-Identifier: BSD-2-Clause
# lib/: what the tests share: test-subr.sh (sourced by every shell test),
# tools.sh (the tools configure found) and the test image builder.
EXTRA_DIST += %reldir%/test-subr.sh %reldir%/tools.sh.in
TESTS_IMAGE_BUILDER = %reldir%/image-builder.c %reldir%/image-builder.h \
	%reldir%/test-temp.h

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
