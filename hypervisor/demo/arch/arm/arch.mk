# SPDX-License-Identifier: BSD-2-Clause
# arm: HYP mode on qemu-system-arm -M virt,virtualization=on -cpu cortex-a15.
CROSS_COMPILE ?= $(if $(filter arm,$(HOST_ARCH)),,arm-linux-gnueabihf-)
# All hypervisor code: ARM state (the HYP vectors are ARM code), no FP/SIMD
# (nothing enables or saves it), Cortex-A15 (ldrexd/strexd counter updates).
ARCH_HV_CFLAGS := -marm -mcpu=cortex-a15 -mgeneral-regs-only
ARCH_PLAIN_CFLAGS := -fno-unwind-tables
# The guest runs with its MMU off: strongly-ordered memory, no unaligned
# access.
ARCH_GUEST_CFLAGS := -mno-unaligned-access
ARCH_SRCS := arch/arm/head.S arch/arm/vectors.S arch/arm/arch.c arch/virt-pl011.c
ARCH_HAS_GUEST := y
HOSTED_RUN := $(if $(CROSS_COMPILE),qemu-arm-static)
