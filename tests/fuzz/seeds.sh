#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
#
# Make the fuzz targets' seed corpus from what the test suite produces:
#   DIR/images  the image builder's images (tests/fuzz/make-seeds), a
#               real image from each architecture's producer in both stub
#               modes (descriptor, Jailhouse and reader targets) and a clang
#               image (profraw target)
#   DIR/paths   .gcda paths (outpath target)
#   DIR/gcda    the .gcda files libgcov writes for the x86_64 image (gcda
#               target)
#   DIR/ledger  ledgers: written by two --merge runs of that image, and
#               written here with pending records (ledger target)
#   DIR/index, DIR/counters  a snapshot store's index.tsv and counters
#               files, of snapshots of that image (snapshot-index and
#               snapshot-counters targets)
# A producer whose compiler or qemu configure did not find is left out with a
# note: the builder's images still cover its ABI.
#
# usage: seeds.sh DIR   (run with top_builddir set, as make does)
set -eu

: "${top_builddir:?}"
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
export top_srcdir
dir=$1
. "$top_builddir/tests/lib/tools.sh"

rm -rf "$dir"
mkdir -p "$dir/images" "$dir/paths" "$dir/gcda" "$dir/ledger" "$dir/index" \
	"$dir/counters"
"$top_builddir/tests/fuzz/make-seeds" "$dir"

# A clang image (x86_64, hosted) for the profile reader.
if [ -n "${CLANG19:-}" ]; then
	"$top_srcdir/tests/llvm/build-image.sh" "$CLANG19" "$dir/clang" >/dev/null
	cp "$dir/clang/image.bin" "$dir/images/clang19-x86_64"
	rm -rf "$dir/clang"
else
	echo "seeds.sh: no clang-19; the profile reader has no clang image seed" >&2
fi

for arch in x86_64 arm64 arm; do
	build=$top_builddir/tests/producer/$arch
	case $arch in
	x86_64) run= ;;
	arm64) run=$QEMU_AARCH64 ;;
	arm) run=$QEMU_ARM ;;
	esac
	if [ -e "$build/missing" ] || [ ! -x "$build/producer-constructors" ] ||
		{ [ $arch != x86_64 ] && [ -z "$run" ]; }; then
		echo "seeds.sh: no $arch producer; its ABI comes from make-seeds only" >&2
		continue
	fi
	for mode in constructors info-section; do
		$run "$build/producer-$mode" "$dir/images/producer-$arch-$mode" 3 77 >/dev/null
	done
done

out=$dir/extract.tmp
if [ -f "$dir/images/producer-x86_64-constructors" ]; then
	"$top_builddir/tools/hvcov" extract -q -o "$out" \
		--image "$dir/images/producer-x86_64-constructors"
	n=0
	for gcda in $(find "$out" -name '*.gcda' | sort); do
		n=$((n + 1))
		cp "$gcda" "$dir/gcda/libgcov-$n.gcda"
	done
	rm -rf "$out"
	image=$dir/images/producer-x86_64-constructors
	"$top_builddir/tools/hvcov" extract -q --merge -o "$out" --image "$image"
	n=0
	for ledger in $(find "$out" -name .hvcov-ledger | sort); do
		n=$((n + 1))
		cp "$ledger" "$dir/ledger/merge-$n"
	done
	# Version 3 as a kill leaves it: the last (S) batch cut off, so a
	# P batch is last, or cut short (a torn tail).
	if [ -f "$dir/ledger/merge-1" ]; then
		last=$(grep -a -b '^B S ' "$dir/ledger/merge-1" | tail -n 1 | cut -d: -f1)
		size=$(wc -c <"$dir/ledger/merge-1")
		head -c "$last" "$dir/ledger/merge-1" >"$dir/ledger/merge-killed"
		head -c $((size - 5)) "$dir/ledger/merge-1" >"$dir/ledger/merge-torn"
	fi
	rm -rf "$out"
	store=$dir/store.tmp
	"$top_builddir/tools/hvcov" snapshot -q -o "$store" --image "$image"
	"$top_builddir/tools/hvcov" snapshot -q -o "$store" --image "$image" --tag t
	cp "$store/index.tsv" "$dir/index/index-2"
	n=0
	for counters in $(find "$store" -name counters | sort); do
		n=$((n + 1))
		cp "$counters" "$dir/counters/counters-$n"
	done
	rm -rf "$store"
fi
# Pending records: the scratch file a.gcda beside the ledger holds "gcda"
# (FNV-1a 64 79701f71fa4d5440), so these settle, or drop, or replace.
id=0000000000000001-0000000000000002
other=0000000000000003-0000000000000004
printf 'hvcov-ledger 2\n%s a.gcda\npending 79701f71fa4d5440 M %s a.gcda\n' \
	"$id" "$other" >"$dir/ledger/pending-merge"
printf 'hvcov-ledger 2\n%s a.gcda\npending 79701f71fa4d5440 R %s a.gcda\npending 0000000000000000 M %s b.gcda\n' \
	"$id" "$other" "$id" >"$dir/ledger/pending-replace"
printf 'hvcov-ledger 1\n%s a b.gcda\n' "$id" >"$dir/ledger/version-1"
printf 'hvcov-ledger 2\n' >"$dir/ledger/empty"
echo "seeds.sh: $(ls "$dir/images" | wc -l) images, $(ls "$dir/paths" | wc -l) paths, $(ls "$dir/gcda" | wc -l) .gcda files, $(ls "$dir/ledger" | wc -l) ledgers, $(ls "$dir/index" | wc -l) indexes, $(ls "$dir/counters" | wc -l) counters files in $dir"
