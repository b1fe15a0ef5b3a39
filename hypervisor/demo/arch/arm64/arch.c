/* SPDX-License-Identifier: BSD-2-Clause */
/* arm64 at EL2 on QEMU virt: PSCI, guest entry and the hvc trap. */
#include <stdint.h>

#include "../../common/arch.h"

#define PSCI_CPU_ON_64 0xc4000003ul

#define HCR_RW (1ul << 31)          /* EL1 is AArch64 */
#define SCTLR_EL1_RES1 0x30d00800ul /* EL1 MMU and caches off */
#define SPSR_EL1H_MASKED 0x3c5ul    /* EL1h, D, A, I, F masked */
#define ESR_EC_HVC64 0x16u
#define GUEST_STACK 0x1000

struct trap_frame {
	unsigned long x[31];
	unsigned long pad;
};

void arm64_trap(struct trap_frame *frame);
void el2_unexpected(unsigned long kind) __attribute__((noreturn));
void guest_main(unsigned long cpu);

extern char secondary_entry[];
extern char guest_stacks[];

const char arch_level[] = "EL2";

unsigned arch_cpu_id(void)
{
	unsigned long mpidr;

	__asm__ volatile("mrs %0, mpidr_el1" : "=r"(mpidr));
	return (unsigned)(mpidr & 0xff);
}

/* With virtualization=on QEMU's PSCI conduit is smc. */
int arch_start_cpu(unsigned id)
{
	register unsigned long x0 __asm__("x0") = PSCI_CPU_ON_64;
	register unsigned long x1 __asm__("x1") = id;
	register unsigned long x2 __asm__("x2") = (uintptr_t)secondary_entry;
	register unsigned long x3 __asm__("x3") = 0;

	__asm__ volatile("smc #0"
			 : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3)
			 :
			 : "memory");
	return x0 ? -1 : 0;
}

void arch_run_guest(unsigned id)
{
	unsigned long stack = (uintptr_t)guest_stacks + (id + 1) * GUEST_STACK;
	register unsigned long x0 __asm__("x0") = id;

	__asm__ volatile("msr hcr_el2, %0\n"
			 "msr sctlr_el1, %1\n"
			 "msr sp_el1, %2\n"
			 "msr elr_el2, %3\n"
			 "msr spsr_el2, %4\n"
			 "isb\n"
			 "eret"
			 :
			 : "r"(HCR_RW), "r"(SCTLR_EL1_RES1), "r"(stack),
			   "r"((uintptr_t)guest_main), "r"(SPSR_EL1H_MASKED),
			   "r"(x0)
			 : "memory");
	__builtin_unreachable();
}

void arch_halt(void)
{
	for (;;)
		__asm__ volatile("wfi");
}

void arm64_trap(struct trap_frame *frame)
{
	unsigned id = arch_cpu_id();
	unsigned long esr;

	__asm__ volatile("mrs %0, esr_el2" : "=r"(esr));
	if ((esr >> 26) != ESR_EC_HVC64) {
		hv_log_hex("hvcov-demo: unexpected trap, ESR_EL2 ", esr);
		arch_halt();
	}
	hv_guest_call(id, frame->x);
}

void el2_unexpected(unsigned long kind)
{
	unsigned long esr, elr;

	__asm__ volatile("mrs %0, esr_el2" : "=r"(esr));
	__asm__ volatile("mrs %0, elr_el2" : "=r"(elr));
	hv_log_hex("hvcov-demo: unexpected exception, vector ", kind);
	hv_log_hex("hvcov-demo: ESR_EL2 ", esr);
	hv_log_hex("hvcov-demo: ELR_EL2 ", elr);
	arch_halt();
}
