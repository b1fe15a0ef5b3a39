# SPDX-License-Identifier: BSD-2-Clause
# Fuzz targets (fuzz.h): the hvcov descriptor parser, the Jailhouse header
# parser, the whole reader, path confinement, the .gcda parser, the merge
# ledger, the snapshot index and a snapshot's counters file (every on-disk
# format hvcov reads back) and the clang raw profile reader.  make check builds them with the configured compiler against a
# standalone main and replays the seed corpus and the committed
# regressions; make fuzz builds them with clang's libFuzzer and the
# sanitizers and fuzzes each for FUZZ_SECONDS seconds.
FUZZ_TARGETS = descriptor jailhouse reader outpath gcda ledger \
	snapshot-index snapshot-counters profraw
FUZZ_SECONDS = 60
FUZZ_BUILD = $(abs_builddir)/fuzz-build
# make fuzz compiles the library's sources again with clang (the list is
# tools/local.mk's; fuzz.sh takes its .c files); the targets link only what
# they reach.
FUZZ_TOOLS_FILES = $(HVCOV_LIBRARY_SOURCES)
FUZZ_COMMON = %reldir%/fuzz.h %reldir%/support.c %reldir%/standalone.c

check_PROGRAMS += %reldir%/fuzz-descriptor %reldir%/fuzz-jailhouse \
	%reldir%/fuzz-reader %reldir%/fuzz-outpath %reldir%/fuzz-gcda \
	%reldir%/fuzz-ledger %reldir%/fuzz-snapshot-index \
	%reldir%/fuzz-snapshot-counters %reldir%/fuzz-profraw \
	%reldir%/make-seeds
%canon_reldir%_fuzz_descriptor_SOURCES = %reldir%/fuzz-descriptor.c $(FUZZ_COMMON)
%canon_reldir%_fuzz_descriptor_LDADD = libhvcov.a
%canon_reldir%_fuzz_jailhouse_SOURCES = %reldir%/fuzz-jailhouse.c $(FUZZ_COMMON)
%canon_reldir%_fuzz_jailhouse_LDADD = libhvcov.a
%canon_reldir%_fuzz_reader_SOURCES = %reldir%/fuzz-reader.c $(FUZZ_COMMON)
%canon_reldir%_fuzz_reader_LDADD = libhvcov.a
%canon_reldir%_fuzz_outpath_SOURCES = %reldir%/fuzz-outpath.c $(FUZZ_COMMON)
%canon_reldir%_fuzz_outpath_LDADD = libhvcov.a
%canon_reldir%_fuzz_gcda_SOURCES = %reldir%/fuzz-gcda.c $(FUZZ_COMMON)
%canon_reldir%_fuzz_gcda_LDADD = libhvcov.a
%canon_reldir%_fuzz_ledger_SOURCES = %reldir%/fuzz-ledger.c $(FUZZ_COMMON)
%canon_reldir%_fuzz_ledger_LDADD = libhvcov.a
%canon_reldir%_fuzz_snapshot_index_SOURCES = %reldir%/fuzz-snapshot-index.c \
	$(FUZZ_COMMON)
%canon_reldir%_fuzz_snapshot_index_LDADD = libhvcov.a
%canon_reldir%_fuzz_snapshot_counters_SOURCES = \
	%reldir%/fuzz-snapshot-counters.c $(FUZZ_COMMON)
%canon_reldir%_fuzz_snapshot_counters_LDADD = libhvcov.a
%canon_reldir%_fuzz_profraw_SOURCES = %reldir%/fuzz-profraw.c $(FUZZ_COMMON)
%canon_reldir%_fuzz_profraw_LDADD = libhvcov.a
%canon_reldir%_make_seeds_SOURCES = %reldir%/make-seeds.c \
	$(TESTS_IMAGE_BUILDER)
%canon_reldir%_make_seeds_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/tests
%canon_reldir%_make_seeds_LDADD = libhvcov.a

TESTS += %reldir%/run-fuzz-replay.sh
EXTRA_DIST += %reldir%/run-fuzz-replay.sh %reldir%/seeds.sh %reldir%/fuzz.sh \
	%reldir%/regressions


clean-local: clean-fuzz
clean-fuzz:
	-rm -rf '$(FUZZ_BUILD)'
.PHONY: clean-fuzz
