#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
#
# Boots the demo hypervisor for one ARCH (argument) twice and proves:
# - it boots and both CPUs ran their whole script with the expected results
#   (serial log: a "done" line per CPU with 0 mismatches);
# - the descriptor in the RAM file reached DISABLED within the runner's
#   timeout and its fields match the ELF (machine, pointer size, link base,
#   image size, descriptor address, one registered unit per workload file);
# - the image holds a gcov_info for every workload unit, with the .gcda path
#   under the build directory;
# - every workload function's arc counters equal the hosted ground truth's
#   (the same workload and scripts under libgcov, natively or in qemu-user);
# - a second boot gives identical counters (determinism on two CPUs);
# - the workload's console lines per CPU equal the hosted driver's.
# When hvcov is built (HVCOV, $top_builddir/tools or PATH) also: `hvcov
# extract` writes .gcda files that gcov reads without a warning and whose
# counters equal the truth's.

. "$(dirname "$0")/test-subr.sh"

arch=${1:?usage: run-demo.sh ARCH}
case $arch in
arm64) qemu='qemu-system-aarch64' cross='aarch64-linux-gnu-' machine=183
	ptr=8 user='qemu-aarch64-static' ;;
arm) qemu='qemu-system-arm' cross='arm-linux-gnueabihf-' machine=40 ptr=4
	user='qemu-arm-static' ;;
x86_64) qemu='qemu-system-x86_64' cross='' machine=62 ptr=8 user='' ;;
*) fail "unknown ARCH $arch" ;;
esac
[ "$(uname -m)" = x86_64 ] || skip "the tests assume an x86_64 host"
command -v "$qemu" >/dev/null || skip "$qemu not installed"
command -v "${cross}gcc" >/dev/null || skip "${cross}gcc not installed"
[ -z "$user" ] || command -v "$user" >/dev/null || skip "$user not installed"

make -s -C "$demo_src" ARCH="$arch" O="$demo_build" all ground-truth \
	>"$tmp/make.log" 2>&1 || { cat "$tmp/make.log"; fail "build failed"; }
b=$demo_build/$arch

boot() {
	${SHELL:-/bin/sh} "$top_src/scripts/hvcov-demo" --arch "$arch" \
		--build-dir "$demo_build" --no-build --no-extract \
		--timeout 30 --run-dir "$tmp/$1" \
		>"$tmp/$1.out" 2>&1 || { cat "$tmp/$1.out"; fail "boot $1"; }
	cat "$tmp/$1.out"
	"$b/tools/hvcov-demo-probe" --counters "$tmp/$1/ram.img" \
		>"$tmp/$1.probe" || fail "probe $1"
}

boot run1
log=$tmp/run1/serial.log
grep -q '^hvcov-demo: secondary cpu up' "$log" || fail "cpu1 never came up"
for cpu in 0 1; do
	grep -q "^\[cpu0\] cpu$cpu: done, .* 0 mismatches$" "$log" ||
		fail "cpu$cpu did not finish its script cleanly"
done

p=$tmp/run1.probe
syms=$b/hv/hvcov-demo.syms
start=$(symbol "$syms" __image_start)
size=$(symbol "$syms" __image_size)
check() {
	[ "$(field "$p" "$1")" = "$2" ] ||
		fail "descriptor $1 is '$(field "$p" "$1")', expected '$2'"
}
check state 2
check machine "$machine"
check pointer_size "$ptr"
check byte_order 1
check format_version 1
check link_base "$start"
check image_size "$size"
check descriptor_address "$(symbol "$syms" hvcov_descriptor)"
check registered 4

for unit in cell console cpu hypercall; do
	grep -qx "unit=$b/hv/workload/$unit.gcda functions=[1-9][0-9]*" "$p" ||
		fail "no gcov_info for workload/$unit.c in the image"
done
[ "$(grep -c '^unit=' "$p")" = 4 ] || fail "unexpected units in the image"

for gcda in "$b"/hosted/workload/*.gcda; do
	gcda_arcs "${cross}gcov-dump" "$gcda" |
		sed "s|^|$(basename "$gcda")|"
done | sort >"$tmp/truth.arcs"
[ -s "$tmp/truth.arcs" ] || fail "no hosted ground truth"
probe_arcs "$p" >"$tmp/run1.arcs"
diff -u "$tmp/truth.arcs" "$tmp/run1.arcs" ||
	fail "image counters differ from the hosted ground truth"

boot run2
probe_arcs "$tmp/run2.probe" >"$tmp/run2.arcs"
diff -u "$tmp/run1.arcs" "$tmp/run2.arcs" || fail "two boots differ"

for cpu in 0 1; do
	grep "^\[cpu$cpu\] " "$b/hosted/hosted.log" >"$tmp/hosted.$cpu"
	grep "^\[cpu$cpu\] " "$log" >"$tmp/serial.$cpu"
	diff -u "$tmp/hosted.$cpu" "$tmp/serial.$cpu" ||
		fail "cpu$cpu console output differs from the hosted run"
done

# The lead's extractor, when built (HVCOV, the build tree, or PATH), checked
# against the same truth; gcov must read every file without a complaint.
hvcov=${HVCOV:-}
if [ -z "$hvcov" ] && [ -x "${top_builddir:-.}/tools/hvcov" ]; then
	hvcov=${top_builddir:-.}/tools/hvcov
fi
hvcov=${hvcov:-$(command -v hvcov || true)}
if [ -n "$hvcov" ] && [ -x "$hvcov" ]; then
	"$hvcov" extract --quiet --image "$tmp/run1/ram.img" -o "$tmp/gcda" ||
		fail "hvcov extract"
	: >"$tmp/extract.arcs"
	for unit in cell console cpu hypercall; do
		dir=$tmp/gcda$b/hv/workload
		[ -f "$dir/$unit.gcda" ] || fail "hvcov extract wrote no $unit.gcda"
		cp "$b/hv/workload/$unit.gcno" "$dir/" || fail "no $unit.gcno"
		(cd "$tmp" && "${cross}gcov" -o "$dir" \
			"$demo_src/workload/$unit.c" >gcov.out 2>&1) ||
			{ cat "$tmp/gcov.out"; fail "gcov $unit"; }
		! grep -qi -e warning -e mismatch -e 'cannot open' \
			"$tmp/gcov.out" ||
			{ cat "$tmp/gcov.out"; fail "gcov complains about $unit"; }
		gcda_arcs "${cross}gcov-dump" "$dir/$unit.gcda" |
			sed "s|^|$unit.gcda|" >>"$tmp/extract.arcs"
	done
	sort -o "$tmp/extract.arcs" "$tmp/extract.arcs"
	diff -u "$tmp/truth.arcs" "$tmp/extract.arcs" ||
		fail "extracted counters differ from the hosted ground truth"
	echo "hvcov extract: counters equal the ground truth"
else
	echo "hvcov not built: extraction not checked"
fi
echo "PASS: $arch"
