/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * 64-bit FNV-1a over little-endian integers, bytes and strings, and the
 * SplitMix64 finaliser: the hashes behind hvcov's stable counter IDs, layout
 * digests, run identities and ledger digests.  Their definitions are part of documented formats
 * (docs/snapshots.md), so they never change.
 */
#ifndef HVCOV_HASH_H
#define HVCOV_HASH_H

#include <stddef.h>
#include <stdint.h>

#define HASH_FNV_OFFSET 0xcbf29ce484222325ull
#define HASH_FNV_PRIME 0x100000001b3ull

/* One byte into an FNV-1a hash. */
#define HASH_FNV_STEP(hash, byte)                                              \
	((hash) = ((hash) ^ (uint64_t)(byte)) * HASH_FNV_PRIME)

/* Fold the low `bytes` bytes of value, least significant first. */
static inline uint64_t hash_fnv_int(uint64_t hash, uint64_t value,
				    unsigned bytes)
{
	/* Written out for the common 8 bytes (the run identity hashes every
	 * counter of an image without a boot id this way): four instructions
	 * a byte instead of seven for the loop. */
	if (bytes == 8) {
		HASH_FNV_STEP(hash, value & 0xff);
		HASH_FNV_STEP(hash, value >> 8 & 0xff);
		HASH_FNV_STEP(hash, value >> 16 & 0xff);
		HASH_FNV_STEP(hash, value >> 24 & 0xff);
		HASH_FNV_STEP(hash, value >> 32 & 0xff);
		HASH_FNV_STEP(hash, value >> 40 & 0xff);
		HASH_FNV_STEP(hash, value >> 48 & 0xff);
		HASH_FNV_STEP(hash, value >> 56);
		return hash;
	}
	for (unsigned i = 0; i < bytes; i++) {
		HASH_FNV_STEP(hash, value & 0xff);
		value >>= 8;
	}
	return hash;
}

/* Fold length bytes; eight a round, so that the loop's own instructions
 * do not double the cost (the ledger digests every file written). */
static inline uint64_t hash_fnv_bytes(uint64_t hash, const uint8_t *bytes,
				      size_t length)
{
	size_t i = 0;

	for (; length - i >= 8; i += 8) {
		HASH_FNV_STEP(hash, bytes[i]);
		HASH_FNV_STEP(hash, bytes[i + 1]);
		HASH_FNV_STEP(hash, bytes[i + 2]);
		HASH_FNV_STEP(hash, bytes[i + 3]);
		HASH_FNV_STEP(hash, bytes[i + 4]);
		HASH_FNV_STEP(hash, bytes[i + 5]);
		HASH_FNV_STEP(hash, bytes[i + 6]);
		HASH_FNV_STEP(hash, bytes[i + 7]);
	}
	for (; i < length; i++)
		HASH_FNV_STEP(hash, bytes[i]);
	return hash;
}

/* Fold a string and its terminating NUL. */
static inline uint64_t hash_fnv_string(uint64_t hash, const char *text)
{
	do {
		hash ^= (unsigned char)*text;
		hash *= HASH_FNV_PRIME;
	} while (*text++);
	return hash;
}

/* SplitMix64's finaliser: spreads FNV's weak low-bit mixing over all 64
 * bits, so that IDs can be truncated or bucketed by a consumer. */
static inline uint64_t hash_finish(uint64_t x)
{
	x ^= x >> 30;
	x *= 0xbf58476d1ce4e5b9ull;
	x ^= x >> 27;
	x *= 0x94d049bb133111ebull;
	x ^= x >> 31;
	return x;
}

#endif
