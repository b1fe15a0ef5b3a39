#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# The report scripts never give wrong numbers with exit 0 because of where
# they write or the user's locale:
# - hvcov-report-tests with an output directory whose name holds blanks,
#   quotes, $(...), backticks, a newline, a leading dash and non-ASCII gives
#   the same table as with a plain one, and not zeros;
# - the index lists the tests in run order and links the timeline;
# - the timeline has its values as text, a y-axis label, and room for a
#   long title;
# - under LC_ALL=de_DE.UTF-8 the table, the timeline SVG and hvcov-report's
#   summary line hold the same figures as under C, with decimal points.
# The figures themselves are checked against lcov's own in run-report.sh and
# the demo tests; here they are compared between runs.
. "$top_srcdir/tests/lib/test-subr.sh"

report=$top_builddir/scripts/hvcov-report
tests_report=$top_builddir/scripts/hvcov-report-tests
[ -x "$report" ] && [ -x "$tests_report" ] || fail "no $report: run make"
require LCOV GENHTML
locale -a 2>/dev/null | grep -qix 'de_DE\.utf-\{0,1\}8' ||
	skip "the locale de_DE.UTF-8 is not generated (scripts/bootstrap does it)"
export HVCOV_REPORT="$report"

arch_tools x86_64
build=$producers/x86_64
img=$tmp/live.img
store=$tmp/store
$run "$build/producer-constructors" "$img" 1 b001 >/dev/null
"$hvcov" snapshot -q --image "$img" -o "$store" --tag first || fail "snapshot first"
$run "$build/producer-constructors" "$img" 2 b001 >/dev/null
"$hvcov" snapshot -q --image "$img" -o "$store" --tag second || fail "snapshot second"

# tests_report_in LOCALE DIR: the per-test report into DIR under LOCALE.
tests_report_in() {
	LC_ALL=$1 "$tests_report" -b "$build" -s "$store" -o "$2" \
		>"$tmp/tests.out" 2>"$tmp/tests.err" ||
		{ cat "$tmp/tests.err"; fail "hvcov-report-tests ($1) failed"; }
}

tests_report_in C "$tmp/plain"
awk -F '\t' 'NR > 1 && ($2 == 0 || $6 + 0 == 0) { exit 1 }' "$tmp/plain/tests.tsv" ||
	fail "zeros in the plain table: $(cat "$tmp/plain/tests.tsv")"

# The timeline is readable in print: each test's line and branch figures
# are text on the picture (not only hover titles), the y axis is labelled,
# and the picture is wide enough for its title, even a long one.
svg=$tmp/plain/timeline.svg
n=$(grep -vc '^#' "$tmp/plain/tests.tsv")
[ "$(grep -c '<text class="value"' "$svg")" -eq $((2 * n)) ] ||
	fail "not two values per test on the timeline"
sed '1d' "$tmp/plain/tests.tsv" | cut -f 6,7 | while IFS='	' read -r l b; do
	grep -q "<text class=\"value\"[^>]*>$l%</text>" "$svg" || fail "line value $l% not on the timeline"
	grep -q "<text class=\"value\"[^>]*>$b%</text>" "$svg" || fail "branch value $b% not on the timeline"
done
grep -q '>cumulative coverage (%)</text>' "$svg" || fail "no y-axis label"
long="A title long enough to run past five hundred pixels of picture width"
LC_ALL=C "$tests_report" -b "$build" -s "$store" -o "$tmp/long" -t "$long" >/dev/null 2>&1 ||
	fail "hvcov-report-tests -t"
width=$(sed -n 's/^<svg [^>]*width="\([0-9]*\)".*/\1/p' "$tmp/long/timeline.svg")
chars=$(printf '%s: cumulative coverage after each test' "$long" | wc -c)
[ "$width" -ge $((70 + 8 * chars)) ] || fail "the title is clipped: width $width for $chars characters"
# The index is the per-test report's own page: the tests in run order and
# the timeline, linked.
grep -o '<tr><td>[0-9]*</td><td>[^<]*</td>' "$tmp/plain/index.html" |
	sed 's/<tr><td>\([0-9]*\)<\/td><td>\([^<]*\)<\/td>/\1 \2/' >"$tmp/order"
[ "$(cat "$tmp/order")" = "1 first
2 second" ] || fail "the index does not list the tests in run order: $(cat "$tmp/order")"
grep -q '<a href="timeline.svg">' "$tmp/plain/index.html" || fail "the index does not link the timeline"
echo "the timeline shows its values, an axis label and its whole title"

# The issue's case: a blank in the path (once gave zeros and exit 0).
tests_report_in C "$tmp/some dir/tests"
cmp "$tmp/plain/tests.tsv" "$tmp/some dir/tests/tests.tsv" ||
	fail "a blank in the output path changes the table: $(cat "$tmp/some dir/tests/tests.tsv")"

hostile="$tmp/-a dir 'q' \"d\" \$(touch pwned) \`touch pwned2\`
new line ränder"
mkdir -p "$hostile" # the parent must exist with a leading dash below
tests_report_in C "$hostile/tests"
cmp "$tmp/plain/tests.tsv" "$hostile/tests/tests.tsv" ||
	fail "a hostile output path changes the table: $(cat "$hostile/tests/tests.tsv")"
[ ! -e pwned ] && [ ! -e pwned2 ] && [ ! -e "$tmp/pwned" ] || fail "a path was run as a command"
[ -s "$hostile/tests/index.html" ] || fail "no index.html under the hostile path"
# A relative output directory with a leading dash.
(cd "$tmp" && tests_report_in C "-dash") || fail "a leading dash in -o"
cmp "$tmp/plain/tests.tsv" "$tmp/-dash/tests.tsv" || fail "-o -dash changes the table"
echo "hostile output paths give the same table"

tests_report_in de_DE.UTF-8 "$tmp/de"
cmp "$tmp/plain/tests.tsv" "$tmp/de/tests.tsv" ||
	fail "de_DE.UTF-8 changes the table: $(cat "$tmp/de/tests.tsv")"
cmp "$tmp/plain/timeline.svg" "$tmp/de/timeline.svg" ||
	fail "de_DE.UTF-8 changes the timeline: $(grep -m3 '[0-9],[0-9]' "$tmp/de/timeline.svg")"
! grep -q '="[0-9]*,[0-9]' "$tmp/de/timeline.svg" || fail "a decimal comma in the SVG"

"$hvcov" extract -q --image "$img" -o "$tmp/extracted" || fail "extract"
LC_ALL=C "$report" -b "$build" -g "$tmp/extracted" -o "$tmp/r-c" >"$tmp/r-c.out" 2>&1 || fail "hvcov-report (C)"
LC_ALL=de_DE.UTF-8 "$report" -b "$build" -g "$tmp/extracted" -o "$tmp/r-de" >"$tmp/r-de.out" 2>&1 ||
	fail "hvcov-report (de_DE)"
[ "$(sed 's/^[^:]*: [^:]*: //' "$tmp/r-c.out")" = "$(sed 's/^[^:]*: [^:]*: //' "$tmp/r-de.out")" ] ||
	fail "de_DE.UTF-8 changes the summary: '$(cat "$tmp/r-de.out")' against '$(cat "$tmp/r-c.out")'"
echo "de_DE.UTF-8 and C give the same figures"
