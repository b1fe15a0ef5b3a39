#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# Replace and merge against libgcov's own behaviour: two runs of the truth
# program with two seeds (libgcov merges the second into the first) must
# equal extracting the first run's image and merging the second's with
# --merge (runs=2 included).  Merging the same run again is refused and
# changes nothing; extracting without --merge replaces, giving the one-run
# truth again.
. "$top_srcdir/tests/lib/test-subr.sh"

arch_tools x86_64
build=$producers/x86_64
units="checksum parse table run"
objdir=$build/constructors

GCOV_PREFIX=$tmp/truth1 $run "$build/truth" 1 >/dev/null
GCOV_PREFIX=$tmp/truth12 $run "$build/truth" 1 >/dev/null
GCOV_PREFIX=$tmp/truth12 $run "$build/truth" 2 >/dev/null
$run "$build/producer-constructors" "$tmp/run1.img" 1 1111 >/dev/null
$run "$build/producer-constructors" "$tmp/run2.img" 2 2222 >/dev/null

same_as_truth() {
	for unit in $units; do
		dump_records "$1$objdir/$unit.gcda" >"$tmp/a.txt"
		dump_records "$2$objdir/$unit.gcda" >"$tmp/b.txt"
		diff -u "$tmp/a.txt" "$tmp/b.txt" || fail "$unit.gcda: $3"
	done
}

out=$tmp/out
"$hvcov" extract -q --image "$tmp/run1.img" -o "$out"
same_as_truth "$tmp/truth1" "$out" "first extraction differs from one libgcov run"
"$hvcov" extract -q --merge --image "$tmp/run2.img" -o "$out"
same_as_truth "$tmp/truth12" "$out" "merged extraction differs from two libgcov runs"
grep -q 'runs=2' "$tmp/a.txt" || fail "the truth of two runs does not say runs=2"
echo "extract + merge of two runs equals libgcov's merge of the same two runs"

cp -R "$out" "$tmp/before"
expect_refusal 1 "" "$tmp/nothing" "$hvcov" extract --merge --image "$tmp/run2.img" -o "$out"
same_as_truth "$tmp/before" "$out" "a refused merge changed the file"
echo "the same run merged twice is refused and changes nothing"

"$hvcov" extract -q --image "$tmp/run1.img" -o "$out"
same_as_truth "$tmp/truth1" "$out" "replacing did not give the one-run truth"
echo "without --merge the files are replaced"
leftovers=$(find "$out" -type f ! -name '*.gcda' ! -name '.hvcov*' | head -5)
[ -z "$leftovers" ] || fail "files other than .gcda left in the output: $leftovers"
