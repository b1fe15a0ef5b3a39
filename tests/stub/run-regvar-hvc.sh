#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# Instrumentation must not change what hypervisor code computes: the
# register-variable idiom around hvc (tests/stub/regvar-hvc.c), compiled with the
# HVCOV_CFLAGS that hvcov.mk gives each compiler, returns the hypervisor's
# answer on arm64 and arm (run under qemu-user, hvc emulated by a SIGILL
# handler), and the coverage it records is right: gcov counts hv_call()
# called 4 times.  On arm64 the same program built with GCC's outline
# atomics (the flags before -mno-outline-atomics) is shown to return a
# counter instead, so this test can see the failure it guards against.
. "$top_srcdir/tests/lib/test-subr.sh"

hvcov_cflags() {
	printf 'print:\n\t@echo $(HVCOV_CFLAGS)\n' |
		env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL ${MAKE:-make} -s \
			--no-print-directory -f "$top_srcdir/hypervisor/hvcov.mk" \
			-f - print CC="$1"
}

for arch in arm64 arm; do
	arch_tools "$arch"
	eval "cc=\$$arch_cc"
	flags=$(hvcov_cflags "$cc")
	echo "$arch: HVCOV_CFLAGS = $flags"
	dir=$tmp/$arch
	mkdir -p "$dir"
	cp "$top_srcdir/tests/stub/regvar-hvc.c" "$dir/"
	# shellcheck disable=SC2086 # word list
	(cd "$dir" && $cc -O2 $flags -static -o regvar-hvc regvar-hvc.c) ||
		fail "$arch: cannot build regvar-hvc.c with HVCOV_CFLAGS"
	(cd "$dir" && $run ./regvar-hvc) ||
		fail "$arch: an hvc result was lost with HVCOV_CFLAGS ($flags)"
	(cd "$dir" && "$gcov" -f regvar-hvc.gcno >gcov.out 2>&1) ||
		{ cat "$dir/gcov.out"; fail "$arch: gcov"; }
	grep -q '^ *4: *[0-9]*:__attribute__((noinline)) unsigned long hv_call' \
		"$dir/regvar-hvc.c.gcov" ||
		fail "$arch: gcov does not count hv_call() 4 times: $(grep -n 'hv_call(unsigned' "$dir/regvar-hvc.c.gcov")"
	if [ "$arch" = arm64 ]; then
		case $flags in
		*-mno-outline-atomics*) ;;
		*) fail "arm64: HVCOV_CFLAGS lacks -mno-outline-atomics, which $cc accepts" ;;
		esac
		mkdir -p "$dir/outline"
		cp "$top_srcdir/tests/stub/regvar-hvc.c" "$dir/outline/"
		# shellcheck disable=SC2086 # word list
		(cd "$dir/outline" && $cc -O2 $flags -moutline-atomics -static \
			-o regvar-hvc regvar-hvc.c) || fail "arm64: outline build"
		if (cd "$dir/outline" && $run ./regvar-hvc); then
			echo "note: $cc keeps x0 even with outline atomics"
		else
			echo "arm64: with -moutline-atomics the result is lost, as expected"
		fi
	fi
done
