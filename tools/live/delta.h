/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The delta scan: read every counter of a live image without tearing
 * (untorn.h), compare each with its previous value, and list the counters
 * that went from zero to non-zero.  A counter that went down is an error:
 * counters of one boot only grow, so a decrease means racy updates
 * (-fprofile-update=single on SMP), a reset, or memory that is not the
 * counters' - never something to hide.
 *
 * This is the C API an in-process consumer (a fuzzer harness) uses, through
 * feed.h, or directly over any memory that holds an image.
 */
#ifndef HVCOV_DELTA_H
#define HVCOV_DELTA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/error.h"
#include "counter-map.h"

/* Flat indices (counter-map.h) of counters that went from zero to
 * non-zero, in flat order.  Owned by the caller; grown by the scan. */
struct delta_fresh {
	size_t n, capacity;
	size_t *index;
};

/* The first counter found lower than before. */
struct delta_decrease {
	size_t index;
	uint64_t before, after;
};

/* Read the counters of map from the image whose byte 0 is at `image` (in
 * the image's byte order) into cur[0..map->n_counters), comparing each with
 * prev (NULL: all zero, as before the first run).  fresh (may be NULL) is
 * emptied and then lists the counters new in this interval.  false: a
 * decrease (filled in, status 1, err names the flat index), a counter that
 * could not be read untorn, or no memory. */
bool delta_scan(const struct counter_map *map, const uint8_t *image,
		bool big_endian, const uint64_t *prev, uint64_t *cur,
		struct delta_fresh *fresh, struct delta_decrease *decrease,
		struct error *err);

/* The same comparison between two arrays of values already read (a stored
 * snapshot and a later one): difference (may be NULL) receives cur - prev
 * per counter (for bit sets, the bits cur added). */
bool delta_compare(const struct counter_map *map, const uint64_t *prev,
		   const uint64_t *cur, uint64_t *difference,
		   struct delta_fresh *fresh, struct delta_decrease *decrease,
		   struct error *err);

void delta_fresh_free(struct delta_fresh *fresh);

#endif
