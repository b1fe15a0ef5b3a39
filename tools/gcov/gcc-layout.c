/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * GCC's gcov runtime layouts, by release.  Evidence, checked for this table:
 *
 * - Counter kinds and merge functions: gcc/gcov-counter.def (GCC 5 on) and
 *   GCOV_COUNTER_* / GCOV_MERGE_FUNCTIONS in gcc/gcov-io.h (4.7 to 4.9).
 *   GCOV_COUNTERS per release, counted from GCC's release tags: 8 for
 *   4.7-4.8, 9 for 4.9 (time profiler), 10 for 5-6 (indirect_call_topn),
 *   9 for 7-9 (__gcov_merge_delta removed, PR bootstrap/77749), 8 from 10
 *   ("single" renamed "topn", indirect_call_topn removed).  A GCC 7-9
 *   gcov-counter.def lists arcs, interval, pow2, single, indirect_call
 *   (_single), average, ior, time_profiler, indirect_call_topn; GCC 13/14
 *   era copies list the GCC 10 kinds with topn and indirect_call merged by
 *   _topn, and add "conditions" (_ior) as the ninth.  Older gcov-io.h
 *   numbers single 3 and delta 4; indirect_call 5, average 6, ior 7 in
 *   4.7-6 are from docs/gcov-facts.md, not re-read here.
 * - GCC 15's path counter (-fpath-coverage), the tenth kind: GCC's own
 *   gcov-dump-15 prints its records as "COUNTERS ior" (the name GCC gave
 *   it), and GCC 15's gcc/path-coverage.cc updates it only as a bit-set
 *   (global |= local & mask, or an atomic fetch-or), so it merges by _ior.
 *   The merge kind matters only to the writer; the reader decodes any kind
 *   the same way.
 * - GCC 16 has GCC 15's ten kinds, in the same order with the same merges,
 *   and the same structures; measured with Debian forky's gcc-16 16.2 and
 *   its cross compilers, see docs/gcov-facts.md.
 * - Structures: libgcc/libgcov.h and the Linux kernel's
 *   kernel/gcov/gcc_4_7.c agree on gcov_info {version, next, stamp,
 *   [checksum since GCC 12], filename, merge[GCOV_COUNTERS], n_functions,
 *   functions}, gcov_fn_info {key, ident, lineno_checksum, cfg_checksum,
 *   ctrs[]} and gcov_ctr_info {num, values} for every GCC from 4.7 on.
 * - GCC 12.2 output (--coverage -S, x86_64 and arm-linux-gnueabihf): sizes
 *   112 and 60, fn_info {key, ident, lineno, cfg, num, values}; see
 *   tests/unit/check_layout.c, which pins these figures.
 */
#include "gcc-layout.h"

#include <stdio.h>

struct gcc_counter_kind {
	const char *name;
	enum gcov_merge merge;
};

struct gcc_layout {
	/* First and last (major, minor) of the releases this row covers. */
	unsigned first_major, first_minor, last_major, last_minor;
	unsigned n_counters;
	bool checksum;         /* gcov_info.checksum follows stamp (GCC 12+) */
	bool lengths_in_bytes; /* .gcda record lengths in bytes (GCC 12+) */
	struct gcc_counter_kind kinds[GCC_LAYOUT_MAX_COUNTERS];
};

#define KIND_ARCS                                                              \
	{                                                                      \
		"arcs", GCOV_MERGE_ADD                                         \
	}
#define KIND_INTERVAL                                                          \
	{                                                                      \
		"interval", GCOV_MERGE_ADD                                     \
	}
#define KIND_POW2                                                              \
	{                                                                      \
		"pow2", GCOV_MERGE_ADD                                         \
	}
#define KIND_AVERAGE                                                           \
	{                                                                      \
		"average", GCOV_MERGE_ADD                                      \
	}
#define KIND_IOR                                                               \
	{                                                                      \
		"ior", GCOV_MERGE_IOR                                          \
	}
#define KIND_TIME_PROFILER                                                     \
	{                                                                      \
		"time_profiler", GCOV_MERGE_TIME_PROFILE                       \
	}

static const struct gcc_layout layouts[] = {
	{ 4,
	  7,
	  4,
	  8,
	  8,
	  false,
	  false,
	  { KIND_ARCS,
	    KIND_INTERVAL,
	    KIND_POW2,
	    { "single", GCOV_MERGE_SINGLE },
	    { "delta", GCOV_MERGE_DELTA },
	    { "indirect_call", GCOV_MERGE_SINGLE },
	    KIND_AVERAGE,
	    KIND_IOR } },
	{ 4,
	  9,
	  4,
	  9,
	  9,
	  false,
	  false,
	  { KIND_ARCS,
	    KIND_INTERVAL,
	    KIND_POW2,
	    { "single", GCOV_MERGE_SINGLE },
	    { "delta", GCOV_MERGE_DELTA },
	    { "indirect_call", GCOV_MERGE_SINGLE },
	    KIND_AVERAGE,
	    KIND_IOR,
	    KIND_TIME_PROFILER } },
	{ 5,
	  0,
	  6,
	  99,
	  10,
	  false,
	  false,
	  { KIND_ARCS,
	    KIND_INTERVAL,
	    KIND_POW2,
	    { "single", GCOV_MERGE_SINGLE },
	    { "delta", GCOV_MERGE_DELTA },
	    { "indirect_call", GCOV_MERGE_SINGLE },
	    KIND_AVERAGE,
	    KIND_IOR,
	    KIND_TIME_PROFILER,
	    { "indirect_call_topn", GCOV_MERGE_ICALL_TOPN } } },
	{ 7,
	  0,
	  9,
	  99,
	  9,
	  false,
	  false,
	  { KIND_ARCS,
	    KIND_INTERVAL,
	    KIND_POW2,
	    { "single", GCOV_MERGE_SINGLE },
	    { "indirect_call", GCOV_MERGE_SINGLE },
	    KIND_AVERAGE,
	    KIND_IOR,
	    KIND_TIME_PROFILER,
	    { "indirect_call_topn", GCOV_MERGE_ICALL_TOPN } } },
	{ 10,
	  0,
	  11,
	  99,
	  8,
	  false,
	  false,
	  { KIND_ARCS,
	    KIND_INTERVAL,
	    KIND_POW2,
	    { "topn", GCOV_MERGE_TOPN },
	    { "indirect_call", GCOV_MERGE_TOPN },
	    KIND_AVERAGE,
	    KIND_IOR,
	    KIND_TIME_PROFILER } },
	{ 12,
	  0,
	  13,
	  99,
	  8,
	  true,
	  true,
	  { KIND_ARCS,
	    KIND_INTERVAL,
	    KIND_POW2,
	    { "topn", GCOV_MERGE_TOPN },
	    { "indirect_call", GCOV_MERGE_TOPN },
	    KIND_AVERAGE,
	    KIND_IOR,
	    KIND_TIME_PROFILER } },
	{ 14,
	  0,
	  14,
	  99,
	  9,
	  true,
	  true,
	  { KIND_ARCS,
	    KIND_INTERVAL,
	    KIND_POW2,
	    { "topn", GCOV_MERGE_TOPN },
	    { "indirect_call", GCOV_MERGE_TOPN },
	    KIND_AVERAGE,
	    KIND_IOR,
	    KIND_TIME_PROFILER,
	    { "conditions", GCOV_MERGE_IOR } } },
	{ 15,
	  0,
	  GCC_LAYOUT_NEWEST_MAJOR,
	  99,
	  10,
	  true,
	  true,
	  { KIND_ARCS,
	    KIND_INTERVAL,
	    KIND_POW2,
	    { "topn", GCOV_MERGE_TOPN },
	    { "indirect_call", GCOV_MERGE_TOPN },
	    KIND_AVERAGE,
	    KIND_IOR,
	    KIND_TIME_PROFILER,
	    { "conditions", GCOV_MERGE_IOR },
	    KIND_IOR } },
};

static bool is_digit(unsigned c)
{
	return c >= '0' && c <= '9';
}

/* The phase byte: '*' for a release, else the first letter of GCC's
 * DEV-PHASE ('e' experimental, 'p' prerelease). */
static bool is_phase(unsigned c)
{
	return c == '*' || (c >= 'a' && c <= 'z');
}

bool gcc_version_decode(uint32_t version, unsigned *major, unsigned *minor)
{
	unsigned a = version >> 24, b = version >> 16 & 0xff,
		 c = version >> 8 & 0xff, phase = version & 0xff;

	if (!is_phase(phase))
		return false;
	if (is_digit(a) && is_digit(b) && is_digit(c)) {
		/* Up to GCC 6: major digit, two-digit minor ("407*"). */
		*major = a - '0';
		*minor = (b - '0') * 10 + (c - '0');
		return *major >= 3 && *major <= 6;
	}
	if (a >= 'A' && a <= 'Z' && is_digit(b) && is_digit(c)) {
		/* From GCC 7: 'A' + major / 10, major % 10, minor ("B22*"). */
		*major = (a - 'A') * 10 + (b - '0');
		*minor = c - '0';
		return *major >= 7;
	}
	return false;
}

const char *gcc_version_text(uint32_t version, char *buf, size_t size)
{
	unsigned major, minor, phase = version & 0xff;

	if (!gcc_version_decode(version, &major, &minor))
		snprintf(buf, size, "not a GCC version");
	else if (phase == '*')
		snprintf(buf, size, "%u.%u", major, minor);
	else
		snprintf(buf, size, "%u.%u (%c)", major, minor, (char)phase);
	return buf;
}

bool gcc_version_is_newer(uint32_t version)
{
	unsigned major, minor;

	return gcc_version_decode(version, &major, &minor) &&
	       major > GCC_LAYOUT_NEWEST_MAJOR;
}

static bool at_or_after(unsigned major, unsigned minor, unsigned ref_major,
			unsigned ref_minor)
{
	return major > ref_major || (major == ref_major && minor >= ref_minor);
}

const struct gcc_layout *gcc_layout_for_version(uint32_t version)
{
	unsigned major, minor;

	if (!gcc_version_decode(version, &major, &minor))
		return NULL;
	/* Trunk snapshots ('e') change counter tables between releases; only
	 * released and release-candidate layouts are known. */
	if ((version & 0xff) == 'e')
		return NULL;
	for (size_t i = 0; i < sizeof(layouts) / sizeof(layouts[0]); i++) {
		const struct gcc_layout *row = &layouts[i];

		if (at_or_after(major, minor, row->first_major,
				row->first_minor) &&
		    at_or_after(row->last_major, row->last_minor, major, minor))
			return row;
	}
	return NULL;
}

unsigned gcc_layout_counters(const struct gcc_layout *layout)
{
	return layout->n_counters;
}

const char *gcc_layout_counter_name(const struct gcc_layout *layout,
				    unsigned kind)
{
	return kind < layout->n_counters ? layout->kinds[kind].name : NULL;
}

enum gcov_merge gcc_layout_merge(const struct gcc_layout *layout, unsigned kind)
{
	return kind < layout->n_counters ? layout->kinds[kind].merge
					 : GCOV_MERGE_ADD;
}

bool gcc_layout_has_checksum(const struct gcc_layout *layout)
{
	return layout->checksum;
}

bool gcc_layout_lengths_in_bytes(const struct gcc_layout *layout)
{
	return layout->lengths_in_bytes;
}

static size_t align_up(size_t offset, size_t alignment)
{
	return (offset + alignment - 1) / alignment * alignment;
}

/*
 * Natural alignment: gcov_unsigned_t is 4 bytes aligned to 4, pointers are
 * pointer_size aligned to pointer_size, and no field is wider than a
 * pointer, so a structure aligns to max(4, pointer_size).
 */
void gcc_layout_offsets(const struct gcc_layout *layout, size_t pointer_size,
			struct gcc_offsets *o)
{
	size_t p = pointer_size, struct_align = p > 4 ? p : 4, at;

	o->pointer_size = p;
	o->info_version = 0;
	o->info_next = align_up(4, p);
	o->info_stamp = o->info_next + p;
	at = o->info_stamp + 4;
	if (layout->checksum) {
		/* Since GCC 12 a checksum follows stamp. */
		o->info_checksum = at;
		at += 4;
	} else {
		o->info_checksum = SIZE_MAX;
	}
	o->info_filename = align_up(at, p);
	o->info_merge = o->info_filename + p;
	o->info_n_functions = o->info_merge + layout->n_counters * p;
	o->info_functions = align_up(o->info_n_functions + 4, p);
	o->info_size = align_up(o->info_functions + p, struct_align);

	o->fn_key = 0;
	o->fn_ident = p;
	o->fn_lineno_checksum = p + 4;
	o->fn_cfg_checksum = p + 8;
	o->fn_ctrs = align_up(p + 12, struct_align);

	o->ctr_num = 0;
	o->ctr_values = align_up(4, p);
	o->ctr_size = align_up(o->ctr_values + p, struct_align);
}
