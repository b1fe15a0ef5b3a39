#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# Torn-read safety of live snapshots (tools/live/untorn.c): a native writer
# process keeps 4096 64-bit counters crossing 2^32 boundaries in a shared
# file while a reader takes snapshots of them with the library's method,
# natively (64-bit loads), natively with the 32-bit word method, and as a
# 32-bit arm program under qemu-user.  No reader may ever see a torn or
# decreasing value.  The control, a naive low-then-high reader, must see
# one: it proves the checker catches torn values on this machine.
. "$top_srcdir/tests/lib/test-subr.sh"

require ARM_CC QEMU_ARM
check=$top_builddir/tests/robustness/torn-check
[ -x "$top_builddir/tests/robustness/torn-check-arm" ] || fail "tests/robustness/torn-check-arm was not built"

"$check" writer "$tmp/counters" &
writer=$!
# set -e holds inside the trap too: a writer already gone must not turn a
# pass into a failure.
trap 'kill $writer 2>/dev/null || :; rm -rf "$tmp"' EXIT
# The writer creates the file before anything else.
tries=0
while [ ! -s "$tmp/counters" ]; do
	tries=$((tries + 1))
	[ $tries -lt 100 ] || fail "the writer did not start"
	sleep 0.05
done

"$check" reader "$tmp/counters" 1.5 untorn || fail "native 64-bit reads tore"
"$check" reader "$tmp/counters" 1.5 words || fail "native 32-bit word reads tore"
$QEMU_ARM "$top_builddir/tests/robustness/torn-check-arm" reader "$tmp/counters" 2 ||
	fail "32-bit arm reads under qemu-user tore"
"$check" reader "$tmp/counters" 10 naive ||
	fail "the naive control saw no torn value in 10 s: the checker proved nothing"
kill $writer
wait $writer 2>/dev/null || :
echo "no torn value in any snapshot; the control tore as expected"
