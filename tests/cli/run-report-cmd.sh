#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# hvcov report on a producer's real objects (x86_64):
# - its tracefile equals scripts/hvcov-report's (which run-report.sh checks
#   against real libgcov's files), and so do its totals;
# - the same figures under LC_ALL=de_DE.UTF-8, and with hostile names for
#   the .gcda tree and the output (blanks, quotes, $(...), backticks, a
#   newline, a leading dash, non-ASCII);
# - cobertura.xml is valid against the coverage-04 DTD (xmllint) and its
#   totals are the tracefile's;
# - manifest.json, read by jq and python3, holds each pair's stamp as the
#   .gcno's own bytes say, the tools' versions and the commands; the index
#   page names its sources;
# - extract --json and verify --json give the manifest's image and ELF
#   facts, and a failed verify is a document saying so, exit 1;
# - --fail-under-* at the boundary: 59 of 80 branches meets 73.75 and
#   fails 73.76 (exit 1, one line);
# - a stale .gcno, another build's tree, another GCC's gcov, a failing
#   gcov run and an empty .gcda tree are each one hvcov line and exit 1.
. "$top_srcdir/tests/lib/test-subr.sh"

require LCOV GENHTML
command -v jq >/dev/null || skip "jq not installed (scripts/bootstrap installs it)"
command -v xmllint >/dev/null || skip "xmllint not installed (scripts/bootstrap installs libxml2-utils)"
report=$top_builddir/scripts/hvcov-report

arch_tools x86_64
build=$producers/x86_64
img=$tmp/x.img
$run "$build/producer-constructors" "$img" 1 b001 >/dev/null
"$hvcov" extract -q -i "$img" -o "$tmp/gcda"

# expect_refusal STATUS TEXT COMMAND...: exit STATUS, one line with TEXT.
# (The same helper as run-cli-habits.sh.)
expect_refusal() {
	want=$1 text=$2
	shift 2
	set +e
	"$@" >"$tmp/out" 2>"$tmp/err"
	got=$?
	set -e
	[ "$got" -eq "$want" ] || fail "$*: exit $got, expected $want: $(cat "$tmp/err")"
	# One line; a usage error adds the conventional "Try ... --help".
	sed '1d' "$tmp/err" | grep -qv "^Try 'hvcov .*--help' for more information\.\$" &&
		fail "$*: not one line: $(cat "$tmp/err")"
	head -n 1 "$tmp/err" | grep -q -- "$text" || fail "$*: '$text' not in: $(cat "$tmp/err")"
}

"$hvcov" report -b "$build" -g "$tmp/gcda" -o "$tmp/r" >"$tmp/r.out" 2>"$tmp/r.err" ||
	fail "hvcov report: $(cat "$tmp/r.err")"
[ ! -s "$tmp/r.err" ] || fail "hvcov report wrote to stderr: $(cat "$tmp/r.err")"
"$report" -b "$build" -g "$tmp/gcda" -o "$tmp/script" >"$tmp/script.out" ||
	fail "hvcov-report"
# The same records (lcov orders FNDA lines by hash, and the script names
# its test): compared sorted, without TN lines.
strip_tn() { grep -v '^TN:' "$1" | sort; }
strip_tn "$tmp/r/coverage.info" >"$tmp/a.info"
strip_tn "$tmp/script/coverage.info" >"$tmp/b.info"
diff -u "$tmp/b.info" "$tmp/a.info" || fail "the tracefile differs from hvcov-report's"
totals() { sed 's/^.*index.html"\{0,1\}: //' "$1"; }
[ "$(totals "$tmp/r.out")" = "$(totals "$tmp/script.out")" ] ||
	fail "totals '$(cat "$tmp/r.out")' differ from '$(cat "$tmp/script.out")'"
grep -q 'branches 73.8% (59 of 80)' "$tmp/r.out" || fail "unexpected figures: $(cat "$tmp/r.out")"
echo "hvcov report equals hvcov-report: $(totals "$tmp/r.out")"

# Cobertura: valid against the DTD, with the tracefile's totals.
xmllint --nonet --noout --dtdvalid "$top_srcdir/tests/cli/coverage-04.dtd" "$tmp/r/cobertura.xml" ||
	fail "cobertura.xml is not valid against coverage-04.dtd"
xpath() { xmllint --nonet --xpath "string($1)" "$tmp/r/cobertura.xml"; }
[ "$(xpath /coverage/@lines-valid)/$(xpath /coverage/@lines-covered)" = 81/81 ] ||
	fail "cobertura lines $(xpath /coverage/@lines-covered) of $(xpath /coverage/@lines-valid)"
[ "$(xpath /coverage/@branches-valid)/$(xpath /coverage/@branches-covered)" = 80/59 ] ||
	fail "cobertura branches $(xpath /coverage/@branches-covered) of $(xpath /coverage/@branches-valid)"
[ "$(xpath /coverage/@branch-rate)" = 0.7375 ] || fail "cobertura branch-rate $(xpath /coverage/@branch-rate)"
[ "$(xmllint --nonet --xpath 'count(//class)' "$tmp/r/cobertura.xml")" = 4 ] || fail "not 4 classes"
echo "cobertura.xml is valid and holds the tracefile's totals"

# The locale and hostile names change nothing.
hostile="$tmp/-a 'q' \"d\" \$(touch pwned) \`touch pwned2\`
nl ränder"
mkdir -p "$hostile"
cp -R "$tmp/gcda" "$hostile/gcda"
LC_ALL=de_DE.UTF-8 "$hvcov" report -b "$build" -g "$hostile/gcda" -o "$hostile/out" \
	>"$tmp/h.out" 2>"$tmp/h.err" || fail "hostile paths: $(cat "$tmp/h.err")"
strip_tn "$hostile/out/coverage.info" | diff -u "$tmp/a.info" - ||
	fail "hostile paths or de_DE.UTF-8 change the tracefile"
sed '/timestamp=/d' "$hostile/out/cobertura.xml" >"$tmp/h.xml"
sed '/timestamp=/d' "$tmp/r/cobertura.xml" | cmp - "$tmp/h.xml" ||
	fail "hostile paths or de_DE.UTF-8 change cobertura.xml"
[ "$(totals "$tmp/h.out")" = "$(totals "$tmp/r.out")" ] ||
	fail "hostile paths or de_DE.UTF-8 change the totals: $(cat "$tmp/h.out")"
[ ! -e pwned ] && [ ! -e pwned2 ] && [ ! -e "$tmp/pwned" ] || fail "a path was run as a command"
jq -e --arg g "$hostile/gcda" '.gcda_dir == $g' "$hostile/out/manifest.json" >/dev/null ||
	fail "the manifest's gcda_dir is not the hostile name"
echo "de_DE.UTF-8 and hostile names give the same report"

# The manifest: every .gcno's stamp as its bytes 8-11 say, every .gcda
# paired to the .gcno of its unit, the tools and commands recorded.
m=$tmp/r/manifest.json
[ "$(jq .schema_version "$m")" = 1 ] || fail "manifest schema_version"
[ "$(jq '[.objects[] | select(.gcda != null)] | length' "$m")" = 4 ] || fail "not 4 paired objects"
jq -r '.objects[] | [.gcno, .stamp, (.gcda // "-")] | @tsv' "$m" >"$tmp/objects"
while IFS='	' read -r gcno stamp gcda; do
	want=0x$(od -A n -t x4 -j 8 -N 4 "$gcno" | tr -d ' \n')
	[ "$stamp" = "$want" ] || fail "$gcno: manifest stamp $stamp, file $want"
	[ "$gcda" = - ] || [ "${gcda##*/}" = "$(basename "$gcno" .gcno).gcda" ] ||
		fail "$gcda paired with $gcno"
	case $gcda in -) ;; *) case $gcno in */constructors/*) ;; *) fail "$gcda paired with $gcno" ;; esac ;; esac
done <"$tmp/objects"
jq -e '.tools.gcov | test("^gcov ")' "$m" >/dev/null || fail "no gcov version"
jq -e '.tools.lcov | test("LCOV version")' "$m" >/dev/null || fail "no lcov version"
jq -e '.commands | length >= 2' "$m" >/dev/null || fail "no commands"
jq -e '.totals.branches == {"hit": 59, "total": 80}' "$m" >/dev/null || fail "manifest totals"
python3 -c 'import json,sys; d=json.load(open(sys.argv[1], encoding="utf-8")); assert d["totals"]["lines"]["total"] > 0' "$m" ||
	fail "python3 cannot read the manifest"
grep -q 'Made by hvcov' "$tmp/r/index.html" || fail "the index page has no provenance"
grep -q 'href="manifest.json"' "$tmp/r/index.html" || fail "the index page does not link the manifest"
echo "the manifest holds the stamps, tools and commands"

# Thresholds at the boundary: 59 of 80 branches is 73.75%.
"$hvcov" report -q -b "$build" -g "$tmp/gcda" -o "$tmp/t" --fail-under-branch 73.75 \
	--fail-under-line 100 || fail "73.75% of branches refused at 73.75"
expect_refusal 1 'branch coverage is under the --fail-under-branch threshold of 73.76%' \
	"$hvcov" report -q -b "$build" -g "$tmp/gcda" -o "$tmp/t" --fail-under-branch 73.76
[ "$(jq .thresholds.branch.met "$tmp/t/manifest.json")" = false ] || fail "manifest: threshold met"
expect_refusal 2 'invalid --fail-under-line' "$hvcov" report -b "$build" --fail-under-line 100.001
echo "thresholds hold at the boundary"

# Refusals, each one line.
cp -R "$build" "$tmp/stale"
printf 'XXXX' | dd of="$tmp/stale/constructors/parse.gcno" bs=1 seek=8 conv=notrunc 2>/dev/null
expect_refusal 1 'parse.gcda.*is not from the compilation of.*parse.gcno' \
	"$hvcov" report -b "$tmp/stale" -g "$tmp/gcda" -o "$tmp/x"
require AARCH64_CC
expect_refusal 1 'is not from the compilation of' \
	"$hvcov" report -b "$producers/arm64" -g "$tmp/gcda" -o "$tmp/x"
printf '#!/bin/sh\necho "gcov (GCC) 13.1.0"\n' >"$tmp/gcov13"
chmod +x "$tmp/gcov13"
expect_refusal 1 "GCC 12.2's, but .* says 'gcov (GCC) 13.1.0'" \
	"$hvcov" report -b "$build" -g "$tmp/gcda" -o "$tmp/x" --gcov "$tmp/gcov13"
printf '#!/bin/sh\n[ "$1" = --version ] && exec "%s" --version\nexit 3\n' "$gcov" >"$tmp/badgcov"
chmod +x "$tmp/badgcov"
expect_refusal 1 'lcov failed (exit status .*its messages are in' \
	"$hvcov" report -b "$build" -g "$tmp/gcda" -o "$tmp/x" --gcov "$tmp/badgcov"
# An output directory that is neither empty nor a report (here a copy of
# the build tree: genhtml's directories could share its names) is refused
# and left as it was.
cp -R "$build" "$tmp/busy"
(cd "$tmp/busy" && find . | sort) >"$tmp/busy.before"
expect_refusal 2 'is neither empty nor an earlier hvcov report' \
	"$hvcov" report -b "$build" -g "$tmp/gcda" -o "$tmp/busy"
(cd "$tmp/busy" && find . | sort) | diff -u "$tmp/busy.before" - || fail "a refused report changed -o"
mkdir "$tmp/empty"
expect_refusal 1 'no .gcda file below' "$hvcov" report -b "$build" -g "$tmp/empty" -o "$tmp/x"
echo "stale and foreign .gcno, another GCC's gcov, a failing gcov, no .gcda: refused"

# The image and ELF: their SHA-256 as sha256sum says, the boot id, state
# and link base as hvcov info says, verify passed; an image of other
# objects (the info-section build) is refused against these .gcda files.
"$hvcov" report -q -b "$build" -g "$tmp/gcda" -o "$tmp/prov" -i "$img" \
	--elf "$build/producer-constructors" 2>"$tmp/prov.err" ||
	fail "report -i --elf: $(cat "$tmp/prov.err")"
[ ! -s "$tmp/prov.err" ] || fail "report -i --elf wrote to stderr: $(cat "$tmp/prov.err")"
m=$tmp/prov/manifest.json
[ "$(jq -r .image.sha256 "$m")" = "$(sha256sum <"$img" | cut -d ' ' -f 1)" ] ||
	fail "image sha256 $(jq -r .image.sha256 "$m")"
[ "$(jq -r .elf.sha256 "$m")" = "$(sha256sum <"$build/producer-constructors" | cut -d ' ' -f 1)" ] ||
	fail "elf sha256 $(jq -r .elf.sha256 "$m")"
[ "$(jq -r .elf.verify "$m")" = passed ] || fail "verify not recorded"
"$hvcov" info --json "$img" >"$tmp/info.json"
for key in boot_id state link_base; do
	[ "$(jq -r ".image.$key" "$m")" = "$(jq -r ".$key" "$tmp/info.json")" ] ||
		fail "manifest image.$key $(jq ".image.$key" "$m") differs from hvcov info's"
done
[ "$(jq -r .image.boot_id "$m")" = 0x000000000000b001 ] || fail "boot id"
grep -q "Image <code>$img</code>: SHA-256 $(jq -r .image.sha256 "$m")" "$tmp/prov/index.html" ||
	fail "the index page does not name the image"
# extract --json and verify --json give the same facts as the manifest.
"$hvcov" verify --json -i "$img" --elf "$build/producer-constructors" >"$tmp/verify.json" ||
	fail "verify --json"
"$hvcov" extract --json -i "$img" --elf "$build/producer-constructors" -o "$tmp/ej" \
	>"$tmp/extract.json" || fail "extract --json"
for doc in verify extract; do
	jq -S '{image, elf}' "$tmp/$doc.json" >"$tmp/$doc.facts"
	jq -S '{image, elf}' "$m" | diff -u - "$tmp/$doc.facts" ||
		fail "$doc --json gives other facts than the manifest"
done
[ "$(jq -r .verify "$tmp/verify.json")" = passed ] || fail "verify --json: not passed"
[ "$(jq -r '.destination + " " + (.files | tostring)' "$tmp/extract.json")" = "$tmp/ej 4" ] ||
	fail "extract --json: destination or files: $(cat "$tmp/extract.json")"
set +e
"$hvcov" verify --json -i "$img" --elf "$producers/arm64/producer-constructors" \
	>"$tmp/verify-bad.json" 2>/dev/null
got=$?
set -e
[ $got -eq 1 ] && [ "$(jq -r '.verify + " " + (.exit_status | tostring)' "$tmp/verify-bad.json")" = "failed 1" ] ||
	fail "verify --json of another ELF: exit $got, $(cat "$tmp/verify-bad.json")"
echo "extract --json and verify --json give the manifest's facts"
$run "$build/producer-info-section" "$tmp/other.img" 1 b002 >/dev/null
expect_refusal 1 "the image's object .* has no .gcda of that stamp" \
	"$hvcov" report -q -b "$build" -g "$tmp/gcda" -o "$tmp/x" -i "$tmp/other.img"
echo "the manifest's image and ELF facts are the image's and the ELF's"

# Exclusions: LCOV_EXCL markers are honoured and --exclude reaches lcov,
# on a program built here with GCC --coverage and run by its own libgcov.
src=$tmp/excl
mkdir "$src"
cat >"$src/a.c" <<'C'
int kept(int x)
{
	if (x > 3)
		return 1;
	return 0; /* LCOV_EXCL_LINE */
}
/* LCOV_EXCL_START */
int hidden(int x)
{
	return x * 2;
}
/* LCOV_EXCL_STOP */
C
cat >"$src/b.c" <<'C'
int kept(int x);
int main(void)
{
	return kept(1);
}
C
(cd "$src" && "$GCOV_CC" --coverage -O0 -o prog a.c b.c && ./prog) || fail "building the exclusion program"
"$hvcov" report -q -b "$src" -o "$tmp/excl-all" || fail "report of the exclusion program"
awk '/^SF:/ { file = $0 } /^DA:/ { print file " " $0 }' "$tmp/excl-all/coverage.info" >"$tmp/da"
grep -q "a.c DA:3," "$tmp/da" || fail "a.c line 3 missing: $(cat "$tmp/da")"
! grep -q "a.c DA:5," "$tmp/da" || fail "LCOV_EXCL_LINE not honoured"
! grep -Eq "a.c DA:(8|9|10|11)," "$tmp/da" || fail "LCOV_EXCL_START/STOP not honoured"
grep -q "^SF:$src/b.c" "$tmp/excl-all/coverage.info" || fail "b.c missing"
"$hvcov" report -q -b "$src" -o "$tmp/excl-b" --exclude '*/b.c' || fail "report --exclude"
! grep -q "^SF:.*/b.c" "$tmp/excl-b/coverage.info" || fail "--exclude did not reach lcov"
grep -q "^SF:$src/a.c" "$tmp/excl-b/coverage.info" || fail "--exclude removed a.c"
jq -e '[.commands[][] | select(. == "*/b.c")] | length == 2' "$tmp/excl-b/manifest.json" >/dev/null ||
	fail "the manifest does not record --exclude in both captures"
echo "LCOV_EXCL markers honoured, --exclude passed to lcov"
