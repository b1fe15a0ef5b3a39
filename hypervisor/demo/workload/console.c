/* SPDX-License-Identifier: BSD-2-Clause */
#include "console.h"
#include "hv.h"

void hv_console_init(struct hv_console *console, unsigned cpu)
{
	console->cpu = cpu;
	console->length = 0;
	console->lines = 0;
	console->bad_formats = 0;
}

void hv_console_flush(struct hv_console *console)
{
	if (console->length == 0)
		return;
	hv_platform_write(console->cpu, console->line, console->length);
	console->length = 0;
	console->lines++;
}

void hv_console_putc(struct hv_console *console, int c)
{
	if (c == '\n') {
		hv_console_flush(console);
		return;
	}
	if (c == '\r')
		return;
	/* A guest must not be able to send terminal control sequences. */
	if (c < ' ' || c > '~')
		c = '?';
	if (console->length == HV_CONSOLE_LINE)
		hv_console_flush(console);
	console->line[console->length++] = (char)c;
}

void hv_console_puts(struct hv_console *console, const char *s)
{
	while (*s)
		hv_console_putc(console, *s++);
}

/* Division by constants only: 32-bit arm then needs no libgcc helper. */
static void put_unsigned(struct hv_console *console, unsigned long value)
{
	char digits[20];
	unsigned n = 0;

	do {
		digits[n++] = (char)('0' + value % 10);
		value /= 10;
	} while (value);
	while (n)
		hv_console_putc(console, digits[--n]);
}

static void put_hex(struct hv_console *console, unsigned long value,
		    unsigned width)
{
	static const char hex[] = "0123456789abcdef";
	char digits[16];
	unsigned n = 0;

	do {
		digits[n++] = hex[value & 0xf];
		value >>= 4;
	} while (value);
	while (n < width)
		digits[n++] = '0';
	while (n)
		hv_console_putc(console, digits[--n]);
}

void hv_console_vprintf(struct hv_console *console, const char *format,
			va_list args)
{
	const char *p;

	for (p = format; *p; p++) {
		unsigned width = 0;
		long value;

		if (*p != '%') {
			hv_console_putc(console, *p);
			continue;
		}
		p++;
		if (*p >= '1' && *p <= '9')
			width = (unsigned)(*p++ - '0');
		switch (*p) {
		case 'u':
			put_unsigned(console, va_arg(args, unsigned long));
			break;
		case 'd':
			value = va_arg(args, long);
			if (value < 0) {
				hv_console_putc(console, '-');
				put_unsigned(console, -(unsigned long)value);
			} else {
				put_unsigned(console, (unsigned long)value);
			}
			break;
		case 'x':
			put_hex(console, va_arg(args, unsigned long), width);
			break;
		case 's':
			hv_console_puts(console, va_arg(args, const char *));
			break;
		case 'c':
			hv_console_putc(console, va_arg(args, int));
			break;
		case '%':
			hv_console_putc(console, '%');
			break;
		case '\0':
			/* A lone '%' at the end: print it, do not run off. */
			hv_console_putc(console, '%');
			console->bad_formats++;
			return;
		default:
			hv_console_putc(console, '%');
			hv_console_putc(console, *p);
			console->bad_formats++;
			break;
		}
	}
}

void hv_console_printf(struct hv_console *console, const char *format, ...)
{
	va_list args;

	va_start(args, format);
	hv_console_vprintf(console, format, args);
	va_end(args);
}
