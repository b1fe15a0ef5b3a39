/* SPDX-License-Identifier: BSD-2-Clause */
/* Process entry and the system-call trampoline, per architecture.  The
 * kernel leaves argc, argv[] on the stack; producer_main() takes that
 * pointer. */
#include "sys.h"

#if defined(__x86_64__)
__asm__(".globl _start\n"
	"_start:\n"
	"	xor %rbp, %rbp\n"
	"	mov %rsp, %rdi\n"
	"	and $-16, %rsp\n"
	"	call producer_main\n"
	"	hlt\n");

long sys_call4(long number, long a, long b, long c, long d)
{
	register long r10 __asm__("r10") = d;
	long result;

	__asm__ volatile("syscall"
			 : "=a"(result)
			 : "a"(number), "D"(a), "S"(b), "d"(c), "r"(r10)
			 : "rcx", "r11", "memory");
	return result;
}
#elif defined(__aarch64__)
__asm__(".globl _start\n"
	"_start:\n"
	"	mov x0, sp\n"
	"	bl producer_main\n"
	"	b .\n");

long sys_call4(long number, long a, long b, long c, long d)
{
	register long x8 __asm__("x8") = number;
	register long x0 __asm__("x0") = a;
	register long x1 __asm__("x1") = b;
	register long x2 __asm__("x2") = c;
	register long x3 __asm__("x3") = d;

	__asm__ volatile("svc #0"
			 : "+r"(x0)
			 : "r"(x8), "r"(x1), "r"(x2), "r"(x3)
			 : "memory");
	return x0;
}
#elif defined(__arm__)
__asm__(".syntax unified\n"
	".globl _start\n"
	"_start:\n"
	"	mov r0, sp\n"
	"	bl producer_main\n"
	"	b .\n");

long sys_call4(long number, long a, long b, long c, long d)
{
	register long r7 __asm__("r7") = number;
	register long r0 __asm__("r0") = a;
	register long r1 __asm__("r1") = b;
	register long r2 __asm__("r2") = c;
	register long r3 __asm__("r3") = d;

	__asm__ volatile("svc #0"
			 : "+r"(r0)
			 : "r"(r7), "r"(r1), "r"(r2), "r"(r3)
			 : "memory");
	return r0;
}
#else
#error "producer: unsupported architecture"
#endif
