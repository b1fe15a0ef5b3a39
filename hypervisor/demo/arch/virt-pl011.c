/* SPDX-License-Identifier: BSD-2-Clause */
/* The console of QEMU's virt machine, the same PL011 UART for arm and
 * arm64. */
#include <stdint.h>

#include "../common/arch.h"

#define UART_BASE 0x09000000ul
#define UART_DR 0x00
#define UART_FR 0x18
#define UART_FR_RXFE (1u << 4)
#define UART_FR_TXFF (1u << 5)

void arch_putc(char c)
{
	volatile uint32_t *uart = (volatile uint32_t *)UART_BASE;

	while (uart[UART_FR / 4] & UART_FR_TXFF)
		;
	uart[UART_DR / 4] = (uint32_t)(unsigned char)c;
}

int arch_getc(void)
{
	volatile uint32_t *uart = (volatile uint32_t *)UART_BASE;

	if (uart[UART_FR / 4] & UART_FR_RXFE)
		return -1;
	return (int)(uart[UART_DR / 4] & 0xff);
}
