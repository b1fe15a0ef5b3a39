# SPDX-License-Identifier: BSD-2-Clause
# The reference hypervisor under QEMU, one test per architecture (each skips
# when its QEMU or cross compiler is missing).  The tests build the demo with
# %reldir%/Makefile in their temporary directory (or $HVCOV_DEMO_BUILD).
TESTS += \
	%reldir%/tests/run-demo-arm64.sh \
	%reldir%/tests/run-demo-arm.sh \
	%reldir%/tests/run-demo-x86_64.sh

EXTRA_DIST += \
	%reldir%/tests/run-demo-arm64.sh \
	%reldir%/tests/run-demo-arm.sh \
	%reldir%/tests/run-demo-x86_64.sh \
	%reldir%/tests/run-demo.sh \
	%reldir%/tests/test-subr.sh \
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
	%reldir%/workload/console.c \
	%reldir%/workload/console.h \
	%reldir%/workload/cpu.c \
	%reldir%/workload/hosted-main.c \
	%reldir%/workload/hv.h \
	%reldir%/workload/hypercall.c \
	%reldir%/workload/hypercall.h

