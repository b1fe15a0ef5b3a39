# SPDX-License-Identifier: BSD-2-Clause
# The reference hypervisor: distributed (not built by make; its own Makefile
# builds it for make demo and for the tests in tests/demo/).
EXTRA_DIST += \
	%reldir%/Makefile \
	%reldir%/README.md \
	%reldir%/arch/arm/arch.c \
	%reldir%/arch/arm/arch.mk \
	%reldir%/arch/arm/demo.lds \
	%reldir%/arch/arm/head.S \
	%reldir%/arch/arm/vectors.S \
	%reldir%/arch/arm64/arch.c \
	%reldir%/arch/arm64/arch.mk \
	%reldir%/arch/arm64/demo.lds \
	%reldir%/arch/arm64/head.S \
	%reldir%/arch/arm64/vectors.S \
	%reldir%/arch/virt-pl011.c \
	%reldir%/arch/x86_64/arch.c \
	%reldir%/arch/x86_64/arch.mk \
	%reldir%/arch/x86_64/demo.lds \
	%reldir%/arch/x86_64/head.S \
	%reldir%/arch/x86_64/trampoline.S \
	%reldir%/common/arch.h \
	%reldir%/common/console.c \
	%reldir%/common/lib.c \
	%reldir%/common/main.c \
	%reldir%/common/phase.c \
	%reldir%/guest/guest.c \
	%reldir%/guest/hvc.h \
	%reldir%/script/script.c \
	%reldir%/script/script.h \
	%reldir%/script/replay.c \
	%reldir%/script/replay.h \
	%reldir%/tools/hvcov-demo-probe.c \
	%reldir%/workload/cell.c \
	%reldir%/workload/cell.h \
	%reldir%/workload/config.c \
	%reldir%/workload/console.c \
	%reldir%/workload/console.h \
	%reldir%/workload/cpu.c \
	%reldir%/workload/hosted-main.c \
	%reldir%/workload/hv.h \
	%reldir%/workload/hypercall.c \
	%reldir%/workload/hypercall.h

