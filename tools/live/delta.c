/* SPDX-License-Identifier: BSD-2-Clause */
#include "delta.h"

#include <stdlib.h>

#include "untorn.h"

/* Counters read and compared at a time: 4 KiB, so that the values just
 * read are still in the first-level cache when they are compared. */
#define BLOCK 512
/* Counters tested for any change at once. */
#define CHUNK 32

static bool grow(struct delta_fresh *fresh, struct error *err)
{
	size_t capacity = fresh->capacity ? fresh->capacity * 2 : 1024;
	size_t *index = realloc(fresh->index, capacity * sizeof(*index));

	if (!index)
		return error_errno(err, "cannot hold the list of new counters");
	fresh->index = index;
	fresh->capacity = capacity;
	return true;
}

/* Compare one block of flat indices [first, first + n); see
 * delta_compare.  false on a decrease or no memory. */
static bool compare(size_t first, size_t n, bool bits, const uint64_t *prev,
		    const uint64_t *cur, uint64_t *difference,
		    struct delta_fresh *fresh, struct delta_decrease *decrease,
		    struct error *err)
{
	for (size_t i = first; i < first + n; i++) {
		uint64_t before = prev ? prev[i] : 0, after = cur[i];

		if (after == before) {
			if (difference)
				difference[i] = 0;
			continue;
		}
		if (bits ? (before & ~after) != 0 : after < before) {
			decrease->index = i;
			decrease->before = before;
			decrease->after = after;
			return error_set(err, HVCOV_EXIT_DATA,
					 "counter %zu went from %llu to %llu",
					 i, (unsigned long long)before,
					 (unsigned long long)after);
		}
		if (difference)
			difference[i] = bits ? after & ~before : after - before;
		if (before || !fresh)
			continue;
		if (fresh->n == fresh->capacity && !grow(fresh, err))
			return false;
		fresh->index[fresh->n++] = i;
	}
	return true;
}

/* compare() on the chunks of a block that changed: most counters do not
 * change between two scans, and a branch-free test of a whole chunk
 * (which the compiler vectorises) is much cheaper than the per-counter
 * checks. */
static bool compare_changed(size_t first, size_t n, bool bits,
			    const uint64_t *prev, const uint64_t *cur,
			    struct delta_fresh *fresh,
			    struct delta_decrease *decrease, struct error *err)
{
	for (size_t at = first; at < first + n; at += CHUNK) {
		size_t m = first + n - at < CHUNK ? first + n - at : CHUNK;
		uint64_t differ = 0;

		if (prev)
			for (size_t i = at; i < at + m; i++)
				differ |= cur[i] ^ prev[i];
		else
			for (size_t i = at; i < at + m; i++)
				differ |= cur[i];
		if (differ && !compare(at, m, bits, prev, cur, NULL, fresh,
				       decrease, err))
			return false;
	}
	return true;
}

/* The scan and the comparison: every span, a block at a time; with image,
 * the block is read untorn into cur first. */
static bool walk(const struct counter_map *map, const uint8_t *image,
		 bool big_endian, const uint64_t *prev, uint64_t *cur,
		 uint64_t *difference, struct delta_fresh *fresh,
		 struct delta_decrease *decrease, struct error *err)
{
	if (fresh)
		fresh->n = 0;
	for (size_t s = 0; s < map->n_spans; s++) {
		const struct counter_span *span = &map->spans[s];

		for (size_t done = 0; done < span->num; done += BLOCK) {
			size_t n = span->num - done < BLOCK ? span->num - done
							    : BLOCK;
			size_t first = span->first + done;

			if (image &&
			    !untorn_read(image + span->offset + done * 8, n,
					 big_endian, cur + first))
				return error_set(
					err, HVCOV_EXIT_DATA,
					"counter near %zu kept changing its high word for %u reads",
					first, UNTORN_MAX_RETRIES);
			if (difference
				    ? !compare(first, n, span->bits, prev, cur,
					       difference, fresh, decrease, err)
				    : !compare_changed(first, n, span->bits,
						       prev, cur, fresh,
						       decrease, err))
				return false;
		}
	}
	return true;
}

bool delta_scan(const struct counter_map *map, const uint8_t *image,
		bool big_endian, const uint64_t *prev, uint64_t *cur,
		struct delta_fresh *fresh, struct delta_decrease *decrease,
		struct error *err)
{
	return walk(map, image, big_endian, prev, cur, NULL, fresh, decrease,
		    err);
}

bool delta_compare(const struct counter_map *map, const uint64_t *prev,
		   const uint64_t *cur, uint64_t *difference,
		   struct delta_fresh *fresh, struct delta_decrease *decrease,
		   struct error *err)
{
	return walk(map, NULL, false, prev, (uint64_t *)cur, difference, fresh,
		    decrease, err);
}

void delta_fresh_free(struct delta_fresh *fresh)
{
	free(fresh->index);
	fresh->index = NULL;
	fresh->n = fresh->capacity = 0;
}
