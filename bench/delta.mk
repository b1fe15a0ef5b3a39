# SPDX-License-Identifier: BSD-2-Clause
# The delta-scan benchmark (bench/bench-delta.c), for `make bench`: it is
# built with the tests (it is small) and run only by the bench targets.
check_PROGRAMS += bench/bench-delta
bench_bench_delta_SOURCES = bench/bench-delta.c
bench_bench_delta_LDADD = libhvcov.a

bench-delta: bench/bench-delta
	./bench/bench-delta
.PHONY: bench-delta
