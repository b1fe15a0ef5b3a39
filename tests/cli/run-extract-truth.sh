#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# Ground truth, on x86_64, arm64 and arm: the same workload objects, run once
# over the real libgcov (which writes the truth) and once over the hvcov
# stub (whose memory image hvcov extracts), must give .gcda files that
# gcov-dump shows identically, record for record and counter for counter.
# Constructor mode uses the very same objects, so even the stamp must agree;
# the -fprofile-info-section objects are a separate compilation, so only
# their stamp may differ.  The matching gcov then reads every extracted file
# against its .gcno without a warning.  Producers built with
# PRODUCER_CFLAGS=-fcondition-coverage (GCC 14+) and -fpath-coverage
# (GCC 15+) carry MC/DC and prime-path counters too: then that GCC's gcov
# must show the extracted files with --conditions and --prime-paths exactly
# as it shows libgcov's.  TRUTH_MODES: the stub modes to test (default
# both; GCC 11 drops -fprofile-info-section's .gcov_info above -O0).
. "$top_srcdir/tests/lib/test-subr.sh"

features=
case " ${PRODUCER_CFLAGS:-} " in
*" -fcondition-coverage "*) features="$features --conditions" ;;
esac
case " ${PRODUCER_CFLAGS:-} " in
*" -fpath-coverage "*) features="$features --prime-paths" ;;
esac

# gcov_view DIR UNIT: what gcov -b and the features show for DIR/UNIT.gcda,
# without the lines that name the .gcno and .gcda files.
gcov_view() {
	(cd "$1" && $gcov -b $features -o . "$2.gcno" >/dev/null 2>gcov.err &&
		[ ! -s gcov.err ] && sed -e '/^ *-: *0:Graph:/d' -e '/^ *-: *0:Data:/d' "$2.c.gcov") ||
		fail "$gcov$features on $1/$2: $(cat "$1/gcov.err")"
}

units="checksum parse table run"
seed=3
for arch in $ARCHES; do
	arch_tools "$arch"
	[ ! -e "$producers/$arch/missing" ] || skip "$arch: $(cat "$producers/$arch/missing")"
	build=$producers/$arch

	# The truth: libgcov writes below GCOV_PREFIX, mirroring the path.
	GCOV_PREFIX=$tmp/truth-$arch $run "$build/truth" $seed >/dev/null
	truth=$tmp/truth-$arch$build/constructors

	for mode in ${TRUTH_MODES:-constructors info-section}; do
		image=$tmp/$arch-$mode.img
		out=$tmp/out-$arch-$mode
		$run "$build/producer-$mode" "$image" $seed 5eed >"$tmp/producer.log" ||
			{ cat "$tmp/producer.log"; fail "$arch $mode: the producer failed"; }
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
		[ -n "$features" ] || continue
		for unit in $units; do
			cp "$build/constructors/$unit.gcno" "$truth/"
			gcov_view "$truth" $unit >"$tmp/truth.gcov"
			gcov_view "$extracted" $unit >"$tmp/extracted.gcov"
			diff -u "$tmp/truth.gcov" "$tmp/extracted.gcov" ||
				fail "$arch $mode: $gcov$features shows $unit differently"
			cat "$tmp/truth.gcov" >>"$tmp/all-$arch-$mode.gcov"
		done
		# Not vacuous: the workload's decisions were seen, some covered.
		case $features in
		*--conditions*)
			grep -q 'condition outcomes covered [1-9]' "$tmp/all-$arch-$mode.gcov" ||
				fail "$arch $mode: no condition outcome covered: -fcondition-coverage did not act"
			;;
		esac
		case $features in
		*--prime-paths*)
			grep -q 'paths covered [1-9]' "$tmp/all-$arch-$mode.gcov" ||
				fail "$arch $mode: no prime path covered: -fpath-coverage did not act"
			;;
		esac
		echo "$arch $mode:$features: $gcov shows the 4 objects as it shows the truth ($(grep -c '^condition outcomes covered\|^paths covered' "$tmp/all-$arch-$mode.gcov") condition/path summaries)"
	done
done
