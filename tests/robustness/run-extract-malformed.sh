#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# The malformed-image matrix through the command line: for every case,
# `hvcov extract` prints one line saying what is wrong, exits 1 and writes
# nothing, within 10 s of CPU time and 256 MiB of address space.  Then the
# output tree itself as an attacker's tool: a symlink on the way to an
# output file is refused the same way.  `hvcov info` shows hostile names
# quoted.  The undamaged image extracts under the same limits.
. "$top_srcdir/tests/lib/test-subr.sh"

mkdir "$tmp/images"
"$top_builddir/tests/robustness/malformed-images" "$HOST_GCOV_VERSION" "$tmp/images" >"$tmp/cases"

# Limits in a subshell, so that they bind hvcov only.  The address-space
# limit is left out where a sanitizer's shadow memory needs terabytes of it.
limited() {
	(
		ulimit -t 10
		[ -n "${HVCOV_SANITIZED:-}" ] || ulimit -v 262144
		exec "$@"
	)
}

n=0
while read -r name expect; do
	out=$tmp/out-$name
	expect_refusal 1 "$expect" "$out" limited "$hvcov" extract \
		--image "$tmp/images/$name.img" -o "$out"
	[ ! -e "$out" ] || [ -z "$(ls -A "$out")" ] || fail "$name: created $(ls -A "$out")"
	n=$((n + 1))
done <"$tmp/cases"
[ "$n" -ge 30 ] || fail "only $n cases"

# A symlink inside the output tree, where an image's path leads.
mkdir -p "$tmp/out-link" "$tmp/elsewhere"
ln -s "$tmp/elsewhere" "$tmp/out-link/build"
expect_refusal 1 "symlink" "$tmp/elsewhere" limited "$hvcov" extract \
	--image "$tmp/images/good.img" -o "$tmp/out-link"
n=$((n + 1))

# Names from the image reach the terminal only quoted: `hvcov info` on an
# image whose names hold escape sequences, a newline or non-UTF-8 bytes
# prints no control character and exactly one row per object.
for name in path-escape-sequence path-control-character path-not-utf8; do
	limited "$hvcov" info --image "$tmp/images/$name.img" >"$tmp/info" ||
		fail "$name: hvcov info failed"
	! LC_ALL=C tr -d '\n' <"$tmp/info" | LC_ALL=C grep -q '[[:cntrl:]]' ||
		fail "$name: a control character reached the output"
	rows=$(sed -n '/^ *functions /,/ total /p' "$tmp/info" | wc -l)
	[ "$rows" -eq 4 ] || { cat "$tmp/info"; fail "$name: $rows table lines, not 4"; }
done

limited "$hvcov" extract -q --image "$tmp/images/good.img" -o "$tmp/out-good"
[ "$(find "$tmp/out-good" -name '*.gcda' | wc -l)" -eq 2 ] ||
	fail "the good image did not give 2 files"
echo "$n malformed cases refused; the good image extracts"
