/* SPDX-License-Identifier: BSD-2-Clause */
/* The platform side of the workload's console, and the boot log: whole
 * lines, one CPU at a time.  Workload lines have the same "[cpuN] text" form
 * as the hosted driver prints, so the two outputs can be compared. */
#include <stdbool.h>

#include "../workload/hv.h"
#include "arch.h"

static bool uart_lock;

static void lock(void)
{
	while (__atomic_exchange_n(&uart_lock, true, __ATOMIC_ACQUIRE))
		;
}

static void unlock(void)
{
	__atomic_store_n(&uart_lock, false, __ATOMIC_RELEASE);
}

static void puts_unlocked(const char *s)
{
	while (*s)
		arch_putc(*s++);
}

void hv_log(const char *s)
{
	lock();
	puts_unlocked(s);
	unlock();
}

void hv_log_hex(const char *s, unsigned long value)
{
	int shift;

	lock();
	puts_unlocked(s);
	puts_unlocked("0x");
	for (shift = (int)sizeof(value) * 8 - 4; shift >= 0; shift -= 4)
		arch_putc("0123456789abcdef"[(value >> shift) & 0xf]);
	arch_putc('\n');
	unlock();
}

void hv_platform_write(unsigned cpu, const char *text, unsigned length)
{
	unsigned i;

	lock();
	puts_unlocked("[cpu");
	arch_putc((char)('0' + cpu));
	puts_unlocked("] ");
	for (i = 0; i < length; i++)
		arch_putc(text[i]);
	arch_putc('\n');
	unlock();
}
