#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
#
# Build the clang workload twice and run both (x86_64, hosted): DIR/image
# (linked with the hvcov stub, no profile runtime) writes DIR/image.bin, a
# memory image of itself; DIR/truth (linked with compiler-rt's profile
# runtime) writes DIR/truth.profraw.  The coverage flags are hvcov.mk's for
# that clang.
#
# usage: build-image.sh CLANG DIR   (with top_srcdir set, as make does)
set -eu

: "${top_srcdir:?}"
cc=$1
d=$2
src=$top_srcdir/tests/llvm
stub_dir=$top_srcdir/hypervisor

make_var() {
	printf 'print:\n\t@echo $(%s)\n' "$1" |
		env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL ${MAKE:-make} -s --no-print-directory -f "$stub_dir/hvcov.mk" -f - print CC="$cc"
}

mkdir -p "$d"
cflags=$(make_var HVCOV_CFLAGS)
echo "$cflags" > "$d/cflags"
$cc $cflags -O1 -fno-pic -c "$src/workload.c" -o "$d/workload.o"
$cc $(make_var HVCOV_STUB_CFLAGS) -fno-pic -Wall -Wextra -Werror \
	-c "$stub_dir/hvcov.c" -o "$d/stub.o"
$cc -fno-pic -I"$stub_dir/include" -DHVCOV_ENABLED -c "$src/image-main.c" \
	-o "$d/image-main.o"
$cc -fno-pic -c "$src/truth-main.c" -o "$d/truth-main.o"
# No -fprofile-instr-generate on the link line: no runtime is linked.
$cc -no-pie -L"$stub_dir" -Wl,-T,"$src/insert.ld" "$d/image-main.o" \
	"$d/workload.o" "$d/stub.o" -o "$d/image"
$cc -no-pie -fprofile-instr-generate "$d/truth-main.o" "$d/workload.o" \
	-o "$d/truth"
"$d/image" "$d/image.bin" > "$d/image.out"
LLVM_PROFILE_FILE=$d/truth.profraw "$d/truth" > "$d/truth.out"
