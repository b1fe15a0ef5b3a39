#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# Live snapshots of the demo hypervisor built by clang 19 (source-based
# coverage with MC/DC) on x86_64, arm64 and arm, taken by
# scripts/hvcov-demo-live --clang at each phase boundary while every CPU
# waits, and after hvcov_disable().  The truth is the hosted workload
# linked with compiler-rt's profile runtime (x86_64; the counters and
# bitmaps of one source and one run do not depend on the target), run up to
# each phase.  Proves, per architecture:
# - five tagged snapshots of one boot, each a raw profile;
# - each phase snapshot equals the truth up to that phase (llvm-profdata
#   show --counts --all-functions, and the text profile with the MC/DC
#   bitmap bytes);
# - each phase's interval equals the difference of the truths (counters
#   subtracted, bitmap bytes: the bits set since);
# - the intervals merged (llvm-profdata merge) equal the last snapshot and
#   the final extraction;
# - hvcov-demo-live --clang renders the final profile with MC/DC.
. "$top_srcdir/tests/lib/test-subr.sh"
. "$top_srcdir/tests/llvm/profile-subr.sh"

require CLANG19 LLVM_PROFDATA19 LLVM_COV19 QEMU_SYSTEM_X86_64 QEMU_SYSTEM_AARCH64 QEMU_SYSTEM_ARM
[ "$(uname -m)" = x86_64 ] || skip "the hosted truth runs on an x86_64 host"
profdata=$LLVM_PROFDATA19
build=$(cd "$tmp" && pwd)/build

# text PROFRAW OUT: the text profile, and the show output beside it.
text() {
	"$profdata" merge --text -o "$2.text" "$1" ||
		fail "llvm-profdata refuses $1"
	"$profdata" show --counts --all-functions "$1" > "$2.show"
}

make -s -C "$top_srcdir/hypervisor/demo" ARCH=x86_64 O="$build" CLANG="$CLANG19" \
	hosted >"$tmp/make.log" 2>&1 ||
	{ cat "$tmp/make.log"; fail "building the hosted truth"; }
for phase in 1 2 3 4; do
	LLVM_PROFILE_FILE=$tmp/truth$phase.profraw "$build/x86_64/hosted/hvcov-demo-hosted" \
		$phase >/dev/null || fail "hosted truth up to phase $phase"
	text "$tmp/truth$phase.profraw" "$tmp/truth$phase"
	[ $phase = 1 ] || expected_interval "$tmp/truth$((phase - 1)).text" \
		"$tmp/truth$phase.text" > "$tmp/expected$phase"
done
grep -q 'Bitmap Byte Values' "$tmp/truth4.text" || fail "the truth has no MC/DC bitmap"
cp "$tmp/truth1.text" "$tmp/expected1"

for arch in x86_64 arm64 arm; do
	live=$tmp/live-$arch
	HVCOV=$hvcov HVCOV_LLVM_REPORT=$top_builddir/scripts/hvcov-llvm-report \
		${SHELL:-/bin/sh} "$top_srcdir/scripts/hvcov-demo-live" --arch $arch \
		--clang "$CLANG19" --build-dir "$build" --timeout 60 -o "$live" \
		>"$tmp/live-$arch.log" 2>&1 ||
		{ cat "$tmp/live-$arch.log"; fail "$arch: hvcov-demo-live"; }

	index=$live/snapshots/index.tsv
	[ "$(awk -F '\t' '!/^#/ { printf "%s ", $6 }' "$index")" = "boot cells memory console shutdown " ] ||
		fail "$arch: tags in the index: $(cat "$index")"
	[ "$(awk -F '\t' '!/^#/ { print $3 }' "$index" | sort -u | wc -l)" -eq 1 ] ||
		fail "$arch: the snapshots are not of one boot"
	series=$(ls -d "$live"/snapshots/boot-*)
	boot=${series##*/boot-}

	phase=0
	for tag in boot cells memory console; do
		phase=$((phase + 1))
		text "$series/000$phase-$tag/profraw/hvcov-$boot.profraw" "$tmp/$arch-snap$phase"
		diff "$tmp/truth$phase.show" "$tmp/$arch-snap$phase.show" ||
			fail "$arch: snapshot '$tag' differs from the truth up to phase $phase"
		diff "$tmp/truth$phase.text" "$tmp/$arch-snap$phase.text" ||
			fail "$arch: snapshot '$tag': counters or bitmaps differ from the truth up to phase $phase"
		text "$series/000$phase-$tag/interval/hvcov-$boot.profraw" "$tmp/$arch-interval$phase"
		diff "$tmp/expected$phase" "$tmp/$arch-interval$phase.text" ||
			fail "$arch: interval '$tag' is not the truths' difference"
	done
	echo "$arch: every phase snapshot and interval equals the hosted truth"

	"$profdata" merge -o "$tmp/$arch-sum.profdata" "$series"/*/interval/*.profraw ||
		fail "$arch: llvm-profdata merge of the intervals"
	"$profdata" merge --text -o "$tmp/$arch-sum.text" "$tmp/$arch-sum.profdata"
	set -- "$live"/final/*.profraw
	[ $# -eq 1 ] && [ -f "$1" ] || fail "$arch: not one final profile: $*"
	text "$1" "$tmp/$arch-final"
	text "$series/0005-shutdown/profraw/hvcov-$boot.profraw" "$tmp/$arch-last"
	diff "$tmp/$arch-final.text" "$tmp/$arch-last.text" ||
		fail "$arch: the last snapshot differs from the final extraction"
	diff "$tmp/$arch-final.text" "$tmp/$arch-sum.text" ||
		fail "$arch: the intervals do not add up to the final extraction"
	echo "$arch: the intervals add up to the final extraction"

	grep -q 'MC/DC' "$live/report/report.txt" || fail "$arch: no MC/DC in the llvm-cov report"
	grep -rlq 'MC/DC Decision Region' "$live/report/html" || fail "$arch: no MC/DC in the HTML"
	echo "$arch: the report shows MC/DC"
done
