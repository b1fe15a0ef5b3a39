# SPDX-License-Identifier: BSD-2-Clause
# Benchmarks (`make bench`, never part of `make check`): the image generator,
# the file-write floor, a timer, and the harness that prints the table.
# The programs are check programs so that `make check` builds them (under
# every compiler) for the harness's smoke test, tests/run-bench-smoke.sh.
check_PROGRAMS += bench/bench-gen bench/bench-floor bench/bench-run \
	bench/bench-phases bench/bench-ledger
bench_bench_gen_SOURCES = bench/bench-gen.c tests/image-builder.c \
	tests/image-builder.h
bench_bench_gen_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/tests
bench_bench_gen_LDADD = libhvcov.a $(GCOV_LIBS)
bench_bench_floor_SOURCES = bench/bench-floor.c
bench_bench_floor_LDADD = libhvcov.a
bench_bench_run_SOURCES = bench/bench-run.c
bench_bench_ledger_SOURCES = bench/bench-ledger.c
bench_bench_ledger_LDADD = libhvcov.a
bench_bench_phases_SOURCES = bench/bench-phases.c
bench_bench_phases_LDADD = libhvcov.a $(LIBELF_LIBS) $(GCOV_LIBS)
bench_bench_phases_CFLAGS = $(AM_CFLAGS) $(LIBELF_CFLAGS)

EXTRA_DIST += bench/bench.sh bench/bench-boot.sh
TESTS += tests/run-bench-smoke.sh tests/run-extract-many.sh
EXTRA_DIST += tests/run-bench-smoke.sh tests/run-extract-many.sh

# BENCH_RUNS, BENCH_OBJECTS, BENCH_COUNTERS, BENCH_SCALE, BENCH_BOOT...
# (see bench/bench.sh) pass through the environment.
bench: tools/hvcov $(check_PROGRAMS)
	top_srcdir='$(abs_top_srcdir)' top_builddir='$(abs_top_builddir)' \
		$(SHELL) '$(srcdir)/bench/bench.sh'
.PHONY: bench
