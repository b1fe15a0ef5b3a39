/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * EL2 vector table.  Only a synchronous exception from the EL1 guest is
 * expected (its hvc): save the guest's registers, let arm64_trap() handle
 * it, restore and return.  Anything else is fatal and reported.
 */
#define FRAME_SIZE (32 * 8)

	.macro	unexpected kind
	.balign	0x80
	mov	x0, #\kind
	b	el2_unexpected
	.endm

	.text
	.balign	2048
	.global	el2_vectors
el2_vectors:
	unexpected 0	/* current EL with SP_EL0 */
	unexpected 1
	unexpected 2
	unexpected 3
	unexpected 4	/* current EL with SP_ELx */
	unexpected 5
	unexpected 6
	unexpected 7
	.balign	0x80	/* lower EL, AArch64: synchronous */
	b	el2_guest_trap
	unexpected 9
	unexpected 10
	unexpected 11
	unexpected 12	/* lower EL, AArch32 */
	unexpected 13
	unexpected 14
	unexpected 15

el2_guest_trap:
	sub	sp, sp, #FRAME_SIZE
	stp	x0, x1, [sp, #0]
	stp	x2, x3, [sp, #16]
	stp	x4, x5, [sp, #32]
	stp	x6, x7, [sp, #48]
	stp	x8, x9, [sp, #64]
	stp	x10, x11, [sp, #80]
	stp	x12, x13, [sp, #96]
	stp	x14, x15, [sp, #112]
	stp	x16, x17, [sp, #128]
	stp	x18, x19, [sp, #144]
	stp	x20, x21, [sp, #160]
	stp	x22, x23, [sp, #176]
	stp	x24, x25, [sp, #192]
	stp	x26, x27, [sp, #208]
	stp	x28, x29, [sp, #224]
	str	x30, [sp, #240]
	mov	x0, sp
	bl	arm64_trap
	ldp	x0, x1, [sp, #0]
	ldp	x2, x3, [sp, #16]
	ldp	x4, x5, [sp, #32]
	ldp	x6, x7, [sp, #48]
	ldp	x8, x9, [sp, #64]
	ldp	x10, x11, [sp, #80]
	ldp	x12, x13, [sp, #96]
	ldp	x14, x15, [sp, #112]
	ldp	x16, x17, [sp, #128]
	ldp	x18, x19, [sp, #144]
	ldp	x20, x21, [sp, #160]
	ldp	x22, x23, [sp, #176]
	ldp	x24, x25, [sp, #192]
	ldp	x26, x27, [sp, #208]
	ldp	x28, x29, [sp, #224]
	ldr	x30, [sp, #240]
	add	sp, sp, #FRAME_SIZE
	eret
