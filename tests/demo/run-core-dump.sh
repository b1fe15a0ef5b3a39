#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# An ELF core of the whole machine is an image source: boot the reference
# hypervisor (x86_64: RAM from physical 0; arm64: RAM at 0x40000000 on
# virt) with its RAM in a shared file, wait until its descriptor says
# DISABLED, have QEMU's own monitor write an ELF core (dump-guest-memory),
# and prove that `hvcov extract --core` writes .gcda files byte-identical
# to `hvcov extract --image` of the RAM file, and that the core verifies
# against the hypervisor ELF.  A core whose segment runs past its file
# end is refused with one line.
. "$top_srcdir/tests/lib/test-subr.sh"

demo_src=$top_srcdir/hypervisor/demo

# boot_and_dump ARCH DIR: RAM file DIR/ram.img and core DIR/core.elf.
boot_and_dump() {
	arch=$1 dir=$2
	case $arch in
	x86_64) require QEMU_SYSTEM_X86_64
		qemu="$QEMU_SYSTEM_X86_64 -M pc" ;;
	arm64) require QEMU_SYSTEM_AARCH64 AARCH64_CC
		qemu="$QEMU_SYSTEM_AARCH64 -M virt,virtualization=on -cpu cortex-a57" ;;
	esac
	mkdir -p "$dir"
	mkfifo "$dir/monitor"
	# The monitor reads the FIFO: the test holds it open on fd 3.
	# shellcheck disable=SC2086 # $qemu holds the program and its machine words
	$qemu -accel tcg -smp 2 -m 64M -no-reboot -nodefaults -display none \
		-serial "file:$dir/serial.log" -monitor stdio \
		-object "memory-backend-file,id=ram,size=64M,mem-path=$dir/ram.img,share=on" \
		-machine memory-backend=ram -kernel "$elf" \
		<"$dir/monitor" >"$dir/monitor.log" 2>"$dir/qemu.log" &
	qemu_pid=$!
	exec 3>"$dir/monitor"
	tries=0
	until [ "$("$hvcov" info --json --image "$dir/ram.img" 2>/dev/null |
		sed -n 's/^ *"state": *"\([a-z]*\)".*/\1/p')" = disabled ]; do
		tries=$((tries + 1))
		if [ $tries -gt 600 ] || ! kill -0 $qemu_pid 2>/dev/null; then
			kill $qemu_pid 2>/dev/null
			cat "$dir/serial.log" "$dir/qemu.log" >&2
			fail "$arch: the demo never reached DISABLED"
		fi
		sleep 0.1
	done
	# HMP dump-guest-memory without -d is synchronous: quit follows it.
	echo "dump-guest-memory $dir/core.elf" >&3
	echo quit >&3
	exec 3>&-
	wait $qemu_pid || true
	[ -s "$dir/core.elf" ] ||
		{ cat "$dir/monitor.log" "$dir/qemu.log"; fail "$arch: no core"; }
}

for arch in x86_64 arm64; do
	make -s -C "$demo_src" ARCH=$arch O="$tmp/build" hv \
		>"$tmp/make.log" 2>&1 || { cat "$tmp/make.log"; fail "$arch: demo build"; }
	elf=$tmp/build/$arch/hv/hvcov-demo.elf
	run=$tmp/run-$arch
	boot_and_dump $arch "$run"

	readelf -lW "$run/core.elf" | grep -q '^ *LOAD' ||
		fail "$arch: the core has no PT_LOAD segment"
	"$hvcov" extract --quiet --image "$run/ram.img" -o "$run/from-ram" ||
		fail "$arch: extract --image"
	"$hvcov" extract --quiet --core "$run/core.elf" -o "$run/from-core" ||
		fail "$arch: extract --core"
	n=0
	for gcda in $(cd "$run/from-ram" && find . -name '*.gcda'); do
		cmp "$run/from-ram/$gcda" "$run/from-core/$gcda" ||
			fail "$arch: $gcda from the core differs from the RAM file's"
		n=$((n + 1))
	done
	[ $n -eq 4 ] || fail "$arch: $n .gcda files from the RAM file, wanted 4"
	[ "$(cd "$run/from-core" && find . -name '*.gcda' | wc -l)" -eq 4 ] ||
		fail "$arch: extract --core wrote other files"
	"$hvcov" verify --core "$run/core.elf" --elf "$elf" >"$run/verify.log" ||
		{ cat "$run/verify.log"; fail "$arch: the core does not verify"; }
	grep -q '^section \.text .* matches the image' "$run/verify.log" ||
		fail "$arch: .text not compared: $(cat "$run/verify.log")"
	echo "$arch: 4 .gcda files from the QEMU core equal the RAM file's; the core verifies"
done

# The last core, with its first PT_LOAD's p_filesz made larger than the
# file: refused, nothing written.
perl -e '
	open(my $in, "<:raw", $ARGV[0]) or die; local $/; my $d = <$in>;
	substr($d, 4, 1) eq "\x02" or die "expected an ELF64 core\n";
	my $phoff = unpack("Q<", substr($d, 0x20, 8));
	my ($size, $n) = unpack("S<S<", substr($d, 0x36, 4));
	for my $i (0 .. $n - 1) {
		my $at = $phoff + $i * $size;
		next unless unpack("L<", substr($d, $at, 4)) == 1;
		substr($d, $at + 32, 16) = pack("Q<Q<", length($d), length($d));
		last;
	}
	open(my $out, ">:raw", $ARGV[1]) or die; print $out $d;
' "$run/core.elf" "$tmp/bad.elf" || fail "cannot make the bad core"
expect_refusal 1 'runs past the end of the' "$tmp/bad-out" \
	"$hvcov" extract --core "$tmp/bad.elf" -o "$tmp/bad-out"
