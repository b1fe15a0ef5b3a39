#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# The stub in a real link: a freestanding program made of four --coverage
# workload units plus the stub (no libgcov, no libc, no C runtime that could
# run constructors behind the stub's back), on x86_64 natively and on arm64
# and arm under qemu-user, in constructor and -fprofile-info-section modes.
# The program checks its own descriptor against what it knows of itself
# (addresses, sizes, machine, list length, section contents, state) and
# writes its memory image for the extraction tests.
. "$top_srcdir/tests/test-subr.sh"

for arch in $ARCHES; do
	arch_tools "$arch"
	[ ! -e "$producers/$arch/missing" ] || skip "$arch: $(cat "$producers/$arch/missing")"
	for mode in constructors info-section; do
		image=$tmp/$arch-$mode.img
		$run "$producers/$arch/producer-$mode" "$image" 1 c0ffee >"$tmp/log" ||
			{ cat "$tmp/log"; fail "$arch $mode: the producer's self-check failed"; }
		cat "$tmp/log"
		checks=$(grep -c '^ok: ' "$tmp/log")
		[ "$checks" -ge 17 ] || fail "$arch $mode: only $checks checks ran"
		[ -s "$image" ] || fail "$arch $mode: no image written"
		echo "$arch $mode: self-check passed ($checks checks), image $(wc -c <"$image") bytes"
	done
done
