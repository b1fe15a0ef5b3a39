/* SPDX-License-Identifier: BSD-2-Clause */
/* arm in HYP mode on QEMU virt: PSCI, guest entry and the hvc trap. */
#include <stdint.h>

#include "../../common/arch.h"

#define PSCI_CPU_ON_32 0x84000003ul

#define SPSR_SVC_MASKED 0x1d3ul /* SVC mode, ARM state, A, I, F masked */
#define HSR_EC_HVC 0x12u
#define GUEST_STACK 0x1000

struct trap_frame {
	unsigned long r[13];
	unsigned long lr;
};

void arm_trap(struct trap_frame *frame);
void hyp_unexpected(unsigned long kind) __attribute__((noreturn));
void guest_main(unsigned long cpu);

extern char secondary_entry[];
extern char guest_stacks[];

const char arch_level[] = "HYP";

unsigned arch_cpu_id(void)
{
	unsigned long mpidr;

	__asm__ volatile("mrc p15, 0, %0, c0, c0, 5" : "=r"(mpidr));
	return (unsigned)(mpidr & 0xff);
}

/* With virtualization=on QEMU's PSCI conduit is smc. */
int arch_start_cpu(unsigned id)
{
	register unsigned long r0 __asm__("r0") = PSCI_CPU_ON_32;
	register unsigned long r1 __asm__("r1") = id;
	register unsigned long r2 __asm__("r2") = (uintptr_t)secondary_entry;
	register unsigned long r3 __asm__("r3") = 0;

	__asm__ volatile(".arch_extension sec\n"
			 "smc #0"
			 : "+r"(r0), "+r"(r1), "+r"(r2), "+r"(r3)
			 :
			 : "memory");
	return r0 ? -1 : 0;
}

void arch_run_guest(unsigned id)
{
	unsigned long stack = (uintptr_t)guest_stacks + (id + 1) * GUEST_STACK;
	register unsigned long r0 __asm__("r0") = id;

	__asm__ volatile(
		".arch_extension virt\n"
		"msr sp_svc, %0\n"
		"msr elr_hyp, %1\n"
		/* The banked form is not allowed for Hyp's own SPSR. */
		"msr spsr_cxsf, %2\n"
		"isb\n"
		"eret"
		:
		: "r"(stack), "r"((uintptr_t)guest_main), "r"(SPSR_SVC_MASKED),
		  "r"(r0)
		: "memory");
	__builtin_unreachable();
}

void arch_halt(void)
{
	for (;;)
		__asm__ volatile("wfi");
}

void arm_trap(struct trap_frame *frame)
{
	unsigned id = arch_cpu_id();
	unsigned long hsr;

	__asm__ volatile("mrc p15, 4, %0, c5, c2, 0" : "=r"(hsr));
	if ((hsr >> 26) != HSR_EC_HVC) {
		hv_log_hex("hvcov-demo: unexpected trap, HSR ", hsr);
		arch_halt();
	}
	hv_guest_call(id, frame->r);
}

void hyp_unexpected(unsigned long kind)
{
	unsigned long hsr, elr;

	__asm__ volatile("mrc p15, 4, %0, c5, c2, 0" : "=r"(hsr));
	__asm__ volatile(".arch_extension virt\n"
			 "mrs %0, elr_hyp"
			 : "=r"(elr));
	hv_log_hex("hvcov-demo: unexpected exception, vector ", kind);
	hv_log_hex("hvcov-demo: HSR ", hsr);
	hv_log_hex("hvcov-demo: ELR_hyp ", elr);
	arch_halt();
}
