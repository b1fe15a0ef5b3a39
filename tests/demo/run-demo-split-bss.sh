#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# The reference hypervisor with .bss placed physically apart from its link
# layout (HV_SPLIT_BSS=y, x86_64): read linearly, the counters would come
# from the wrong place, so hvcov must refuse naming the cause; with --elf
# (program headers) or --map it must extract counters equal to the hosted
# ground truth.  Then a trap: every way of shifting, zeroing, cutting or
# mixing the counter section must be refused, with nothing written.
. "$top_srcdir/tests/lib/test-subr.sh"
. "$top_srcdir/tests/demo/demo-subr.sh"
# This test checks each step's status itself.
set +e

arch=x86_64
[ "$(uname -m)" = x86_64 ] || skip "the tests assume an x86_64 host"
command -v qemu-system-x86_64 >/dev/null || skip "qemu-system-x86_64 not installed"
hvcov=${HVCOV:-}
if [ -z "$hvcov" ] && [ -x "${top_builddir:-.}/tools/hvcov" ]; then
	hvcov=${top_builddir:-.}/tools/hvcov
fi
[ -n "$hvcov" ] && [ -x "$hvcov" ] || fail "no hvcov to test (build it, or set HVCOV)"

make -s -C "$demo_src" ARCH=$arch O="$demo_build" HV_SPLIT_BSS=y all \
	ground-truth >"$tmp/make.log" 2>&1 ||
	{ cat "$tmp/make.log"; fail "build failed"; }
b=$demo_build/$arch
elf=$b/hv/hvcov-demo.elf

boot() {
	${SHELL:-/bin/sh} "$top_src/scripts/hvcov-demo" --arch $arch \
		--build-dir "$demo_build" --no-build --no-extract \
		--timeout 30 --run-dir "$tmp/$1" \
		>"$tmp/$1.out" 2>&1 || { cat "$tmp/$1.out"; fail "boot $1"; }
}
boot run1
ram=$tmp/run1/ram.img

# The .bss segment: link address, physical address (= RAM file offset on a
# PC, whose RAM starts at 0) and size, from the program headers.
set -- $(readelf -lW "$elf" | awk '$1 == "LOAD" && $5 == "0x000000" &&
	$3 ~ /^0xfffffffff/ { print $3, $4, $6 }')
[ $# -eq 3 ] || fail "no separate .bss segment in $elf"
bss_v=$1 bss_p=$(($2)) bss_size=$(($3))
set -- $(readelf -lW "$elf" | awk '$1 == "LOAD" && $3 == "0xfffffffff0000000" { print $3, $4, $6 }')
img_v=$1 img_p=$2 img_size=$3
# Linearly .bss would follow the data within the image's first 2 MiB.
[ $((bss_p - img_p)) -ge $((0x400000)) ] ||
	fail ".bss is not placed apart: $bss_v at $bss_p"

# refuse NAME TEXT ARGS...: exit 1, TEXT in the one-line message, no file.
refuse() {
	name=$1 text=$2
	shift 2
	"$hvcov" extract --quiet "$@" -o "$tmp/out-$name" 2>"$tmp/$name.err" &&
		fail "$name: extracted"
	status=$?
	[ $status -eq 1 ] || { cat "$tmp/$name.err"; fail "$name: exit $status, wanted 1"; }
	[ "$(wc -l <"$tmp/$name.err")" -eq 1 ] ||
		{ cat "$tmp/$name.err"; fail "$name: not one line"; }
	grep -q "$text" "$tmp/$name.err" ||
		fail "$name: '$(cat "$tmp/$name.err")' does not say '$text'"
	[ -z "$(find "$tmp/out-$name" -type f 2>/dev/null)" ] ||
		fail "$name: files written"
	echo "$name: refused: $(cat "$tmp/$name.err")"
}

refuse linear 'not laid out as linked (the physical placement differs' \
	--image "$ram"
grep -q -- '--elf, a paging core' "$tmp/linear.err" || fail "no way out named"
"$hvcov" verify --image "$ram" >/dev/null 2>&1 && fail "verify passed the linear read"

truth() {
	for gcda in "$b"/hosted/workload/*.gcda; do
		gcda_arcs gcov-dump "$gcda" | sed "s|^|$(basename "$gcda")|"
	done | sort
}
arcs() {
	for unit in cell console cpu hypercall; do
		f=$1$b/hv/workload/$unit.gcda
		[ -f "$f" ] || fail "no $unit.gcda in $1"
		gcda_arcs gcov-dump "$f" | sed "s|^|$unit.gcda|"
	done | sort
}
truth >"$tmp/truth.arcs"
[ -s "$tmp/truth.arcs" ] || fail "no hosted ground truth"

"$hvcov" extract --quiet --image "$ram" --elf "$elf" -o "$tmp/elf" ||
	fail "extract --elf"
arcs "$tmp/elf" >"$tmp/elf.arcs"
diff -u "$tmp/truth.arcs" "$tmp/elf.arcs" ||
	fail "extract --elf: counters differ from the hosted ground truth"
echo "extract --elf: counters equal the hosted ground truth"
"$hvcov" verify --image "$ram" --elf "$elf" >"$tmp/verify.log" ||
	{ cat "$tmp/verify.log"; fail "verify --elf"; }
grep -q '^placement: proven: .* through 2 placed pieces' "$tmp/verify.log" ||
	fail "verify does not report the placement: $(cat "$tmp/verify.log")"

map=$img_v:$img_p:$img_size,$bss_v:$bss_p:$bss_size
"$hvcov" extract --quiet --image "$ram" --map "$map" -o "$tmp/map" ||
	fail "extract --map $map"
arcs "$tmp/map" >"$tmp/map.arcs"
diff -u "$tmp/truth.arcs" "$tmp/map.arcs" || fail "extract --map differs"
echo "extract --map $map: counters equal the hosted ground truth"

# A QEMU core with paging (dump-guest-memory -p): its segments carry the
# virtual addresses, so it needs no other layout; one without paging holds
# physical memory only and is refused like the RAM file.
mkdir "$tmp/dump"
mkfifo "$tmp/dump/monitor"
qemu-system-x86_64 -M pc -accel tcg -smp 2 -m 64M -no-reboot -nodefaults \
	-display none -serial "file:$tmp/dump/serial.log" -monitor stdio \
	-object "memory-backend-file,id=ram,size=64M,mem-path=$tmp/dump/ram.img,share=on" \
	-machine memory-backend=ram -kernel "$elf" \
	<"$tmp/dump/monitor" >"$tmp/dump/monitor.log" 2>"$tmp/dump/qemu.log" &
qemu_pid=$!
exec 3>"$tmp/dump/monitor"
tries=0
until [ "$("$hvcov" info --json --image "$tmp/dump/ram.img" --elf "$elf" 2>/dev/null |
	sed -n 's/^ *"state": *"\([a-z]*\)".*/\1/p')" = disabled ]; do
	tries=$((tries + 1))
	if [ $tries -gt 600 ] || ! kill -0 $qemu_pid 2>/dev/null; then
		kill $qemu_pid 2>/dev/null
		cat "$tmp/dump/serial.log" "$tmp/dump/qemu.log" >&2
		fail "the demo never reached DISABLED for the dump"
	fi
	sleep 0.1
done
# HMP dump-guest-memory without -d is synchronous: quit follows it.
echo "dump-guest-memory -p $tmp/dump/paging.elf" >&3
echo "dump-guest-memory $tmp/dump/plain.elf" >&3
echo quit >&3
exec 3>&-
wait $qemu_pid || true
[ -s "$tmp/dump/paging.elf" ] && [ -s "$tmp/dump/plain.elf" ] ||
	{ cat "$tmp/dump/monitor.log" "$tmp/dump/qemu.log"; fail "no cores"; }
"$hvcov" extract --quiet --core "$tmp/dump/paging.elf" -o "$tmp/core" ||
	fail "extract --core of the paging core"
arcs "$tmp/core" >"$tmp/core.arcs"
diff -u "$tmp/truth.arcs" "$tmp/core.arcs" ||
	fail "extract --core (paging): counters differ from the hosted ground truth"
echo "extract --core (dump-guest-memory -p): counters equal the hosted ground truth"
refuse plain-core 'not laid out as linked' --core "$tmp/dump/plain.elf"

# The trap.  Each variant damages what the placement says is .bss.
cp "$ram" "$tmp/bad.img"
poke() { # OFFSET COUNT SOURCE-OFFSET: copy COUNT bytes of ram.img
	dd if="$ram" of="$tmp/bad.img" bs=1 skip="$3" seek="$1" count="$2" \
		conv=notrunc status=none
}
fresh() { cp "$ram" "$tmp/bad.img"; }
# .bss found a page later, and 8 bytes later, than where it is.
fresh; dd if=/dev/zero of="$tmp/bad.img" bs=4096 seek=$((bss_p / 4096)) count=1 conv=notrunc status=none
poke $((bss_p + 4096)) "$bss_size" "$bss_p"
refuse shift-page 'check word' --image "$tmp/bad.img" --elf "$elf"
refuse map-page 'check word' --image "$ram" \
	--map "$img_v:$img_p:$img_size,$bss_v:$((bss_p + 4096)):$bss_size"
refuse map-8 'check word' --image "$ram" \
	--map "$img_v:$img_p:$img_size,$bss_v:$((bss_p + 8)):$bss_size"
fresh; poke $((bss_p + 8)) "$bss_size" "$bss_p"
refuse shift-8 'check word' --image "$tmp/bad.img" --elf "$elf"
# .bss zeroed (a RAM file of a machine that never ran this image).
fresh; dd if=/dev/zero of="$tmp/bad.img" bs=1 seek="$bss_p" count="$bss_size" conv=notrunc status=none
refuse zeroed 'check word' --image "$tmp/bad.img" --elf "$elf"
# .bss from another boot of the same build (a stale or torn read).
boot run2
fresh; dd if="$tmp/run2/ram.img" of="$tmp/bad.img" bs=1 skip="$bss_p" seek="$bss_p" count="$bss_size" conv=notrunc status=none
refuse stale-boot 'not all from this boot' --image "$tmp/bad.img" --elf "$elf"
# An image of another build (the linear layout) read with this ELF.
make -s -C "$demo_src" ARCH=$arch O="$tmp/plain" hv >"$tmp/make.log" 2>&1 ||
	{ cat "$tmp/make.log"; fail "plain build failed"; }
refuse other-build 'check word\|does not match\|section' \
	--image "$ram" --elf "$tmp/plain/$arch/hv/hvcov-demo.elf"
# The image's .gcda beside another build's .gcno (the build tree rebuilt
# since the image was taken): gcov would ignore the file, so extract
# refuses even without --elf.
mkdir -p "$tmp/out-stale-gcno$b/hv/workload"
cp "$tmp/plain/$arch/hv/workload/cell.gcno" "$tmp/out-stale-gcno$b/hv/workload/"
cmp -s "$tmp/plain/$arch/hv/workload/cell.gcno" "$b/hv/workload/cell.gcno" &&
	fail "the two builds' cell.gcno are the same"
"$hvcov" extract --quiet --image "$ram" --map "$map" \
	-o "$tmp/out-stale-gcno" 2>"$tmp/stale-gcno.err" &&
	fail "stale-gcno: extracted beside another build's .gcno"
grep -q 'do not match the .gcno\|does not match the .gcno' "$tmp/stale-gcno.err" ||
	fail "stale-gcno: $(cat "$tmp/stale-gcno.err")"
[ "$(find "$tmp/out-stale-gcno" -name '*.gcda' | wc -l)" -eq 0 ] ||
	fail "stale-gcno: files written"
echo "stale-gcno: refused: $(cat "$tmp/stale-gcno.err")"
# A window that ends inside .bss, or before it.
refuse cut-window 'not in the data read\|cuts the image' \
	--image "$ram" --size $((bss_p + 64)) --elf "$elf"
refuse cut-before 'not in the data read\|cuts the image' \
	--image "$ram" --size $((bss_p - 4096)) --elf "$elf"
echo "trap: every damaged counter section refused, nothing written"
