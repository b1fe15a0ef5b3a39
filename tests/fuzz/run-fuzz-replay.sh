#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# Every fuzz target, built without libFuzzer, runs the whole seed corpus
# (images of every ABI, header and GCC layout family, paths, real .gcda
# files) and every committed regression input without a crash or a broken
# invariant.  Under the sanitizer build (scripts/ci-sanitize) this is the
# replay under ASan and UBSan.
. "$top_srcdir/tests/lib/test-subr.sh"

TMPDIR=$tmp "$top_srcdir/tests/fuzz/seeds.sh" "$tmp/seeds"
# The image seeds are real images: hvcov decodes every one, so the fuzzer
# starts from inputs that reach the whole reader.
for image in "$tmp"/seeds/images/*; do
	"$hvcov" info --image "$image" >/dev/null ||
		fail "seed $(basename "$image") is not a readable image"
done
for target in descriptor jailhouse reader outpath gcda ledger snapshot-index \
	snapshot-counters profraw; do
	case $target in
	outpath) seeds=$tmp/seeds/paths ;;
	gcda) seeds=$tmp/seeds/gcda ;;
	ledger) seeds=$tmp/seeds/ledger ;;
	snapshot-index) seeds=$tmp/seeds/index ;;
	snapshot-counters) seeds=$tmp/seeds/counters ;;
	*) seeds=$tmp/seeds/images ;;
	esac
	[ -n "$(ls "$seeds")" ] || fail "no seeds for $target"
	regressions=$top_srcdir/tests/fuzz/regressions/$target
	[ -d "$regressions" ] || regressions=
	# shellcheck disable=SC2086 # regressions is empty or one directory
	"$top_builddir/tests/fuzz/fuzz-$target" "$seeds" $regressions >"$tmp/out" 2>&1 ||
		{ cat "$tmp/out"; fail "fuzz-$target failed on its corpus"; }
	cat "$tmp/out"
done
