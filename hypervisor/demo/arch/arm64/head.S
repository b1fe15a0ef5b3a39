/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * arm64 entry at EL2, MMU off: QEMU starts the boot CPU at _start and PSCI
 * CPU_ON starts the others at secondary_entry.  Each CPU takes its stack,
 * its EL2 vectors and the shared identity map, then enters C.
 */
#define STACK_SIZE 0x4000

/* Normal memory, write-back, for RAM; Device-nGnRnE for the UART. */
#define MAIR_VALUE 0xff00
/* T0SZ=32 (4 GiB, walk from level 1), walks inner-shareable write-back,
 * 4 KiB granule, 32-bit PA; bits 31 and 23 are RES1. */
#define TCR_VALUE 0x80803520
/* RES1 bits, then M (MMU), C (data cache), I (instruction cache). */
#define SCTLR_VALUE (0x30c50830 | 0x1 | 0x4 | 0x1000)

	.section .text.boot, "ax"
	.global _start
_start:
	mrs	x0, CurrentEL
	cmp	x0, #(2 << 2)
	b.ne	.Lwrong_el
	/* QEMU zero-fills .bss too; clearing it keeps a warm reset honest. */
	ldr	x1, =__bss_start
	ldr	x2, =__bss_end
1:	cmp	x1, x2
	b.hs	2f
	str	xzr, [x1], #8
	b	1b
2:	mov	x19, #0
	b	.Lcommon

	.global secondary_entry
secondary_entry:
	mrs	x19, mpidr_el1
	and	x19, x19, #0xff

.Lcommon:
	ldr	x1, =el2_stacks
	add	x2, x19, #1
	mov	x3, #STACK_SIZE
	madd	x1, x2, x3, x1
	mov	sp, x1
	ldr	x1, =el2_vectors
	msr	vbar_el2, x1

	ldr	x1, =MAIR_VALUE
	msr	mair_el2, x1
	ldr	x1, =TCR_VALUE
	msr	tcr_el2, x1
	ldr	x1, =el2_page_table
	msr	ttbr0_el2, x1
	isb
	tlbi	alle2
	dsb	ish
	isb
	ldr	x1, =SCTLR_VALUE
	msr	sctlr_el2, x1
	isb

	cbnz	x19, 3f
	bl	hv_boot
3:	mov	x0, x19
	bl	hv_secondary

.Lwrong_el:
	wfi
	b	.Lwrong_el

	/* Level-1 identity map, 1 GiB blocks: the first GiB (UART, GIC) as
	 * device memory, never executable; the second (RAM) as normal memory. */
	.section .rodata.page_table, "a"
	.balign 4096
el2_page_table:
	.quad	0x0040000000000401
	.quad	0x0000000040000705
	.quad	0
	.quad	0

	.bss
	.balign 16
el2_stacks:
	.space	STACK_SIZE * 2
