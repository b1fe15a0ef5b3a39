/* SPDX-License-Identifier: BSD-2-Clause */
/* The guest's side of the hypercall ABI: code and four arguments in the
 * first five registers, result in the first. */
#ifndef GUEST_HVC_H
#define GUEST_HVC_H

static inline long guest_hvc(unsigned long code, unsigned long a0,
			     unsigned long a1, unsigned long a2,
			     unsigned long a3)
{
#if defined(__aarch64__)
	register unsigned long r0 __asm__("x0") = code;
	register unsigned long r1 __asm__("x1") = a0;
	register unsigned long r2 __asm__("x2") = a1;
	register unsigned long r3 __asm__("x3") = a2;
	register unsigned long r4 __asm__("x4") = a3;

	__asm__ volatile("hvc #0"
			 : "+r"(r0)
			 : "r"(r1), "r"(r2), "r"(r3), "r"(r4)
			 : "memory");
#elif defined(__arm__)
	register unsigned long r0 __asm__("r0") = code;
	register unsigned long r1 __asm__("r1") = a0;
	register unsigned long r2 __asm__("r2") = a1;
	register unsigned long r3 __asm__("r3") = a2;
	register unsigned long r4 __asm__("r4") = a3;

	__asm__ volatile(".arch_extension virt\n"
			 "hvc #0"
			 : "+r"(r0)
			 : "r"(r1), "r"(r2), "r"(r3), "r"(r4)
			 : "memory");
#else
#error "guest: hvc is for arm and arm64"
#endif
	return (long)r0;
}

#endif
