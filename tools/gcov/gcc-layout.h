/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * GCC's gcov runtime layouts, 4.7 through 16: the only place that knows
 * where the fields of gcov_info, gcov_fn_info and gcov_ctr_info lie and which
 * counter kinds a GCC version has.  Offsets are computed for any ABI (pointer
 * size; byte order does not move fields), so the same table decodes foreign
 * images and lays out host-native copies for libgcov.
 */
#ifndef HVCOV_GCC_LAYOUT_H
#define HVCOV_GCC_LAYOUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* How libgcov merges a counter kind (__gcov_merge_<suffix>). */
enum gcov_merge {
	GCOV_MERGE_ADD,
	GCOV_MERGE_IOR,
	GCOV_MERGE_SINGLE,
	GCOV_MERGE_DELTA,
	GCOV_MERGE_TIME_PROFILE,
	GCOV_MERGE_ICALL_TOPN,
	GCOV_MERGE_TOPN,
};

#define GCC_LAYOUT_MAX_COUNTERS 10

struct gcc_layout; /* one row of the table: a range of GCC versions */

/* Field offsets for one (layout, pointer size). */
struct gcc_offsets {
	size_t info_version, info_next, info_stamp;
	size_t info_checksum; /* SIZE_MAX before GCC 12 */
	size_t info_filename, info_merge, info_n_functions, info_functions;
	size_t info_size;
	size_t fn_key, fn_ident, fn_lineno_checksum, fn_cfg_checksum;
	size_t fn_ctrs; /* offset of ctrs[0] */
	size_t ctr_num, ctr_values, ctr_size;
	size_t pointer_size;
};

/* The newest GCC release whose layout the table knows. */
#define GCC_LAYOUT_NEWEST_MAJOR 16

/* true for a well-formed version word of a release after the newest the
 * table knows: its layout is unknown, not damaged. */
bool gcc_version_is_newer(uint32_t version);

/* The row for a gcov version word, or NULL for an unknown version. */
const struct gcc_layout *gcc_layout_for_version(uint32_t version);

/* Major and minor GCC version of a version word; false if malformed. */
bool gcc_version_decode(uint32_t version, unsigned *major, unsigned *minor);

/* "12.2" style text for a version word, into buf (at least 16 bytes). */
const char *gcc_version_text(uint32_t version, char *buf, size_t size);

unsigned gcc_layout_counters(const struct gcc_layout *layout);
const char *gcc_layout_counter_name(const struct gcc_layout *layout,
				    unsigned kind);
enum gcov_merge gcc_layout_merge(const struct gcc_layout *layout,
				 unsigned kind);
bool gcc_layout_has_checksum(const struct gcc_layout *layout);
/* true from GCC 12: .gcda record lengths count bytes, not words. */
bool gcc_layout_lengths_in_bytes(const struct gcc_layout *layout);

void gcc_layout_offsets(const struct gcc_layout *layout, size_t pointer_size,
			struct gcc_offsets *offsets);

#endif
