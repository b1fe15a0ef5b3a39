# SPDX-License-Identifier: BSD-2-Clause
# gcov/: GCC's formats, one place per fact: the layout table by release, the
# bounds-checked reader of gcov_info, the neutral model, .gcda and .gcno
# files, coverage figures.
HVCOV_GCOV_SOURCES = %reldir%/gcc-layout.c %reldir%/gcc-layout.h \
	%reldir%/reader.c %reldir%/reader.h %reldir%/model.c %reldir%/model.h \
	%reldir%/gcda.c %reldir%/gcda.h \
	%reldir%/gcno-check.c %reldir%/gcno-check.h \
	%reldir%/coverage-stats.c %reldir%/coverage-stats.h
