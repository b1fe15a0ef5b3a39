# SPDX-License-Identifier: BSD-2-Clause
# Benchmarks (`make bench`, never part of `make check`): the image generator,
# the file-write floor, a timer, the phase profiler, the delta scan and the
# harness that prints the table.  The programs are check programs so that
# `make check` builds them (under every compiler) for the harness's smoke
# test, run-bench-smoke.sh.
check_PROGRAMS += %reldir%/bench-gen %reldir%/bench-floor %reldir%/bench-run \
	%reldir%/bench-phases %reldir%/bench-delta %reldir%/bench-ledger \
	%reldir%/bench-peer
%canon_reldir%_bench_gen_SOURCES = %reldir%/bench-gen.c $(TESTS_IMAGE_BUILDER)
%canon_reldir%_bench_gen_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/tests
%canon_reldir%_bench_gen_LDADD = libhvcov.a $(GCOV_LIBS)
%canon_reldir%_bench_floor_SOURCES = %reldir%/bench-floor.c
%canon_reldir%_bench_floor_LDADD = libhvcov.a
%canon_reldir%_bench_run_SOURCES = %reldir%/bench-run.c
%canon_reldir%_bench_phases_SOURCES = %reldir%/bench-phases.c
%canon_reldir%_bench_phases_LDADD = libhvcov.a $(LIBELF_LIBS) $(GCOV_LIBS)
%canon_reldir%_bench_phases_CFLAGS = $(AM_CFLAGS) $(LIBELF_CFLAGS)
%canon_reldir%_bench_delta_SOURCES = %reldir%/bench-delta.c
%canon_reldir%_bench_delta_LDADD = libhvcov.a
%canon_reldir%_bench_ledger_SOURCES = %reldir%/bench-ledger.c
%canon_reldir%_bench_ledger_LDADD = libhvcov.a
%canon_reldir%_bench_peer_SOURCES = %reldir%/bench-peer.c
%canon_reldir%_bench_peer_LDADD = libhvcov.a $(GCOV_LIBS)

EXTRA_DIST += %reldir%/bench.sh %reldir%/bench-boot.sh
TESTS += %reldir%/run-bench-smoke.sh
EXTRA_DIST += %reldir%/run-bench-smoke.sh

# make bench-delta: the delta scan alone (make bench is in Makefile.am).
bench-delta: %reldir%/bench-delta
	./%reldir%/bench-delta
.PHONY: bench-delta

# The snapshot rows' stand-in for a running hypervisor (bench.sh, 8).
check_PROGRAMS += %reldir%/bench-tick
%canon_reldir%_bench_tick_SOURCES = %reldir%/bench-tick.c
%canon_reldir%_bench_tick_LDADD = libhvcov.a $(LIBELF_LIBS) $(GCOV_LIBS)
