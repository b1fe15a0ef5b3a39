# SPDX-License-Identifier: BSD-2-Clause
# Sourced by every shell test: a private temporary directory removed on exit,
# the tools configure found, and skip/fail helpers.  Under CI (CI set) or
# with HVCOV_NO_SKIP set, a missing tool is a failure, never a skip.
set -eu

: "${top_srcdir:?run through make check}"
: "${top_builddir:?run through make check}"
. "$top_builddir/tests/tools.sh"

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
hvcov=$top_builddir/tools/hvcov
