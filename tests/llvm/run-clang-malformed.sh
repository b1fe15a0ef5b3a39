#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# Damaged clang images: each case changes a few bytes of a real clang 19
# image (descriptor tail, profile records, names) and `hvcov extract` must
# refuse it with one error line naming the problem, exit status 1 and no
# file written; `hvcov info` must refuse it too.
. "$top_srcdir/tests/lib/test-subr.sh"

require CLANG19
d=$tmp/image
"$top_srcdir/tests/llvm/build-image.sh" "$CLANG19" "$d" ||
	fail "the clang workload does not build or run"
good=$d/image.bin
"$hvcov" info -j -i "$good" > "$tmp/info.json" || fail "the good image is refused"
link_base=$(sed -n 's/^ *"link_base": "\(0x[0-9a-f]*\)",$/\1/p' "$tmp/info.json")
[ -n "$link_base" ] || fail "no link_base in hvcov info -j"
symbol() {
	v=$(nm "$d/image" | awk -v s="$1" '$3 == s { print $1 }')
	[ -n "$v" ] || fail "no symbol $1"
	echo $((0x$v))
}
desc=$(($(symbol hvcov_descriptor) - link_base))
data=$(symbol __hvcov_prf_data_start)
data_end=$(symbol __hvcov_prf_data_end)
cnts=$(symbol __hvcov_prf_cnts_start)
names=$(symbol __hvcov_prf_names_start)

# put FILE OFFSET BYTES VALUE: a little-endian integer of BYTES bytes.
put() {
	i=0 v=$4 bytes=
	while [ $i -lt "$3" ]; do
		bytes="$bytes$(printf '\\%03o' $((v & 255)))"
		v=$((v >> 8))
		i=$((i + 1))
	done
	printf "$bytes" | dd of="$1" bs=1 seek="$2" conv=notrunc status=none
}

n=0
case_() {
	name=$1 offset=$2 width=$3 value=$4 expect=$5
	n=$((n + 1))
	bad=$tmp/$name.bin
	cp "$good" "$bad"
	put "$bad" "$offset" "$width" "$value"
	rm -rf "$tmp/out" && mkdir "$tmp/out"
	status=0
	"$hvcov" extract -i "$bad" -o "$tmp/out" > "$tmp/stdout" 2> "$tmp/stderr" || status=$?
	[ "$status" -eq 1 ] || { cat "$tmp/stderr"; fail "$name: exit status $status, not 1"; }
	[ "$(wc -l < "$tmp/stderr")" -eq 1 ] || { cat "$tmp/stderr"; fail "$name: not one error line"; }
	grep -qF -- "$expect" "$tmp/stderr" || { cat "$tmp/stderr"; fail "$name: the error does not say '$expect'"; }
	[ -z "$(ls "$tmp/out")" ] || fail "$name: a file was written"
	status=0
	"$hvcov" info -i "$bad" > /dev/null 2>&1 || status=$?
	[ "$status" -eq 1 ] || fail "$name: hvcov info exit status $status, not 1"
	echo "$name: $(cat "$tmp/stderr")"
}

r=$((data - link_base)) # record 0
case_ cnts-end-before-start $((desc + 152)) 8 $((cnts - 8)) "before it starts"
case_ data-outside-image $((desc + 128)) 8 16 "is not inside the image"
case_ data-cut $((desc + 136)) 8 $((data_end - 8)) "is not an array of 64-byte records"
case_ cnts-too-short $((desc + 152)) 8 $((cnts + 8)) "are not inside __llvm_prf_cnts"
case_ counter-pointer $((r + 16)) 8 $((0x7fff0000)) "are not inside __llvm_prf_cnts"
case_ bitmap-bytes $((r + 60)) 4 $((0x10000)) "bitmap bytes"
case_ values-pointer $((r + 40)) 8 1 "value profiling"
case_ value-sites $((r + 52)) 2 1 "value sites"
case_ zero-counters $((r + 48)) 4 0 "0 counters"
case_ unknown-clang $((desc + 192)) 4 $((17 << 16 | 6)) "clang 17.0.6, whose raw profile layout this hvcov does not know"
case_ names-block-length $((names - link_base)) 2 $((0x7f7f)) "does not fit"
case_ gcov-field-set $((desc + 48)) 8 8 "with gcov fields set"
case_ descriptor-size $((desc + 12)) 4 128 "descriptor_size 128 is below 200"
echo "$n damaged clang images refused"

# An object built by a clang release with another raw profile layout (here
# the uninstrumented harness, by clang 16) is named in the ELF's .comment:
# with --elf the image is refused unless forced.
require CLANG16
$CLANG16 -fno-pic -I"$top_srcdir/hypervisor/include" -DHVCOV_ENABLED \
	-c "$top_srcdir/tests/llvm/image-main.c" -o "$tmp/main16.o"
$CLANG19 -no-pie -Wl,-T,"$d/insert.ld" "$tmp/main16.o" "$d/workload.o" \
	"$d/stub.o" -o "$tmp/mixed"
"$tmp/mixed" "$tmp/mixed.bin" > /dev/null || fail "the mixed build does not run"
rm -rf "$tmp/out" && mkdir "$tmp/out"
status=0
"$hvcov" extract -i "$tmp/mixed.bin" --elf "$tmp/mixed" -o "$tmp/out" 2> "$tmp/stderr" || status=$?
[ "$status" -eq 1 ] && grep -q "names clang 16, whose raw profile layout is not that of the stub's clang 19" "$tmp/stderr" ||
	{ cat "$tmp/stderr"; fail "a mixed-clang ELF: exit status $status"; }
[ -z "$(ls "$tmp/out")" ] || fail "a mixed-clang ELF: a file was written"
"$hvcov" extract -q --force -i "$tmp/mixed.bin" --elf "$tmp/mixed" -o "$tmp/out" 2> "$tmp/stderr" ||
	fail "a mixed-clang ELF with --force: refused"
grep -q 'warning: --force' "$tmp/stderr" || fail "a mixed-clang ELF with --force: no warning"
echo "mixed clang releases: $(head -1 "$tmp/stderr")"
