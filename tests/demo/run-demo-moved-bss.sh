#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# The reference hypervisor's RAM file with its .bss moved 4 MiB further
# (as a hypervisor placing .bss physically apart would leave it), on ARCH
# (arm64 or arm; x86_64 boots a real split build: run-demo-split-bss.sh).
# Read as linked, hvcov must refuse naming the cause; with --map giving the
# placement it must extract the counters of the unmoved file, which equal
# the hosted ground truth; a .bss moved by a page or 8 bytes, zeroed or cut
# off by the window must be refused with nothing written.
. "$top_srcdir/tests/lib/test-subr.sh"
. "$top_srcdir/tests/demo/demo-subr.sh"
# This test checks each step's status itself.
set +e

arch=${1:?usage: run-demo-moved-bss.sh arm64|arm}
case $arch in
arm64) qemu=qemu-system-aarch64 cross=aarch64-linux-gnu- ram_base=0x40000000 ;;
arm) qemu=qemu-system-arm cross=arm-linux-gnueabihf- ram_base=0x40000000 ;;
*) fail "unknown ARCH $arch" ;;
esac
[ "$(uname -m)" = x86_64 ] || skip "the tests assume an x86_64 host"
command -v "$qemu" >/dev/null || skip "$qemu not installed"
command -v "${cross}gcc" >/dev/null || skip "${cross}gcc not installed"
hvcov=${HVCOV:-}
if [ -z "$hvcov" ] && [ -x "${top_builddir:-.}/tools/hvcov" ]; then
	hvcov=${top_builddir:-.}/tools/hvcov
fi
[ -n "$hvcov" ] && [ -x "$hvcov" ] || fail "no hvcov to test (build it, or set HVCOV)"

make -s -C "$demo_src" ARCH=$arch O="$demo_build" all ground-truth \
	>"$tmp/make.log" 2>&1 || { cat "$tmp/make.log"; fail "build failed"; }
b=$demo_build/$arch
elf=$b/hv/hvcov-demo.elf
${SHELL:-/bin/sh} "$top_src/scripts/hvcov-demo" --arch $arch \
	--build-dir "$demo_build" --no-build --no-extract --timeout 30 \
	--run-dir "$tmp/run" >"$tmp/run.out" 2>&1 ||
	{ cat "$tmp/run.out"; fail "boot"; }
ram=$tmp/run/ram.img

# .bss and the image, as linked; RAM file offset = address - RAM base.
set -- $(readelf -SW "$elf" | sed 's/^ *\[ *[0-9]*\]//' |
	awk '$1 == ".bss" { print "0x" $3, "0x" $5 }')
[ $# -eq 2 ] || fail "no .bss in $elf"
bss_v=$(($1)) bss_size=$(($2))
img_v=$((0x$(awk '$3 == "__image_start" { print $1 }' "$b/hv/hvcov-demo.syms")))
bss_at=$((bss_v - ram_base)) gap=$((0x400000))
# Everything before .bss stays; .bss moves by the gap.
map=$img_v:$img_v:$((bss_v - img_v)),$bss_v:$((bss_v + gap)):$bss_size

move() { # the RAM file with .bss moved by $1 bytes from where it was
	cp "$ram" "$tmp/moved.img"
	dd if=/dev/zero of="$tmp/moved.img" bs=1 seek=$bss_at count=$bss_size \
		conv=notrunc status=none
	dd if="$ram" of="$tmp/moved.img" bs=1 skip=$bss_at \
		seek=$((bss_at + $1)) count=$bss_size conv=notrunc status=none
}
refuse() { # NAME TEXT ARGS...: exit 1, TEXT in the one line, no file
	name=$1 text=$2
	shift 2
	"$hvcov" extract --quiet "$@" -o "$tmp/out-$name" 2>"$tmp/$name.err" &&
		fail "$name: extracted"
	status=$?
	[ $status -eq 1 ] || { cat "$tmp/$name.err"; fail "$name: exit $status"; }
	[ "$(wc -l <"$tmp/$name.err")" -eq 1 ] || fail "$name: not one line"
	grep -q "$text" "$tmp/$name.err" ||
		fail "$name: '$(cat "$tmp/$name.err")' does not say '$text'"
	[ -z "$(find "$tmp/out-$name" -type f 2>/dev/null)" ] ||
		fail "$name: files written"
	echo "$name: refused"
}
arcs() {
	for unit in cell console cpu hypercall; do
		f=$1$b/hv/workload/$unit.gcda
		[ -f "$f" ] || fail "no $unit.gcda in $1"
		gcda_arcs "${cross}gcov-dump" "$f" | sed "s|^|$unit.gcda|"
	done | sort
}
for gcda in "$b"/hosted/workload/*.gcda; do
	gcda_arcs "${cross}gcov-dump" "$gcda" | sed "s|^|$(basename "$gcda")|"
done | sort >"$tmp/truth.arcs"
[ -s "$tmp/truth.arcs" ] || fail "no hosted ground truth"

move $gap
refuse linear 'not laid out as linked (the physical placement differs' \
	--image "$tmp/moved.img"
"$hvcov" extract --quiet --image "$tmp/moved.img" --map "$map" \
	-o "$tmp/map" || fail "extract --map $map"
arcs "$tmp/map" >"$tmp/map.arcs"
diff -u "$tmp/truth.arcs" "$tmp/map.arcs" ||
	fail "extract --map: counters differ from the hosted ground truth"
"$hvcov" verify --image "$tmp/moved.img" --elf "$elf" >"$tmp/verify.log" 2>&1 &&
	fail "verify --elf passed although the ELF's placement is not the memory's"
"$hvcov" verify --image "$tmp/moved.img" --map "$map" --elf "$elf" \
	>"$tmp/verify.log" 2>&1 || { cat "$tmp/verify.log"; fail "verify --map --elf"; }
"$hvcov" info --image "$tmp/moved.img" --map "$map" | grep -q \
	'^Placement: *proven: .* through 2 placed pieces' || fail "info --map"
echo "$arch: .bss moved $gap bytes: refused as linked, equal to the truth with --map"

move $((gap + 4096))
refuse shift-page 'check word' --image "$tmp/moved.img" --map "$map"
move $((gap + 8))
refuse shift-8 'check word' --image "$tmp/moved.img" --map "$map"
move $gap
dd if=/dev/zero of="$tmp/moved.img" bs=1 seek=$((bss_at + gap)) \
	count=$bss_size conv=notrunc status=none
refuse zeroed 'check word' --image "$tmp/moved.img" --map "$map"
move $gap
refuse cut-window 'cuts the image' --image "$tmp/moved.img" --map "$map" \
	--size $((bss_at + gap + 64))
