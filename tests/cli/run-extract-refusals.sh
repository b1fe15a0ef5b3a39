#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# Refusals through the command line, on a real image: each bad input gives
# exactly one line naming the problem, the documented exit status (1 bad
# data, 2 usage or system) and no file written anywhere.  The layout-level
# matrix of malformed structures lives in the Check suites.
. "$top_srcdir/tests/lib/test-subr.sh"

arch_tools x86_64
build=$producers/x86_64
good=$tmp/good.img
out=$tmp/out
$run "$build/producer-constructors" "$good" 2 1 >/dev/null

# Another GCC's image: the version word of every gcov_info (and of the
# descriptor) changed to that of a real other release with the same
# layout, so that the image still decodes and the refusal is about the
# release (one with another layout would be refused as damage instead).
word=$((0x$HOST_GCOV_VERSION))
c1=$(((word >> 24) & 255)) c2=$(((word >> 16) & 255)) c3=$(((word >> 8) & 255))
[ $c1 -ge 65 ] || fail "host GCC version word 0x$HOST_GCOV_VERSION is older than GCC 7"
major=$(((c1 - 65) * 10 + c2 - 48)) minor=$((c3 - 48))
# Releases that share a layout row of tools/gcov/gcc-layout.c: 10-11, 12-13,
# 14 alone (another 14.x), 15-16.
case $major in
10) other=11.4 ;;
11) other=10.5 ;;
12) other=13.3 ;;
13) other=12.2 ;;
14) if [ $minor -eq 1 ]; then other=14.2; else other=14.1; fi ;;
15) other=16.1 ;;
16) other=15.2 ;;
*) fail "no release is known to share GCC $major.$minor's layout: extend this list" ;;
esac
omajor=${other%.*} ominor=${other#*.}
other_word=$(((65 + omajor / 10) << 24 | (48 + omajor % 10) << 16 | (48 + ominor) << 8 | 42))
cp "$good" "$tmp/version.img"
FROM=$word TO=$other_word perl -0777 -pi -e '
	s/\Q@{[pack "V", $ENV{FROM}]}\E/pack "V", $ENV{TO}/ge or die "no match\n";' \
	"$tmp/version.img" || fail "cannot patch the version words"
# No libgcov helper of that release (even if one is installed): the
# refusal says what to install.
mkdir "$tmp/no-helpers"
HVCOV_LIBGCOV_DIR=$tmp/no-helpers
export HVCOV_LIBGCOV_DIR
expect_refusal 1 "version" "$out" "$hvcov" extract --image "$tmp/version.img" -o "$out"
grep -q "make libgcov-helpers GCC=$omajor" "$tmp/refusal.err" ||
	fail "the refusal does not say how to get GCC $omajor's libgcov helper"
# Both versions are named, as GCC versions.
grep -q "$major\.$minor" "$tmp/refusal.err" || fail "the host version $major.$minor is not named"
grep -q "$omajor\.$ominor" "$tmp/refusal.err" ||
	fail "the image version $omajor.$ominor is not named"

# The image claims more bytes than the file holds.
size=$(wc -c <"$good")
head -c $((size - 64)) "$good" >"$tmp/short.img"
expect_refusal 1 "" "$out" "$hvcov" extract --image "$tmp/short.img" -o "$out"

# Nothing to read, nothing to find.
: >"$tmp/empty.img"
expect_refusal 1 "" "$out" "$hvcov" extract --image "$tmp/empty.img" -o "$out"
head -c 65536 /dev/zero >"$tmp/zeros.img"
expect_refusal 1 "" "$out" "$hvcov" info --image "$tmp/zeros.img"

# Paths the image must not choose: not .gcda, relative, with "..".
cp "$good" "$tmp/suffix.img"
patch_bytes "$tmp/suffix.img" "/parse.gcda" "/parse.gcdx"
expect_refusal 1 "gcda" "$out" "$hvcov" extract --image "$tmp/suffix.img" -o "$out"
cp "$good" "$tmp/dotdot.img"
patch_bytes "$tmp/dotdot.img" "/x86_64/constructors/table.gcda" "/x86_64/../structors/table.gcda"
expect_refusal 1 '\.\.' "$out" "$hvcov" extract --image "$tmp/dotdot.img" -o "$out"
cp "$good" "$tmp/relative.img"
patch_bytes "$tmp/relative.img" "$build/constructors/run.gcda" "x${build#/}/constructors/run.gcda"
expect_refusal 1 "" "$out" "$hvcov" extract --image "$tmp/relative.img" -o "$out"

# A file over the 1 GiB cap is refused from its size, before reading: a
# sparse 2 GiB file, with 2 s of CPU and 64 MiB of address space (left out
# under a sanitizer, and for an hvcov given as $HVCOV, which may run under
# qemu-user: its JIT alone needs more).
truncate -s 2G "$tmp/huge.img" || fail "cannot make a sparse file"
expect_refusal 1 "more than" "$out" sh -c \
	'ulimit -t 2; [ -n "${HVCOV_SANITIZED:-}${HVCOV:-}" ] || ulimit -v 65536; exec "$@"' \
	sh "$hvcov" info --image "$tmp/huge.img"
rm -f "$tmp/huge.img"

# System and usage errors: status 2.
expect_refusal 2 "$tmp/missing.img" "$out" "$hvcov" extract --image "$tmp/missing.img" -o "$out"
expect_refusal 2 "" "$out" "$hvcov" extract --image "$good" --strip -1
expect_refusal 2 "" "$out" "$hvcov" info --phys 0x1000
expect_refusal 2 "unknown command" "$out" "$hvcov" frobnicate

# The good image still extracts: the refusals above were about the patches.
"$hvcov" extract --image "$good" -o "$out" -q
[ "$(find "$out" -name '*.gcda' | wc -l)" -eq 4 ] || fail "the good image did not give 4 files"
"$hvcov" --help | grep -q '^Usage:' || fail "--help"
"$hvcov" --version | grep -q "^hvcov " || fail "--version"
echo "all refusals behaved"
