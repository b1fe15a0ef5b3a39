#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# The stub in a real link: a freestanding program made of four --coverage
# workload units plus the stub (no libgcov, no libc, no C runtime that could
# run constructors behind the stub's back), on x86_64 natively and on arm64
# and arm under qemu-user, in constructor and -fprofile-info-section modes.
# The program checks its own descriptor against what it knows of itself
# (addresses, sizes, machine, list length, section contents, state) and
# writes its memory image; hvcov info must then list exactly the four units
# at their build paths, with the architecture's machine, pointer size and
# the state DISABLED.
. "$top_srcdir/tests/lib/test-subr.sh"

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
		"$hvcov" info --json --image "$image" >"$tmp/info.json" ||
			fail "$arch $mode: hvcov info refused the image"
		grep -o '"filename": "[^"]*"' "$tmp/info.json" | sed 's/.*: "//; s/"$//' |
			sort >"$tmp/listed"
		for unit in checksum parse run table; do
			echo "$producers/$arch/$mode/$unit.gcda"
		done >"$tmp/expected"
		diff -u "$tmp/expected" "$tmp/listed" ||
			fail "$arch $mode: the descriptor does not list exactly the units"
		case $arch in
		arm) want='"architecture": "arm",.*"pointer_size": 4,' ;;
		*) want="\"architecture\": \"$arch\",.*\"pointer_size\": 8," ;;
		esac
		tr -d '\n' <"$tmp/info.json" | grep -q "$want" ||
			fail "$arch $mode: wrong machine or pointer size"
		grep -q '"state": "disabled"' "$tmp/info.json" ||
			fail "$arch $mode: state is not disabled"
		echo "$arch $mode: self-check passed ($checks checks), hvcov info lists the 4 units, image $(wc -c <"$image") bytes"
	done
done
