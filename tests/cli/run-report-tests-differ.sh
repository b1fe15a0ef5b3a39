#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# The per-test report (hvcov-report-tests) of two tests that take different
# lines, branches and (with PRODUCER_CFLAGS=-fcondition-coverage, GCC 14+)
# MC/DC conditions of the same source file.  The producer workloads cover
# the same lines in every test, which hid that genhtml 2 misjoins a file's
# test sections: lcov 2.3.1 and 2.5 add MC/DC up over them, and 2.5 exits
# 1 ("invalid counts") when the tests took different branches.
#
# The tests are two runs of a small program built with that GCC, each into
# its own interval directory of a snapshot store (libgcov writes the
# counts of that run alone, which is what a tagged snapshot's interval/
# holds).  The truth is the same two runs into one directory (libgcov
# merges them): genhtml's index must show the lines, branches and MC/DC
# that lcov captures from that file, and gcov's JSON of it must agree
# with lcov.  The table's new lines, branches and conditions add up to
# the union too.  With lcov 1.16 (the build machine) the details page
# also names both tests with their own line counts.
#
# With PRODUCER_CFLAGS=-fpath-coverage as well (GCC 15+), the table has
# prime-path columns: each test's covered paths are the ones gcov's JSON
# of that run alone (--prime-paths: per function its total and the ids of
# the paths not covered) has covered, path by path, and the new paths add
# up to the combined run's covered paths.  Without it (GCC 12 on the build
# machine), the table has no such columns.
. "$top_srcdir/tests/lib/test-subr.sh"

require LCOV GENHTML GCOV_CC GCOV
command -v python3 >/dev/null || skip "python3 not installed"
gcov=$GCOV
conditions=no paths=no
case " ${PRODUCER_CFLAGS:-} " in *" -fcondition-coverage "*) conditions=yes ;; esac
case " ${PRODUCER_CFLAGS:-} " in *" -fpath-coverage "*) paths=yes ;; esac

# Three decisions and a switch: test "left" and test "right" take
# different sides of each, and each reaches a function the other does not.
build=$tmp/build
mkdir -p "$build"
cat >"$build/pick.c" <<'EOF'
#include <stdio.h>
#include <stdlib.h>

static int low(int a, int b)
{
	return a < b ? a : b;
}

static int high(int a, int b)
{
	return a > b ? a : b;
}

static int pick(int a, int b, int c)
{
	int r = 0;

	if (a > 0 && b > 0)
		r += low(a, b);
	if (b > 0 || c > 0)
		r += 2;
	else
		r -= 2;
	if (a == c && c != b)
		r += high(a, c);
	return r;
}

int main(int argc, char **argv)
{
	int sum = 0;

	if (argc != 2)
		return 2;
	switch (argv[1][0]) {
	case 'l':
		sum += pick(1, 2, 1);
		sum += pick(-1, 0, 0);
		break;
	case 'r':
		sum += pick(0, 3, 0);
		sum += pick(2, -1, 5);
		break;
	default:
		return 2;
	}
	printf("%d\n", sum);
	return 0;
}
EOF
# shellcheck disable=SC2086 # PRODUCER_CFLAGS holds option words
(cd "$build" && "$GCOV_CC" --coverage -O0 ${PRODUCER_CFLAGS:-} -c pick.c -o pick.o &&
	"$GCOV_CC" --coverage -o pick pick.o) >"$tmp/cc.log" 2>&1 ||
	{ cat "$tmp/cc.log"; fail "$GCOV_CC cannot build the test program"; }

# The store: two tagged snapshots of one series, the interval of each
# written by libgcov (its paths mirror the build's, as hvcov's do).
store=$tmp/store
series=boot-0000000000000d1f
mkdir -p "$store"
{
	printf '# hvcov snapshot index 1\n'
	printf '#seq\ttime\tboot_id\tstate\tdir\ttag\tsince\tcounters\tarcs\tarcs_executed\tnew_arcs\tnew_counters\n'
	printf '1\t0\t0xd1f\tfinal\t%s/0001-left\tleft\t-\t0\t0\t0\t0\t0\n' $series
	printf '2\t0\t0xd1f\tfinal\t%s/0002-right\tright\t-\t0\t0\t0\t0\t0\n' $series
} >"$store/index.tsv"
seq=0
for test in left right; do
	seq=$((seq + 1))
	dir=$store/$series/000$seq-$test/interval
	mkdir -p "$dir"
	GCOV_PREFIX=$dir GCOV_PREFIX_STRIP=0 "$build/pick" $test >/dev/null || fail "the $test run"
	GCOV_PREFIX=$tmp/truth GCOV_PREFIX_STRIP=0 "$build/pick" $test >/dev/null || fail "the $test run (truth)"
	GCOV_PREFIX=$tmp/$test GCOV_PREFIX_STRIP=0 "$build/pick" $test >/dev/null || fail "the $test run (alone)"
	cp "$build/pick.gcno" "$tmp/$test$build/"
done
truth=$tmp/truth$build
[ -f "$truth/pick.gcda" ] || fail "libgcov wrote no $truth/pick.gcda"
cp "$build/pick.gcno" "$truth/"

# The truth: lcov's capture of the combined run, and gcov's JSON of it.
case $(lcov --version) in
*"version 1."*) rc='--rc lcov_branch_coverage=1' lcov2=no ;;
*) rc='--rc branch_coverage=1' lcov2=yes ;;
esac
if [ $conditions = yes ]; then
	lcov --mcdc-coverage --version >/dev/null 2>&1 ||
		fail "$(lcov --version | head -n 1) has no --mcdc-coverage: this toolchain cannot show MC/DC (lcov 2.2 or later can)"
	rc="$rc --mcdc-coverage"
fi
# shellcheck disable=SC2086 # $rc holds option words
(cd "$tmp" && lcov -q $rc --capture --directory "$truth" --gcov-tool "$gcov" -o "$tmp/truth.info") \
	>"$tmp/lcov.log" 2>&1 || { cat "$tmp/lcov.log"; fail "lcov on the combined run"; }
# counts FILE: a tracefile's lines hit and found, branches taken and
# found, conditions covered and found, from its records (lcov 1.16's
# capture has no LH/LF lines).  lcov 2 writes a branch as its arcs
# ("2 -> 3"): the taken count is the last field.
counts() {
	awk -F '[:,]' '
		/^DA:/ { lf++; if ($3 > 0) lh++ }
		/^BRDA:/ { bf++; if ($NF != "-" && $NF > 0) bh++ }
		/^MCF:/ { cf += $2 }
		/^MCH:/ { ch += $2 }
		END { print lh + 0, lf + 0, bh + 0, bf + 0, ch + 0, cf + 0 }' "$1"
}
# shellcheck disable=SC2046 # six numbers
set -- $(counts "$tmp/truth.info")
lh=$1 lf=$2 bh=$3 bf=$4 ch=$5 cf=$6

features=
[ $conditions = no ] || features=--conditions
# shellcheck disable=SC2086 # one option word or none
(cd "$truth" && "$gcov" -b $features -j -t -o . pick.gcda >"$tmp/gcov.json" 2>"$tmp/gcov.err") ||
	fail "$gcov -j on the combined run: $(cat "$tmp/gcov.err")"
python3 - "$tmp/gcov.json" >"$tmp/gcov.counts" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
c = [0, 0, 0, 0, 0, 0]
for f in d["files"]:
    for line in f["lines"]:
        c[1] += 1
        c[0] += line["count"] > 0
        for b in line["branches"]:
            c[3] += 1
            c[2] += b["count"] > 0
        for cond in line.get("conditions", []):
            c[4] += cond["covered"]
            c[5] += cond["count"]
print(*c)
EOF
read -r g_lh g_lf g_bh g_bf g_ch g_cf <"$tmp/gcov.counts"
[ "$lh $lf $bh $bf" = "$g_lh $g_lf $g_bh $g_bf" ] ||
	fail "lcov counts lines $lh of $lf, branches $bh of $bf; gcov $g_lh of $g_lf, $g_bh of $g_bf: the truths disagree"
if [ $conditions = yes ]; then
	[ "$ch $cf" = "$g_ch $g_cf" ] ||
		fail "lcov counts $ch of $cf conditions, gcov $g_ch of $g_cf: the truths disagree"
	[ "$cf" -gt 0 ] || fail "gcov counts no condition: the check proves nothing"
fi

# Each test alone covers less than the two together, in lines, branches
# and conditions: otherwise joining them right proves nothing.
for test in left right; do
	# shellcheck disable=SC2086 # $rc holds option words
	(cd "$tmp" && lcov -q $rc --capture --directory "$tmp/$test$build" \
		--gcov-tool "$gcov" -o "$tmp/$test.info") >"$tmp/lcov.log" 2>&1 ||
		{ cat "$tmp/lcov.log"; fail "lcov on the $test run"; }
	# shellcheck disable=SC2046 # six numbers
	set -- $(counts "$tmp/$test.info")
	[ "$1" -lt "$lh" ] || fail "test $test alone hits every line the two hit"
	[ "$3" -lt "$bh" ] || fail "test $test alone takes every branch the two take"
	[ $conditions = no ] || [ "$5" -lt "$ch" ] ||
		fail "test $test alone covers every condition the two cover"
	echo "test $test alone: lines $1, branches $3, conditions $5"
	echo "$1 / $lf $3 / $bf" >"$tmp/$test.alone"
done

HVCOV_REPORT=$top_builddir/scripts/hvcov-report "$top_builddir/scripts/hvcov-report-tests" \
	--gcov "$gcov" -b "$build" -s "$store" -o "$tmp/per-test" >"$tmp/per-test.out" 2>"$tmp/per-test.err" ||
	{ cat "$tmp/per-test.err"; fail "hvcov-report-tests"; }
[ ! -s "$tmp/per-test.err" ] || fail "hvcov-report-tests wrote on stderr: $(cat "$tmp/per-test.err")"

# genhtml's headline: per kind (lines, functions, branches[, MC/DC]) three
# entries, "hit total percent" in lcov 1.16, "percent total hit" in lcov
# 2.3.1 and 2.5.  Here as "hit of total" per kind, functions left out.
grep 'headerCovTableEntry' "$tmp/per-test/index.html" | sed 's/<[^>]*>//g; s/&nbsp;/ /g' |
	tr -s ' \n' ' ' | sed 's/ %//g' >"$tmp/headline"
echo "genhtml's headline: $(cat "$tmp/headline")"
case $lcov2 in
no) shown=$(awk '{ print $1 "/" $2, $7 "/" $8 }' "$tmp/headline") ;;
yes) shown=$(awk '{ print $3 "/" $2, $9 "/" $8; if (NF >= 12) print $12 "/" $11 }' "$tmp/headline" | tr '\n' ' ' | sed 's/ $//') ;;
esac
want="$lh/$lf $bh/$bf"
[ $conditions = no ] || want="$want $ch/$cf"
[ "$shown" = "$want" ] || fail "genhtml's per-test index shows '$shown' (hit/total: lines, branches[, MC/DC]), not the union '$want'"

# The table: the new entries add up to the union, in each kind.
tsv=$tmp/per-test/tests.tsv
[ "$(cut -f 1 "$tsv" | tail -n +2 | tr '\n' ' ')" = "left right " ] || fail "tests not in run order: $(cat "$tsv")"
[ "$(awk -F '\t' 'NR > 1 { l += $3; b += $5 } END { print l, b }' "$tsv")" = "$lh $bh" ] ||
	fail "the new lines and branches do not add up to $lh and $bh: $(cat "$tsv")"
if [ $conditions = yes ]; then
	[ "$(awk -F '\t' 'NR > 1 { c += $9 } END { print c }' "$tsv")" = "$ch" ] ||
		fail "the new conditions do not add up to $ch: $(cat "$tsv")"
else
	! head -n 1 "$tsv" | grep -q conditions || fail "conditions columns without conditions: $(head -n 1 "$tsv")"
fi

# Prime paths: gcov's JSON of a run, as "function<TAB>id" per covered path
# (gcov lists the uncovered ones), and its total in $tmp/paths.total.
covered_paths() {
	(cd "$1" && "$gcov" --json-format --prime-paths -t -o . pick.gcda >"$tmp/paths.json" 2>"$tmp/gcov.err") ||
		fail "$gcov --prime-paths on $1: $(cat "$tmp/gcov.err")"
	python3 - "$tmp/paths.json" "$tmp/paths.total" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
total = 0
for f in d["files"]:
    for fn in f["functions"]:
        total += fn.get("total_prime_paths", 0)
        uncovered = {p["id"] for p in fn.get("prime_path_coverage", [])}
        for i in range(fn.get("total_prime_paths", 0)):
            if i not in uncovered:
                print("%s\t%d" % (fn["name"], i))
open(sys.argv[2], "w").write("%d\n" % total)
EOF
}
if [ $paths = yes ]; then
	head -n 1 "$tsv" | grep -q '	prime_paths_covered	new_prime_paths	cumulative_prime_paths_pct$' ||
		fail "no prime-path columns: $(head -n 1 "$tsv")"
	covered_paths "$truth" | sort >"$tmp/union.paths"
	union=$(wc -l <"$tmp/union.paths")
	total=$(cat "$tmp/paths.total")
	[ "$union" -gt 0 ] || fail "gcov counts no prime path covered: the check proves nothing"
	[ "$total" -gt "$union" ] || fail "gcov counts every prime path covered: the check proves nothing"
	row=1
	for test in left right; do
		row=$((row + 1))
		covered_paths "$tmp/$test$build" | sort >"$tmp/$test.paths"
		[ "$(wc -l <"$tmp/$test.paths")" -lt "$union" ] || fail "test $test alone covers every prime path the two cover"
		# hvcov's own list of the run's paths, path by path.
		"$hvcov" report --list-prime-paths -b "$build" -g "$store/$series/000$((row - 1))-$test/interval" \
			>"$tmp/$test.hvcov" || fail "hvcov report --list-prime-paths on test $test"
		grep '^covered	' "$tmp/$test.hvcov" | cut -f 4,5 | sort >"$tmp/$test.hvcov.covered"
		cmp -s "$tmp/$test.paths" "$tmp/$test.hvcov.covered" ||
			fail "hvcov lists other covered prime paths for test $test than gcov: $(diff "$tmp/$test.paths" "$tmp/$test.hvcov.covered" | tr '\n' ' ')"
		[ "$(wc -l <"$tmp/$test.hvcov")" -eq "$total" ] ||
			fail "hvcov lists $(wc -l <"$tmp/$test.hvcov") prime paths for test $test, gcov counts $total"
		[ "$(awk -F '\t' -v row=$row 'NR == row { print $(NF - 2) }' "$tsv")" -eq "$(wc -l <"$tmp/$test.paths")" ] ||
			fail "the table's prime paths of test $test are not gcov's $(wc -l <"$tmp/$test.paths"): $(cat "$tsv")"
	done
	[ "$(awk -F '\t' 'NR > 1 { p += $(NF - 1) } END { print p }' "$tsv")" = "$union" ] ||
		fail "the new prime paths do not add up to the union's $union: $(cat "$tsv")"
	want=$(awk -v u="$union" -v t="$total" 'BEGIN { printf "%.1f", 100 * u / t }')
	[ "$(tail -n 1 "$tsv" | awk -F '\t' '{ print $1 "/" $NF }')" = "right/$want" ] ||
		fail "the cumulative prime-path coverage after the last test is not $want%: $(cat "$tsv")"
	grep -q '<th>new prime paths</th>' "$tmp/per-test/index.html" || fail "no prime-path column in the per-test index"
	echo "prime paths: left $(wc -l <"$tmp/left.paths"), right $(wc -l <"$tmp/right.paths"), union $union of $total, as gcov counts them"
else
	! head -n 1 "$tsv" | grep -q prime || fail "prime-path columns without -fpath-coverage: $(head -n 1 "$tsv")"
	! grep -q 'prime paths' "$tmp/per-test/index.html" "$tmp/per-test.out" ||
		fail "prime paths in the per-test report without -fpath-coverage"
fi

if [ $lcov2 = no ]; then
	# lcov 1.16 keeps the test sections: the details page names each test
	# with the lines it hit alone.
	details=$(find "$tmp/per-test" -name 'index-detail.html' | head -n 1)
	[ -n "$details" ] || fail "genhtml wrote no details page"
	for test in left right; do
		row=$(sed 's/&nbsp;/ /g' "$details" | awk -v test="$test" '
			$0 ~ "class=\"testName\"[^>]*>" test "<" { on = 1; next }
			on && /<\/tr>/ { exit }
			on && /class="testNum"/ { gsub(/<[^>]*>/, ""); gsub(/^ +| +$/, ""); n[++k] = $0 }
			END { if (k == 3) print n[1], n[3] }')
		[ "$row" = "$(cat "$tmp/$test.alone")" ] ||
			fail "the details page shows test $test with lines and branches '$row', not its own run's '$(cat "$tmp/$test.alone")'"
	done
	echo "details page: each test with its own run's lines and branches"
	[ ! -f "$tmp/per-test/merged.info" ] || fail "lcov 1.16 got the merged tracefile"
else
	[ -f "$tmp/per-test/merged.info" ] || fail "lcov 2: the pages are not from the merged tracefile"
fi
echo "$(lcov --version | head -n 1): per-test index shows lines $lh of $lf, branches $bh of $bf$([ $conditions = no ] || echo ", conditions $ch of $cf") (the union of left and right)"
