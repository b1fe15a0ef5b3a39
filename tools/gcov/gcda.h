/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Reading .gcda files written on this host: the writer checks an existing
 * file before merging into it and every file libgcov wrote before trusting
 * it.  Host byte order only (libgcov itself refuses a byte-swapped file).
 */
#ifndef HVCOV_GCDA_H
#define HVCOV_GCDA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/error.h"
#include "gcc-layout.h"

#define GCDA_MAGIC 0x67636461u
#define GCDA_TAG_FUNCTION 0x01000000u
#define GCDA_TAG_COUNTER_BASE 0x01a10000u
#define GCDA_TAG_OBJECT_SUMMARY 0xa1000000u
#define GCDA_TAG_PROGRAM_SUMMARY 0xa3000000u

/* One counter record: num values, or none stored when all are zero. */
struct gcda_counts {
	unsigned kind;
	uint32_t num;
	const uint8_t *values; /* num 64-bit counters, low word first; NULL
				* for an all-zero record (negated length) */
};

struct gcda_function {
	bool present; /* false: an empty record (COMDAT copy elsewhere) */
	uint32_t ident, lineno_checksum, cfg_checksum;
	unsigned n_counts;
	struct gcda_counts counts[GCC_LAYOUT_MAX_COUNTERS];
};

struct gcda_file {
	uint32_t version, stamp;
	uint32_t checksum; /* GCC 12+, else 0 */
	bool has_summary;
	uint32_t runs;
	uint32_t n_functions;
	struct gcda_function *functions;
};

/* Parse a whole file held in buf (which must outlive *out).  Structural
 * errors are HVCOV_EXIT_DATA naming `name`. */
bool gcda_parse(const uint8_t *buf, size_t len, const char *name,
		struct gcda_file *out, struct error *err);

uint64_t gcda_counter(const struct gcda_counts *counts, uint32_t index);

void gcda_free(struct gcda_file *file);

#endif
