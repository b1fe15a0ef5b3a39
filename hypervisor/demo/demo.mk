# SPDX-License-Identifier: BSD-2-Clause
# The reference hypervisor under QEMU, one test per architecture (each skips
# when its QEMU or cross compiler is missing).  The tests build the demo with
# hypervisor/demo/Makefile in their temporary directory (or $HVCOV_DEMO_BUILD).
TESTS += \
	hypervisor/demo/tests/run-demo-arm64.sh \
	hypervisor/demo/tests/run-demo-arm.sh \
	hypervisor/demo/tests/run-demo-x86_64.sh

EXTRA_DIST += \
	hypervisor/demo/tests/run-demo-arm64.sh \
	hypervisor/demo/tests/run-demo-arm.sh \
	hypervisor/demo/tests/run-demo-x86_64.sh \
	hypervisor/demo/tests/run-demo.sh \
	hypervisor/demo/tests/test-subr.sh \
	hypervisor/demo/Makefile hypervisor/demo/live.mk \
	hypervisor/demo/README.md \
	hypervisor/demo/arch/arm/arch.c \
	hypervisor/demo/arch/arm/arch.mk \
	hypervisor/demo/arch/arm/demo.lds \
	hypervisor/demo/arch/arm/head.S \
	hypervisor/demo/arch/arm/vectors.S \
	hypervisor/demo/arch/arm64/arch.c \
	hypervisor/demo/arch/arm64/arch.mk \
	hypervisor/demo/arch/arm64/demo.lds \
	hypervisor/demo/arch/arm64/head.S \
	hypervisor/demo/arch/arm64/vectors.S \
	hypervisor/demo/arch/virt-pl011.c \
	hypervisor/demo/arch/x86_64/arch.c \
	hypervisor/demo/arch/x86_64/arch.mk \
	hypervisor/demo/arch/x86_64/demo.lds \
	hypervisor/demo/arch/x86_64/head.S \
	hypervisor/demo/arch/x86_64/trampoline.S \
	hypervisor/demo/common/arch.h \
	hypervisor/demo/common/console.c \
	hypervisor/demo/common/lib.c \
	hypervisor/demo/common/main.c \
	hypervisor/demo/common/phase.c \
	hypervisor/demo/guest/guest.c \
	hypervisor/demo/guest/hvc.h \
	hypervisor/demo/script/script.c \
	hypervisor/demo/script/script.h \
	hypervisor/demo/script/replay.c \
	hypervisor/demo/script/replay.h \
	hypervisor/demo/tools/hvcov-demo-probe.c \
	hypervisor/demo/workload/cell.c \
	hypervisor/demo/workload/cell.h \
	hypervisor/demo/workload/config.c \
	hypervisor/demo/workload/console.c \
	hypervisor/demo/workload/console.h \
	hypervisor/demo/workload/cpu.c \
	hypervisor/demo/workload/hosted-main.c \
	hypervisor/demo/workload/hv.h \
	hypervisor/demo/workload/hypercall.c \
	hypervisor/demo/workload/hypercall.h \
	scripts/hvcov-demo scripts/demo-subr.sh scripts/hvcov-demo-live
