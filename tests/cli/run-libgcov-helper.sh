#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# One hvcov for two GCC releases: the image of a workload built by another
# installed release (GCC 11, or 12 when hvcov itself is built with 11) is
# written through that release's libgcov helper (scripts/libgcov-helpers)
# and equals what that release's own libgcov wrote, record for record; the
# same hvcov then extracts an image of its own release, with no rebuild.
# make check-toolchains does the same for GCC 11 to 16 on all three
# architectures.
. "$top_srcdir/tests/lib/test-subr.sh"

arch_tools x86_64
own=$(((0x$HOST_GCOV_VERSION >> 24 & 255) - 65))$(((0x$HOST_GCOV_VERSION >> 16 & 255) - 48))
other=11
[ "$own" != 11 ] || other=12
command -v gcc-$other >/dev/null || skip "gcc-$other is not installed (scripts/bootstrap installs it)"
command -v gcov-dump-$other >/dev/null || skip "gcov-dump-$other is not installed"

# The other release's producer and ground truth, and its helper.
MAKE=${MAKE:-make} $SHELL "$top_srcdir/tests/producer/build.sh" gcc-$other "$top_srcdir" "$tmp/build" >/dev/null
"$top_srcdir/scripts/libgcov-helpers" "$tmp/helpers" $other >/dev/null
HVCOV_LIBGCOV_DIR=$tmp/helpers
export HVCOV_LIBGCOV_DIR
"$hvcov" --version | grep -q "GCC $other\.[0-9] (0x[0-9a-f]*, helper)" ||
	fail "hvcov --version does not list GCC $other: $("$hvcov" --version)"

GCOV_PREFIX=$tmp/truth "$tmp/build/truth" 3 >/dev/null
"$tmp/build/producer-constructors" "$tmp/other.img" 3 5eed >/dev/null
"$hvcov" extract --image "$tmp/other.img" -o "$tmp/out" >"$tmp/extract.log" ||
	fail "GCC $other image: $(cat "$tmp/extract.log")"
for unit in checksum parse table run; do
	dump=gcov-dump-$other
	"$dump" -l "$tmp/truth$tmp/build/constructors/$unit.gcda" | sed 's/^[^:]*://' >"$tmp/truth.txt"
	"$dump" -l "$tmp/out$tmp/build/constructors/$unit.gcda" | sed 's/^[^:]*://' >"$tmp/extracted.txt"
	grep -q 'COUNTERS arcs' "$tmp/truth.txt" || fail "the GCC $other truth for $unit has no counters"
	diff -u "$tmp/truth.txt" "$tmp/extracted.txt" ||
		fail "GCC $other: $unit.gcda differs from GCC $other's libgcov"
done
echo "GCC $other image through its helper: 4 objects equal GCC $other's libgcov"

# The same hvcov, its own release, right after.
$run "$producers/x86_64/producer-constructors" "$tmp/own.img" 3 5eed >/dev/null
"$hvcov" extract --image "$tmp/own.img" -o "$tmp/own" -q ||
	fail "the image of hvcov's own release failed after the helper's"
[ "$(find "$tmp/own" -name '*.gcda' | wc -l)" -eq 4 ] || fail "own release: not 4 files"
echo "GCC $own image through the linked libgcov right after: 4 files"
