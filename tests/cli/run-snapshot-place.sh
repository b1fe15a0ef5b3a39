#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# hvcov snapshot finds the image in a RAM file without reading all of it
# (tools/live/place.h), and writes unchanged snapshots as links (issue 18):
# - the first snapshot of a RAM file scans for the descriptor and records
#   where it was (STORE/place); the next one looks there first;
# - the recorded place is checked again, never trusted: an image moved
#   within the file is found by a scan; a file replaced by another (new
#   inode) is scanned even where the old place still holds a valid image,
#   so that two images in it are refused as before; a record of another
#   image (other size) at the place, and a damaged descriptor there, are
#   not used; a damaged record is ignored and rewritten;
# - a reboot in place (another boot id at the recorded place) is used,
#   as a new series;
# - --elf finds the descriptor at hvcov_descriptor's physical address;
# - snapshots whose counters did not change since the run's previous one
#   are hard links of it, byte for byte what libgcov writes for them
#   afresh; snapshots of changing counters are written, never linked, and
#   neither is one whose predecessor lost a file.
. "$top_srcdir/tests/lib/test-subr.sh"

arch_tools x86_64
build=$producers/x86_64
$run "$build/producer-constructors" "$tmp/a.img" 1 b001 >/dev/null
$run "$build/producer-constructors" "$tmp/reboot.img" 1 b002 >/dev/null
MiB=1048576
# The descriptor's offset in the image (hvcov info prints it in hex).
doff=$(($("$hvcov" info "$tmp/a.img" | sed -n 's/^Header: .* at offset //p')))

# put FILE IMAGE MIB: the image at MIB MiB of the file.
put() {
	dd if="$2" of="$1" bs=$MiB seek="$3" conv=notrunc status=none ||
		fail "cannot place $2 in $1"
}

# how STORE [ARGS...]: snapshot -v of the RAM file, prints how it was found.
how() {
	store=$1
	shift
	"$hvcov" snapshot -v --image "$tmp/ram" -o "$store" "$@" >"$tmp/out" ||
		fail "snapshot $*: $(cat "$tmp/out")"
	sed -n 's/^hvcov: descriptor at byte \([0-9]*\) of the source (\(.*\))$/\1 \2/p' \
		"$tmp/out"
}

# expect STORE BYTE WORDS [ARGS...]
expect() {
	e_store=$1 e_byte=$2 e_words=$3
	shift 3
	got=$(how "$e_store" "$@")
	case $got in
	"$e_byte "*"$e_words"*) echo "found at byte $e_byte: ${got#* }" ;;
	*) fail "wanted the descriptor at byte $e_byte '$e_words', got '$got'" ;;
	esac
}

truncate -s $((8 * MiB)) "$tmp/ram"
put "$tmp/ram" "$tmp/a.img" 1
s=$tmp/store
expect "$s" $((MiB + doff)) "found by a scan"
[ "$(cut -f 4 "$s/place")" -eq $((MiB + doff)) ] || fail "place: $(cat "$s/place")"
expect "$s" $((MiB + doff)) "the place the store's last run recorded"

# The same snapshot as a fresh store's (found by a scan).
for unit in checksum parse run table; do
	cmp "$s/boot-000000000000b001/0001/gcda$build/constructors/$unit.gcda" \
		"$s/boot-000000000000b001/0002/gcda$build/constructors/$unit.gcda" ||
		fail "$unit: the recorded place gave other files"
done

# Moved within the same file: the recorded place holds zeros now.
dd if=/dev/zero of="$tmp/ram" bs=$MiB seek=1 count=1 conv=notrunc status=none
put "$tmp/ram" "$tmp/a.img" 3
expect "$s" $((3 * MiB + doff)) "found by a scan"
[ "$(cut -f 4 "$s/place")" -eq $((3 * MiB + doff)) ] ||
	fail "the moved image's place was not recorded: $(cat "$s/place")"

# A record of another image at this place (its size differs): the valid
# descriptor there does not describe the recorded image, so the image is
# looked for afresh.
mkdir "$tmp/store-other"
awk -F '\t' -v OFS='\t' '{ $6 += 8; print }' "$s/place" >"$tmp/store-other/place"
expect "$tmp/store-other" $((3 * MiB + doff)) "found by a scan"

# A reboot in place: the new boot id at the recorded place is used.
put "$tmp/ram" "$tmp/reboot.img" 3
expect "$s" $((3 * MiB + doff)) "the place the store's last run recorded"
[ -d "$s/boot-000000000000b002" ] || fail "the reboot in place is not a new series"

# Damaged at the recorded place (state 9): refused as a whole read refuses
# it, not used.
cp "$tmp/ram" "$tmp/good-ram"
printf '\011' | dd of="$tmp/ram" bs=1 seek=$((3 * MiB + doff + 80)) conv=notrunc \
	status=none
expect_refusal 1 "state 9 is unknown" "$tmp/none" "$hvcov" snapshot -q \
	--image "$tmp/ram" -o "$s"
cp "$tmp/good-ram" "$tmp/ram.new"
rm "$tmp/good-ram"

# Replaced (a new inode) with valid images at the recorded place and at
# another: the record is of the old file, the scan finds both and refuses.
put "$tmp/ram.new" "$tmp/reboot.img" 5
mv "$tmp/ram.new" "$tmp/ram"
expect_refusal 1 "2 valid hvcov descriptors" "$tmp/none" "$hvcov" snapshot -q \
	--image "$tmp/ram" -o "$s"
dd if=/dev/zero of="$tmp/ram" bs=$MiB seek=5 count=1 conv=notrunc status=none

# A damaged record: ignored (a scan) and rewritten.
echo "hvcov-place 1	garbage" >"$s/place"
expect "$s" $((3 * MiB + doff)) "found by a scan"
grep -q "^hvcov-place 1	[0-9]*	[0-9]*	$((3 * MiB + doff))	" "$s/place" ||
	fail "the damaged record was not rewritten: $(cat "$s/place")"

# --elf: the physical address of hvcov_descriptor, when the file is the
# physical memory from 0 (the producer links the image at 0x20000000).
nm "$build/producer-constructors" | grep -q ' hvcov_descriptor$' ||
	fail "no hvcov_descriptor in the producer"
daddr=$((0x$(nm "$build/producer-constructors" | sed -n 's/^\([0-9a-f]*\) . hvcov_descriptor$/\1/p')))
truncate -s $((daddr - doff + 2 * MiB)) "$tmp/phys"
dd if="$tmp/a.img" of="$tmp/phys" bs=4096 seek=$(((daddr - doff) / 4096)) \
	conv=notrunc status=none
mv "$tmp/phys" "$tmp/ram"
expect "$tmp/store-elf" "$daddr" "hvcov_descriptor in --elf" \
	--elf "$build/producer-constructors"

# Unchanged counters: the run's later snapshots are links of its first,
# and what libgcov writes afresh (a new store's first snapshot).
"$hvcov" snapshot -q --image "$tmp/a.img" -o "$tmp/links" --interval 0 --count 3
"$hvcov" snapshot -q --image "$tmp/a.img" -o "$tmp/fresh"
for unit in checksum parse run table; do
	f=gcda$build/constructors/$unit.gcda
	[ "$(stat -c %h "$tmp/links/boot-000000000000b001/0003/$f")" -eq 3 ] ||
		fail "$unit: the unchanged snapshot is not linked"
	cmp "$tmp/links/boot-000000000000b001/0003/$f" \
		"$tmp/fresh/boot-000000000000b001/0001/$f" ||
		fail "$unit: the linked file differs from a fresh write"
done
for f in counters "gcda$build/constructors/.hvcov-ledger"; do
	cmp "$tmp/links/boot-000000000000b001/0003/$f" \
		"$tmp/fresh/boot-000000000000b001/0001/$f" ||
		fail "the linked $f differs from a fresh write"
done

# A file of the previous snapshot removed while the run goes on: the next
# snapshot is written afresh, not linked from what is left.
"$hvcov" snapshot -q --image "$tmp/a.img" -o "$tmp/gone" --interval 1 \
	--count 2 &
pid=$!
waited=0
until grep -q '^1	' "$tmp/gone/index.tsv" 2>/dev/null; do
	waited=$((waited + 1))
	[ $waited -lt 100 ] || fail "the first snapshot did not come"
	sleep 0.02
done
rm "$tmp/gone/boot-000000000000b001/0001/gcda$build/constructors/run.gcda"
wait $pid || fail "the run whose previous snapshot lost a file failed"
for unit in checksum parse run table; do
	f=$tmp/gone/boot-000000000000b001/0002/gcda$build/constructors/$unit.gcda
	[ "$(stat -c %h "$f")" -eq 1 ] || fail "$unit: linked from a damaged snapshot"
	cmp "$f" "$tmp/fresh/boot-000000000000b001/0001/gcda$build/constructors/$unit.gcda" ||
		fail "$unit: differs from a fresh write"
done

# Changing counters (bench-tick adds to one while the run goes on): each
# snapshot written, none linked, the counts growing.
cp "$tmp/a.img" "$tmp/tick.img"
"$top_builddir/bench/bench-tick" "$tmp/tick.img" >"$tmp/tick.out" &
ticker=$!
waited=0
until [ -s "$tmp/tick.out" ]; do
	waited=$((waited + 1))
	[ $waited -lt 100 ] || { kill $ticker; fail "bench-tick did not start"; }
	sleep 0.05
done
status=0
"$hvcov" snapshot -q --image "$tmp/tick.img" -o "$tmp/ticks" --interval 0.05 \
	--count 3 || status=$?
kill $ticker
wait $ticker 2>/dev/null || :
[ $status -eq 0 ] || fail "snapshots of a changing image failed"
for k in 0001 0002 0003; do
	[ "$(find "$tmp/ticks/boot-000000000000b001/$k" -type f -links +1 | wc -l)" -eq 0 ] ||
		fail "snapshot $k of changing counters has linked files"
done
cmp -s "$tmp/ticks/boot-000000000000b001/0002/counters" \
	"$tmp/ticks/boot-000000000000b001/0003/counters" &&
	fail "the ticking counter did not change between snapshots"
echo "unchanged snapshots are links equal to a fresh write; changing ones are written"
