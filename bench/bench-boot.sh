#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
#
# bench-boot.sh ARCH BUILD COVERAGE: build the demo hypervisor for ARCH under
# BUILD/cov$COVERAGE (COVERAGE 1: as `make demo` builds it; 0: without
# coverage, see hypervisor/demo/Makefile), boot it under QEMU exactly as
# scripts/hvcov-demo does, and print the milliseconds from starting QEMU to
# the serial line the demo prints once every CPU has finished the workload
# (both builds print it, just before hvcov_disable()).  Polls every 10 ms.
#
# Exit status: 0 measured, 1 no end line within 60 s, 2 usage or build error.

set -u

arch=${1:?usage: bench-boot.sh ARCH BUILD COVERAGE}
build=${2:?usage: bench-boot.sh ARCH BUILD COVERAGE}
cov=${3:?usage: bench-boot.sh ARCH BUILD COVERAGE}
top=$(cd "$(dirname "$0")/.." && pwd)
end_line='all CPUs parked'

case $arch in
arm64) qemu="qemu-system-aarch64 -M virt,virtualization=on -cpu cortex-a57" ;;
arm) qemu="qemu-system-arm -M virt,virtualization=on -cpu cortex-a15" ;;
x86_64) qemu="qemu-system-x86_64 -M pc" ;;
*) echo "bench-boot: unknown architecture $arch" >&2; exit 2 ;;
esac
out=$build/cov$cov
mkdir -p "$build" || exit 2
make -s -C "$top/hypervisor/demo" ARCH="$arch" O="$out" COVERAGE="$cov" hv \
	>"$out.make.log" 2>&1 || {
	cat "$out.make.log" >&2
	exit 2
}
run=$out/$arch/run
mkdir -p "$run" || exit 2
rm -f "$run/ram.img" "$run/serial.log"

now_ms() {
	date +%s%3N
}

start=$(now_ms)
# shellcheck disable=SC2086 # $qemu holds the program and its machine words
$qemu -accel tcg -smp 2 -m 64M -no-reboot -nodefaults \
	-display none -monitor none -serial "file:$run/serial.log" \
	-object "memory-backend-file,id=ram,size=64M,mem-path=$run/ram.img,share=on" \
	-machine memory-backend=ram -kernel "$out/$arch/hv/hvcov-demo.elf" \
	2>"$run/qemu.log" &
pid=$!
trap 'kill "$pid" 2>/dev/null' EXIT INT TERM
deadline=$((start + 60000))
status=1
while kill -0 "$pid" 2>/dev/null && [ "$(now_ms)" -lt "$deadline" ]; do
	if grep -q "$end_line" "$run/serial.log" 2>/dev/null; then
		status=0
		break
	fi
	sleep 0.01
done
elapsed=$(($(now_ms) - start))
kill "$pid" 2>/dev/null
wait "$pid" 2>/dev/null
trap - EXIT INT TERM
if [ $status -ne 0 ]; then
	echo "bench-boot: $arch (coverage $cov): no '$end_line' after" \
		"$elapsed ms" >&2
	cat "$run/serial.log" "$run/qemu.log" >&2
	exit 1
fi
echo "$elapsed"
