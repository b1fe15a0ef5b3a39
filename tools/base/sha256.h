/* SPDX-License-Identifier: BSD-2-Clause */
/* SHA-256 (FIPS 180-4), for the report's provenance: the digest of an image
 * or an ELF that anyone can recompute with sha256sum. */
#ifndef HVCOV_SHA256_H
#define HVCOV_SHA256_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct sha256 {
	uint32_t state[8];
	uint64_t length; /* bytes so far */
	uint8_t block[64];
	size_t used;
};

void sha256_init(struct sha256 *ctx);
void sha256_update(struct sha256 *ctx, const void *data, size_t length);
void sha256_final(struct sha256 *ctx, uint8_t digest[32]);

/* The digest of length bytes as 64 lowercase hex digits and a NUL. */
void sha256_hex(const void *data, size_t length, char hex[65]);

/* The digest of a whole file, as hex; false with errno set. */
bool sha256_file_hex(const char *path, char hex[65]);

#endif
