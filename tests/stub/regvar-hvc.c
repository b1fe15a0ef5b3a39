/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The register-variable idiom hypervisors use around hvc/smc (PSCI calls,
 * firmware calls), compiled with HVCOV_CFLAGS: the asm statement's output
 * operand lives in x0/r0 and is returned.  Coverage instrumentation must not
 * put anything between the hvc and the use of x0 that clobbers it (GCC's
 * outline atomics did: a call to __aarch64_ldadd8_relax returned a counter's
 * old value instead).
 *
 * Under qemu-user the hvc instruction is undefined at EL0 and raises
 * SIGILL; the handler plays the hypervisor: it answers in x0/r0 with a value
 * derived from the function ID and steps over the instruction (4 bytes in
 * A64, A32 and Thumb-2).  Exit 0 when every call returned its answer.
 */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <ucontext.h>

#define ANSWER(fid) ((fid) ^ 0x5a5a5a5aUL)

unsigned long hv_call(unsigned long fid);

__attribute__((noinline)) unsigned long hv_call(unsigned long fid)
{
#if defined(__aarch64__)
	register unsigned long x0 __asm__("x0") = fid;

	__asm__ volatile("hvc #0" : "+r"(x0) : : "memory");
	return x0;
#elif defined(__arm__)
	register unsigned long r0 __asm__("r0") = fid;

	__asm__ volatile(".arch_extension virt\n\thvc #0"
			 : "+r"(r0)
			 :
			 : "memory");
	return r0;
#else
#error "hvc exists on arm and arm64 only"
#endif
}

static void on_sigill(int sig, siginfo_t *info, void *context)
{
	ucontext_t *uc = context;

	(void)sig;
	(void)info;
#if defined(__aarch64__)
	uc->uc_mcontext.regs[0] = ANSWER(uc->uc_mcontext.regs[0]);
	uc->uc_mcontext.pc += 4;
#else
	uc->uc_mcontext.arm_r0 = ANSWER(uc->uc_mcontext.arm_r0);
	uc->uc_mcontext.arm_pc += 4;
#endif
}

int main(void)
{
	struct sigaction action;
	int wrong = 0;

	memset(&action, 0, sizeof(action));
	action.sa_sigaction = on_sigill;
	action.sa_flags = SA_SIGINFO;
	if (sigaction(SIGILL, &action, NULL) < 0) {
		perror("regvar-hvc: sigaction");
		return 2;
	}
	/* PSCI function IDs, as a CPU bring-up would use them. */
	for (unsigned long fid = 0x84000000UL; fid < 0x84000004UL; fid++) {
		unsigned long got = hv_call(fid);

		if (got != ANSWER(fid)) {
			printf("regvar-hvc: hvc 0x%lx returned 0x%lx, not 0x%lx\n",
			       fid, got, ANSWER(fid));
			wrong = 1;
		}
	}
	if (!wrong)
		puts("regvar-hvc: every hvc returned its answer");
	return wrong;
}
