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
# descriptor) one major version up, e.g. B22* -> B32*.
word=$((0x$HOST_GCOV_VERSION))
other=$((word + 0x10000))
cp "$good" "$tmp/version.img"
FROM=$word TO=$other perl -0777 -pi -e '
	s/\Q@{[pack "V", $ENV{FROM}]}\E/pack "V", $ENV{TO}/ge or die "no match\n";' \
	"$tmp/version.img" || fail "cannot patch the version words"
expect_refusal 1 "version" "$out" "$hvcov" extract --image "$tmp/version.img" -o "$out"
# Both versions are named, as GCC versions.
c1=$(((word >> 24) & 255)) c2=$(((word >> 16) & 255)) c3=$(((word >> 8) & 255))
if [ $c1 -ge 65 ]; then
	major=$(((c1 - 65) * 10 + c2 - 48)) minor=$((c3 - 48))
else
	major=$((c1 - 48)) minor=$(((c2 - 48) * 10 + c3 - 48))
fi
grep -q "$major\.$minor" "$tmp/refusal.err" || fail "the host version $major.$minor is not named"
grep -q "$((major + 1))\.$minor" "$tmp/refusal.err" ||
	fail "the image version $((major + 1)).$minor is not named"

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
