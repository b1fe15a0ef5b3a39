#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# The per-test report as a browser shows it: three tests tagged in an
# order that is not alphabetical (zeta, alpha, mid) are rendered by
# hvcov-report-tests, and headless Chromium loads the index page.  In the
# DOM Chromium built from it, the test table lists them in run order,
# numbered 1 to 3, above genhtml's own table, and links the timeline; the
# timeline picture, loaded by Chromium, names them in the same order; a
# screenshot of the page is written (a PNG of the window's size).
. "$top_srcdir/tests/lib/test-subr.sh"

require LCOV GENHTML
chromium=$(command -v chromium || command -v chromium-browser || :)
[ -n "$chromium" ] || skip "chromium not installed (scripts/bootstrap installs it)"
tests_report=$top_builddir/scripts/hvcov-report-tests
[ -x "$tests_report" ] || fail "no $tests_report: run make"
export HVCOV_REPORT="$top_builddir/scripts/hvcov-report"

arch_tools x86_64
build=$producers/x86_64
img=$tmp/live.img
store=$tmp/store
seed=1
for name in zeta alpha mid; do
	$run "$build/producer-constructors" "$img" $seed b001 >/dev/null
	"$hvcov" snapshot -q --image "$img" -o "$store" --tag $name || fail "snapshot $name"
	seed=$((seed + 1))
done
"$tests_report" -b "$build" -s "$store" -o "$tmp/report" >"$tmp/tests.out" 2>"$tmp/tests.err" ||
	{ cat "$tmp/tests.err"; fail "hvcov-report-tests failed"; }

# A fresh profile, nothing fetched or updated behind the test's back.
browse() {
	"$chromium" --headless --no-sandbox --disable-gpu --no-first-run \
		--disable-background-networking --disable-component-update \
		--disable-sync --user-data-dir="$tmp/profile" "$@" 2>>"$tmp/chromium.err"
}
browse --dump-dom "file://$tmp/report/index.html" >"$tmp/index.dom" ||
	{ tail -5 "$tmp/chromium.err"; fail "chromium could not render the index"; }
grep -q '</html>' "$tmp/index.dom" || fail "chromium gave no DOM: $(tail -3 "$tmp/chromium.err")"

# The rows of the test table, in document order: "N NAME".
sed -n '/class="hvcov-tests"/,/<\/table>/p' "$tmp/index.dom" |
	tr -d '\n' | sed 's|<tr>|\n<tr>|g' |
	sed -n 's|^<tr><td>\([0-9]*\)</td><td>\([^<]*\)</td>.*|\1 \2|p' >"$tmp/rows"
[ "$(cat "$tmp/rows" | paste -sd,)" = "1 zeta,2 alpha,3 mid" ] ||
	fail "the rendered test table is not in run order: $(paste -sd, "$tmp/rows")"
tests_line=$(grep -n 'class="hvcov-tests"' "$tmp/index.dom" | head -1 | cut -d: -f1)
genhtml_line=$(grep -n 'class="tableHead"' "$tmp/index.dom" | head -1 | cut -d: -f1)
[ -n "$tests_line" ] && [ -n "$genhtml_line" ] && [ "$tests_line" -lt "$genhtml_line" ] ||
	fail "the test table is not above genhtml's table"
grep -q '<a href="timeline.svg"><img src="timeline.svg"' "$tmp/index.dom" ||
	fail "the rendered page does not link the timeline"

browse --dump-dom "file://$tmp/report/timeline.svg" >"$tmp/timeline.dom" ||
	fail "chromium could not load timeline.svg"
# Each bar's label is a text element holding the test's name alone.
order=$(grep -o '>\(zeta\|alpha\|mid\)</text>' "$tmp/timeline.dom" | tr -d '<>/' |
	sed 's/text$//' | paste -sd,)
[ "$order" = "zeta,alpha,mid" ] || fail "the timeline names the tests as '$order'"

(cd "$tmp" && browse --screenshot="$tmp/index.png" --window-size=1024,768 \
	"file://$tmp/report/index.html" >/dev/null) || fail "no screenshot"
[ "$(od -An -tx1 -N8 "$tmp/index.png" | tr -d ' ')" = 89504e470d0a1a0a ] ||
	fail "the screenshot is not a PNG"
[ "$(od -An -tu1 -j16 -N8 "$tmp/index.png" | awk '{ print $3 * 256 + $4, $7 * 256 + $8 }')" = "1024 768" ] ||
	fail "the screenshot is not 1024x768"
echo "Chromium renders the tests in run order (zeta, alpha, mid), the timeline linked and in the same order; screenshot 1024x768"
