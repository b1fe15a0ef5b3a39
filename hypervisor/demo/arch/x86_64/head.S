/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * x86_64 entry.  QEMU -kernel finds the PVH note and starts the boot CPU at
 * pvh_entry in 32-bit protected mode, paging off.  Build page tables that
 * identity-map the low 4 GiB (boot code, trampoline, UART-free MMIO such as
 * the local APIC) and map the image at its high link address, enter long
 * mode and call hv_boot() on a high stack.  Secondary CPUs arrive at
 * ap_entry32 from the real-mode trampoline and do the same.
 */
#define STACK_SIZE 0x4000
#define PTE_PRESENT 0x1
#define PTE_WRITE 0x2
#define PTE_PCD 0x10 /* uncached: MMIO above 3 GiB */
#define PTE_LARGE 0x80
#define CR0_PG 0x80000000
#define CR4_PAE 0x20
#define MSR_EFER 0xc0000080
#define EFER_LME 0x100
#define IMAGE_PHYS 0x200000 /* as in demo.lds */
#define IMAGE_PD_INDEX 384 /* (0xfffffffff0000000 >> 21) & 511 */
#define IMAGE_2M_PAGES 4

	/* XEN_ELFNOTE_PHYS32_ENTRY: what makes QEMU use PVH. */
	.section .note.pvh, "a", @note
	.balign	4
	.long	4, 8, 18
	.asciz	"Xen"
	.balign	4
	.quad	pvh_entry

	.section .boot.text, "ax"
	.code32
	.global	pvh_entry
pvh_entry:
	cli
	cld
	/* Zero all tables, then fill them. */
	mov	$boot_page_tables, %edi
	mov	$(8 * 4096 / 4), %ecx
	xor	%eax, %eax
	rep stosl

	mov	$pdpt_low + PTE_PRESENT + PTE_WRITE, %eax
	mov	%eax, pml4
	mov	$pdpt_high + PTE_PRESENT + PTE_WRITE, %eax
	mov	%eax, pml4 + 511 * 8

	/* pdpt_low[i] -> pd_low + i pages; pd_low: 2048 x 2 MiB = 4 GiB. */
	mov	$pdpt_low, %edi
	mov	$pd_low + PTE_PRESENT + PTE_WRITE, %eax
	mov	$4, %ecx
1:	mov	%eax, (%edi)
	add	$8, %edi
	add	$4096, %eax
	loop	1b
	mov	$pd_low, %edi
	mov	$PTE_PRESENT + PTE_WRITE + PTE_LARGE, %eax
	mov	$2048, %ecx
2:	mov	%eax, (%edi)
	cmp	$0xc0000000, %eax
	jb	3f
	orl	$PTE_PCD, (%edi)
3:	add	$8, %edi
	add	$0x200000, %eax
	loop	2b

	/* The image: 0xfffffffff0000000 -> IMAGE_PHYS, 2 MiB pages. */
	mov	$pd_high + PTE_PRESENT + PTE_WRITE, %eax
	mov	%eax, pdpt_high + 511 * 8
	mov	$pd_high + IMAGE_PD_INDEX * 8, %edi
	mov	$IMAGE_PHYS + PTE_PRESENT + PTE_WRITE + PTE_LARGE, %eax
	mov	$IMAGE_2M_PAGES, %ecx
4:	mov	%eax, (%edi)
	add	$8, %edi
	add	$0x200000, %eax
	loop	4b

	/* .bss's page to its load address: the same as above unless the
	 * image is built with .bss placed apart (demo.lds, HV_SPLIT_BSS). */
	mov	$__bss_page_phys + PTE_PRESENT + PTE_WRITE + PTE_LARGE, %eax
	mov	$__bss_pde_offset, %edi
	mov	%eax, pd_high + IMAGE_PD_INDEX * 8(%edi)

	/* The BSP zeroes .bss through its load address (paging is off). */
	mov	$__bss_phys, %edi
	mov	$__bss_size, %ecx
	shr	$2, %ecx
	xor	%eax, %eax
	rep stosl
	xor	%esi, %esi
	jmp	enter_long_mode

	/* Secondary CPUs: flat 32-bit segments set by the trampoline. */
	.global	ap_entry32
ap_entry32:
	mov	$0x10, %ax
	mov	%ax, %ds
	mov	%ax, %es
	mov	%ax, %ss
	mov	$1, %esi

/* esi: 0 on the boot CPU, 1 on a secondary. */
enter_long_mode:
	lgdt	boot_gdt_ptr
	mov	%cr4, %eax
	or	$CR4_PAE, %eax
	mov	%eax, %cr4
	mov	$pml4, %eax
	mov	%eax, %cr3
	mov	$MSR_EFER, %ecx
	rdmsr
	or	$EFER_LME, %eax
	wrmsr
	mov	%cr0, %eax
	or	$CR0_PG, %eax
	mov	%eax, %cr0
	ljmp	$0x08, $long_entry

	.code64
long_entry:
	mov	$0x10, %ax
	mov	%ax, %ds
	mov	%ax, %es
	mov	%ax, %ss
	mov	%ax, %fs
	mov	%ax, %gs
	/* The local APIC id picks the stack. */
	mov	$1, %eax
	cpuid
	shr	$24, %ebx
	lea	1(%rbx), %rax
	imul	$STACK_SIZE, %rax
	movabs	$hv_stacks, %rsp
	add	%rax, %rsp
	test	%esi, %esi
	jnz	5f
	movabs	$hv_boot, %rax
	call	*%rax
5:	mov	%ebx, %edi
	movabs	$x86_secondary, %rax
	call	*%rax
6:	hlt
	jmp	6b

	.section .boot.data, "a"
	.balign	8
	.global	boot_gdt
boot_gdt:
	.quad	0
	.quad	0x00af9a000000ffff	/* 0x08: 64-bit code */
	.quad	0x00cf92000000ffff	/* 0x10: flat data */
	.quad	0x00cf9a000000ffff	/* 0x18: flat 32-bit code */
boot_gdt_end:
	.global	boot_gdt_ptr
boot_gdt_ptr:
	.word	boot_gdt_end - boot_gdt - 1
	.long	boot_gdt

	.section .boot.bss, "aw", @nobits
	.balign	4096
boot_page_tables:
pml4:	.space	4096
pdpt_low: .space 4096
pdpt_high: .space 4096
pd_high: .space	4096
pd_low:	.space	4 * 4096

	.bss
	.balign	16
	.global	hv_stacks
hv_stacks:
	.space	STACK_SIZE * 2
