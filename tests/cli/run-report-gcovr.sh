#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# hvcov report --gcovr on the x86_64 producer's extracted files:
# - its totals (summary line and manifest) equal what gcovr itself makes of
#   real libgcov's files of the same run, and are the same under
#   LC_ALL=de_DE.UTF-8; the manifest names gcovr's version, the index page
#   carries the provenance, cobertura.xml is well-formed;
# - switching renderer in one output directory leaves nothing of the
#   earlier report (no tracefile beside gcovr's pages, no gcovr page
#   beside genhtml's);
# - a gcovr whose summary is not what gcovr 5 writes (a fraction where a
#   count belongs, a missing key) or that fails is exit 1, one line, no
#   summary printed; --gcovr with lcov's --exclude is a usage error.
. "$top_srcdir/tests/lib/test-subr.sh"

require LCOV GENHTML
command -v gcovr >/dev/null || skip "gcovr not installed (scripts/bootstrap installs it)"
command -v jq >/dev/null || skip "jq not installed (scripts/bootstrap installs it)"
command -v xmllint >/dev/null || skip "xmllint not installed"
arch_tools x86_64
build=$producers/x86_64
objdir=$build/constructors
seed=4

# The truth: libgcov's files with their .gcno, as gcovr reads them.
GCOV_PREFIX=$tmp/truth $run "$build/truth" $seed >/dev/null
for unit in checksum parse table run; do
	cp "$objdir/$unit.gcno" "$tmp/truth$objdir/"
done
(cd "$tmp" && gcovr --root / --filter '/.*' --gcov-executable "$gcov" \
	--json-summary "$tmp/truth.json" "$tmp/truth$objdir") >"$tmp/gcovr.log" 2>&1 ||
	{ cat "$tmp/gcovr.log"; fail "gcovr on the truth failed"; }
want() { jq -r ".${1}_covered, .${1}_total" "$tmp/truth.json" | paste -sd' '; }
lines=$(want line) functions=$(want function) branches=$(want branch)
[ "${lines#* }" -gt 0 ] || fail "the truth has no lines"

$run "$build/producer-constructors" "$tmp/x.img" $seed 5eed >/dev/null
"$hvcov" extract -q -i "$tmp/x.img" -o "$tmp/gcda"
out="$tmp/gcovr out \$(x) 'ü"
for locale in C de_DE.UTF-8; do
	LC_ALL=$locale "$hvcov" report --gcovr -b "$objdir" -g "$tmp/gcda" -o "$out" \
		>"$tmp/r.out" 2>"$tmp/r.err" || { cat "$tmp/r.err"; fail "report --gcovr ($locale)"; }
	[ ! -s "$tmp/r.err" ] || fail "report --gcovr wrote on stderr: $(cat "$tmp/r.err")"
	set -- $lines $functions $branches
	grep -q "lines [0-9.]*% ($1 of $2), functions [0-9.]*% ($3 of $4), branches [0-9.]*% ($5 of $6)$" "$tmp/r.out" ||
		fail "$locale: '$(cat "$tmp/r.out")' is not gcovr's truth: $lines, $functions, $branches"
	m=$out/manifest.json
	[ "$(jq -r '.totals | "\(.lines.hit) \(.lines.total) \(.functions.hit) \(.functions.total) \(.branches.hit) \(.branches.total)"' "$m")" = "$*" ] ||
		fail "$locale: the manifest's totals are not gcovr's truth"
done
[ "$(jq -r .tools.gcovr "$m")" = "$(gcovr --version | sed -n 1p)" ] || fail "manifest: no gcovr version"
jq -e '.tools.lcov == null and (.commands[0][0] == "gcovr")' "$m" >/dev/null ||
	fail "manifest: not gcovr's commands"
grep -q 'class="hvcov-provenance"' "$out/index.html" || fail "no provenance on gcovr's index page"
xmllint --noout "$out/cobertura.xml" || fail "cobertura.xml is not well-formed"
echo "report --gcovr equals gcovr on libgcov's files: lines $lines, functions $functions, branches $branches"

# The counting difference docs/gcov-facts.md (section 6) describes: with
# table.c never run, gcovr's line total is lcov's less the never-executed
# lines gcov marks in table.c that hold only a brace, else or nothing, and
# the lines hit agree.
cp -R "$tmp/gcda" "$tmp/partial"
find "$tmp/partial" -name table.gcda -exec rm {} +
"$hvcov" report -q -b "$objdir" -g "$tmp/partial" -o "$tmp/p-lcov" || fail "lcov, table.c not run"
"$hvcov" report -q --gcovr -b "$objdir" -g "$tmp/partial" -o "$tmp/p-gcovr" || fail "gcovr, table.c not run"
mkdir "$tmp/gcov" && cp "$objdir/table.gcno" "$tmp/gcov/"
(cd "$tmp/gcov" && "$gcov" -o . table.gcno >/dev/null 2>&1) || fail "gcov table.gcno"
braces=$(grep -cE '^ *#####: +[0-9]+:[[:space:]]*(\{|\}|else)?[[:space:]]*$' "$tmp/gcov/table.c.gcov" || :)
[ "$braces" -gt 0 ] || fail "table.c has no never-run brace line: the check proves nothing"
l=$(jq '.totals.lines.total' "$tmp/p-lcov/manifest.json")
g=$(jq '.totals.lines.total' "$tmp/p-gcovr/manifest.json")
[ $((l - g)) -eq "$braces" ] || fail "lcov $l lines, gcovr $g: not $braces brace lines apart"
[ "$(jq '.totals.lines.hit' "$tmp/p-lcov/manifest.json")" = "$(jq '.totals.lines.hit' "$tmp/p-gcovr/manifest.json")" ] ||
	fail "lcov and gcovr hit different lines"
echo "table.c not run: lcov $l lines, gcovr $g, the $braces never-run brace line(s) apart"

"$hvcov" report -q -b "$objdir" -g "$tmp/gcda" -o "$out" || fail "lcov report over the gcovr one"
[ ! -e "$out/summary.json" ] || fail "gcovr's summary.json survived an lcov report"
! ls "$out" | grep -q '^index\.functions\.html$' || fail "a gcovr page survived an lcov report"
"$hvcov" report -q --gcovr -b "$objdir" -g "$tmp/gcda" -o "$out" || fail "gcovr report over the lcov one"
[ ! -e "$out/coverage.info" ] && [ ! -e "$out/gcov.css" ] || fail "lcov's files survived a gcovr report"
echo "switching renderer leaves nothing of the earlier report"

# gcovr stand-ins: --version as the real one; a run writes the pages and
# a summary that is not gcovr 5's.
real_gcovr=$(command -v gcovr)
mkdir "$tmp/bin"
fake() {
	cat >"$tmp/bin/gcovr" <<WRAPPER
#!/bin/sh
case \$1 in --version) exec '$real_gcovr' "\$@" ;; esac
mkdir -p html && echo '<html><body></body></html>' >html/index.html
$1
WRAPPER
	chmod +x "$tmp/bin/gcovr"
}
refused() {
	status=0
	PATH="$tmp/bin:$PATH" "$hvcov" report --gcovr -b "$objdir" -g "$tmp/gcda" -o "$tmp/bad" \
		>"$tmp/b.out" 2>"$tmp/b.err" || status=$?
	[ $status -eq 1 ] || fail "$2: exit $status"
	[ ! -s "$tmp/b.out" ] || fail "$2: printed a summary: $(cat "$tmp/b.out")"
	[ "$(wc -l <"$tmp/b.err")" -eq 1 ] && grep -q "$1" "$tmp/b.err" ||
		fail "$2: $(cat "$tmp/b.err")"
	echo "refused as expected: $(cat "$tmp/b.err")"
}
full='"line_total": 10, "line_covered": 5, "function_total": 2, "function_covered": 1, "branch_total": 4, "branch_covered": 2, "files": []'
fake "echo '{${full%%, \"line_covered\"*}.5, ${full#*10, }}' >summary.json"
refused "gcovr's summary.json: line_total is not one non-negative integer" "a fractional count"
fake "echo '{${full#*5, }}' >summary.json"
refused "gcovr's summary.json lacks gcovr's line_total" "a missing key"
fake "echo '{${full}, \"line_covered\": 11}' >summary.json"
refused "gcovr's summary.json: line_covered is not one non-negative integer" "a repeated key"
fake "echo 'gcovr: error' >&2; exit 3"
refused 'gcovr .*; its messages are in .*report.log' "a failing gcovr"

status=0
"$hvcov" report --gcovr --exclude '*/table.c' -b "$objdir" -g "$tmp/gcda" -o "$tmp/ex" \
	>/dev/null 2>"$tmp/ex.err" || status=$?
[ $status -eq 2 ] && grep -q "^hvcov: --exclude is lcov's shell pattern" "$tmp/ex.err" ||
	fail "--gcovr --exclude: exit $status, $(cat "$tmp/ex.err")"
# The failed runs above each left their log, and the directory is still
# usable: the next run writes the report there.
grep -q '^gcovr: error$' "$tmp/bad/report.log" || fail "the failing gcovr's log is not in report.log"
"$hvcov" report -q --gcovr -b "$objdir" -g "$tmp/gcda" -o "$tmp/bad" ||
	fail "a report into the directory of a failed one"
[ -f "$tmp/bad/manifest.json" ] || fail "no report after the failed ones"
echo "a summary gcovr 5 would not write, a failing gcovr and --gcovr --exclude are refused"
