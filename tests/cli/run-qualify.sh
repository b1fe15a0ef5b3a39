#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# hvcov-qualify, as a user runs it: it builds the shipped workloads from the
# data directory with the given compiler into a hostile output path, and
# every check passes (the extracted files equal libgcov's, verify accepts
# every image, gcov reads every file silently); an arm64 cross compiler
# under qemu-user passes too.  Fed an hvcov whose extraction corrupts one
# counter, it exits 1 and names the file and the differing record, on
# stderr and in the report.  An output directory that holds files is
# refused before anything is built.
. "$top_srcdir/tests/lib/test-subr.sh"

require GCOV_CC GCOV GCOV_DUMP
qualify=$top_builddir/scripts/hvcov-qualify
[ -x "$qualify" ] || fail "scripts/hvcov-qualify is not built"

out="$tmp/-qual ify \$(touch x) \`q\` 'ü\"*"
"$qualify" --data "$top_srcdir" --hvcov "$hvcov" --cc "$GCOV_CC" \
	--gcov "$GCOV" --gcov-dump "$GCOV_DUMP" -o "$out" >"$tmp/q.out" 2>"$tmp/q.err" ||
	{ cat "$tmp/q.err"; fail "hvcov-qualify failed on this machine"; }
[ ! -s "$tmp/q.err" ] || { cat "$tmp/q.err"; fail "hvcov-qualify wrote on stderr"; }
grep -q 'qualification.txt: PASS: 37 checks$' "$tmp/q.out" ||
	fail "unexpected summary: $(cat "$tmp/q.out")"
report=$out/qualification.txt
! grep -q '^FAIL' "$report" || fail "a FAIL line in a passing report"
[ "$(grep -c '^PASS  seed .*: equals libgcov.s' "$report")" -eq 16 ] ||
	fail "not 16 record comparisons (2 seeds, 2 modes, 4 units)"
[ "$(grep -c '^PASS  seed .*without a warning$' "$report")" -eq 16 ] ||
	fail "not 16 gcov readings"
# The tools named with their versions, as the tools themselves say them.
for line in "hvcov      $hvcov: $("$hvcov" --version | sed -n 1p)" \
	"compiler   $GCOV_CC: $($GCOV_CC --version | sed -n 1p)" \
	"gcov-dump  $GCOV_DUMP: $("$GCOV_DUMP" -v | sed -n 1p)"; do
	grep -qxF "  $line" "$report" || fail "report lacks '$line'"
done
grep -qx 'verdict: PASS: 37 checks' "$report" || fail "no verdict line"
[ ! -e x ] && [ ! -e "$tmp/x" ] || fail "a hostile path was run as a command"
echo "hvcov-qualify passes with $GCOV_CC into a hostile path"

# -q: nothing at all on success.
"$qualify" -q --data "$top_srcdir" --hvcov "$hvcov" --cc "$GCOV_CC" \
	--gcov "$GCOV" --gcov-dump "$GCOV_DUMP" --seeds 3 -o "$tmp/quiet" >"$tmp/q.out" 2>&1 ||
	{ cat "$tmp/q.out"; fail "hvcov-qualify -q failed"; }
[ ! -s "$tmp/q.out" ] || fail "-q printed: $(cat "$tmp/q.out")"
# -v: each check as it is recorded, then the verdict.
"$qualify" -v --data "$top_srcdir" --hvcov "$hvcov" --cc "$GCOV_CC" \
	--gcov "$GCOV" --gcov-dump "$GCOV_DUMP" --seeds 3 -o "$tmp/verbose" >"$tmp/v.out" 2>&1 ||
	{ cat "$tmp/v.out"; fail "hvcov-qualify -v failed"; }
[ "$(grep -c '^PASS  ' "$tmp/v.out")" -eq 19 ] || fail "-v did not print the 19 checks"
tail -n 1 "$tmp/v.out" | grep -q 'PASS: 19 checks$' || fail "-v: no verdict last"

# A broken extraction: the real hvcov, then one counter of run.gcda (the
# first counter of its first function, at byte 60 of a GCC 12 file) set to 2.
cat >"$tmp/hvcov-broken" <<'WRAPPER'
#!/bin/sh
"$REAL_HVCOV" "$@" || exit $?
[ "$1" = extract ] || exit 0
while [ $# -gt 1 ]; do
	[ "$1" != -o ] || out=$2
	shift
done
find "$out" -name run.gcda | while IFS= read -r file; do
	printf '\002' | dd of="$file" bs=1 seek=60 conv=notrunc 2>/dev/null
done
WRAPPER
chmod +x "$tmp/hvcov-broken"
status=0
REAL_HVCOV=$hvcov "$qualify" --data "$top_srcdir" --hvcov "$tmp/hvcov-broken" \
	--cc "$GCOV_CC" --gcov "$GCOV" --gcov-dump "$GCOV_DUMP" --seeds 5 \
	-o "$tmp/broken" >"$tmp/b.out" 2>"$tmp/b.err" || status=$?
[ $status -eq 1 ] || { cat "$tmp/b.err"; fail "broken extraction: exit $status, expected 1"; }
[ ! -s "$tmp/b.out" ] || fail "a failing run printed on stdout"
grep -q "^hvcov-qualify: FAIL: seed 5, constructors: run.gcda: differs from libgcov's: libgcov has '0: 1 .*', hvcov wrote '0: 2 .*'$" "$tmp/b.err" ||
	{ cat "$tmp/b.err"; fail "the corrupted counter is not named"; }
grep -q 'qualification.txt: FAIL: 2 of 17 checks failed$' "$tmp/b.err" ||
	{ cat "$tmp/b.err"; fail "no failing verdict"; }
grep -q "^FAIL  seed 5, info-section: run.gcda: differs" "$tmp/broken/qualification.txt" ||
	fail "the report does not record the difference"
grep -q "^PASS  seed 5, constructors: table.gcda: equals" "$tmp/broken/qualification.txt" ||
	fail "the intact files are not reported as passing"
echo "a corrupted counter fails the qualification, naming the file and the record"

mkdir "$tmp/full" && : >"$tmp/full/keep"
expect_refusal 2 "hvcov-qualify: '.*/full' exists and is not an empty directory" "$tmp/nothing" \
	"$qualify" --data "$top_srcdir" --hvcov "$hvcov" -o "$tmp/full"
[ "$(ls "$tmp/full")" = keep ] || fail "a refused run wrote into the directory"
expect_refusal 2 "hvcov-qualify: --seeds '1,x': decimal numbers separated by commas" "$tmp/nothing" \
	"$qualify" --data "$top_srcdir" --seeds 1,x -o "$tmp/s"
expect_refusal 2 "hvcov-qualify: '.*' holds a control character, which the objects' .gcda paths cannot" \
	"$tmp/nothing" "$qualify" --data "$top_srcdir" --hvcov "$hvcov" -o "$tmp/new
line"
echo "a non-empty output directory, a bad seed list and a newline in the output are refused"

# A cross compiler: its gcov and gcov-dump found from its name.
require AARCH64_CC AARCH64_GCOV_DUMP QEMU_AARCH64
"$qualify" --data "$top_srcdir" --hvcov "$hvcov" --cc "$AARCH64_CC" \
	--run "$QEMU_AARCH64" --seeds 2 -o "$tmp/arm64" >"$tmp/a.out" 2>"$tmp/a.err" ||
	{ cat "$tmp/a.err"; fail "hvcov-qualify failed with $AARCH64_CC"; }
grep -qF "  gcov-dump  $AARCH64_GCOV_DUMP:" "$tmp/arm64/qualification.txt" ||
	fail "the cross gcov-dump was not the one derived from $AARCH64_CC"
grep -q 'PASS: 19 checks$' "$tmp/a.out" || fail "arm64: $(cat "$tmp/a.out")"
echo "hvcov-qualify passes with $AARCH64_CC under $QEMU_AARCH64"

# 'hvcov qualify' points to the program.
expect_refusal 2 "^hvcov: the qualification run is the program hvcov-qualify (see hvcov-qualify(1))$" \
	"$tmp/nothing" "$hvcov" qualify
