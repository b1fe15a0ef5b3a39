#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# scripts/hvcov-report on the producer's objects, for x86_64, arm64 and arm:
# - from an extracted tree (paths mirrored under -o) it finds each .gcno,
#   picks the architecture's gcov from the objects, and its lcov tracefile
#   and summary equal those of the report made from real libgcov's files;
# - gcovr's summary equals the truth's too;
# - a unit with a .gcno but no .gcda is still in the report, never run;
# - a .gcda without a .gcno, an empty tree, a foreign gcov and bad usage
#   are refused with one line and the documented exit status;
# - objects compiled with relative source names (Kbuild) give gcovr the
#   totals lcov gives, -b a subdirectory pairs no unit by its base name
#   with another's .gcno, and arguments starting with a dash are paths.
. "$top_srcdir/tests/lib/test-subr.sh"

report=$top_builddir/scripts/hvcov-report
[ -x "$report" ] || fail "no $report: run make"
require LCOV GENHTML GCOVR

# run_report NAME OPTION...: the report into $tmp/NAME, summary kept.
run_report() {
	name=$1
	shift
	"$report" -o "$tmp/$name" "$@" >"$tmp/$name.out" 2>"$tmp/$name.err" ||
		{ cat "$tmp/$name.err"; fail "hvcov-report $name failed"; }
	# Only the warning the caller expects (WARNED), if any, on stderr.
	if [ -n "${WARNED:-}" ]; then
		[ "$(wc -l <"$tmp/$name.err")" -eq 1 ] && grep -q "$WARNED" "$tmp/$name.err" ||
			{ cat "$tmp/$name.err"; fail "$name: not the one warning '$WARNED'"; }
	else
		[ ! -s "$tmp/$name.err" ] || { cat "$tmp/$name.err"; fail "$name: stderr not empty"; }
	fi
	[ "$(wc -l <"$tmp/$name.out")" -eq 1 ] || fail "$name: not one summary line"
	grep -q '^hvcov-report: .*/index.html: lines [0-9.]*% ([0-9]* of [0-9]*), functions .*, branches .*' \
		"$tmp/$name.out" || fail "$name: bad summary '$(cat "$tmp/$name.out")'"
	[ -s "$tmp/$name/index.html" ] || fail "$name: no index.html"
	sed 's/^[^:]*: [^:]*: //' "$tmp/$name.out" >"$tmp/$name.totals"
}

# refused STATUS TEXT OPTION...: one line on stderr containing TEXT.
refused() {
	status=$1 text=$2
	shift 2
	set +e
	"$report" "$@" >"$tmp/refused.out" 2>"$tmp/refused.err"
	got=$?
	set -e
	[ $got -eq "$status" ] || fail "hvcov-report $*: exit $got, expected $status"
	[ "$(wc -l <"$tmp/refused.err")" -eq 1 ] ||
		{ cat "$tmp/refused.err"; fail "hvcov-report $*: not one error line"; }
	grep -q "$text" "$tmp/refused.err" ||
		fail "hvcov-report $*: '$(cat "$tmp/refused.err")' lacks '$text'"
}

seed=5
for arch in $ARCHES; do
	arch_tools "$arch"
	build=$producers/$arch
	GCOV_PREFIX=$tmp/truth-$arch $run "$build/truth" $seed >/dev/null
	truth=$tmp/truth-$arch$build/constructors
	$run "$build/producer-constructors" "$tmp/$arch.img" $seed 5eed >/dev/null
	"$hvcov" extract --quiet --image "$tmp/$arch.img" -o "$tmp/out-$arch" ||
		fail "$arch: extract"

	run_report "$arch-truth" -b "$build/constructors" -g "$truth"
	run_report "$arch-hv" -b "$build/constructors" -g "$tmp/out-$arch"
	diff -u "$tmp/$arch-truth/coverage.info" "$tmp/$arch-hv/coverage.info" ||
		fail "$arch: lcov tracefile differs from the truth's"
	grep -q '^BRDA:' "$tmp/$arch-hv/coverage.info" || fail "$arch: no branch data"
	echo "$arch: $(cat "$tmp/$arch-hv.totals")"

	# The architecture's gcov, found from the objects: a gcov that says
	# which one it is proves the choice.
	spy=$tmp/bin-$arch/$(basename "$gcov")
	mkdir -p "$tmp/bin-$arch"
	cat >"$spy" <<SPY
#!/bin/sh
echo "\$0" >>"$tmp/gcov-used-$arch"
exec "$(command -v "$gcov")" "\$@"
SPY
	chmod +x "$spy"
	PATH=$tmp/bin-$arch:$PATH run_report "$arch-spy" -b "$build/constructors" \
		-g "$tmp/out-$arch"
	[ -s "$tmp/gcov-used-$arch" ] || fail "$arch: $gcov was not the gcov used"
done

arch_tools x86_64
build=$producers/x86_64
run_report gcovr-truth --gcovr -b "$build/constructors" -g "$tmp/truth-x86_64$build/constructors"
run_report gcovr-hv --gcovr -b "$build/constructors" -g "$tmp/out-x86_64"
diff -u "$tmp/gcovr-truth.totals" "$tmp/gcovr-hv.totals" ||
	fail "gcovr: totals differ from the truth's"
echo "gcovr: $(cat "$tmp/gcovr-hv.totals")"

# A unit that never ran (no .gcda) stays in the report with no line hit.
cp -R "$tmp/out-x86_64" "$tmp/partial"
find "$tmp/partial" -name table.gcda -exec rm {} +
run_report baseline -b "$build/constructors" -g "$tmp/partial"
awk '/^SF:.*\/table\.c$/ { found = 1; inside = 1 }
	inside && /^LH:/ { hit = $0; inside = 0 }
	END { exit !(found && hit == "LH:0") }' "$tmp/baseline/coverage.info" ||
	fail "the unit without .gcda is missing or not shown as never run"
run_report no-baseline --no-baseline -b "$build/constructors" -g "$tmp/partial"
! grep -q '^SF:.*/table\.c$' "$tmp/no-baseline/coverage.info" ||
	fail "--no-baseline still shows the unit without .gcda"

# Kbuild style (issue 17): sources named relative to the directory the
# compiler ran in, objects in another tree.  gcovr must find the sources
# through the .gcno's working directory and give lcov's totals, not "0 of
# 0" with exit 0; two units share a base name (main) in different
# directories.
kb=$tmp/kbuild
mkdir -p "$kb/src/sub" "$kb/out/sub"
printf 'int f(int x)\n{\n\tif (x > 2)\n\t\treturn 1;\n\treturn 0;\n}\n' >"$kb/src/sub/x.c"
printf 'int g(int x)\n{\n\treturn x ? 2 : 3;\n}\n' >"$kb/src/sub/main.c"
printf 'int f(int);\nint g(int);\nint main(int c, char **v)\n{\n\t(void)v;\n\treturn f(c) + g(c) - 2;\n}\n' >"$kb/src/main.c"
(cd "$kb/src" &&
	"$GCOV_CC" --coverage -c sub/x.c -o ../out/sub/x.o &&
	"$GCOV_CC" --coverage -c sub/main.c -o ../out/sub/main.o &&
	"$GCOV_CC" --coverage -c main.c -o ../out/main.o &&
	"$GCOV_CC" --coverage ../out/main.o ../out/sub/x.o ../out/sub/main.o \
		-o ../out/prog) || fail "cannot build the Kbuild-style unit"
"$kb/out/prog" || fail "the Kbuild-style program failed"
run_report kbuild-lcov -b "$kb/out"
run_report kbuild-gcovr --gcovr -b "$kb/out"
diff -u "$tmp/kbuild-lcov.totals" "$tmp/kbuild-gcovr.totals" ||
	fail "gcovr with relative source names: totals differ from lcov's"
! grep -q '(0 of 0)' "$tmp/kbuild-gcovr.totals" || fail "gcovr: empty totals"
echo "relative sources, gcovr: $(cat "$tmp/kbuild-gcovr.totals")"
# A report without a single line is a failure, never exit 0.
mkdir -p "$tmp/no-sources"
refused 1 "no lines" --gcovr -r "$tmp/no-sources" -b "$kb/out" -o "$tmp/r"
# -b a subdirectory, .gcda files mirrored as hvcov extract -o writes them:
# sub/main.gcda pairs with sub/main.gcno, and the top main.gcda (outside
# the subdirectory) with nothing, not with sub/main.gcno by its base name,
# and the report says that it left one out.
mirror=$tmp/mirror
mkdir -p "$mirror$kb/out/sub"
cp "$kb/out/main.gcda" "$mirror$kb/out/"
cp "$kb/out/sub/"*.gcda "$mirror$kb/out/sub/"
WARNED='warning: 1 .gcda file(s) under .* lie outside .* and are not in this report'
run_report subdir -b "$kb/out/sub" -g "$mirror"
[ "$(grep -c '^SF:' "$tmp/subdir/coverage.info")" -eq 2 ] &&
	! grep -q '^SF:.*/src/main\.c$' "$tmp/subdir/coverage.info" ||
	fail "-b a subdirectory: wrong units paired"
run_report subdir-gcovr --gcovr -b "$kb/out/sub" -g "$mirror"
WARNED=
diff -u "$tmp/subdir.totals" "$tmp/subdir-gcovr.totals" ||
	fail "-b a subdirectory: gcovr's totals differ from lcov's"

# Arguments that start with a dash are paths after an option that takes
# one: "-b -x" is the (empty) directory -x, not the tree at the objects'
# compiled-in paths, and "-o -rep" is a directory, not a mkdir option.
mkdir -p "$tmp/dash/-x"
(cd "$tmp/dash" && refused 1 "no .gcno" -b -x -g "$tmp/out-x86_64" -o out)
(cd "$tmp/dash" && "$report" -b "$build/constructors" -g "$tmp/out-x86_64" \
	-o -rep >/dev/null) || fail "-o -rep failed"
[ -s "$tmp/dash/-rep/index.html" ] || fail "-o -rep: no -rep/index.html"
# The same for the per-test report of a tagged snapshot.
"$hvcov" snapshot -q --image "$tmp/x86_64.img" -o "$tmp/dash/store" --tag t1 ||
	fail "snapshot for hvcov-report-tests"
(cd "$tmp/dash" && "$top_builddir/scripts/hvcov-report-tests" \
	-b "$build/constructors" -s store -o -tests >/dev/null) ||
	fail "hvcov-report-tests -o -tests failed"
[ -s "$tmp/dash/-tests/index.html" ] || fail "-o -tests: no -tests/index.html"

# Refusals.
mkdir -p "$tmp/empty" "$tmp/orphan/x"
refused 1 "no .gcda files" -b "$build/constructors" -g "$tmp/empty" -o "$tmp/r"
cp "$tmp/truth-x86_64$build/constructors/table.gcda" "$tmp/orphan/x/stray.gcda"
refused 1 "stray.gcda" -b "$build/constructors" -g "$tmp/orphan" -o "$tmp/r"
refused 2 "no build directory" -g "$tmp/orphan"
refused 2 "does not exist" -b "$tmp/nowhere"
refused 2 "unknown argument" --frobnicate
mkdir -p "$tmp/bin-old"
cat >"$tmp/bin-old/gcov" <<'OLD'
#!/bin/sh
echo "x.gcda:version 'B22*', prefer 'B33*'" >&2
OLD
chmod +x "$tmp/bin-old/gcov"
refused 1 "another GCC release" --gcov "$tmp/bin-old/gcov" \
	-b "$build/constructors" -g "$tmp/out-x86_64" -o "$tmp/r"
# A real mismatch: the build's .gcno files say GCC 13.1 (version word
# 'B31*', stored little-endian as "*13B"); the host gcov is GCC 12.
cp -R "$build/constructors" "$tmp/other-gcc"
for gcno in "$tmp/other-gcc"/*.gcno; do
	printf '*13B' | dd of="$gcno" bs=1 seek=4 conv=notrunc 2>/dev/null
done
refused 1 "another GCC release" -b "$tmp/other-gcc" -g "$tmp/out-x86_64" \
	-o "$tmp/r"
"$report" --version | grep -qx "hvcov-report (hvcov) $(sed -n 's/^#define PACKAGE_VERSION "\(.*\)"$/\1/p' "$top_builddir/config.h")" ||
	fail "--version does not give the package version"
"$report" --help | grep -q -- '--gcovr' || fail "--help lacks --gcovr"
echo "refusals: 7 cases, one line each"
