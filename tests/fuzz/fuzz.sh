#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
#
# make fuzz: build every fuzz target with clang's libFuzzer, AddressSanitizer
# and UndefinedBehaviorSanitizer, and run each for SECONDS seconds on the seed
# corpus (seeds.sh), the committed regressions and what earlier runs found.
# LeakSanitizer runs too (libFuzzer checks each input for leaks), inputs
# taking more than 5 s count as hangs, and more than 1 GiB as memory blow-up.
# A crashing input is left in BUILD/crashes/; copy it into
# tests/fuzz/regressions/TARGET/ so that make check replays it for ever.
# The last line sums libFuzzer's own counts of executed inputs.
#
# usage: fuzz.sh CC SRCDIR BUILD SECONDS TARGET... -- LIBRARY-SOURCE...
#   (run by make, with top_builddir set)
set -eu

cc=$1 srcdir=$2 build=$3 seconds=$4
shift 4
targets=
while [ $# -gt 0 ] && [ "$1" != -- ]; do
	targets="$targets $1"
	shift
done
[ $# -gt 0 ] && shift
sources=$*

mkdir -p "$build/obj" "$build/crashes" "$build/logs"
flags="-g -O1 -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE
-D_FILE_OFFSET_BITS=64 -DHAVE_CONFIG_H -I$srcdir/tools -I$srcdir/hypervisor/include -I$top_builddir
$(pkg-config --cflags libelf 2>/dev/null || :)
-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer"

echo "fuzz: building with $cc"
# The whole library goes into an archive, so that each target links only
# the modules it reaches (the ELF and libgcov ones it does not).
objects=
for source in $sources; do
	case $source in *.c) ;; *) continue ;; esac
	object=$build/obj/$(echo "$source" | tr / _).o
	# shellcheck disable=SC2086 # flags are words
	$cc $flags -fsanitize=fuzzer-no-link -c "$srcdir/$source" -o "$object"
	objects="$objects $object"
done
rm -f "$build/libhvcov-fuzz.a"
# shellcheck disable=SC2086
ar cr "$build/libhvcov-fuzz.a" $objects
# shellcheck disable=SC2086
$cc $flags -fsanitize=fuzzer-no-link -c "$srcdir/tests/fuzz/support.c" \
	-o "$build/obj/support.o"
for target in $targets; do
	# shellcheck disable=SC2086
	$cc $flags -fsanitize=fuzzer "$srcdir/tests/fuzz/fuzz-$target.c" \
		"$build/obj/support.o" "$build/libhvcov-fuzz.a" -o "$build/fuzz-$target"
done

TMPDIR=$build "$srcdir/tests/fuzz/seeds.sh" "$build/seeds"

total=0 failed=
for target in $targets; do
	case $target in
	outpath) seeds=$build/seeds/paths ;;
	gcda) seeds=$build/seeds/gcda ;;
	ledger) seeds=$build/seeds/ledger ;;
	snapshot-index) seeds=$build/seeds/index ;;
	snapshot-counters) seeds=$build/seeds/counters ;;
	*) seeds=$build/seeds/images ;;
	esac
	regressions=
	[ -d "$srcdir/tests/fuzz/regressions/$target" ] &&
		regressions=$srcdir/tests/fuzz/regressions/$target
	mkdir -p "$build/corpus/$target"
	log=$build/logs/$target.log
	echo "fuzz: $target for $seconds s (log $log)"
	status=0
	# shellcheck disable=SC2086 # regressions is empty or one directory
	"$build/fuzz-$target" -max_total_time="$seconds" -timeout=5 \
		-rss_limit_mb=1024 -print_final_stats=1 \
		-artifact_prefix="$build/crashes/$target-" \
		"$build/corpus/$target" "$seeds" $regressions \
		>"$log" 2>&1 || status=$?
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
	secs=$(sed -n 's/^Done [0-9]* runs in \([0-9]*\) second.*/\1/p' "$log" | tail -1)
	echo "fuzz: $target: ${runs:-?} executions in ${secs:-?} s, exit $status"
	if [ "$status" -ne 0 ]; then
		grep -E '^(==[0-9]+==ERROR|SUMMARY|.*invariant violated|artifact_prefix|Test unit written)' "$log" | head -8 >&2
		failed="$failed $target"
	fi
	total=$((total + ${runs:-0}))
done
echo "fuzz: $total executions in total"
if [ -n "$failed" ]; then
	echo "fuzz: FAILED:$failed; inputs are in $build/crashes" >&2
	exit 1
fi
