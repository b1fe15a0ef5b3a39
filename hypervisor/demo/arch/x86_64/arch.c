/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * x86_64 on QEMU pc: COM1, INIT-SIPI-SIPI through the local APIC, and the
 * "guest": without VMX under emulation, each CPU turns its scripted calls
 * into the exits a vmcall would cause and hands them to the dispatcher.
 */
#include <stddef.h>
#include <stdint.h>

#include "../../common/arch.h"
#include "../../script/replay.h"
#include "../../workload/hv.h"

#define COM1 0x3f8
#define COM1_LSR (COM1 + 5)
#define LSR_DR 0x01
#define LSR_THRE 0x20

#define LAPIC_BASE 0xfee00000ul /* identity-mapped, uncached */
#define LAPIC_SVR 0xf0
#define LAPIC_ICR_LOW 0x300
#define LAPIC_ICR_HIGH 0x310
#define ICR_INIT_ASSERT 0xc500
#define ICR_INIT_DEASSERT 0x8500
#define ICR_STARTUP 0x0600
#define ICR_BUSY (1u << 12)
#define TRAMPOLINE_PHYS 0x8000ul

extern char ap_trampoline[], ap_trampoline_end[];
void x86_secondary(unsigned id) __attribute__((noreturn));

static unsigned ap_alive;

const char arch_level[] = "long mode (no VMX)";

static inline void outb(uint16_t port, uint8_t value)
{
	__asm__ volatile("outb %0, %1" : : "a"(value), "Nd"(port));
}

static inline uint8_t inb(uint16_t port)
{
	uint8_t value;

	__asm__ volatile("inb %1, %0" : "=a"(value) : "Nd"(port));
	return value;
}

unsigned arch_cpu_id(void)
{
	uint32_t eax = 1, ebx, ecx = 0, edx;

	__asm__ volatile("cpuid" : "+a"(eax), "=b"(ebx), "+c"(ecx), "=d"(edx));
	return ebx >> 24;
}

void arch_putc(char c)
{
	while (!(inb(COM1_LSR) & LSR_THRE))
		;
	outb(COM1, (uint8_t)c);
}

int arch_getc(void)
{
	if (!(inb(COM1_LSR) & LSR_DR))
		return -1;
	return inb(COM1);
}

static void lapic_write(unsigned reg, uint32_t value)
{
	*(volatile uint32_t *)(LAPIC_BASE + reg) = value;
}

static uint32_t lapic_read(unsigned reg)
{
	return *(volatile uint32_t *)(LAPIC_BASE + reg);
}

static void send_ipi(unsigned apic_id, uint32_t command)
{
	unsigned spins;

	lapic_write(LAPIC_ICR_HIGH, apic_id << 24);
	lapic_write(LAPIC_ICR_LOW, command);
	for (spins = 0; spins < 1000000; spins++)
		if (!(lapic_read(LAPIC_ICR_LOW) & ICR_BUSY))
			break;
}

/* The APIC id equals the CPU index on QEMU pc.  0 once the CPU checked in. */
int arch_start_cpu(unsigned id)
{
	volatile char *dest = (volatile char *)TRAMPOLINE_PHYS;
	const char *src;
	unsigned long spins;

	for (src = ap_trampoline; src < ap_trampoline_end; src++)
		*dest++ = *src;
	lapic_write(LAPIC_SVR, lapic_read(LAPIC_SVR) | 0x100);
	send_ipi(id, ICR_INIT_ASSERT);
	send_ipi(id, ICR_INIT_DEASSERT);
	send_ipi(id, ICR_STARTUP | (TRAMPOLINE_PHYS >> 12));
	send_ipi(id, ICR_STARTUP | (TRAMPOLINE_PHYS >> 12));
	for (spins = 0; spins < 100000000ul; spins++)
		if (__atomic_load_n(&ap_alive, __ATOMIC_ACQUIRE))
			return 0;
	return -1;
}

void x86_secondary(unsigned id)
{
	__atomic_store_n(&ap_alive, 1, __ATOMIC_RELEASE);
	hv_secondary(id);
}

/* Feed the CPU's script to the dispatcher as vmcall exits, as the arm
 * guests issue theirs, then park. */
void arch_run_guest(unsigned id)
{
	hv_script_replay(hv_this_cpu(id), &hv_scripts[id], NULL, hv_phase_done);
	hv_park(id);
}

void arch_halt(void)
{
	for (;;)
		__asm__ volatile("cli; hlt");
}
