/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Every counter of a decoded model in one flat order, with where it lives in
 * the image, its stable 64-bit ID and the runs of counters that lie back to
 * back in the image (which a scan reads in one sweep).  Live snapshots, the
 * delta scan and the kcov feed all index counters this way.
 *
 * Flat order: objects in model order, present functions in order, active
 * kinds in order, values in order; arrays with no values take no index.
 *
 * Stable ID of a counter (docs/snapshots.md): hash_finish() of the 64-bit
 * FNV-1a of, in order, the object's .gcda filename with its NUL, the
 * function's ident, lineno_checksum and cfg_checksum (4 bytes each,
 * little-endian), the counter kind (1 byte) and the index within the array
 * (4 bytes, little-endian).  All of them are fixed when the hypervisor is
 * built, so the ID is the same in every run of one build.
 */
#ifndef HVCOV_COUNTER_MAP_H
#define HVCOV_COUNTER_MAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/error.h"
#include "gcov/model.h"

/* One counter array (a model_counters with values). */
struct counter_array {
	uint64_t offset; /* image offset of values[0] */
	size_t first;    /* flat index of values[0] */
	uint32_t num;
	uint32_t object;   /* index into model->objects */
	uint32_t function; /* index into that object's functions */
	unsigned slot;     /* index into that function's counters */
	unsigned kind;
	bool bits;        /* merged by ior: a bit set, not a count */
	uint64_t id_seed; /* FNV-1a state before the index bytes */
};

/* Arrays that follow each other in the image and in flat order, with the
 * same merge, read as one. */
struct counter_span {
	uint64_t offset; /* image offset of the first counter */
	size_t first;    /* its flat index */
	size_t num;
	bool bits;
};

struct counter_map {
	size_t n_counters;
	size_t n_arcs; /* counters of the arcs kind */
	size_t n_arrays;
	struct counter_array *arrays;
	size_t n_spans;
	struct counter_span *spans;
	/* FNV-1a of every array's identity (filename, stamp, checksums,
	 * function, kind, num): two models with equal digests index their
	 * counters identically. */
	uint64_t digest;
};

/* Build the map of a model read from an image whose byte 0 has hypervisor
 * address link_base.  Live snapshots accept counters that only grow (add
 * and ior merges); any other kind in the model is refused (status 1) since
 * neither a delta nor a torn-free read is defined for it. */
bool counter_map_build(const struct model *model, struct counter_map *map,
		       struct error *err);

/* The stable ID of flat index i. */
uint64_t counter_map_id(const struct counter_map *map, size_t i);

/* Whether flat index i is an arcs counter (kind 0 in every GCC). */
bool counter_map_is_arc(const struct counter_map *map, size_t i);

/* "object FILE function ident 0x.. arcs counter N" for messages. */
const char *counter_map_name(const struct counter_map *map,
			     const struct model *model, size_t i, char *buf,
			     size_t size);

/* Copy flat values into the model's value arrays (for the writer). */
void counter_map_fill(const struct counter_map *map, struct model *model,
		      const uint64_t *values);

void counter_map_free(struct counter_map *map);

#endif
