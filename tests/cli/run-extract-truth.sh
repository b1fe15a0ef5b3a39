#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# Ground truth, on x86_64, arm64 and arm: the same workload objects, run once
# over the real libgcov (which writes the truth) and once over the hvcov
# stub (whose memory image hvcov extracts), must give .gcda files that
# gcov-dump shows identically, record for record and counter for counter.
# Constructor mode uses the very same objects, so even the stamp must agree;
# the -fprofile-info-section objects are a separate compilation, so only
# their stamp may differ.  The matching gcov then reads every extracted file
# against its .gcno without a warning.
. "$top_srcdir/tests/lib/test-subr.sh"

units="checksum parse table run"
seed=3
for arch in $ARCHES; do
	arch_tools "$arch"
	[ ! -e "$producers/$arch/missing" ] || skip "$arch: $(cat "$producers/$arch/missing")"
	build=$producers/$arch

	# The truth: libgcov writes below GCOV_PREFIX, mirroring the path.
	GCOV_PREFIX=$tmp/truth-$arch $run "$build/truth" $seed >/dev/null
	truth=$tmp/truth-$arch$build/constructors

	for mode in constructors info-section; do
		image=$tmp/$arch-$mode.img
		out=$tmp/out-$arch-$mode
		$run "$build/producer-$mode" "$image" $seed 5eed >/dev/null
		"$hvcov" extract --image "$image" -o "$out" >"$tmp/extract.log" ||
			{ cat "$tmp/extract.log"; fail "$arch $mode: extract failed"; }
		grep -q 'wrote 4 .gcda files' "$tmp/extract.log" ||
			fail "$arch $mode: $(cat "$tmp/extract.log")"
		extracted=$out$build/$mode
		ignore=
		[ "$mode" = constructors ] || ignore='/^stamp /d'
		for unit in $units; do
			[ -f "$extracted/$unit.gcda" ] || fail "$arch $mode: no $unit.gcda"
			dump_records "$truth/$unit.gcda" -e "$ignore" >"$tmp/truth.txt"
			dump_records "$extracted/$unit.gcda" -e "$ignore" >"$tmp/extracted.txt"
			grep -q 'COUNTERS arcs' "$tmp/truth.txt" ||
				fail "$arch: the truth for $unit has no counters"
			diff -u "$tmp/truth.txt" "$tmp/extracted.txt" ||
				fail "$arch $mode: $unit.gcda differs from the truth"
			cp "$build/$mode/$unit.gcno" "$extracted/"
		done
		gcov_reads_cleanly "$extracted"
		echo "$arch $mode: 4 objects equal the libgcov truth; $gcov reads them cleanly"
	done
done
