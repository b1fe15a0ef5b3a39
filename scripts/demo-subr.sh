# SPDX-License-Identifier: BSD-2-Clause
#
# Sourced by scripts/hvcov-demo and scripts/hvcov-demo-live: how the demo
# hypervisor is booted under QEMU, with its guest RAM in a shared file that
# the host reads like hypervisor memory.  Callers define die().

# Guest RAM size: the RAM file is this big (sparse).
demo_ram_size=64M

# demo_machine ARCH: set $qemu to the QEMU program and its machine words.
demo_machine() {
	case $1 in
	arm64) qemu="qemu-system-aarch64 -M virt,virtualization=on -cpu cortex-a57" ;;
	arm) qemu="qemu-system-arm -M virt,virtualization=on -cpu cortex-a15" ;;
	x86_64) qemu="qemu-system-x86_64 -M pc" ;;
	*) die 2 "unknown architecture '$1' (arm64, arm, x86_64)" ;;
	esac
	command -v "${qemu%% *}" >/dev/null || die 2 "${qemu%% *} not found"
}

# demo_start_qemu ELF RAMFILE QEMULOG SERIAL-OPTION...: boot ELF in the
# background on two CPUs; $qemu_pid is QEMU's process.
demo_start_qemu() {
	demo_elf=$1 demo_ram=$2 demo_log=$3
	shift 3
	# shellcheck disable=SC2086 # $qemu holds the program and its machine words
	$qemu -accel tcg -smp 2 -m $demo_ram_size -no-reboot -nodefaults \
		-display none -monitor none "$@" \
		-object "memory-backend-file,id=ram,size=$demo_ram_size,mem-path=$demo_ram,share=on" \
		-machine memory-backend=ram -kernel "$demo_elf" 2>"$demo_log" &
	qemu_pid=$!
}
