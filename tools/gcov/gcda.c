/* SPDX-License-Identifier: BSD-2-Clause */
#include "gcda.h"

#include <stdlib.h>
#include <string.h>

#include "write/outpath.h"

struct cursor {
	const uint8_t *buf;
	size_t len, pos;
};

static bool take(struct cursor *c, uint32_t *word)
{
	if (c->len - c->pos < 4)
		return false;
	memcpy(word, c->buf + c->pos, 4);
	c->pos += 4;
	return true;
}

static bool bad(struct error *err, const char *name, const char *why,
		size_t pos)
{
	char quoted[300];

	return error_set(err, HVCOV_EXIT_DATA,
			 "%s is not a valid .gcda: %s at byte %zu",
			 outpath_quote(name, quoted, sizeof(quoted)), why, pos);
}

uint64_t gcda_counter(const struct gcda_counts *counts, uint32_t index)
{
	uint32_t lo, hi;

	if (!counts->values)
		return 0;
	memcpy(&lo, counts->values + 8 * (size_t)index, 4);
	memcpy(&hi, counts->values + 8 * (size_t)index + 4, 4);
	return (uint64_t)hi << 32 | lo;
}

/* Grow the function array by one record. */
static struct gcda_function *new_function(struct gcda_file *out)
{
	struct gcda_function *grown;

	if (!(out->n_functions & (out->n_functions - 1)) || !out->n_functions) {
		size_t cap =
			out->n_functions ? 2 * (size_t)out->n_functions : 8;

		if (cap > SIZE_MAX / sizeof(*grown))
			return NULL;
		grown = realloc(out->functions, cap * sizeof(*grown));
		if (!grown)
			return NULL;
		out->functions = grown;
	}
	grown = &out->functions[out->n_functions++];
	memset(grown, 0, sizeof(*grown));
	return grown;
}

bool gcda_parse(const uint8_t *buf, size_t len, const char *name,
		struct gcda_file *out, struct error *err)
{
	struct cursor c = { buf, len, 0 };
	const struct gcc_layout *layout;
	struct gcda_function *fn = NULL;
	uint32_t magic, tag, length;
	size_t unit;

	memset(out, 0, sizeof(*out));
	if (!take(&c, &magic) || magic != GCDA_MAGIC)
		return bad(err, name, "no gcda magic", 0);
	if (!take(&c, &out->version) || !take(&c, &out->stamp))
		return bad(err, name, "truncated header", c.pos);
	layout = gcc_layout_for_version(out->version);
	if (!layout)
		return bad(err, name, "unknown version word", 4);
	if (gcc_layout_has_checksum(layout) && !take(&c, &out->checksum))
		return bad(err, name, "truncated header", c.pos);
	unit = gcc_layout_lengths_in_bytes(layout) ? 1 : 4;

	for (;;) {
		size_t start = c.pos, bytes;
		int32_t slength;

		if (!take(&c, &tag))
			goto fail_trunc;
		if (tag == 0)
			break;
		if (!take(&c, &length))
			goto fail_trunc;
		slength = (int32_t)length;
		bytes = (size_t)(slength < 0 ? -(int64_t)slength : slength) *
			unit;

		if (tag == GCDA_TAG_FUNCTION) {
			fn = new_function(out);
			if (!fn) {
				gcda_free(out);
				return error_errno(err, "out of memory");
			}
			if (length == 0)
				continue;
			if (bytes != 12 || !take(&c, &fn->ident) ||
			    !take(&c, &fn->lineno_checksum) ||
			    !take(&c, &fn->cfg_checksum)) {
				gcda_free(out);
				return bad(err, name, "bad function record",
					   start);
			}
			fn->present = true;
			continue;
		}
		if (tag >= GCDA_TAG_COUNTER_BASE &&
		    !((tag - GCDA_TAG_COUNTER_BASE) & ((1u << 17) - 1)) &&
		    (tag - GCDA_TAG_COUNTER_BASE) >> 17 <
			    gcc_layout_counters(layout)) {
			struct gcda_counts *counts;

			if (!fn || !fn->present ||
			    fn->n_counts == GCC_LAYOUT_MAX_COUNTERS ||
			    bytes % 8) {
				gcda_free(out);
				return bad(err, name, "misplaced counters",
					   start);
			}
			counts = &fn->counts[fn->n_counts++];
			counts->kind = (tag - GCDA_TAG_COUNTER_BASE) >> 17;
			counts->num = (uint32_t)(bytes / 8);
			if (slength > 0) {
				if (c.len - c.pos < bytes)
					goto fail_trunc;
				counts->values = buf + c.pos;
				c.pos += bytes;
			}
			continue;
		}
		if (c.len - c.pos < bytes)
			goto fail_trunc;
		if (tag == GCDA_TAG_OBJECT_SUMMARY ||
		    tag == GCDA_TAG_PROGRAM_SUMMARY)
			out->has_summary = true;
		/* GCC 9+ object summary: {runs, sum_max}. */
		if (tag == GCDA_TAG_OBJECT_SUMMARY && bytes >= 4)
			memcpy(&out->runs, buf + c.pos, 4);
		c.pos += bytes;
	}
	if (c.pos != c.len) {
		gcda_free(out);
		return bad(err, name, "data after the end mark", c.pos);
	}
	return true;

fail_trunc:
	gcda_free(out);
	return bad(err, name, "truncated", c.pos);
}

void gcda_free(struct gcda_file *file)
{
	free(file->functions);
	memset(file, 0, sizeof(*file));
}
