#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# hvcov itself on the targets: configure and build the tool for arm64 and
# armhf (./configure --host=TRIPLET, out of tree), check that the binary is
# for that machine, and rerun the extraction tests (ground truth on all
# three image architectures, refusals, merging, a 4 GiB RAM file and core:
# 64-bit file offsets on armhf) with it under qemu-user,
# as it would run on a root cell's Linux.  The target's libgcov (the cross
# GCC's) has the same gcov version as the producers' compilers.
. "$top_srcdir/tests/lib/test-subr.sh"

# The sources: a tree configured in place cannot host an out-of-tree
# build, so take a clean copy of the distribution's files then.
src=$top_srcdir
if [ -f "$top_srcdir/config.status" ]; then
	${MAKE:-make} -s -C "$top_builddir" distdir distdir="$tmp/src" \
		>"$tmp/distdir.log" 2>&1 || { cat "$tmp/distdir.log"; fail "make distdir"; }
	src=$tmp/src
fi

for arch in arm64 arm; do
	case $arch in
	arm64) triplet=aarch64-linux-gnu machine=AArch64 ;;
	arm) triplet=arm-linux-gnueabihf machine=ARM ;;
	esac
	arch_tools $arch
	libdir=/usr/lib/$triplet
	# libelf for the target: libelf-dev:ARCH's pkg-config file, or else
	# the run-time library libelf1:ARCH with the (architecture-neutral)
	# headers of the build machine's libelf-dev.
	if [ -f "$libdir/pkgconfig/libelf.pc" ]; then
		set -- PKG_CONFIG_LIBDIR="$libdir/pkgconfig"
	elif [ -f "$libdir/libelf.so.1" ] && [ -f /usr/include/gelf.h ]; then
		mkdir -p "$tmp/libelf-$arch/include" "$tmp/libelf-$arch/lib"
		ln -s /usr/include/libelf.h /usr/include/gelf.h "$tmp/libelf-$arch/include/"
		ln -s "$libdir/libelf.so.1" "$tmp/libelf-$arch/lib/libelf.so"
		set -- LIBELF_CFLAGS="-I$tmp/libelf-$arch/include" \
			LIBELF_LIBS="-L$tmp/libelf-$arch/lib -lelf -Wl,-rpath-link,$libdir"
	else
		skip "no libelf for $triplet (libelf1:$arch; run scripts/bootstrap)"
	fi
	build=$tmp/build-$arch
	mkdir -p "$build"
	(cd "$build" && "$src/configure" --host=$triplet "$@" >configure.log 2>&1) ||
		{ cat "$build/configure.log"; fail "$arch: configure --host=$triplet"; }
	${MAKE:-make} -s -C "$build" tools/hvcov >"$build/make.log" 2>&1 ||
		{ cat "$build/make.log"; fail "$arch: building hvcov"; }
	readelf -h "$build/tools/hvcov" | grep -q "Machine: *$machine" ||
		fail "$arch: $build/tools/hvcov is not an $machine program"

	# qemu-user runs it against the multiarch C library (libc6:ARCH, which
	# libelf1:ARCH brings); its -L prefix would hang libgcov's fork.
	cat >"$tmp/hvcov-$arch" <<WRAPPER
#!/bin/sh
exec $run "$build/tools/hvcov" "\$@"
WRAPPER
	chmod +x "$tmp/hvcov-$arch"
	"$tmp/hvcov-$arch" --version | grep -q "gcov version word 0x$HOST_GCOV_VERSION" ||
		fail "$arch: the cross-built hvcov does not run or has another gcov version"
	for test in run-extract-truth.sh run-extract-refusals.sh run-extract-merge.sh \
		run-big-memory.sh; do
		status=0
		HVCOV=$tmp/hvcov-$arch ${SHELL:-/bin/sh} "$top_srcdir/tests/cli/$test" \
			>"$tmp/$arch-$test.log" 2>&1 || status=$?
		[ $status -eq 0 ] ||
			{ cat "$tmp/$arch-$test.log"; fail "$arch hvcov: $test exit $status"; }
		echo "$arch hvcov under $(basename "$run"): $test passes"
	done
done
