#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
#
# Build the clang workload twice and run both (hosted): DIR/image (linked
# with the hvcov stub, no profile runtime) writes DIR/image.bin, a memory
# image of itself; DIR/truth (linked with compiler-rt's profile runtime)
# writes DIR/truth.profraw.  The coverage flags are hvcov.mk's for that
# clang.  For arm64 and arm only the image is built (statically, run by
# RUNNER, qemu-user): Debian's compiler-rt profile runtime is x86_64 only,
# and the counters of the same source and run do not depend on the target.
#
# usage: build-image.sh CLANG DIR [x86_64 | arm64 RUNNER | arm RUNNER]
#   (with top_srcdir set, as make does)
set -eu

: "${top_srcdir:?}"
cc=$1
d=$2
arch=${3:-x86_64}
run=${4:-}
case $arch in
x86_64) link=-no-pie ;;
arm64) cc="$cc --target=aarch64-linux-gnu" link=-static ;;
arm) cc="$cc --target=arm-linux-gnueabihf" link=-static ;;
*) echo "build-image.sh: unknown architecture $arch" >&2; exit 2 ;;
esac
src=$top_srcdir/tests/llvm
stub_dir=$top_srcdir/hypervisor

make_var() {
	printf 'print:\n\t@echo $(%s)\n' "$1" |
		env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL ${MAKE:-make} -s --no-print-directory -f "$stub_dir/hvcov.mk" -f - print CC="$cc"
}

mkdir -p "$d"
# The harness takes hvcov.lds's profile-section statements into the default
# linker script (INSERT), as a hypervisor's script INCLUDEs the fragment.
# Not the constructor part: under INSERT it would take the C library's
# .init_array from the default script.
{
	echo 'SECTIONS {'
	sed -n '/^__llvm_prf_data :/,$p' "$stub_dir/hvcov.lds"
	echo '} INSERT AFTER .data;'
} > "$d/insert.ld"
grep -q __hvcov_prf_names_end "$d/insert.ld" ||
	{ echo "build-image.sh: no profile sections in hvcov.lds" >&2; exit 1; }
cflags=$(make_var HVCOV_CFLAGS)
echo "$cflags" > "$d/cflags"
$cc $cflags -O1 -fno-pic -c "$src/workload.c" -o "$d/workload.o"
$cc $(make_var HVCOV_STUB_CFLAGS) -fno-pic -Wall -Wextra -Werror \
	-c "$stub_dir/hvcov.c" -o "$d/stub.o"
$cc -fno-pic -I"$stub_dir/include" -DHVCOV_ENABLED -c "$src/image-main.c" \
	-o "$d/image-main.o"
[ "$arch" != x86_64 ] || $cc -fno-pic -c "$src/truth-main.c" -o "$d/truth-main.o"
# No -fprofile-instr-generate on the link line: no runtime is linked.
$cc $link -Wl,-T,"$d/insert.ld" "$d/image-main.o" \
	"$d/workload.o" "$d/stub.o" -o "$d/image"
$run "$d/image" "$d/image.bin" > "$d/image.out"
[ "$arch" = x86_64 ] || exit 0
$cc -no-pie -fprofile-instr-generate "$d/truth-main.o" "$d/workload.o" \
	-o "$d/truth"
LLVM_PROFILE_FILE=$d/truth.profraw "$d/truth" > "$d/truth.out"
