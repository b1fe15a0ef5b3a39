# SPDX-License-Identifier: BSD-2-Clause
# Fuzz targets (tests/fuzz/fuzz.h): the hvcov descriptor parser, the
# Jailhouse header parser, the whole reader, path confinement, the .gcda
# parser, the merge ledger, the snapshot index and a snapshot's counters
# file (every on-disk format hvcov reads back).  make check builds them with the configured compiler against a
# standalone main and replays the seed corpus and the committed
# regressions; make fuzz builds them with clang's libFuzzer and the
# sanitizers and fuzzes each for FUZZ_SECONDS seconds.
FUZZ_TARGETS = descriptor jailhouse reader outpath gcda ledger \
	snapshot-index snapshot-counters
FUZZ_SECONDS = 60
FUZZ_BUILD = $(abs_builddir)/fuzz-build
# What the targets reach in tools/ (compiled again with clang for make fuzz).
FUZZ_TOOLS_FILES = tools/error.c tools/image.c tools/header.c tools/reader.c \
	tools/gcc-layout.c tools/model.c tools/outpath.c tools/gcda.c \
	tools/coverage-stats.c tools/ledger.c tools/fdio.c \
	tools/snapshot-store.c
FUZZ_COMMON = tests/fuzz/fuzz.h tests/fuzz/support.c tests/fuzz/standalone.c

check_PROGRAMS += tests/fuzz/fuzz-descriptor tests/fuzz/fuzz-jailhouse \
	tests/fuzz/fuzz-reader tests/fuzz/fuzz-outpath tests/fuzz/fuzz-gcda \
	tests/fuzz/fuzz-ledger tests/fuzz/fuzz-snapshot-index \
	tests/fuzz/fuzz-snapshot-counters tests/fuzz/make-seeds
tests_fuzz_fuzz_descriptor_SOURCES = tests/fuzz/fuzz-descriptor.c $(FUZZ_COMMON)
tests_fuzz_fuzz_descriptor_LDADD = libhvcov.a
tests_fuzz_fuzz_jailhouse_SOURCES = tests/fuzz/fuzz-jailhouse.c $(FUZZ_COMMON)
tests_fuzz_fuzz_jailhouse_LDADD = libhvcov.a
tests_fuzz_fuzz_reader_SOURCES = tests/fuzz/fuzz-reader.c $(FUZZ_COMMON)
tests_fuzz_fuzz_reader_LDADD = libhvcov.a
tests_fuzz_fuzz_outpath_SOURCES = tests/fuzz/fuzz-outpath.c $(FUZZ_COMMON)
tests_fuzz_fuzz_outpath_LDADD = libhvcov.a
tests_fuzz_fuzz_gcda_SOURCES = tests/fuzz/fuzz-gcda.c $(FUZZ_COMMON)
tests_fuzz_fuzz_gcda_LDADD = libhvcov.a
tests_fuzz_fuzz_ledger_SOURCES = tests/fuzz/fuzz-ledger.c $(FUZZ_COMMON)
tests_fuzz_fuzz_ledger_LDADD = libhvcov.a
tests_fuzz_fuzz_snapshot_index_SOURCES = tests/fuzz/fuzz-snapshot-index.c \
	$(FUZZ_COMMON)
tests_fuzz_fuzz_snapshot_index_LDADD = libhvcov.a
tests_fuzz_fuzz_snapshot_counters_SOURCES = \
	tests/fuzz/fuzz-snapshot-counters.c $(FUZZ_COMMON)
tests_fuzz_fuzz_snapshot_counters_LDADD = libhvcov.a
tests_fuzz_make_seeds_SOURCES = tests/fuzz/make-seeds.c \
	tests/image-builder.c tests/image-builder.h
tests_fuzz_make_seeds_LDADD = libhvcov.a

TESTS += tests/run-fuzz-replay.sh
EXTRA_DIST += tests/run-fuzz-replay.sh tests/fuzz/seeds.sh tests/fuzz/fuzz.sh \
	tests/fuzz/regressions

fuzz: tests/fuzz/make-seeds tools/hvcov tests/producer/x86_64/built \
	tests/producer/arm64/built tests/producer/arm/built
	@if test -z '$(FUZZ_CC)'; then \
		echo 'make fuzz: needs clang with libFuzzer, AddressSanitizer and UndefinedBehaviorSanitizer, which configure did not find ($(FUZZ_MISSING)); install clang and libclang-rt-14-dev (scripts/bootstrap does) and run configure again, or give FUZZ_CC=...' >&2; \
		exit 2; \
	fi
	top_builddir='$(abs_top_builddir)' $(SHELL) $(srcdir)/tests/fuzz/fuzz.sh \
		'$(FUZZ_CC)' '$(abs_top_srcdir)' '$(FUZZ_BUILD)' \
		'$(FUZZ_SECONDS)' $(FUZZ_TARGETS) -- $(FUZZ_TOOLS_FILES)
.PHONY: fuzz

clean-local: clean-fuzz
clean-fuzz:
	-rm -rf '$(FUZZ_BUILD)'
.PHONY: clean-fuzz
