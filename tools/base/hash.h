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

/* Fold the low `bytes` bytes of value, least significant first. */
static inline uint64_t hash_fnv_int(uint64_t hash, uint64_t value,
				    unsigned bytes)
{
	for (unsigned i = 0; i < bytes; i++) {
		hash ^= (value >> (8 * i)) & 0xff;
		hash *= HASH_FNV_PRIME;
	}
	return hash;
}

/* Fold length bytes. */
static inline uint64_t hash_fnv_bytes(uint64_t hash, const uint8_t *bytes,
				      size_t length)
{
	for (size_t i = 0; i < length; i++) {
		hash ^= bytes[i];
		hash *= HASH_FNV_PRIME;
	}
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
