# SPDX-License-Identifier: BSD-2-Clause
# unit/: the Check suites, one runner (check-main.c) and one suite per file,
# listed in suites.def.
check_PROGRAMS += %reldir%/check_hvcov
%canon_reldir%_check_hvcov_SOURCES = %reldir%/check-main.c %reldir%/suites.def \
	%reldir%/check_cli.c %reldir%/check_layout.c %reldir%/check_image.c \
	%reldir%/check_header.c \
	%reldir%/check_reader.c %reldir%/check_outpath.c %reldir%/check_writer.c \
	%reldir%/check_ledger.c \
	%reldir%/check_snapshot.c %reldir%/check_snapshot_store.c \
	%reldir%/check_core.c \
	%reldir%/check_malformed.c %reldir%/check_report.c \
	$(TESTS_IMAGE_BUILDER) $(TESTS_MALFORMED_CASES)
%canon_reldir%_check_hvcov_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/tests
%canon_reldir%_check_hvcov_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS) $(LIBELF_CFLAGS)
%canon_reldir%_check_hvcov_LDADD = libhvcov.a $(CHECK_LIBS) $(LIBELF_LIBS) \
	$(GCOV_LIBS)
TESTS += %reldir%/check_hvcov
