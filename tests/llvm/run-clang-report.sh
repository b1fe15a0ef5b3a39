#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# hvcov-llvm-report renders an extracted clang profile: the summary line,
# llvm-cov's HTML with MC/DC (clang 19), and an lcov tracefile equal to the
# one llvm-cov exports from compiler-rt's own profile of the same run, which
# genhtml renders; a directory without profiles is a data error (1).
. "$top_srcdir/tests/lib/test-subr.sh"

require CLANG19 LLVM_PROFDATA19 LLVM_COV19 GENHTML
report=$top_builddir/scripts/hvcov-llvm-report
d=$tmp/clang19
"$top_srcdir/tests/llvm/build-image.sh" "$CLANG19" "$d" ||
	fail "the clang workload does not build or run"
mkdir "$d/out"
"$hvcov" extract -q -i "$d/image.bin" -o "$d/out" || fail "extract failed"

"$report" -e "$d/image" -o "$tmp/report" "$d/out" > "$tmp/summary" ||
	fail "hvcov-llvm-report failed"
cat "$tmp/summary"
grep -q '^hvcov-llvm-report: .*index.html: lines .*, MC/DC conditions [0-9.]*% ([0-9]* of [0-9]*)$' "$tmp/summary" ||
	fail "no summary line with MC/DC"
[ -f "$tmp/report/html/index.html" ] || fail "no HTML index"
grep -rlq 'MC/DC Decision Region' "$tmp/report/html" || fail "no MC/DC in the HTML"

"$LLVM_PROFDATA19" merge -o "$tmp/truth.profdata" "$d/truth.profraw"
"$LLVM_COV19" export -format=lcov -instr-profile "$tmp/truth.profdata" "$d/truth" > "$tmp/truth.lcov"
grep -q '^DA:[0-9]*,[1-9]' "$tmp/truth.lcov" || fail "the truth's lcov has no executed line"
diff "$tmp/truth.lcov" "$tmp/report/coverage.lcov" ||
	fail "the lcov tracefile differs from the runtime's"
"$GENHTML" -q -o "$tmp/genhtml" "$tmp/report/coverage.lcov" ||
	fail "genhtml refuses the lcov tracefile"

mkdir "$tmp/empty"
status=0
"$report" -e "$d/image" -o "$tmp/report2" "$tmp/empty" 2> "$tmp/err" || status=$?
[ "$status" -eq 1 ] || fail "no profile: exit status $status, not 1"
grep -q 'no .profraw' "$tmp/err" || fail "no profile: $(cat "$tmp/err")"
