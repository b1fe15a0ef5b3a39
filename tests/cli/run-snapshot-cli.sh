#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# hvcov snapshot on image files (a file that does not change is a live
# image that is idle):
# - on x86_64, arm64 and arm images its .gcda files equal hvcov extract's,
#   record for record (extract is checked against libgcov elsewhere);
# - the index records each snapshot; a snapshot of an unchanged image has
#   no new counters and its interval .gcda files hold only zeros;
# - tagged intervals add up to the total (summed by gcov-tool), and
#   --since gives the same difference;
# - a counter lower than in the previous snapshot of the same boot is
#   refused (exit 1, one line naming the counter) and nothing is recorded;
# - a new boot id starts a new series directory;
# - --output-format kcov writes the documented buffer (u64 count, u64 IDs):
#   IDs are the same in two runs of one build, and only new counters appear;
#   --format selects only the header (auto|hvcov|jailhouse): the
#   pre-release spelling --format kcov is refused;
# - --since of another boot and bad options are refused.
. "$top_srcdir/tests/lib/test-subr.sh"

units="checksum parse table run"
for arch in $ARCHES; do
	arch_tools "$arch"
	build=$producers/$arch
	$run "$build/producer-constructors" "$tmp/$arch.img" 3 5eed >/dev/null
	"$hvcov" extract -q --image "$tmp/$arch.img" -o "$tmp/extract-$arch"
	"$hvcov" snapshot -q --image "$tmp/$arch.img" -o "$tmp/store-$arch" ||
		fail "$arch: snapshot failed"
	snap=$tmp/store-$arch/boot-0000000000005eed/0001/gcda
	for unit in $units; do
		same_records "$tmp/extract-$arch$build/constructors/$unit.gcda" \
			"$snap$build/constructors/$unit.gcda" "$arch: $unit.gcda differs from extract"
	done
done
echo "snapshots equal extraction on $ARCHES"

arch_tools x86_64
build=$producers/x86_64
img=$tmp/live.img
store=$tmp/store
$run "$build/producer-constructors" "$img" 1 b001 >/dev/null
"$hvcov" snapshot --image "$img" -o "$store" --tag first >"$tmp/out" || fail "first snapshot"
"$hvcov" snapshot --image "$img" -o "$store" --tag again >"$tmp/out" || fail "second snapshot"
grep -q '^snapshot 2: .* new arcs 0 ' "$tmp/out" || fail "unchanged image: $(cat "$tmp/out")"
lines=$(grep -vc '^#' "$store/index.tsv")
[ "$lines" -eq 2 ] || fail "index has $lines lines, wanted 2"
awk -F '\t' '!/^#/ && ($3 != "000000000000b001" || $4 != "disabled" || $8 != 57) { exit 1 }' \
	"$store/index.tsv" || fail "index fields: $(cat "$store/index.tsv")"
interval=$store/boot-000000000000b001/0002-again/interval$build/constructors
for unit in $units; do
	dump_records "$interval/$unit.gcda" >"$tmp/i.txt"
	# gcov-dump prints an all-zero array as a negative count, no values.
	! grep -Eq ':[ 0-9]+: .*[1-9]' "$tmp/i.txt" ||
		fail "interval of an unchanged image has counts: $(cat "$tmp/i.txt")"
done
echo "index and interval files of an unchanged image are right"

# The same boot later: run 2 of the workload only adds to run 1's counts.
# The tagged interval (run 2 minus run 1) plus the first interval (run 1)
# must give the extraction of run 2, summed by GCC's own gcov-tool; --since
# the first snapshot gives the same files as the interval.
require GCOV_TOOL
$run "$build/producer-constructors" "$img" 2 b001 >/dev/null
"$hvcov" snapshot -q --image "$img" -o "$store" --tag more || fail "growth refused"
"$hvcov" snapshot -q --image "$img" -o "$tmp/since" \
	--since "$store/boot-000000000000b001/0001-first" || fail "--since"
"$hvcov" extract -q --image "$img" -o "$tmp/run2"
series=$store/boot-000000000000b001
"$GCOV_TOOL" merge -o "$tmp/merged" "$series/0001-first/interval$build/constructors" \
	"$series/0003-more/interval$build/constructors" >/dev/null ||
	fail "gcov-tool merge failed"
for unit in $units; do
	same_records "$tmp/run2$build/constructors/$unit.gcda" "$tmp/merged/$unit.gcda" \
		"$unit: the intervals do not add up to the total" -e '/OBJECT_SUMMARY/d'
	same_records "$series/0003-more/interval$build/constructors/$unit.gcda" \
		"$tmp/since/boot-000000000000b001/0001/gcda$build/constructors/$unit.gcda" \
		"$unit: --since differs from the interval"
done
echo "intervals add up to the total (gcov-tool merge); --since equals the interval"

# Same boot, run 1 again: counters went down.
$run "$build/producer-constructors" "$img" 1 b001 >/dev/null
expect_refusal 1 'decreased from' "$tmp/none" \
	"$hvcov" snapshot --image "$img" -o "$store"
[ "$(grep -vc '^#' "$store/index.tsv")" -eq 3 ] || fail "a refused snapshot was recorded"
[ "$(ls "$series")" = "0001-first
0002-again
0003-more" ] || fail "a refused snapshot left a directory"

# A new boot: a new series.
$run "$build/producer-constructors" "$img" 2 b002 >/dev/null
"$hvcov" snapshot -q --image "$img" -o "$store" || fail "snapshot of a new boot"
[ -d "$store/boot-000000000000b002/0004" ] || fail "no new series for boot b002"
expect_refusal 1 'not of the running boot' "$tmp/none" \
	"$hvcov" snapshot --image "$img" -o "$tmp/other" \
	--since "$store/boot-000000000000b001/0001-first"
echo "decreases refused; a new boot starts a new series"

# kcov: two runs of one build (two boots), the same IDs.
kcov_ids() {
	od -An -v -tx8 -w8 "$1" | tr -d ' '
}
for boot in c001 c002; do
	$run "$build/producer-constructors" "$tmp/k.img" 1 $boot >/dev/null
	"$hvcov" snapshot -q --output-format kcov --image "$tmp/k.img" -o "$tmp/kcov" ||
		fail "kcov snapshot"
done
k1=$tmp/kcov/boot-000000000000c001/0001/kcov
k2=$tmp/kcov/boot-000000000000c002/0002/kcov
kcov_ids "$k1" >"$tmp/k1.txt"
kcov_ids "$k2" >"$tmp/k2.txt"
count=$(head -1 "$tmp/k1.txt")
[ $((0x$count)) -eq 38 ] || fail "kcov count word is $count, the image has 38 executed arcs"
[ "$(wc -l <"$tmp/k1.txt")" -eq 39 ] || fail "kcov buffer is not count + 38 IDs"
[ "$(sed 1d "$tmp/k1.txt" | sort -u | wc -l)" -eq 38 ] || fail "kcov IDs repeat"
diff -u "$tmp/k1.txt" "$tmp/k2.txt" || fail "kcov IDs differ between two runs of one build"
"$hvcov" snapshot -q --output-format kcov --image "$tmp/k.img" -o "$tmp/kcov" || fail "kcov again"
[ "$(kcov_ids "$tmp/kcov/boot-000000000000c002/0003/kcov")" = 0000000000000000 ] ||
	fail "an unchanged image reported new counters"
[ ! -e "$tmp/kcov/boot-000000000000c002/0003/gcda" ] || fail "kcov also wrote .gcda files"
echo "kcov buffers: stable IDs, only new counters"

# --format names the header only; the output is --output-format's.
"$hvcov" snapshot -q --format hvcov --output-format kcov --image "$tmp/k.img" -o "$tmp/old" ||
	fail "--format hvcov --output-format kcov"
cmp "$tmp/old/boot-000000000000c002/0001/kcov" "$tmp/kcov/boot-000000000000c002/0002/kcov" ||
	fail "--format hvcov changed the kcov buffer"
expect_refusal 2 'invalid --format' "$tmp/none" \
	"$hvcov" snapshot --format kcov --image "$tmp/k.img" -o "$tmp/none"
expect_refusal 1 'no Jailhouse header' "$tmp/none" \
	"$hvcov" snapshot --format jailhouse --image "$tmp/k.img" -o "$tmp/none"
echo "--format selects the header only, --format jailhouse is refused here"

expect_refusal 2 'needs --interval' "$tmp/none" "$hvcov" snapshot --image "$img" -o "$tmp/x" --count 3
expect_refusal 2 'invalid --tag' "$tmp/none" "$hvcov" snapshot --image "$img" -o "$tmp/x" --tag ../up
expect_refusal 2 'invalid --format' "$tmp/none" "$hvcov" snapshot --image "$img" -o "$tmp/x" --format html
expect_refusal 2 'invalid --output-format' "$tmp/none" \
	"$hvcov" snapshot --image "$img" -o "$tmp/x" --output-format hvcov
expect_refusal 2 'required' "$tmp/none" "$hvcov" snapshot --image "$img"

# --interval: plain lines off a terminal, one status line updated in place
# (carriage returns, no newline until the end) on one.
"$hvcov" snapshot --image "$img" -o "$tmp/loop" --interval 0.05 --count 3 >"$tmp/plain" ||
	fail "--interval off a terminal"
[ "$(grep -c '^snapshot [123]: ' "$tmp/plain")" -eq 3 ] || fail "plain lines: $(cat "$tmp/plain")"
! grep -q "$(printf '\r')" "$tmp/plain" || fail "carriage returns off a terminal"
command -v script >/dev/null || fail "script (bsdutils) is missing"
script -qec "'$hvcov' snapshot --image '$img' -o '$tmp/tty' --interval 0.05 --count 3" \
	/dev/null >"$tmp/tty.out" || fail "--interval on a terminal"
[ "$(tr '\r' '\n' <"$tmp/tty.out" | grep -c '^snapshot [123]: arcs executed')" -eq 3 ] ||
	fail "status line: $(od -c "$tmp/tty.out" | head)"
[ "$(wc -l <"$tmp/tty.out")" -eq 1 ] || fail "the status line was not updated in place"
echo "--interval prints plain lines, or one status line on a terminal"
