# SPDX-License-Identifier: BSD-2-Clause
# Sourced by every shell test: a private temporary directory removed on exit,
# the tools configure found, and skip/fail helpers.  Under CI (CI set) or
# with HVCOV_NO_SKIP set, a missing tool is a failure, never a skip.
set -eu

: "${top_srcdir:?run through make check}"
: "${top_builddir:?run through make check}"
. "$top_builddir/tests/lib/tools.sh"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/hvcov-test.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

fail() {
	echo "FAIL: $*" >&2
	exit 1
}

skip() {
	if [ -n "${CI:-}" ] || [ -n "${HVCOV_NO_SKIP:-}" ]; then
		fail "$* (skipping is not allowed under CI: run scripts/bootstrap)"
	fi
	echo "SKIP: $*"
	exit 77
}

# require VAR...: each tools.sh variable must name a tool configure found.
require() {
	for var in "$@"; do
		eval "value=\${$var:-}"
		[ -n "$value" ] || skip "$var was not found by configure"
	done
}

# The compiler, runner, gcov and gcov-dump variables for an architecture.
arch_tools() {
	case $1 in
	x86_64) arch_cc=GCOV_CC arch_run= arch_gcov=GCOV arch_dump=GCOV_DUMP ;;
	arm64) arch_cc=AARCH64_CC arch_run=QEMU_AARCH64 arch_gcov=AARCH64_GCOV arch_dump=AARCH64_GCOV_DUMP ;;
	arm) arch_cc=ARM_CC arch_run=QEMU_ARM arch_gcov=ARM_GCOV arch_dump=ARM_GCOV_DUMP ;;
	*) fail "unknown architecture $1" ;;
	esac
	require $arch_cc $arch_gcov $arch_dump ${arch_run}
	run=
	[ -z "$arch_run" ] || eval "run=\$$arch_run"
	eval "gcov=\$$arch_gcov dump=\$$arch_dump"
}

ARCHES="x86_64 arm64 arm"
producers=$top_builddir/tests/producer
# HVCOV: another hvcov to test (e.g. a cross-built one under qemu-user).
hvcov=${HVCOV:-$top_builddir/tools/hvcov}
# hvcov-report-tests runs it too (hvcov report --list-prime-paths).
HVCOV=$hvcov
export HVCOV

# gcov-dump -l of a file without the file-name prefix of each line, so that
# files at different paths compare.  Extra sed expressions drop lines that
# legitimately differ (e.g. '/^stamp /d').
dump_records() {
	file=$1
	shift
	"$dump" -l "$file" | sed -e 's/^[^:]*://' "$@"
}

# same_records A B MESSAGE [SED-EXPR...]: the .gcda files A and B must hold
# the same records (dump_records of each, the sed expressions applied to
# both); otherwise show the difference and fail with MESSAGE.
same_records() {
	records_a=$1 records_b=$2 records_message=$3
	shift 3
	dump_records "$records_a" "$@" >"$tmp/records-a.txt"
	dump_records "$records_b" "$@" >"$tmp/records-b.txt"
	diff -u "$tmp/records-a.txt" "$tmp/records-b.txt" || fail "$records_message"
}

# gcov must read every .gcda of a directory against its .gcno without a
# word on stderr (stamp, version or checksum mismatches all warn there).
gcov_reads_cleanly() {
	dir=$1
	(cd "$dir" && for gcda in *.gcda; do
		"$gcov" -b -c -o . "${gcda%.gcda}.gcno" >gcov.out 2>gcov.err ||
			{ cat gcov.err; exit 1; }
		if [ -s gcov.err ]; then
			cat gcov.err
			exit 1
		fi
	done) || fail "$gcov warns about the files in $dir"
}

# expect_refusal STATUS PATTERN OUTDIR COMMAND...: the command must exit with
# STATUS, print exactly one line on stderr matching PATTERN (a usage error
# may add the "Try 'hvcov ... --help'" hint) and nothing on stdout, and leave
# OUTDIR without any file.
expect_refusal() {
	want=$1 pattern=$2 outdir=$3
	shift 3
	status=0
	"$@" >"$tmp/refusal.out" 2>"$tmp/refusal.err" || status=$?
	[ "$status" -eq "$want" ] ||
		fail "$*: exit $status, wanted $want ($(cat "$tmp/refusal.err"))"
	[ "$(grep -cv "^Try 'hvcov" "$tmp/refusal.err")" -eq 1 ] ||
		fail "$*: wanted one line on stderr, got: $(cat "$tmp/refusal.err")"
	grep -q -- "$pattern" "$tmp/refusal.err" ||
		fail "$*: '$(cat "$tmp/refusal.err")' does not say '$pattern'"
	[ ! -s "$tmp/refusal.out" ] || fail "$*: printed on stdout"
	if [ -d "$outdir" ] && [ -n "$(find "$outdir" -type f)" ]; then
		fail "$*: wrote $(find "$outdir" -type f)"
	fi
	echo "refused as expected: $(cat "$tmp/refusal.err")"
}

# patch_bytes FILE FROM TO: replace every occurrence of the byte string FROM
# by TO (same length) in FILE; fails when FROM does not occur.
patch_bytes() {
	FROM=$2 TO=$3 perl -0777 -pi -e '
		length($ENV{FROM}) == length($ENV{TO}) or die "lengths differ\n";
		s/\Q$ENV{FROM}\E/$ENV{TO}/g or die "no match\n";' "$1" ||
		fail "cannot patch $1"
}
