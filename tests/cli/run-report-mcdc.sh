#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# MC/DC conditions and prime paths in hvcov report, on the x86_64
# producer's extracted files, both renderers:
# - built without -fcondition-coverage (the build machine's GCC 12): no
#   condition or prime-path figure in the summary line, null in the
#   manifest (never 0 of 0), and --fail-under-condition 50 is exit 1 saying
#   the data has none;
# - built with PRODUCER_CFLAGS=-fcondition-coverage (GCC 14+, the toolchain
#   matrix): the conditions figure equals what that GCC's gcov counts
#   (--conditions, JSON) in libgcov's own files of the same run, and lcov's
#   own MCF/MCH of those files; lcov must take --mcdc-coverage (a root
#   whose lcov does not is a failure).  gcovr 8 shows the same figure; an
#   older gcovr gets one warning line, gcov's figure marked "not in the
#   HTML", and the manifest says why.  --fail-under-condition passes at the
#   figure (two decimals, rounded down) and fails 0.01 above it;
# - with -fpath-coverage as well (GCC 15+): the prime-path figure equals
#   gcov's JSON total_prime_paths/covered_prime_paths;
# - the per-test report (hvcov-report-tests) of two tagged snapshots has
#   conditions columns exactly when the data has conditions: then the first
#   test's conditions covered equal hvcov report's figure of that
#   snapshot, the new conditions add up to the last snapshot's, and
#   genhtml's index shows that figure (genhtml adds MC/DC up over test
#   sections: 98 of 140 for 49 of 70, so the pages come from the tests
#   merged under no name).
. "$top_srcdir/tests/lib/test-subr.sh"

require LCOV GENHTML
command -v gcovr >/dev/null || skip "gcovr not installed (scripts/bootstrap installs it)"
command -v python3 >/dev/null || skip "python3 not installed"
arch_tools x86_64
build=$producers/x86_64
objdir=$build/constructors
seed=4
conditions=no paths=no
case " ${PRODUCER_CFLAGS:-} " in *" -fcondition-coverage "*) conditions=yes ;; esac
case " ${PRODUCER_CFLAGS:-} " in *" -fpath-coverage "*) paths=yes ;; esac

# json FILE EXPRESSION: a Python expression over the document d.
json() {
	python3 -c 'import json, sys; d = json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$@"
}

$run "$build/producer-constructors" "$tmp/x.img" $seed 5eed >/dev/null
"$hvcov" extract -q -i "$tmp/x.img" -o "$tmp/gcda"

# Two tests, one snapshot each, and their per-test report.
store=$tmp/store
for test in 1 2; do
	$run "$build/producer-constructors" "$tmp/live.img" $test b001 >/dev/null
	"$hvcov" snapshot -q --image "$tmp/live.img" -o "$store" --tag "test$test" || fail "snapshot $test"
done
HVCOV_REPORT=$top_builddir/scripts/hvcov-report "$top_builddir/scripts/hvcov-report-tests" \
	--gcov "$gcov" -b "$build" -s "$store" -o "$tmp/per-test" >"$tmp/per-test.out" 2>"$tmp/per-test.err" ||
	{ cat "$tmp/per-test.err"; fail "hvcov-report-tests"; }
fields=$(awk -F '\t' 'NR == 1 { print NF }' "$tmp/per-test/tests.tsv")

# report RENDERER-OPTION NAME [OPTION...]: the report into $tmp/NAME, its
# summary line in $tmp/NAME.out, its stderr in $tmp/NAME.err.
report() {
	renderer=$1 name=$2
	shift 2
	"$hvcov" report $renderer --gcov "$gcov" -b "$objdir" -g "$tmp/gcda" \
		-o "$tmp/$name" "$@" >"$tmp/$name.out" 2>"$tmp/$name.err"
}

if [ $conditions = no ]; then
	for renderer in "" --gcovr; do
		report "$renderer" plain || fail "report $renderer: $(cat "$tmp/plain.err")"
		[ ! -s "$tmp/plain.err" ] || fail "report $renderer wrote on stderr: $(cat "$tmp/plain.err")"
		grep -q 'lines [0-9.]*% ([1-9]' "$tmp/plain.out" || fail "no summary line: $(cat "$tmp/plain.out")"
		! grep -q 'conditions\|prime paths' "$tmp/plain.out" ||
			fail "report $renderer: a condition or path figure without such data: $(cat "$tmp/plain.out")"
		json "$tmp/plain/manifest.json" 'd["totals"]["conditions"] is None and d["totals"]["prime_paths"] is None' | grep -qx True ||
			fail "report $renderer: the manifest claims figures the data lacks: $(json "$tmp/plain/manifest.json" 'd["totals"]')"
		status=0
		report "$renderer" gate --fail-under-condition 50 || status=$?
		[ $status -eq 1 ] || fail "--fail-under-condition without conditions: exit $status"
		grep -q 'the data has no condition (MC/DC) coverage' "$tmp/gate.err" ||
			fail "--fail-under-condition without conditions: $(cat "$tmp/gate.err")"
		rm -rf "$tmp/plain" "$tmp/gate"
	done
	echo "no -fcondition-coverage: no condition or prime-path figure, the manifest's are null, the gate is exit 1"
	[ "$fields" -eq 7 ] || fail "the per-test table has $fields columns without conditions: $(head -n 1 "$tmp/per-test/tests.tsv")"
	! grep -qi 'condition' "$tmp/per-test.out" "$tmp/per-test/index.html" ||
		fail "the per-test report names conditions the data lacks"
	echo "per-test report: no conditions column"
	exit 0
fi

# The truth: libgcov's files of the same run, with their .gcno.
GCOV_PREFIX=$tmp/truth $run "$build/truth" $seed >/dev/null
truth=$tmp/truth$objdir
units="checksum parse table run"
for unit in $units; do
	cp "$objdir/$unit.gcno" "$truth/"
done
# gcov's own counts: conditions per line, prime paths per function.
features=--conditions
[ $paths = no ] || features="$features --prime-paths"
for unit in $units; do
	(cd "$truth" && "$gcov" -b $features -j -t -o . "$unit.gcda" >"$tmp/$unit.json" 2>"$tmp/gcov.err") ||
		fail "$gcov $features -j on $unit: $(cat "$tmp/gcov.err")"
done
set --
for unit in $units; do set -- "$@" "$tmp/$unit.json"; done
python3 - "$@" >"$tmp/gcov.counts" <<'EOF'
import json, sys
c = [0, 0, 0, 0]
for name in sys.argv[1:]:
    d = json.load(open(name))
    for f in d["files"]:
        for line in f["lines"]:
            for cond in line.get("conditions", []):
                c[0] += cond["covered"]
                c[1] += cond["count"]
        for fn in f["functions"]:
            c[2] += fn.get("covered_prime_paths", 0)
            c[3] += fn.get("total_prime_paths", 0)
print(*c)
EOF
read -r c_hit c_total p_hit p_total <"$tmp/gcov.counts"
[ "$c_total" -gt 0 ] && [ "$c_hit" -gt 0 ] || fail "gcov counts no condition in the truth: the check proves nothing"
[ "$c_hit" -lt "$c_total" ] || fail "every condition covered: the gate boundary proves nothing"
[ $paths = no ] || [ "$p_total" -gt 0 ] || fail "gcov counts no prime path in the truth"

# lcov's own figure from the truth; this root's lcov must have MC/DC.
lcov --mcdc-coverage --version >/dev/null 2>&1 ||
	fail "$(lcov --version | head -n 1) has no --mcdc-coverage: this toolchain cannot show MC/DC (lcov 2.2 or later can)"
(cd "$tmp" && lcov -q --capture --directory "$truth" --gcov-tool "$gcov" \
	--rc branch_coverage=1 --mcdc-coverage -o "$tmp/truth.info") >"$tmp/lcov.log" 2>&1 ||
	{ cat "$tmp/lcov.log"; fail "lcov on the truth"; }
l_hit=$(awk -F: '$1 == "MCH" { s += $2 } END { print s + 0 }' "$tmp/truth.info")
l_total=$(awk -F: '$1 == "MCF" { s += $2 } END { print s + 0 }' "$tmp/truth.info")
[ "$l_hit $l_total" = "$c_hit $c_total" ] ||
	fail "lcov counts $l_hit of $l_total conditions, gcov $c_hit of $c_total: the truths disagree"

pct=$(awk -v h="$c_hit" -v t="$c_total" 'BEGIN { printf "%.1f", 100 * h / t }')
want="conditions $pct% ($c_hit of $c_total"
p_want="prime paths [0-9.]*% ($p_hit of $p_total, gcov's count, not in the HTML)"

# lcov: the figure, the manifest, no warning.
report "" lcov || fail "report: $(cat "$tmp/lcov.err")"
[ ! -s "$tmp/lcov.err" ] || fail "report wrote on stderr: $(cat "$tmp/lcov.err")"
grep -qF "$want)" "$tmp/lcov.out" || fail "'$(cat "$tmp/lcov.out")' lacks '$want)'"
[ "$(json "$tmp/lcov/manifest.json" '"%(hit)s %(total)s %(counted_by)s %(in_html)s" % d["totals"]["conditions"]')" = "$c_hit $c_total lcov True" ] ||
	fail "manifest conditions: $(json "$tmp/lcov/manifest.json" 'd["totals"]["conditions"]')"
grep -q '^MCF:' "$tmp/lcov/coverage.info" || fail "the report's tracefile has no MC/DC record"
json "$tmp/lcov/manifest.json" 'all("--mcdc-coverage" in c for c in d["commands"])' | grep -qx True ||
	fail "not every lcov command had --mcdc-coverage"
grep -q 'MC/DC' "$tmp/lcov/index.html" || fail "genhtml's index shows no MC/DC"
if [ $paths = yes ]; then
	grep -q "$p_want" "$tmp/lcov.out" || fail "'$(cat "$tmp/lcov.out")' lacks '$p_want'"
	[ "$(json "$tmp/lcov/manifest.json" '"%(hit)s %(total)s %(in_html)s" % d["totals"]["prime_paths"]')" = "$p_hit $p_total False" ] ||
		fail "manifest prime paths: $(json "$tmp/lcov/manifest.json" 'd["totals"]["prime_paths"]')"
	echo "prime paths: $p_hit of $p_total, as gcov counts them; no renderer shows them"
else
	! grep -q 'prime paths' "$tmp/lcov.out" || fail "a prime-path figure without -fpath-coverage"
fi
echo "lcov ($(lcov --version | head -n 1)): $want), equal to gcov's JSON and lcov's own MCF/MCH of libgcov's files"

# gcovr: 8 shows conditions; an older one is named, and gcov's figure used.
gcovr_major=$(gcovr --version | sed -n '1s/^gcovr \([0-9]*\).*/\1/p')
report --gcovr gcovr || fail "report --gcovr: $(cat "$tmp/gcovr.err")"
if [ "$gcovr_major" -ge 8 ]; then
	[ ! -s "$tmp/gcovr.err" ] || fail "report --gcovr wrote on stderr: $(cat "$tmp/gcovr.err")"
	grep -qF "$want)" "$tmp/gcovr.out" || fail "'$(cat "$tmp/gcovr.out")' lacks '$want)'"
	[ "$(json "$tmp/gcovr/manifest.json" 'd["totals"]["conditions"]["counted_by"]')" = gcovr ] ||
		fail "gcovr's conditions not counted by gcovr"
else
	[ "$(wc -l <"$tmp/gcovr.err")" -eq 1 ] &&
		grep -q "^hvcov: warning: the objects have $c_total MC/DC condition outcomes .*gcovr $gcovr_major.* shows no conditions" "$tmp/gcovr.err" ||
		fail "gcovr $gcovr_major: not one warning naming it: $(cat "$tmp/gcovr.err")"
	grep -qF "$want, gcov's count, not in the HTML)" "$tmp/gcovr.out" ||
		fail "'$(cat "$tmp/gcovr.out")' lacks gcov's figure, marked"
	json "$tmp/gcovr/manifest.json" 'd["totals"]["conditions"]["in_html"] is False and "gcovr" in d["totals"]["conditions"]["not_in_html_because"]' | grep -qx True ||
		fail "manifest does not say gcovr cannot show conditions"
	grep -q "MC/DC conditions: $c_hit of $c_total" "$tmp/gcovr/index.html" ||
		fail "gcovr's index page does not say what it lacks"
fi
echo "gcovr $gcovr_major: $(sed 's/.*branches[^)]*), //' "$tmp/gcovr.out")"

# The gate at the boundary: the figure rounded down to hundredths passes,
# a hundredth more fails.
floor=$((c_hit * 10000 / c_total))
at=$((floor / 100)).$(printf %02d $((floor % 100)))
above=$(((floor + 1) / 100)).$(printf %02d $(((floor + 1) % 100)))
report "" pass --fail-under-condition "$at" || fail "--fail-under-condition $at failed at $c_hit of $c_total: $(cat "$tmp/pass.err")"
status=0
report "" over --fail-under-condition "$above" || status=$?
[ $status -eq 1 ] || fail "--fail-under-condition $above at $c_hit of $c_total: exit $status"
grep -q "condition coverage is under the --fail-under-condition threshold of $above%" "$tmp/over.err" ||
	fail "--fail-under-condition $above: $(cat "$tmp/over.err")"
json "$tmp/over/manifest.json" 'd["thresholds"]["condition"]["met"]' | grep -qx False ||
	fail "the manifest says the failed condition gate was met"
echo "--fail-under-condition: $at passes, $above fails ($c_hit of $c_total)"

# The per-test report: the first test alone is its snapshot; together the
# tests cover what the last snapshot covers.
want_fields=10
[ $paths = no ] || want_fields=13
[ "$fields" -eq $want_fields ] || fail "the per-test table has $fields columns with conditions (prime paths: $paths): $(head -n 1 "$tmp/per-test/tests.tsv")"
figure() { # DIR: hit and total of hvcov report's conditions on DIR's .gcda
	rm -rf "$tmp/fig"
	"$hvcov" report -q --gcov "$gcov" --no-baseline -b "$objdir" -g "$1" -o "$tmp/fig" ||
		fail "report of $1"
	json "$tmp/fig/manifest.json" '"%(hit)s %(total)s" % d["totals"]["conditions"]'
}
first=$(ls -d "$store"/boot-*/0001-test1)
last=$(ls -d "$store"/boot-*/0002-test2)
set -- $(figure "$first/gcda")
one_hit=$1
set -- $(figure "$last/gcda")
all_hit=$1 all_total=$2
row1=$(awk -F '\t' 'NR == 2 { print $8, $9 }' "$tmp/per-test/tests.tsv")
[ "$row1" = "$one_hit $one_hit" ] ||
	fail "test1: conditions covered and new '$row1', not $one_hit (its snapshot's)"
sum=$(awk -F '\t' 'NR > 1 { s += $9 } END { print s }' "$tmp/per-test/tests.tsv")
[ "$sum" = "$all_hit" ] || fail "the new conditions add up to $sum, not $all_hit (the last snapshot's)"
pct=$(awk -v h="$all_hit" -v t="$all_total" 'BEGIN { printf "%.1f", 100 * h / t }')
[ "$(awk -F '\t' 'END { print $10 }' "$tmp/per-test/tests.tsv")" = "$pct" ] ||
	fail "the last cumulative MC/DC is not $pct"
grep -q '<th>new conditions</th>' "$tmp/per-test/index.html" || fail "no conditions column on the per-test index"
# genhtml's own headline (lines, functions, branches, MC/DC: percent,
# total, hit each): its MC/DC must be the tests' union.
headline=$(grep 'headerCovTableEntry' "$tmp/per-test/index.html" | sed 's/<[^>]*>//g; s/&nbsp;/ /g' |
	tr -s ' \n' ' ' | awk '{ print $(NF - 1), $NF }')
[ "$headline" = "$all_total $all_hit" ] ||
	fail "genhtml's per-test index shows MC/DC '$headline', not '$all_total $all_hit'"
echo "per-test report: conditions $row1 (test1), $sum new in all = $all_hit of $all_total, on genhtml's index too"
if [ $paths = yes ]; then
	# The new prime paths add up to the last snapshot's (hvcov report's
	# figure, gcov's count: checked against gcov above).
	rm -rf "$tmp/fig"
	"$hvcov" report -q --gcov "$gcov" --no-baseline -b "$objdir" -g "$last/gcda" -o "$tmp/fig" ||
		fail "report of $last/gcda"
	# shellcheck disable=SC2046 # two numbers
	set -- $(json "$tmp/fig/manifest.json" '"%(hit)s %(total)s" % d["totals"]["prime_paths"]')
	p_sum=$(awk -F '\t' 'NR > 1 { s += $12 } END { print s }' "$tmp/per-test/tests.tsv")
	[ "$p_sum" = "$1" ] || fail "the new prime paths add up to $p_sum, not $1 (the last snapshot's)"
	p_pct=$(awk -v h="$1" -v t="$2" 'BEGIN { printf "%.1f", 100 * h / t }')
	[ "$(awk -F '\t' 'END { print $13 }' "$tmp/per-test/tests.tsv")" = "$p_pct" ] ||
		fail "the last cumulative prime-path coverage is not $p_pct"
	echo "per-test report: $p_sum new prime paths in all = $1 of $2"
fi
