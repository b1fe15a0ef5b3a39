/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * HYP vector table.  Only the "hyp trap" entry is expected: the SVC guest's
 * hvc.  Save the guest's registers, let arm_trap() handle it, restore and
 * return.  Anything else is fatal and reported.
 */
	.arch	armv7-a
	.arch_extension virt
	.arm
	.text
	.balign	32
	.global	hyp_vectors
hyp_vectors:
	b	.Lunexpected0		@ reset
	b	.Lunexpected1		@ undefined instruction (from HYP)
	b	.Lunexpected2		@ hvc from HYP
	b	.Lunexpected3		@ prefetch abort (from HYP)
	b	.Lunexpected4		@ data abort (from HYP)
	b	hyp_guest_trap		@ hyp trap: from the guest
	b	.Lunexpected6		@ IRQ
	b	.Lunexpected7		@ FIQ

.Lunexpected0:
	mov	r0, #0
	b	hyp_unexpected
.Lunexpected1:
	mov	r0, #1
	b	hyp_unexpected
.Lunexpected2:
	mov	r0, #2
	b	hyp_unexpected
.Lunexpected3:
	mov	r0, #3
	b	hyp_unexpected
.Lunexpected4:
	mov	r0, #4
	b	hyp_unexpected
.Lunexpected6:
	mov	r0, #6
	b	hyp_unexpected
.Lunexpected7:
	mov	r0, #7
	b	hyp_unexpected

/* HYP shares lr with USR/SYS mode, so it is saved with the rest; 14 words
 * keep sp 8-byte aligned for the C call. */
hyp_guest_trap:
	push	{r0-r12, lr}
	mov	r0, sp
	bl	arm_trap
	pop	{r0-r12, lr}
	eret
