#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# An image with many more objects than the process may open files (300
# objects in 15 directories under `ulimit -n 64`) extracts completely: the
# writer holds one descriptor per directory, never one per file, so the
# number of objects is not bounded by the descriptor limit.  Every file is
# there and gcov-dump reads it.
. "$top_srcdir/tests/lib/test-subr.sh"
require GCOV_DUMP

"$top_builddir/bench/bench-gen" --objects 300 --counters 6000 "$tmp/img" ||
	fail "bench-gen failed"
(ulimit -n 64 && "$hvcov" extract -q --image "$tmp/img" -o "$tmp/out") ||
	fail "extraction under ulimit -n 64 failed"
n=$(find "$tmp/out" -name '*.gcda' | wc -l)
[ "$n" -eq 300 ] || fail "$n .gcda files, not 300"
for f in "$tmp/out/hvcov-bench/d0000/u000000.gcda" \
	"$tmp/out/hvcov-bench/d0014/u000299.gcda"; do
	"$GCOV_DUMP" -l "$f" | grep -q 'counts' || fail "gcov-dump cannot read $f"
done
