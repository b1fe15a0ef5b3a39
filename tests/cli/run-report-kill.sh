#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# hvcov report killed with SIGKILL while genhtml runs (a genhtml stand-in
# that waits): the work tree it leaves in the output directory is there
# while it runs, a second report into the same directory meanwhile is
# refused (exit 2, one line) and leaves that tree alone, and the next report
# after the kill removes it and writes the report (-v says so).  A file
# named like a work tree is not removed.
. "$top_srcdir/tests/lib/test-subr.sh"

require LCOV GENHTML
arch_tools x86_64
build=$producers/x86_64
img=$tmp/x.img
$run "$build/producer-constructors" "$img" 1 b001 >/dev/null
"$hvcov" extract -q -i "$img" -o "$tmp/gcda"
out=$tmp/out
mkdir "$out"

# genhtml --version as the real one says it; a rendering waits to be killed.
mkdir "$tmp/bin"
cat >"$tmp/bin/genhtml" <<WRAPPER
#!/bin/sh
case \$1 in --version) exec '$GENHTML' "\$@" ;; esac
echo \$\$ >'$tmp/genhtml.pid'
exec sleep 120
WRAPPER
chmod +x "$tmp/bin/genhtml"
PATH="$tmp/bin:$PATH" "$hvcov" report -q -b "$build" -g "$tmp/gcda" -o "$out" &
report_pid=$!
# Whatever happens, neither the report nor the waiting stand-in outlives
# the test.
trap 'st=$?; kill -9 $report_pid 2>/dev/null || :; [ ! -s "$tmp/genhtml.pid" ] || kill "$(cat "$tmp/genhtml.pid")" 2>/dev/null || :; rm -rf "$tmp"; exit $st' EXIT
i=0
while [ ! -s "$tmp/genhtml.pid" ]; do
	i=$((i + 1))
	[ $i -lt 300 ] || { kill -9 $report_pid; fail "genhtml never started"; }
	sleep 0.1
done
work=$(find "$out" -maxdepth 1 -name '.hvcov-work.*' -type d)
[ -n "$work" ] || fail "no work tree while the report runs"

# A second report meanwhile: refused, the running one's tree untouched.
status=0
"$hvcov" report -q -b "$build" -g "$tmp/gcda" -o "$out" >"$tmp/second.out" 2>"$tmp/second.err" || status=$?
[ $status -eq 2 ] || fail "a second report into the same directory: exit $status"
[ "$(wc -l <"$tmp/second.err")" -eq 1 ] &&
	grep -q "^hvcov: another hvcov report is writing .*/out\"*: wait for it, or choose another -o$" "$tmp/second.err" ||
	fail "second report: $(cat "$tmp/second.err")"
[ -d "$work" ] || fail "the second report removed the running one's work tree"

kill -9 $report_pid
wait $report_pid 2>/dev/null || :
kill "$(cat "$tmp/genhtml.pid")" 2>/dev/null || :
[ -d "$work" ] || fail "the killed report left no work tree (the test proves nothing)"
: >"$out/.hvcov-work.not-a-dir"
echo "killed a report during genhtml; it left $(basename "$work")"

"$hvcov" report -v -b "$build" -g "$tmp/gcda" -o "$out" >"$tmp/third.out" 2>"$tmp/third.err" ||
	{ cat "$tmp/third.err"; fail "the report after the kill failed"; }
grep -q "^hvcov: removed 1 work directory an interrupted report left in " "$tmp/third.out" ||
	fail "-v does not say what it removed: $(cat "$tmp/third.out")"
[ ! -e "$work" ] || fail "the stale work tree is still there"
[ -f "$out/.hvcov-work.not-a-dir" ] || fail "a file named like a work tree was removed"
[ -f "$out/index.html" ] && [ -f "$out/manifest.json" ] || fail "no report written"
left=$(find "$out" -maxdepth 1 -name '.hvcov-work.*' -type d)
[ -z "$left" ] || fail "work trees left after a finished report: $left"
echo "the next report removed it and wrote the report"
