#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# The descriptor limit bounds neither the number of objects nor the number
# of directories an image's files go into:
# - 300 objects in 15 directories extract under `ulimit -n 64` (the writer
#   never holds a descriptor per file);
# - 2000 objects in 2000 directories extract, merge and snapshot under a
#   soft and hard `ulimit -n 256` (issue 17 hole 8: the writer held one
#   locked descriptor per directory and refused), and every tree equals,
#   byte for byte, the one written without the limit; gcov-dump reads the
#   files and the merged counts are twice the single ones.
. "$top_srcdir/tests/lib/test-subr.sh"
require GCOV_DUMP GCOV_TOOL

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

# 2000 directories: each step once under the limit (low) and once without
# (high); the trees must be identical, ledgers included.  On a tmpfs when
# there is one: on a disk the syncs of 2000 new directories take seconds per
# run, and the descriptors are the point here.
if [ -d /dev/shm ] && [ -w /dev/shm ]; then
	disk_tmp=$tmp
	tmp=$(mktemp -d /dev/shm/hvcov-many.XXXXXX)
	trap 'rm -rf "$tmp" "$disk_tmp"' EXIT
fi
for boot in 1 2; do
	"$top_builddir/bench/bench-gen" --objects 2000 --counters 40000 \
		--per-dir 1 --boot-id $boot "$tmp/many$boot.img" ||
		fail "bench-gen failed"
done
low() { (ulimit -n 256 && "$hvcov" "$@"); }
high() { "$hvcov" "$@"; }
for how in low high; do
	$how extract -q --image "$tmp/many1.img" -o "$tmp/$how" 2>"$tmp/err" ||
		fail "extract ($how descriptor limit) failed: $(cat "$tmp/err")"
	$how extract -q --merge --image "$tmp/many1.img" -o "$tmp/$how-merged" ||
		fail "extract --merge ($how descriptor limit) failed"
	$how extract -q --merge --image "$tmp/many2.img" \
		-o "$tmp/$how-merged" 2>"$tmp/err" ||
		fail "extract --merge ($how descriptor limit) failed: $(cat "$tmp/err")"
	$how snapshot -q --image "$tmp/many1.img" -o "$tmp/$how-store" ||
		fail "snapshot ($how descriptor limit) failed"
	$how snapshot -q --tag again --image "$tmp/many1.img" -o "$tmp/$how-store" ||
		fail "tagged snapshot ($how descriptor limit) failed"
done
n=$(find "$tmp/low" -name '*.gcda' | wc -l)
[ "$n" -eq 2000 ] || fail "$n .gcda files under the limit, not 2000"
n=$(find "$tmp/low" -name '.hvcov-*' ! -name .hvcov-ledger | wc -l)
[ "$n" -eq 0 ] || fail "$n files of hvcov's own left behind"
diff -r "$tmp/low" "$tmp/high" >/dev/null ||
	fail "extraction under the limit differs from one without"
diff -r "$tmp/low-merged" "$tmp/high-merged" >/dev/null ||
	fail "merge under the limit differs from one without"
diff -r -x index.tsv "$tmp/low-store" "$tmp/high-store" >/dev/null ||
	fail "snapshots under the limit differ from ones without"
# gcov-tool (GCC's own merge) of the single-run file with itself is what
# the two merged runs must hold.
for d in d0000 d0999 d1999; do
	dir=$tmp/low/hvcov-bench/$d
	rm -rf "$tmp/truth"
	"$GCOV_TOOL" merge -o "$tmp/truth" "$dir" "$dir" ||
		fail "gcov-tool merge of $d failed"
	for f in "$tmp/truth"/*.gcda; do
		"$GCOV_DUMP" -l "$f" | sed 's/^[^:]*://' >"$tmp/want"
		"$GCOV_DUMP" -l "$tmp/low-merged/hvcov-bench/$d/${f##*/}" |
			sed 's/^[^:]*://' >"$tmp/got"
		grep -q counts "$tmp/want" || fail "no counters in $f"
		diff -u "$tmp/want" "$tmp/got" ||
			fail "$d/${f##*/}: the merge differs from gcov-tool's"
	done
done
echo "2000 directories under ulimit -n 256: extract, merge and snapshot as without"
