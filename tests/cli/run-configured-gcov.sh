#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# The gcov, gcov-dump and gcov-tool configure found, and the cross
# compilers and their gcov tools, are all of the GCC release whose libgcov
# hvcov links (GCOV_CC): a tool of another release misreads or refuses
# this release's .gcno and .gcda files.  Debian installs several releases
# side by side, and the unversioned names belong to the default one.
. "$top_srcdir/tests/lib/test-subr.sh"

tools="GCOV_CXX GCOV GCOV_DUMP GCOV_TOOL AARCH64_CC ARM_CC AARCH64_GCOV ARM_GCOV AARCH64_GCOV_DUMP ARM_GCOV_DUMP"
# shellcheck disable=SC2086 # the list is meant to split into words
require GCOV_CC $tools

# The major of a GCC tool's --version line ("gcov-dump (Debian 14.2.0-19) 14.2.0").
major_of() {
	"$1" --version 2>/dev/null |
		sed -n '1s/.* \([0-9][0-9]*\)\.[0-9][0-9]*\.[0-9][0-9]*.*$/\1/p'
}

want=$(major_of "$GCOV_CC")
[ -n "$want" ] || fail "cannot tell the GCC release of $GCOV_CC"

# The version word hvcov was built against says the same release: from
# GCC 7 on its first byte is 'A' + major / 10, its second major % 10.
word=$HOST_GCOV_VERSION
tens=$(($(printf '%d' "0x$(echo "$word" | cut -c1-2)") - 65))
units=$(($(printf '%d' "0x$(echo "$word" | cut -c3-4)") - 48))
[ $((tens * 10 + units)) -eq "$want" ] ||
	fail "libgcov version word 0x$word is not GCC $want ($GCOV_CC)"

for var in $tools; do
	eval "tool=\$$var"
	got=$(major_of "$tool")
	[ "$got" = "$want" ] ||
		fail "$var is $tool, of GCC ${got:-unknown}, but GCOV_CC ($GCOV_CC) is GCC $want"
	echo "$var: $tool (GCC $got)"
done
