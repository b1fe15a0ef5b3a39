#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# What the hvcov command line promises, on a producer's real image:
# - extract refuses an image whose hypervisor is still running (exit 1,
#   one line, nothing written); --allow-running extracts with a warning;
# - extract names where it wrote (-o DIR, or in place);
# - a count is decimal: --count 010 takes ten snapshots, not eight.
. "$top_srcdir/tests/lib/test-subr.sh"

arch_tools x86_64
build=$producers/x86_64
img=$tmp/disabled.img
$run "$build/producer-constructors" "$img" 1 b001 >/dev/null

# expect_refusal STATUS TEXT COMMAND...: exit STATUS, one stderr line with TEXT.
expect_refusal() {
	want=$1 text=$2
	shift 2
	set +e
	"$@" >"$tmp/out" 2>"$tmp/err"
	got=$?
	set -e
	[ "$got" -eq "$want" ] || fail "$*: exit $got, expected $want: $(cat "$tmp/err")"
	# One line; a usage error adds the conventional "Try ... --help".
	sed '1d' "$tmp/err" | grep -qv "^Try 'hvcov .*--help' for more information\.\$" &&
		fail "$*: not one line: $(cat "$tmp/err")"
	head -n 1 "$tmp/err" | grep -q -- "$text" || fail "$*: '$text' not in: $(cat "$tmp/err")"
}

# A running image: the same bytes with the descriptor's state word (offset
# 80, design in hypervisor/include/hvcov/descriptor.h) set to RUNNING.
offset=$("$hvcov" info --json -i "$img" | sed -n 's/^ *"header_offset": \([0-9]*\),$/\1/p')
[ -n "$offset" ] || fail "no header_offset in hvcov info --json"
cp "$img" "$tmp/running.img"
printf '\001\000\000\000' |
	dd of="$tmp/running.img" bs=1 seek=$((offset + 80)) conv=notrunc 2>/dev/null
"$hvcov" info -i "$tmp/running.img" | grep -q '^State: *running' || fail "patched image not running"
expect_refusal 1 'still running' "$hvcov" extract -i "$tmp/running.img" -o "$tmp/run-out"
[ ! -e "$tmp/run-out" ] || fail "a refused extract wrote $(find "$tmp/run-out")"
"$hvcov" extract --allow-running -i "$tmp/running.img" -o "$tmp/run-out" >"$tmp/out" 2>"$tmp/err" ||
	fail "--allow-running: $(cat "$tmp/err")"
grep -q 'warning: .*still running' "$tmp/err" || fail "--allow-running gave no warning"
echo "a running image is refused unless --allow-running"

"$hvcov" extract -i "$img" -o "$tmp/dest" >"$tmp/out"
grep -q "^hvcov: wrote 4 .gcda files .* below $tmp/dest\$" "$tmp/out" ||
	fail "extract -o does not name its destination: $(cat "$tmp/out")"
echo "extract names its destination"

"$hvcov" snapshot -q -i "$img" -o "$tmp/store" --interval 0.001 --count 010 ||
	fail "snapshot --count 010"
n=$(grep -vc '^#' "$tmp/store/index.tsv")
[ "$n" -eq 10 ] || fail "--count 010 took $n snapshots, not 10"
echo "--count 010 is ten"

# A single operand is the image; a second one is refused, quoted.
"$hvcov" info "$img" >"$tmp/positional" || fail "hvcov info IMAGE"
"$hvcov" info -i "$img" >"$tmp/with-i"
cmp "$tmp/positional" "$tmp/with-i" || fail "hvcov info IMAGE differs from -i IMAGE"
cp "$img" "$tmp/-dash.img"
(cd "$tmp" && "$hvcov" info -- -dash.img >/dev/null) || fail "hvcov info -- -dash.img"
expect_refusal 2 'unexpected argument "extra\\x0aline"' "$hvcov" info "$img" "extra
line"
expect_refusal 2 'unexpected argument' "$hvcov" info -i "$img" "$img"
echo "a single operand names the image"

# help CMD is CMD --help; a typo is answered with the nearest command.
"$hvcov" help extract >"$tmp/help1"
"$hvcov" extract --help >"$tmp/help2"
cmp "$tmp/help1" "$tmp/help2" || fail "help extract differs from extract --help"
"$hvcov" help | grep -q "^ snapshot " || fail "hvcov help lists no commands"
expect_refusal 2 "did you mean 'extract'" "$hvcov" extarct -i "$img"
expect_refusal 2 "did you mean 'verify'" "$hvcov" help verfy
expect_refusal 2 "did you mean 'snapshot'" "$hvcov" snap
expect_refusal 2 'unknown command "frob' "$hvcov" frob
! grep -q 'did you mean' "$tmp/err" || fail "a suggestion for 'frob'"
echo "help CMD and did-you-mean"

# -q on the commands that print on success: nothing on stdout or stderr.
"$hvcov" verify -q "$img" --elf "$build/producer-constructors" >"$tmp/q.out" 2>&1 ||
	fail "verify -q: $(cat "$tmp/q.out")"
[ ! -s "$tmp/q.out" ] || fail "verify -q printed: $(cat "$tmp/q.out")"
"$hvcov" extract -q "$img" -o "$tmp/q" >"$tmp/q.out" 2>&1 || fail "extract -q"
[ ! -s "$tmp/q.out" ] || fail "extract -q printed: $(cat "$tmp/q.out")"
echo "-q is quiet"
