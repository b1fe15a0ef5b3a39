/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Real-mode start of a secondary CPU.  arch_start_cpu() copies it to
 * TRAMPOLINE_PHYS (below 1 MiB, page-aligned, as a SIPI vector requires);
 * the CPU starts at its first byte with CS = TRAMPOLINE_PHYS >> 4, so it
 * addresses its own data relative to CS.  It loads the boot GDT and jumps
 * to ap_entry32 in 32-bit protected mode.
 */
	.section .boot.text, "ax"
	.code16
	.global	ap_trampoline, ap_trampoline_end
ap_trampoline:
	cli
	lgdtl	%cs:(ap_gdt_ptr - ap_trampoline)
	mov	%cr0, %eax
	or	$1, %eax
	mov	%eax, %cr0
	ljmpl	$0x18, $ap_entry32
	.balign	8
ap_gdt_ptr:
	.word	0x1f
	.long	boot_gdt
ap_trampoline_end:
