/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * arm entry in HYP mode, MMU off: QEMU starts the boot CPU at _start and
 * PSCI CPU_ON starts the others at secondary_entry.  Each CPU takes its
 * stack, its HYP vectors and the shared LPAE identity map, then enters C.
 */
#define STACK_SIZE 0x4000
#define MODE_HYP 0x1a

/* Attr0 Device-nGnRnE for the UART, Attr1 Normal write-back for RAM. */
#define HMAIR0_VALUE 0xff00
/* T0SZ=0 (4 GiB from level 1), walks inner-shareable write-back; bits 31
 * and 23 are RES1. */
#define HTCR_VALUE 0x80803500
/* M (MMU), C (data cache), I (instruction cache). */
#define HSCTLR_ENABLE (0x1 | 0x4 | 0x1000)

	.arch	armv7-a
	.arch_extension virt
	.arm
	.section .text.boot, "ax"
	.global	_start
_start:
	mrs	r0, cpsr
	and	r0, r0, #0x1f
	cmp	r0, #MODE_HYP
	bne	.Lwrong_mode
	/* QEMU zero-fills .bss too; clearing it keeps a warm reset honest. */
	ldr	r1, =__bss_start
	ldr	r2, =__bss_end
	mov	r3, #0
1:	cmp	r1, r2
	strlo	r3, [r1], #4
	blo	1b
	mov	r4, #0
	b	.Lcommon

	.global	secondary_entry
secondary_entry:
	mrc	p15, 0, r4, c0, c0, 5		@ MPIDR
	and	r4, r4, #0xff

.Lcommon:
	ldr	r1, =hyp_stacks
	add	r2, r4, #1
	mov	r3, #STACK_SIZE
	mla	sp, r2, r3, r1
	ldr	r1, =hyp_vectors
	mcr	p15, 4, r1, c12, c0, 0		@ HVBAR

	ldr	r1, =HMAIR0_VALUE
	mcr	p15, 4, r1, c10, c2, 0		@ HMAIR0
	ldr	r1, =HTCR_VALUE
	mcr	p15, 4, r1, c2, c0, 2		@ HTCR
	ldr	r1, =hyp_page_table
	mov	r2, #0
	mcrr	p15, 4, r1, r2, c2		@ HTTBR
	isb
	mcr	p15, 4, r2, c8, c7, 0		@ TLBIALLH
	dsb
	isb
	mrc	p15, 4, r1, c1, c0, 0		@ HSCTLR
	ldr	r2, =HSCTLR_ENABLE
	orr	r1, r1, r2
	mcr	p15, 4, r1, c1, c0, 0
	isb

	cmp	r4, #0
	bne	2f
	bl	hv_boot
2:	mov	r0, r4
	bl	hv_secondary

.Lwrong_mode:
	wfi
	b	.Lwrong_mode

	/* Level-1 LPAE identity map, 1 GiB blocks (AP[1] is RES1 at PL2): the
	 * first GiB (UART, GIC) as device memory, never executable; the second
	 * (RAM) as normal memory. */
	.section .rodata.page_table, "a"
	.balign	4096
hyp_page_table:
	.word	0x00000441, 0x00400000
	.word	0x40000745, 0x00000000
	.word	0, 0
	.word	0, 0

	.bss
	.balign	8
hyp_stacks:
	.space	STACK_SIZE * 2
