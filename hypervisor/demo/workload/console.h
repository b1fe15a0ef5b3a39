/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * A per-CPU console line: characters collect until a newline or a full
 * buffer, then the whole line goes to hv_platform_write() at once, so lines
 * from two CPUs never interleave mid-line.
 */
#ifndef HV_CONSOLE_H
#define HV_CONSOLE_H

#include <stdarg.h>

#define HV_CONSOLE_LINE 64

struct hv_console {
	unsigned cpu;
	unsigned length;
	unsigned long lines;
	unsigned long bad_formats;
	char line[HV_CONSOLE_LINE];
};

void hv_console_init(struct hv_console *console, unsigned cpu);
void hv_console_putc(struct hv_console *console, int c);
void hv_console_puts(struct hv_console *console, const char *s);
void hv_console_flush(struct hv_console *console);
/* %u %d %x (unsigned long/long), %s, %c, %%, and a width digit for %x. */
void hv_console_printf(struct hv_console *console, const char *format, ...);
void hv_console_vprintf(struct hv_console *console, const char *format,
			va_list args);

#endif
