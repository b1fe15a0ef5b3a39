#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# Big guest memory: a hypervisor image inside a 4 GiB sparse RAM file (at
# 3 GiB + 2 MiB, beyond what a 32-bit file offset reaches) and inside a
# 4 GiB sparse ELF core.  info, extract and snapshot of the window take
# time and memory of the image's order, not the file's (peak RSS measured
# with /usr/bin/time), and write what the bare image gives.  Without a
# window the RAM file is refused at once (no read of its first GiB), and so
# is the core.  A core whose hypervisor was still running is refused like
# any running image; with --allow-running it is a copy of one moment:
# extract --core says so, and does not warn that counters may change while
# they are read (that is for live sources).
. "$top_srcdir/tests/lib/test-subr.sh"

[ -x /usr/bin/time ] || skip "/usr/bin/time is missing (run scripts/bootstrap)"
arch_tools x86_64
[ ! -e "$producers/x86_64/missing" ] || skip "$(cat "$producers/x86_64/missing")"

gib=1073741824
max_rss_kib=65536 # the old code held 1 GiB before it refused
"$producers/x86_64/producer-constructors" "$tmp/image.bin" 3 5eed >/dev/null
size=$(wc -c <"$tmp/image.bin")

# measure NAME COMMAND...: run it, its status in $status, its output in
# $tmp/NAME.out and .err; fail if its peak RSS exceeds max_rss_kib.
measure() {
	name=$1
	shift
	status=0
	/usr/bin/time -f '%e %M' -o "$tmp/$name.time" "$@" \
		>"$tmp/$name.out" 2>"$tmp/$name.err" || status=$?
	set -- $(tail -n 1 "$tmp/$name.time")
	echo "$name: exit $status, $1 s, peak RSS $2 KiB"
	[ "$2" -le $max_rss_kib ] ||
		fail "$name: peak RSS $2 KiB for a $size-byte image, over $max_rss_kib KiB"
}

"$hvcov" extract --quiet --image "$tmp/image.bin" -o "$tmp/direct" ||
	fail "extract of the bare image"
same_output() {
	(cd "$tmp/direct" && find . -name '*.gcda') | sort >"$tmp/direct.list"
	(cd "$1" && find . -name '*.gcda') | sort >"$tmp/other.list"
	[ "$(wc -l <"$tmp/direct.list")" -eq 4 ] || fail "the bare image gave $(cat "$tmp/direct.list")"
	diff -u "$tmp/direct.list" "$tmp/other.list" || fail "$2: other files"
	while read -r gcda; do
		cmp "$tmp/direct/$gcda" "$1/$gcda" || fail "$2: $gcda differs"
	done <"$tmp/direct.list"
}

# The RAM file: 4 GiB, the image at 3 GiB + 2 MiB.
ram=$tmp/ram.img
offset=$((3 * gib + 2097152))
truncate -s $((4 * gib)) "$ram"
dd if="$tmp/image.bin" of="$ram" bs=4096 seek=$((offset / 4096)) \
	conv=notrunc status=none
window="--offset $offset --size $size"
# shellcheck disable=SC2086 # $window is two options
{
	measure ram-info "$hvcov" info --image "$ram" $window
	[ $status -eq 0 ] || fail "info of the window: $(cat "$tmp/ram-info.err")"
	measure ram-extract "$hvcov" extract --quiet --image "$ram" $window -o "$tmp/ram-out"
	[ $status -eq 0 ] || fail "extract of the window: $(cat "$tmp/ram-extract.err")"
	same_output "$tmp/ram-out" "extract of the RAM file window"
	measure ram-snapshot "$hvcov" snapshot --image "$ram" $window -o "$tmp/snaps"
	[ $status -eq 0 ] || fail "snapshot of the window: $(cat "$tmp/ram-snapshot.err")"
}
measure ram-nowindow "$hvcov" info --image "$ram"
[ $status -eq 1 ] && grep -q 'give --offset and --size' "$tmp/ram-nowindow.err" ||
	fail "a 4 GiB file without a window: exit $status, $(cat "$tmp/ram-nowindow.err")"
set -- $(tail -n 1 "$tmp/ram-nowindow.time")
awk -v t="$1" 'BEGIN { exit !(t < 1) }' ||
	fail "the refusal of a 4 GiB file took $1 s: it read the file"

# make_core IMAGE CORE PADDR SEGMENT_SIZE IMAGE_PADDR: an ELF64 x86_64 core
# with one PT_LOAD of SEGMENT_SIZE bytes at physical PADDR (its data from
# file offset 4096 on, sparse), IMAGE written at physical IMAGE_PADDR.
# The machine is the x86_64 producer's own e_machine (bytes 18-19).
x86_64_machine=$(od -An -tu2 -j18 -N2 "$producers/x86_64/producer-constructors" | tr -d ' ')
make_core() {
	perl -e '
		my ($out, $paddr, $size, $machine) = @ARGV;
		my $eh = "\x7fELF" . pack("CCCC", 2, 1, 1, 0) . ("\0" x 8) .
			pack("vvVQ<Q<Q<Vvvvvvv", 4, $machine, 1, 0, 64, 0, 0, 64, 56,
			     1, 0, 0, 0);
		my $ph = pack("VVQ<Q<Q<Q<Q<Q<", 1, 7, 4096, 0, $paddr, $size,
			      $size, 0);
		open(my $f, ">", $out) or die "$out: $!\n";
		binmode $f;
		print $f $eh, $ph or die;
		close $f or die;' "$2" "$3" "$4" "$x86_64_machine" || fail "cannot write $2"
	truncate -s $((4096 + $4)) "$2"
	dd if="$1" of="$2" bs=4096 seek=$((1 + ($5 - $3) / 4096)) conv=notrunc \
		status=none
}

core=$tmp/core.elf
ram_base=$((0x40000000))
phys=$((ram_base + offset))
make_core "$tmp/image.bin" "$core" $ram_base $((4 * gib)) $phys
measure core-extract "$hvcov" extract --quiet --core "$core" --phys $phys \
	--size "$size" -o "$tmp/core-out"
[ $status -eq 0 ] || fail "extract --core of the window: $(cat "$tmp/core-extract.err")"
same_output "$tmp/core-out" "extract --core of the window"
measure core-nowindow "$hvcov" info --core "$core"
[ $status -eq 1 ] && grep -q "4294967296 bytes at physical 0x40000000): give --phys with the hypervisor's load address" "$tmp/core-nowindow.err" ||
	fail "a 4 GiB core without a window: exit $status, $(cat "$tmp/core-nowindow.err")"

# A core of a hypervisor that had not run hvcov_disable(): state 1.
cp "$tmp/image.bin" "$tmp/running.bin"
at=$("$hvcov" info --json --image "$tmp/image.bin" |
	sed -n 's/^ *"header_offset": *\([0-9]*\),$/\1/p')
[ -n "$at" ] || fail "no header_offset from info --json"
AT=$at perl -0777 -pi -e '
	substr($_, $ENV{AT}, 8) eq "HVCOVIMG" or die "no descriptor\n";
	substr($_, $ENV{AT} + 80, 4) = pack("V", 1);' "$tmp/running.bin" ||
	fail "cannot mark the image running"
make_core "$tmp/running.bin" "$tmp/running.elf" $ram_base 16777216 $((ram_base + 2097152))
status=0
"$hvcov" extract --quiet --core "$tmp/running.elf" -o "$tmp/running-none" \
	2>"$tmp/running.err" || status=$?
[ $status -eq 1 ] && grep -q 'still running' "$tmp/running.err" && [ ! -e "$tmp/running-none" ] ||
	fail "extract --core of a running image without --allow-running: exit $status: $(cat "$tmp/running.err")"
"$hvcov" extract --quiet --allow-running --core "$tmp/running.elf" -o "$tmp/running-out" \
	2>"$tmp/running.err" || fail "extract --core of a running image: $(cat "$tmp/running.err")"
echo "extract --core of a running image says: $(cat "$tmp/running.err")"
if grep -q 'may change while' "$tmp/running.err"; then
	fail "extract --core warns that a core's counters may change"
fi
grep -q 'running when the core was taken' "$tmp/running.err" ||
	fail "extract --core does not say that the core was taken while the hypervisor ran"
