#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# Live snapshots of the demo hypervisor built by clang 19 (source-based
# coverage with MC/DC, x86_64), taken by scripts/hvcov-demo-live at each
# phase boundary while every CPU waits, and after hvcov_disable().  Proves:
# - five tagged snapshots of one boot, each a raw profile;
# - each phase snapshot equals compiler-rt's profile of the hosted workload
#   run up to that phase (llvm-profdata show --counts --all-functions, and
#   the text profile with the MC/DC bitmap bytes);
# - each phase's interval equals the difference of the hosted truths
#   (counters subtracted, bitmap bytes: the bits set since);
# - the intervals merged (llvm-profdata merge) equal the last snapshot and
#   the final extraction;
# - hvcov-demo-live --clang renders the final profile with MC/DC.
. "$top_srcdir/tests/lib/test-subr.sh"
. "$top_srcdir/tests/llvm/profile-subr.sh"

require CLANG19 LLVM_PROFDATA19 LLVM_COV19 QEMU_SYSTEM_X86_64
[ "$(uname -m)" = x86_64 ] || skip "the hosted truth runs on an x86_64 host"
profdata=$LLVM_PROFDATA19
build=$(cd "$tmp" && pwd)/build
make -s -C "$top_srcdir/hypervisor/demo" ARCH=x86_64 O="$build" CLANG="$CLANG19" \
	hv probe hosted >"$tmp/make.log" 2>&1 ||
	{ cat "$tmp/make.log"; fail "building the clang demo"; }
b=$build/x86_64
live=$tmp/live
HVCOV=$hvcov HVCOV_LLVM_REPORT=$top_builddir/scripts/hvcov-llvm-report \
	${SHELL:-/bin/sh} "$top_srcdir/scripts/hvcov-demo-live" --arch x86_64 \
	--clang "$CLANG19" --build-dir "$build" --no-build --timeout 60 -o "$live" \
	>"$tmp/live.log" 2>&1 || { cat "$tmp/live.log"; fail "hvcov-demo-live"; }

index=$live/snapshots/index.tsv
[ "$(awk -F '\t' '!/^#/ { printf "%s ", $6 }' "$index")" = "boot cells memory console shutdown " ] ||
	fail "tags in the index: $(cat "$index")"
[ "$(awk -F '\t' '!/^#/ { print $3 }' "$index" | sort -u | wc -l)" -eq 1 ] ||
	fail "the snapshots are not of one boot"
series=$(ls -d "$live"/snapshots/boot-*)
boot=${series##*/boot-}

# text PROFRAW OUT: the text profile, and the show output beside it.
text() {
	"$profdata" merge --text -o "$2.text" "$1" ||
		fail "llvm-profdata refuses $1"
	"$profdata" show --counts --all-functions "$1" > "$2.show"
}

: > "$tmp/truth0.text"
phase=0
for tag in boot cells memory console; do
	phase=$((phase + 1))
	LLVM_PROFILE_FILE=$tmp/truth$phase.profraw "$b/hosted/hvcov-demo-hosted" $phase \
		>/dev/null || fail "hosted truth up to phase $phase"
	text "$tmp/truth$phase.profraw" "$tmp/truth$phase"
	text "$series/000$phase-$tag/profraw/hvcov-$boot.profraw" "$tmp/snap$phase"
	diff "$tmp/truth$phase.show" "$tmp/snap$phase.show" ||
		fail "snapshot '$tag' differs from the truth up to phase $phase"
	diff "$tmp/truth$phase.text" "$tmp/snap$phase.text" ||
		fail "snapshot '$tag': counters or bitmaps differ from the truth up to phase $phase"
	text "$series/000$phase-$tag/interval/hvcov-$boot.profraw" "$tmp/interval$phase"
	if [ $phase -gt 1 ]; then
		expected_interval "$tmp/truth$((phase - 1)).text" "$tmp/truth$phase.text" \
			> "$tmp/expected$phase"
		diff "$tmp/expected$phase" "$tmp/interval$phase.text" ||
			fail "interval '$tag' is not the truths' difference"
	else
		diff "$tmp/truth1.text" "$tmp/interval1.text" ||
			fail "the first interval is not the truth up to phase 1"
	fi
done
grep -q 'Bitmap Byte Values' "$tmp/truth4.text" || fail "the truth has no MC/DC bitmap"
echo "every phase snapshot and interval equals the hosted truth"

"$profdata" merge -o "$tmp/sum.profdata" "$series"/*/interval/*.profraw ||
	fail "llvm-profdata merge of the intervals"
"$profdata" merge --text -o "$tmp/sum.text" "$tmp/sum.profdata"
set -- "$live"/final/*.profraw
[ $# -eq 1 ] && [ -f "$1" ] || fail "not one final profile: $*"
text "$1" "$tmp/final"
text "$series/0005-shutdown/profraw/hvcov-$boot.profraw" "$tmp/last"
diff "$tmp/final.text" "$tmp/last.text" || fail "the last snapshot differs from the final extraction"
diff "$tmp/final.text" "$tmp/sum.text" || fail "the intervals do not add up to the final extraction"
echo "the intervals add up to the final extraction"
grep -q 'MC/DC' "$live/report/report.txt" || fail "no MC/DC in the llvm-cov report"
grep -rlq 'MC/DC Decision Region' "$live/report/html" || fail "no MC/DC in the HTML"
echo "the report shows MC/DC"
