/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The stable ID of a clang counter, computed from the text of
 * docs/snapshots.md ("Clang images") and nothing of hvcov's:
 *     counter-id MD5HEX FUNCHASH INDEX
 * MD5HEX: the MD5 of the function's name (md5sum's 32 hex digits; NameRef
 * is its first 8 bytes read little-endian), FUNCHASH: decimal, as
 * llvm-profdata's text profile gives it, INDEX: the counter's index in the
 * function.  Prints the ID as 16 hex digits.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

static uint64_t fnv(uint64_t h, uint64_t value, int bytes)
{
	for (int i = 0; i < bytes; i++) {
		h ^= (value >> (8 * i)) & 0xff;
		h *= 0x100000001b3ull;
	}
	return h;
}

int main(int argc, char **argv)
{
	uint64_t name_ref = 0, h;
	char byte[3] = { 0 };

	if (argc != 4)
		return 2;
	for (int i = 0; i < 8; i++) {
		byte[0] = argv[1][2 * i];
		byte[1] = argv[1][2 * i + 1];
		name_ref |= (uint64_t)strtoul(byte, NULL, 16) << (8 * i);
	}
	h = fnv(0xcbf29ce484222325ull, name_ref, 8);
	h = fnv(h, strtoull(argv[2], NULL, 10), 8);
	h = fnv(h, strtoull(argv[3], NULL, 10), 4);
	h ^= h >> 30;
	h *= 0xbf58476d1ce4e5b9ull;
	h ^= h >> 27;
	h *= 0x94d049bb133111ebull;
	h ^= h >> 31;
	printf("%016" PRIx64 "\n", h);
	return 0;
}
