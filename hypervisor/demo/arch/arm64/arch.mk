# SPDX-License-Identifier: BSD-2-Clause
# arm64: EL2 on qemu-system-aarch64 -M virt,virtualization=on.
CROSS_COMPILE ?= $(if $(filter arm64,$(HOST_ARCH)),,aarch64-linux-gnu-)
# All hypervisor code: no FP/SIMD at EL2 (nothing saves those registers).
ARCH_HV_CFLAGS := -march=armv8-a -mgeneral-regs-only
# Uninstrumented code: inline atomics, as no libgcc helper is linked (the
# instrumented code's counter helper comes from the hvcov stub).
ARCH_PLAIN_CFLAGS := -mno-outline-atomics
# The guest runs with its MMU off: Device memory faults on unaligned access.
ARCH_GUEST_CFLAGS := -mstrict-align
ARCH_SRCS := arch/arm64/head.S arch/arm64/vectors.S arch/arm64/arch.c arch/virt-pl011.c
ARCH_HAS_GUEST := y
HOSTED_RUN := $(if $(CROSS_COMPILE),qemu-aarch64-static)
