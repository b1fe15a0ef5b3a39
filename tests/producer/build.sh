#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
#
# Build, for one architecture, the image producers (workload with coverage +
# hvcov stub, freestanding, static, at a fixed address) in both stub modes,
# and the ground-truth program (the constructor-mode workload objects linked
# with the real libgcov).  The stub is compiled with the flags of
# hypervisor/hvcov.mk, as a hypervisor's build would.
#
# usage: build.sh CC SRCDIR OUTDIR
# An empty CC writes OUTDIR/missing instead (the tests then skip or fail).
# PRODUCER_CFLAGS (environment): more coverage options for the workload
# units, e.g. -fcondition-coverage (GCC 14+) or -fpath-coverage (GCC 15+).
set -eu

cc=$1
srcdir=$(cd "$2" && pwd)
out=$3

rm -rf "$out"
mkdir -p "$out"
if [ -z "$cc" ]; then
	echo "no compiler for this architecture was found by configure" >"$out/missing"
	exit 0
fi
out=$(cd "$out" && pwd)

# What the make fragment says, so that a mistake in it breaks this build.
# CC: the fragment asks the compiler which flags it has.
fragment_var() {
	printf 'print:\n\t@echo $(%s)\n' "$1" |
		env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL ${MAKE:-make} -s --no-print-directory -f "$srcdir/hypervisor/hvcov.mk" \
			-f - print HVCOV_MODE="$2" CC="$cc"
}

units="checksum parse table run"
common="-std=c11 -O2 -Wall -Wextra -Werror -fno-pic"
freestanding="-ffreestanding -fno-stack-protector -fno-asynchronous-unwind-tables -fno-unwind-tables"

for mode in constructors info-section; do
	dir=$out/$mode
	mkdir -p "$dir"
	coverage="$(fragment_var HVCOV_CFLAGS "$mode") ${PRODUCER_CFLAGS:-}"
	stub_flags=$(fragment_var HVCOV_STUB_CFLAGS "$mode")
	defines="-DPRODUCER_UNITS=4"
	[ "$mode" = info-section ] && defines="$defines -DPRODUCER_MODE_SECTION"
	# Compile inside $dir: each unit's .gcda path is its object's path.
	for unit in $units; do
		(cd "$dir" && $cc $common $freestanding $coverage \
			-I"$srcdir/tests/workload" -I"$srcdir/tests/producer" \
			-c "$srcdir/tests/workload/$unit.c" -o "$unit.o")
	done
	$cc $common $stub_flags -c "$srcdir/hypervisor/hvcov.c" -o "$dir/hvcov.o"
	for part in producer start; do
		$cc $common $freestanding -I"$srcdir/tests/workload" \
			-I"$srcdir/tests/producer" -I"$srcdir/hypervisor/include" \
			-DHVCOV_ENABLED $defines \
			-c "$srcdir/tests/producer/$part.c" -o "$dir/$part.o"
	done
	# The object list as positional parameters: the paths may hold blanks
	# (hvcov-qualify builds wherever its user says).
	set --
	for unit in $units; do set -- "$@" "$dir/$unit.o"; done
	$cc -static -nostdlib -no-pie -Wl,--build-id=none -Wl,-z,max-page-size=4096 \
		-L"$srcdir/hypervisor" -T "$srcdir/tests/producer/producer.ld" \
		-o "$out/producer-$mode" "$dir/start.o" "$dir/producer.o" \
		"$dir/hvcov.o" "$@" -lgcc
done

# The truth reuses the constructor-mode objects: same stamps, same paths.
$cc -std=c11 -O2 -Wall -Wextra -Werror -I"$srcdir/tests/workload" \
	-c "$srcdir/tests/producer/truth-main.c" -o "$out/truth-main.o"
set --
for unit in $units; do set -- "$@" "$out/constructors/$unit.o"; done
$cc -static -no-pie --coverage -o "$out/truth" "$out/truth-main.o" "$@"
