#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# -q and -v on every command, on the x86_64 producer's image:
# - -q prints nothing on stdout, and the command still succeeds;
# - -v adds what the default leaves out: info the bytes read and their
#   SHA-256 (equal to sha256sum's), extract the checks verify lists (one
#   line per section and object), verify the same listing as by default,
#   snapshot a full line per snapshot even on a terminal;
# - -q with -v (or --json) is a usage error, exit 2, on each command.
. "$top_srcdir/tests/lib/test-subr.sh"

arch_tools x86_64
build=$producers/x86_64
elf=$build/producer-constructors
img=$tmp/x86_64.img
$run "$elf" "$img" 3 4e57 >/dev/null

# quiet CMD ARGS...: success and an empty stdout.
quiet() {
	"$hvcov" "$@" >"$tmp/q.out" || fail "hvcov $*: failed"
	[ ! -s "$tmp/q.out" ] || fail "hvcov $*: printed '$(cat "$tmp/q.out")'"
}
quiet info -q "$img"
quiet extract -q -i "$img" -o "$tmp/q-extract"
quiet verify -q -i "$img" --elf "$elf"
quiet snapshot -q -i "$img" -o "$tmp/q-store"
echo "-q: info, extract, verify and snapshot print nothing"

"$hvcov" info -v "$img" >"$tmp/info-v" || fail "info -v"
"$hvcov" info "$img" >"$tmp/info" || fail "info"
sha=$(sha256sum "$img" | cut -d' ' -f1)
size=$(wc -c <"$img")
tail -n 1 "$tmp/info-v" | grep -qx "Bytes read:    $size, SHA-256 $sha" ||
	fail "info -v: $(tail -n 1 "$tmp/info-v")"
head -n "$(wc -l <"$tmp/info")" "$tmp/info-v" | cmp -s - "$tmp/info" ||
	fail "info -v does not open with info's table"

"$hvcov" extract -v -i "$img" --elf "$elf" -o "$tmp/v-extract" >"$tmp/extract-v" ||
	fail "extract -v"
[ "$(grep -c '^section \.\(text\|rodata\) .* matches the image$' "$tmp/extract-v")" -eq 2 ] ||
	fail "extract -v lists no sections: $(cat "$tmp/extract-v")"
[ "$(grep -c '^object  .*\.gcda" matches ' "$tmp/extract-v")" -eq 4 ] ||
	fail "extract -v lists no objects: $(cat "$tmp/extract-v")"
tail -n 1 "$tmp/extract-v" | grep -q '^hvcov: wrote 4 .gcda files' ||
	fail "extract -v: no summary last"

"$hvcov" verify -v -i "$img" --elf "$elf" >"$tmp/verify-v" || fail "verify -v"
"$hvcov" verify -i "$img" --elf "$elf" >"$tmp/verify" || fail "verify"
cmp -s "$tmp/verify-v" "$tmp/verify" || fail "verify -v differs from the default listing"
grep -q '^verified: ' "$tmp/verify-v" || fail "verify -v: $(cat "$tmp/verify-v")"

command -v script >/dev/null || fail "script (bsdutils) is missing"
script -qec "'$hvcov' snapshot -v --image '$img' -o '$tmp/tty' --interval 0.05 --count 2" \
	/dev/null >"$tmp/tty.out" || fail "snapshot -v on a terminal"
! grep -q "$(printf '\033')" "$tmp/tty.out" || fail "snapshot -v: a status line on a terminal"
[ "$(grep -c '^snapshot [12]: .* -> ' "$tmp/tty.out")" -eq 2 ] ||
	fail "snapshot -v: $(od -c "$tmp/tty.out" | head)"
echo "-v: info adds the image's SHA-256, extract the checks, snapshot full lines on a terminal"

expect_refusal 2 "hvcov: -q, -v and --json exclude each other" "$tmp/none" \
	"$hvcov" info -q -v "$img"
expect_refusal 2 "hvcov: -q, -v and --json exclude each other" "$tmp/none" \
	"$hvcov" extract -q -v -i "$img" -o "$tmp/none"
expect_refusal 2 "hvcov: -q, -v and --json exclude each other" "$tmp/none" \
	"$hvcov" verify -v --json -i "$img"
expect_refusal 2 "hvcov: -q and -v exclude each other" "$tmp/none" \
	"$hvcov" snapshot -q -v -i "$img" -o "$tmp/none"
echo "-q with -v is a usage error"
