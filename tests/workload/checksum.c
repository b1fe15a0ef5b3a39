/* SPDX-License-Identifier: BSD-2-Clause */
#include "workload.h"

/* A bitwise CRC-32 (reflected, 0xedb88320): a loop nest whose inner branch
 * goes both ways for almost any input. */
uint32_t work_checksum(const uint8_t *bytes, uint32_t length)
{
	uint32_t crc = 0xffffffffu;

	if (!bytes)
		return 0;
	for (uint32_t i = 0; i < length; i++) {
		crc ^= bytes[i];
		for (int bit = 0; bit < 8; bit++) {
			if (crc & 1)
				crc = (crc >> 1) ^ 0xedb88320u;
			else
				crc >>= 1;
		}
	}
	return ~crc;
}
