# SPDX-License-Identifier: BSD-2-Clause
# report/: what hvcov report does that does not print: pairing each .gcda
# with its .gcno (stamps checked), running gcov/lcov/genhtml as argument
# vectors in the C locale, reading lcov's and gcovr's totals back, counting MC/DC
# conditions and prime paths from the files as gcov does, and the output
# directory's lock and stale work trees.
HVCOV_REPORT_SOURCES = %reldir%/pairing.c %reldir%/pairing.h \
	%reldir%/run.c %reldir%/run.h %reldir%/tracefile.c %reldir%/tracefile.h \
	%reldir%/tree.c %reldir%/tree.h %reldir%/cobertura.c %reldir%/cobertura.h \
	%reldir%/workdir.c %reldir%/workdir.h %reldir%/gcovr-summary.c \
	%reldir%/gcovr-summary.h %reldir%/extras.c %reldir%/extras.h
