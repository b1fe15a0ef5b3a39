#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# The stub compiles freestanding (-ffreestanding -nostdlib) with the make
# fragment's flags for all three architectures under a hypervisor's strict
# warning set (-Wmissing-prototypes and friends, as errors), also when the
# toolchain defaults to PIE (-fPIE before the fragment's flags, as a
# PIE-default GCC behaves), with the large code model (arm64, x86_64) and
# in ARM state (arm: -marm, as many hypervisors build; the compiler's
# default is Thumb-2), and its .text stays within 256 bytes in each build:
# it is linked into
# every hypervisor that wants coverage, so its footprint is part of the
# promise.  Built by clang (its source-based-coverage part), the same
# holds.
. "$top_srcdir/tests/lib/test-subr.sh"

limit=256
strict="-Wall -Wextra -Wmissing-prototypes -Wstrict-prototypes -Wshadow -Werror"
flags=$(printf 'print:\n\t@echo $(HVCOV_STUB_CFLAGS)\n' |
	env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL ${MAKE:-make} -s --no-print-directory -f "$top_srcdir/hypervisor/hvcov.mk" -f - print)
for arch in $ARCHES; do
	arch_tools "$arch"
	eval "cc=\$$arch_cc"
	case $arch in
	arm) variants="default -marm" ;;
	*) variants="default -mcmodel=large" ;;
	esac
	for model in $variants; do
		extra=
		[ "$model" = default ] || extra=$model
		obj=$tmp/stub-$arch$extra.o
		# shellcheck disable=SC2086 # word lists
		$cc -fPIE $extra $flags -nostdlib $strict -c \
			"$top_srcdir/hypervisor/hvcov.c" -o "$obj" ||
			fail "$arch ($model): the stub does not build"
		set -- $(size -A "$obj" | awk '$1 == ".text" { t = $2 }
			$1 == ".data" { d = $2 } $1 == ".bss" { b = $2 }
			$1 ~ /^\.rodata/ { r += $2 }
			END { print t + 0, r + 0, d + 0, b + 0 }')
		echo "$arch ($model): .text $1 bytes, .rodata $2, .data $3, .bss $4 (limit .text $limit)"
		[ "$1" -gt 0 ] || fail "$arch: no .text measured"
		[ "$1" -le "$limit" ] ||
			fail "$arch ($model): .text is $1 bytes, over $limit"
		# Only the bounds that hvcov.lds defines may come from outside.
		if nm "$obj" | grep ' U ' | grep -v ' U __hvcov_'; then
			fail "$arch: the stub needs symbols from outside (above)"
		fi
	done
done

# clang builds the stub's source-based-coverage part (no runtime, no
# constructors): the same budget, the same rule on outside symbols.
for release in 13 14 15 16 19; do
	require CLANG$release
	eval "clang=\$CLANG$release"
	clang_flags=$(printf 'print:\n\t@echo $(HVCOV_STUB_CFLAGS)\n' |
		env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL ${MAKE:-make} -s --no-print-directory -f "$top_srcdir/hypervisor/hvcov.mk" -f - print CC="$clang")
	for target in x86_64-linux-gnu aarch64-linux-gnu arm-linux-gnueabihf; do
		o=$tmp/stub-clang$release-$target.o
		$clang --target=$target -fPIE $clang_flags -nostdlib $strict -c \
			"$top_srcdir/hypervisor/hvcov.c" -o "$o" ||
			fail "clang $release $target: the stub does not build freestanding"
		text=$(size -A "$o" | awk '$1 == ".text" { t = $2 } END { print t + 0 }')
		echo "clang $release $target: .text $text bytes (limit .text $limit)"
		[ "$text" -gt 0 ] || fail "clang $release $target: no .text measured"
		[ "$text" -le "$limit" ] || fail "clang $release $target: .text is $text bytes, over $limit"
		nm "$o" | grep -q ' D hvcov_descriptor$' ||
			fail "clang $release $target: no hvcov_descriptor"
		if nm "$o" | grep ' U ' | grep -v ' U __hvcov_'; then
			fail "clang $release $target: the stub needs symbols from outside (above)"
		fi
	done
done
