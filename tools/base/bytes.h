/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Fixed-width integers in a chosen byte order, read from and written to
 * byte buffers of any alignment.  Image data is foreign: never cast it to a
 * host integer pointer.
 */
#ifndef HVCOV_BYTES_H
#define HVCOV_BYTES_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

static inline uint16_t bytes_get16(const uint8_t *p, bool big_endian)
{
	return big_endian ? (uint16_t)(p[0] << 8 | p[1])
			  : (uint16_t)(p[1] << 8 | p[0]);
}

/* A load and at most one byte swap (memcpy: any alignment), not a loop of
 * byte shifts: the image decoder reads every counter through these, and
 * the byte loop was the largest item of an extraction's profile. */
#define BYTES_HOST_BIG (__BYTE_ORDER__ == __ORDER_BIG_ENDIAN__)

static inline uint32_t bytes_get32(const uint8_t *p, bool big_endian)
{
	uint32_t value;

	memcpy(&value, p, sizeof(value));
	return big_endian == BYTES_HOST_BIG ? value : __builtin_bswap32(value);
}

static inline uint64_t bytes_get64(const uint8_t *p, bool big_endian)
{
	uint64_t value;

	memcpy(&value, p, sizeof(value));
	return big_endian == BYTES_HOST_BIG ? value : __builtin_bswap64(value);
}

static inline void bytes_put16(uint8_t *p, bool big_endian, uint16_t value)
{
	for (int i = 0; i < 2; i++)
		p[big_endian ? 1 - i : i] = (uint8_t)(value >> (8 * i));
}

static inline void bytes_put32(uint8_t *p, bool big_endian, uint32_t value)
{
	for (int i = 0; i < 4; i++)
		p[big_endian ? 3 - i : i] = (uint8_t)(value >> (8 * i));
}

static inline void bytes_put64(uint8_t *p, bool big_endian, uint64_t value)
{
	for (int i = 0; i < 8; i++)
		p[big_endian ? 7 - i : i] = (uint8_t)(value >> (8 * i));
}

#endif
