# SPDX-License-Identifier: BSD-2-Clause
# x86_64: long mode on qemu-system-x86_64 (TCG, no VMX), entered via PVH,
# linked at a high virtual address like Jailhouse's.
CROSS_COMPILE ?= $(if $(filter x86_64,$(HOST_ARCH)),,x86_64-linux-gnu-)
# All hypervisor code: no SSE/x87 (nothing saves them), no red zone (a
# hypervisor must not rely on it), top-2 GiB code model for the high link.
ARCH_HV_CFLAGS := -mgeneral-regs-only -mno-red-zone -mcmodel=kernel
ARCH_PLAIN_CFLAGS :=
ARCH_GUEST_CFLAGS :=
ARCH_SRCS := arch/x86_64/head.S arch/x86_64/trampoline.S arch/x86_64/arch.c
ARCH_HAS_GUEST := n
HOSTED_RUN :=
