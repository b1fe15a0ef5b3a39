# SPDX-License-Identifier: BSD-2-Clause
# The writer (struct model -> .gcda through the host libgcov) and its
# suites.  Ground-truth tests compile a unit with the host GCC at run time.
libhvcov_a_SOURCES += tools/outpath.c tools/outpath.h \
	tools/writer.c tools/writer.h \
	tools/hostgcov.c tools/hostgcov.h \
	tools/gcda.c tools/gcda.h \
	tools/ledger.c tools/ledger.h
tests_check_hvcov_SOURCES += tests/check_outpath.c tests/check_writer.c
