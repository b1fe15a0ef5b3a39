#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# `make bench` at a tiny size (a few objects, one run, no QEMU) prints a
# well-formed table: every row has six cells, the extraction, merge, memory,
# stub, scaling, big-memory, peer (with its disk and time bounds) and
# snapshot rows all carry numbers, and the delta row says "not built" unless
# bench/bench-delta exists.  The figures themselves are not judged here (too
# small to mean anything); the harness must not break.
. "$top_srcdir/tests/lib/test-subr.sh"

BENCH_RUNS=1 BENCH_OBJECTS=6 BENCH_COUNTERS=120 BENCH_SCALE="3 6" \
BENCH_SCALE_RUNS=1 BENCH_BOOT=no BENCH_BIGMEM=6 BENCH_DIR=$tmp/work \
BENCH_PEER_SIZES="3 6" BENCH_LEDGER_RUNS=3 BENCH_LEDGER_OBJECTS=3 \
BENCH_CG_OBJECTS=3 BENCH_SNAP_COUNT=20 BENCH_SNAP_DISK_COUNT=3 \
	$SHELL "$top_srcdir/bench/bench.sh" >"$tmp/table" 2>"$tmp/err" ||
	{ cat "$tmp/table" "$tmp/err"; fail "bench.sh failed"; }
cat "$tmp/table"
[ ! -s "$tmp/err" ] || { cat "$tmp/err"; fail "bench.sh wrote to stderr"; }

rows=$tmp/rows
grep '^|' "$tmp/table" >"$rows" || fail "no table"
awk -F '|' 'NF != 8 { print "bad row: " $0; bad = 1 } END { exit bad }' \
	"$rows" || fail "a row does not have six cells"
number='[0-9][0-9.e+-]*'
for figure in 'extract, hvcov header, disk' 'extract, Jailhouse header, disk' \
	'extract --merge, disk' 'libgcov alone' 'peak RSS of extract' \
	'stub .text/.data/.bss, x86_64' 'scaling: 3 objects' \
	'scaling: 6 objects' 'info, image of' 'extract, image of' \
	'snapshot, image of' 'refusal of a 4 GiB RAM file' \
	'peak RSS, 1 object' 'extract vs peer, 3 objects, spread' 'extract vs peer, 6 objects, one' \
	'linearity, spread' 'linearity, one' 'peak RSS vs peer, 6 objects' \
	'extract vs peer, 6 objects, disk' \
	'durable peer (peer + one syncfs), 6 objects, disk' \
	'extract vs durable peer, 6 objects, disk' \
	'per-file fsync (bench-floor replace) vs durable peer, 6 objects, disk' \
	"time bound: hvcov's libgcov child alone vs peer, 6 objects" \
	'--merge, 3 objects, ledger of 3 runs' \
	'instructions per object (callgrind), 3 objects' \
	"instructions per object, hvcov's libgcov child alone, 3 objects" \
	'first snapshot, whole 64 MiB file scanned' 'first snapshot, 4 MiB window' \
	"first snapshot, the store's record" 'first snapshot, --elf' \
	'further snapshots, counters unchanged' \
	'further snapshots, counters changing (tmpfs' \
	'further snapshots, counters changing (disk'; do
	# A sanitizer build (scripts/ci-sanitize) cannot run under valgrind:
	# there the row must say so instead of giving a figure.
	case $figure in
	'instructions per object'*)
		if nm "$top_builddir/tools/hvcov" 2>/dev/null | grep -q __asan_init; then
			grep -F "| $figure" "$rows" | grep -q '| sanitizer build' ||
				fail "no 'sanitizer build' row for '$figure'"
			continue
		fi ;;
	esac
	grep -F "| $figure" "$rows" | grep -q "| $number" ||
		fail "no figure for '$figure'"
done
if [ -x "$top_builddir/bench/bench-delta" ]; then
	grep -q '^| live delta scan.*GB/s' "$rows" || fail "no delta figure"
else
	grep -q '^| live delta scan.*| not built |' "$rows" ||
		fail "the delta row does not say 'not built'"
fi
# Every verdict is one the harness defines.
sed -n '3,$p' "$rows" | awk -F '|' '{ v = $7; gsub(/^ +| +$/, "", v) }
	v !~ /^(met|NOT met|bound|measured|not measured.*)$/ {
		print "bad verdict: " $0; bad = 1 } END { exit bad }' ||
	fail "a row has no verdict"
