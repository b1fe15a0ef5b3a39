# SPDX-License-Identifier: BSD-2-Clause
# Sourced by tests/demo/run-snapshot-demo-ARCH.sh with $arch set: live snapshots
# of the running demo hypervisor (scripts/hvcov-demo-live) on one
# architecture.  Proves:
# - a tagged snapshot at each of the four phase boundaries and one after
#   hvcov_disable(), all of one boot, with executed arcs never decreasing
#   (hvcov snapshot itself refuses any counter that decreases);
# - each phase snapshot equals the hosted ground truth run up to that phase
#   (the same workload under libgcov, gcov-dump records except the stamp,
#   which differs between the two compilations);
# - the per-phase intervals add up (gcov-tool merge) to the final
#   extraction, and the last snapshot equals it;
# - every per-test tracefile is accepted by lcov, the combined one names the
#   five tests, genhtml wrote the report and the timeline is an SVG.
. "$top_srcdir/tests/lib/test-subr.sh"

arch_tools "$arch"
case $arch in
x86_64) require QEMU_SYSTEM_X86_64 ;;
arm64) require QEMU_SYSTEM_AARCH64 ;;
arm) require QEMU_SYSTEM_ARM ;;
esac
require GCOV_TOOL LCOV GENHTML

make -s -C "$top_srcdir/hypervisor/demo" ARCH="$arch" O="$tmp/build" all \
	>"$tmp/make.log" 2>&1 || { cat "$tmp/make.log"; fail "building the demo"; }
b=$tmp/build/$arch
live=$tmp/live
HVCOV=$hvcov HVCOV_REPORT=$top_builddir/scripts/hvcov-report \
HVCOV_REPORT_TESTS=$top_builddir/scripts/hvcov-report-tests \
	${SHELL:-/bin/sh} "$top_srcdir/scripts/hvcov-demo-live" --arch "$arch" \
	--build-dir "$tmp/build" --no-build --timeout 60 -o "$live" \
	>"$tmp/live.log" 2>&1 || { cat "$tmp/live.log"; fail "hvcov-demo-live"; }
cat "$tmp/live.log"

index=$live/snapshots/index.tsv
[ "$(awk -F '\t' '!/^#/ { printf "%s ", $6 }' "$index")" = "boot cells memory console shutdown " ] ||
	fail "tags in the index: $(cat "$index")"
[ "$(awk -F '\t' '!/^#/ { print $3 }' "$index" | sort -u | wc -l)" -eq 1 ] ||
	fail "the snapshots are not of one boot"
[ "$(awk -F '\t' '!/^#/ { printf "%s ", $4 }' "$index")" = "running running running running disabled " ] ||
	fail "states in the index: $(cat "$index")"
awk -F '\t' '!/^#/ { if ($10 < last) exit 1; last = $10 }' "$index" ||
	fail "executed arcs decreased"

series=$(ls -d "$live"/snapshots/boot-*)
units="cell console cpu hypercall"
phase=0
for tag in boot cells memory console; do
	phase=$((phase + 1))
	GCOV_PREFIX=$tmp/truth$phase $run "$b/hosted/hvcov-demo-hosted" $phase >/dev/null ||
		fail "hosted truth up to phase $phase"
	for unit in $units; do
		same_records "$tmp/truth$phase$b/hosted/workload/$unit.gcda" \
			"$series/000$phase-$tag/gcda$b/hv/workload/$unit.gcda" \
			"snapshot '$tag': $unit.gcda differs from the truth up to phase $phase" -e '/^stamp /d'
	done
done
echo "every phase snapshot equals the hosted truth up to that phase"

merged=$series/0001-boot/interval$b/hv/workload
n=1
for tag in cells memory console shutdown; do
	n=$((n + 1))
	"$GCOV_TOOL" merge -o "$tmp/sum$n" "$merged" "$series/000$n-$tag/interval$b/hv/workload" \
		>/dev/null || fail "gcov-tool merge"
	merged=$tmp/sum$n
done
for unit in $units; do
	same_records "$live/final$b/hv/workload/$unit.gcda" "$merged/$unit.gcda" \
		"$unit: the phase intervals do not add up to the final extraction" -e '/OBJECT_SUMMARY/d'
	same_records "$live/final$b/hv/workload/$unit.gcda" \
		"$series/0005-shutdown/gcda$b/hv/workload/$unit.gcda" \
		"$unit: the last snapshot differs from the final extraction"
done
echo "the intervals add up to the final extraction"

report=$live/report
for test in boot cells memory console shutdown; do
	lcov --rc lcov_branch_coverage=1 --summary "$report/tests/$test.info" \
		>"$tmp/lcov.out" 2>&1 || { cat "$tmp/lcov.out"; fail "lcov refuses $test.info"; }
	grep -q 'lines\.*: [0-9]' "$tmp/lcov.out" || fail "lcov found no lines in $test.info"
done
[ "$(sed -n 's/^TN://p' "$report/tests.info" | sort -u | tr '\n' ' ')" = "boot cells console memory shutdown " ] ||
	fail "the combined tracefile does not name the five tests"
[ -f "$report/index.html" ] || fail "no HTML report"
[ "$(grep -vc '^#' "$report/tests.tsv")" -eq 5 ] || fail "tests.tsv: $(cat "$report/tests.tsv")"
head -c 5 "$report/timeline.svg" | grep -q '<svg' && tail -n 1 "$report/timeline.svg" | grep -q '</svg>' ||
	fail "timeline.svg is not an SVG document"
echo "per-test tracefiles accepted by lcov; report and timeline written"
