#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
#
# Boots the demo hypervisor for one ARCH (argument) twice and proves:
# - scripts/hvcov-check-build counts its instrumented objects and units;
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
# - `hvcov extract` writes .gcda files that gcov reads without a warning and
#   whose counters equal the truth's;
# - scripts/hvcov-report (lcov and gcovr) renders HTML whose figures equal
#   those of the report made from the ground truth, line for line with lcov,
#   with line coverage above 0 and below 100%, and lists the data-only
#   unit (workload/config.c: a .gcno, never a .gcda) with exit 0.

. "$top_srcdir/tests/lib/test-subr.sh"
. "$top_srcdir/tests/demo/demo-subr.sh"
# This test checks each step's status itself.
set +e

arch=${1:?usage: run-demo.sh ARCH}
case $arch in
arm64) qemu='qemu-system-aarch64' cross='aarch64-linux-gnu-'
	ptr=8 user='qemu-aarch64-static' ;;
arm) qemu='qemu-system-arm' cross='arm-linux-gnueabihf-' ptr=4
	user='qemu-arm-static' ;;
x86_64) qemu='qemu-system-x86_64' cross='' ptr=8 user='' ;;
*) fail "unknown ARCH $arch" ;;
esac
[ "$(uname -m)" = x86_64 ] || skip "the tests assume an x86_64 host"
command -v "$qemu" >/dev/null || skip "$qemu not installed"
command -v "${cross}gcc" >/dev/null || skip "${cross}gcc not installed"
[ -z "$user" ] || command -v "$user" >/dev/null || skip "$user not installed"

make -s -C "$demo_src" ARCH="$arch" O="$demo_build" all ground-truth \
	>"$tmp/make.log" 2>&1 || { cat "$tmp/make.log"; fail "build failed"; }
b=$demo_build/$arch

# The check a user runs right after the build: 5 units compiled with
# coverage (config.c has data only), 4 registered by the ELF's constructors.
"$top_src/scripts/hvcov-check-build" -e "$b/hv/hvcov-demo.elf" "$b/hv" \
	>"$tmp/check-build.out" 2>&1 ||
	{ cat "$tmp/check-build.out"; fail "hvcov-check-build"; }
cat "$tmp/check-build.out"
grep -q ': 5 object(s) compiled with coverage' "$tmp/check-build.out" &&
	grep -q ': 4 constructor(s) in .hvcov_init_array' "$tmp/check-build.out" ||
	fail "hvcov-check-build does not count 5 instrumented objects and 4 units"

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
# The ELF's own e_machine (bytes 18-19; every demo target is little-endian,
# like the x86_64 host these tests run on).
check machine "$(od -An -tu2 -j18 -N2 "$b/hv/hvcov-demo.elf" | tr -d ' ')"
check pointer_size "$ptr"
check byte_order 1
check format_version 2
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

# The extractor, checked against the same truth; gcov must read every file
# without a complaint.  Under make check it is the build tree's hvcov.
hvcov=${HVCOV:-}
if [ -z "$hvcov" ] && [ -x "${top_builddir:-.}/tools/hvcov" ]; then
	hvcov=${top_builddir:-.}/tools/hvcov
fi
hvcov=${hvcov:-$(command -v hvcov || true)}
[ -n "$hvcov" ] && [ -x "$hvcov" ] || fail "no hvcov to test (build it, or set HVCOV)"
"$hvcov" extract --quiet --image "$tmp/run1/ram.img" -o "$tmp/gcda" ||
	fail "hvcov extract"
: >"$tmp/extract.arcs"
for unit in cell console cpu hypercall; do
	dir=$tmp/gcda$b/hv/workload
	[ -f "$dir/$unit.gcda" ] || fail "hvcov extract wrote no $unit.gcda"
	mkdir -p "$tmp/gcov/$unit"
	cp "$dir/$unit.gcda" "$b/hv/workload/$unit.gcno" "$tmp/gcov/$unit/" ||
		fail "no $unit.gcno"
	(cd "$tmp" && "${cross}gcov" -o "$tmp/gcov/$unit" \
		"$demo_src/workload/$unit.c" >gcov.out 2>&1) ||
		{ cat "$tmp/gcov.out"; fail "gcov $unit"; }
	! grep -qi -e warning -e mismatch -e 'cannot open' "$tmp/gcov.out" ||
		{ cat "$tmp/gcov.out"; fail "gcov complains about $unit"; }
	gcda_arcs "${cross}gcov-dump" "$dir/$unit.gcda" |
		sed "s|^|$unit.gcda|" >>"$tmp/extract.arcs"
done
sort -o "$tmp/extract.arcs" "$tmp/extract.arcs"
diff -u "$tmp/truth.arcs" "$tmp/extract.arcs" ||
	fail "extracted counters differ from the hosted ground truth"
echo "hvcov extract: counters equal the ground truth"

# The HTML report, with lcov and with gcovr.  The reference is the report
# of the hosted ground truth (real libgcov's .gcda files beside their .gcno)
# made the same way: the hypervisor's report must say the same, line for
# line, and its line coverage must be strictly between 0 and 100%.
report=${HVCOV_REPORT:-${top_builddir:-.}/scripts/hvcov-report}
[ -x "$report" ] || fail "no hvcov-report at $report (build it, or set HVCOV_REPORT)"
# report NAME BUILD GCDA [OPTION...]: the summary line, and the tracefile
# or JSON summary kept for comparison.
report() {
	name=$1 build=$2 gcda=$3
	shift 3
	"$report" --build-dir "$build" --gcda-dir "$gcda" -o "$tmp/$name" \
		--source-root "$demo_src" "$@" >"$tmp/$name.summary" \
		2>"$tmp/$name.err" ||
		{ cat "$tmp/$name.err"; fail "hvcov-report $name"; }
	[ ! -s "$tmp/$name.err" ] ||
		{ cat "$tmp/$name.err"; fail "hvcov-report $name complained"; }
	[ -s "$tmp/$name/index.html" ] || fail "$name: no index.html"
	cat "$tmp/$name.summary"
	sed 's/^[^:]*: [^:]*: //' "$tmp/$name.summary" >"$tmp/$name.totals"
}
# lines_partly_covered NAME: "lines P% (C of T)" with 0 < C < T.
lines_partly_covered() {
	set -- $(sed -n 's/^lines [^(]*(\([0-9]*\) of \([0-9]*\)).*/\1 \2/p' \
		"$tmp/$1.totals")
	[ $# -eq 2 ] || fail "$1: no line totals in '$(cat "$tmp/$1.totals")'"
	[ "$1" -gt 0 ] && [ "$1" -lt "$2" ] ||
		fail "line coverage $1 of $2: expected above 0 and below 100%"
}
for tool in lcov gcovr; do
	opt=
	[ $tool = lcov ] || opt=--gcovr
	report "$tool-hv" "$b/hv" "$tmp/gcda" $opt
	report "$tool-truth" "$b/hosted" "$b/hosted" $opt
	lines_partly_covered "$tool-hv"
	# workload/config.c has data only: a .gcno, never a .gcda.
	grep -q 'with data only, no code to run.*: workload/config\.gcno$' \
		"$tmp/$tool-hv.summary" ||
		fail "$tool: the data-only workload/config.c is not listed: $(cat "$tmp/$tool-hv.summary")"
	diff -u "$tmp/$tool-truth.totals" "$tmp/$tool-hv.totals" ||
		fail "$tool: the report's totals differ from the ground truth's"
done
# Line by line: lcov's tracefiles (the source paths are the same files).
diff -u "$tmp/lcov-truth/coverage.info" "$tmp/lcov-hv/coverage.info" ||
	fail "lcov: per-line counts differ from the ground truth's"
for file in cell console cpu hypercall; do
	grep -qx "SF:$demo_src/workload/$file.c" "$tmp/lcov-hv/coverage.info" &&
		[ -s "$tmp/lcov-hv/workload/$file.c.gcov.html" ] ||
		fail "lcov: workload/$file.c missing from the report"
done
echo "hvcov-report: lcov and gcovr reports equal the ground truth's"
echo "PASS: $arch"
