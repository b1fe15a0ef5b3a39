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
# A producer whose compiler or qemu configure did not find is left out with a
# note: the builder's images still cover its ABI.
#
# usage: seeds.sh DIR   (run with top_builddir set, as make does)
set -eu

: "${top_builddir:?}"
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
dir=$1
. "$top_builddir/tests/lib/tools.sh"

rm -rf "$dir"
mkdir -p "$dir/images" "$dir/paths" "$dir/gcda"
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
fi
echo "seeds.sh: $(ls "$dir/images" | wc -l) images, $(ls "$dir/paths" | wc -l) paths, $(ls "$dir/gcda" | wc -l) .gcda files in $dir"
