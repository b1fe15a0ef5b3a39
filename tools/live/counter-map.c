/* SPDX-License-Identifier: BSD-2-Clause */
#include "counter-map.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/hash.h"
#include "gcov/gcc-layout.h"
#include "write/outpath.h"

/* Every GCC from 4.7 to 16 puts the arcs counters at kind 0. */
#define ARCS_KIND 0

static bool out_of_memory(struct error *err)
{
	return error_errno(err, "cannot hold the counter map");
}

static bool add_array(struct counter_map *map, size_t *capacity,
		      const struct counter_array *array, struct error *err)
{
	if (map->n_arrays == *capacity) {
		size_t grown = *capacity ? *capacity * 2 : 256;
		struct counter_array *arrays =
			realloc(map->arrays, grown * sizeof(*arrays));

		if (!arrays)
			return out_of_memory(err);
		map->arrays = arrays;
		*capacity = grown;
	}
	map->arrays[map->n_arrays++] = *array;
	return true;
}

/* Refuse kinds whose values are not monotonic counts or bit sets. */
static bool check_kinds(const struct model_object *object, size_t number,
			const struct gcc_layout *layout, struct error *err)
{
	char name[160];

	for (unsigned kind = 0; kind < gcc_layout_counters(layout); kind++) {
		enum gcov_merge merge;

		if (!(object->active_kinds & (1u << kind)))
			continue;
		merge = gcc_layout_merge(layout, kind);
		if (merge != GCOV_MERGE_ADD && merge != GCOV_MERGE_IOR)
			return error_set(
				err, HVCOV_EXIT_DATA,
				"object %zu (%s) has %s counters, which are not monotonic: live snapshots support counting (add) and bit-set (ior) kinds only, as --coverage and -fcondition-coverage produce",
				number,
				outpath_quote(object->filename, name,
					      sizeof(name)),
				gcc_layout_counter_name(layout, kind));
	}
	return true;
}

static bool build_arrays(const struct model *model, struct counter_map *map,
			 struct error *err)
{
	size_t capacity = 0;
	uint64_t digest = HASH_FNV_OFFSET;

	for (size_t o = 0; o < model->n_objects; o++) {
		const struct model_object *object = &model->objects[o];
		const struct gcc_layout *layout =
			gcc_layout_for_version(object->version);
		uint64_t file_seed;

		/* The reader refused unknown versions already. */
		if (!layout)
			return error_set(err, HVCOV_EXIT_DATA,
					 "object %zu: unknown gcov version",
					 o + 1);
		if (!check_kinds(object, o + 1, layout, err))
			return false;
		file_seed = hash_fnv_string(HASH_FNV_OFFSET, object->filename);
		digest = hash_fnv_string(digest, object->filename);
		digest = hash_fnv_int(digest, object->stamp, 4);
		digest = hash_fnv_int(digest, object->checksum, 4);
		for (uint32_t f = 0; f < object->n_functions; f++) {
			const struct model_function *function =
				&object->functions[f];
			uint64_t fn_seed;

			if (!function->present)
				continue;
			fn_seed = hash_fnv_int(file_seed, function->ident, 4);
			fn_seed = hash_fnv_int(fn_seed,
					       function->lineno_checksum, 4);
			fn_seed = hash_fnv_int(fn_seed, function->cfg_checksum,
					       4);
			for (unsigned s = 0; s < object->n_active; s++) {
				const struct model_counters *c =
					&function->counters[s];
				struct counter_array array = {
					.offset = c->address - model->link_base,
					.first = map->n_counters,
					.num = c->num,
					.object = (uint32_t)o,
					.function = f,
					.slot = s,
					.kind = c->kind,
					.bits = gcc_layout_merge(layout,
								 c->kind) ==
						GCOV_MERGE_IOR,
					.id_seed = hash_fnv_int(fn_seed,
								c->kind, 1),
				};

				digest = hash_fnv_int(digest, function->ident,
						      4);
				digest = hash_fnv_int(digest, c->kind, 1);
				digest = hash_fnv_int(digest, c->num, 4);
				if (!c->num)
					continue;
				if (!add_array(map, &capacity, &array, err))
					return false;
				map->n_counters += c->num;
				if (c->kind == ARCS_KIND)
					map->n_arcs += c->num;
			}
		}
	}
	map->digest = digest;
	return true;
}

static bool build_spans(struct counter_map *map, struct error *err)
{
	struct counter_span *span = NULL;

	map->spans =
		calloc(map->n_arrays ? map->n_arrays : 1, sizeof(*map->spans));
	if (!map->spans)
		return out_of_memory(err);
	for (size_t i = 0; i < map->n_arrays; i++) {
		const struct counter_array *a = &map->arrays[i];

		if (span && span->bits == a->bits &&
		    span->offset + span->num * 8 == a->offset) {
			span->num += a->num;
			continue;
		}
		span = &map->spans[map->n_spans++];
		span->offset = a->offset;
		span->first = a->first;
		span->num = a->num;
		span->bits = a->bits;
	}
	return true;
}

bool counter_map_build(const struct model *model, struct counter_map *map,
		       struct error *err)
{
	memset(map, 0, sizeof(*map));
	if (build_arrays(model, map, err) && build_spans(map, err))
		return true;
	counter_map_free(map);
	return false;
}

/* The array holding flat index i (binary search). */
static const struct counter_array *
counter_map_array(const struct counter_map *map, size_t i)
{
	size_t low = 0, high = map->n_arrays;

	while (high - low > 1) {
		size_t mid = low + (high - low) / 2;

		if (map->arrays[mid].first <= i)
			low = mid;
		else
			high = mid;
	}
	return &map->arrays[low];
}

uint64_t counter_map_id(const struct counter_map *map, size_t i)
{
	const struct counter_array *a = counter_map_array(map, i);

	return hash_finish(hash_fnv_int(a->id_seed, i - a->first, 4));
}

bool counter_map_is_arc(const struct counter_map *map, size_t i)
{
	return counter_map_array(map, i)->kind == ARCS_KIND;
}

const char *counter_map_name(const struct counter_map *map,
			     const struct model *model, size_t i, char *buf,
			     size_t size)
{
	const struct counter_array *a = counter_map_array(map, i);
	const struct model_object *object = &model->objects[a->object];
	const struct model_function *function = &object->functions[a->function];
	const struct gcc_layout *layout =
		gcc_layout_for_version(object->version);
	char name[200];

	snprintf(buf, size,
		 "object %s function %u (ident 0x%08x) %s counter %zu",
		 outpath_quote(object->filename, name, sizeof(name)),
		 a->function, function->ident,
		 layout ? gcc_layout_counter_name(layout, a->kind) : "?",
		 i - a->first);
	return buf;
}

void counter_map_fill(const struct counter_map *map, struct model *model,
		      const uint64_t *values)
{
	for (size_t i = 0; i < map->n_arrays; i++) {
		const struct counter_array *a = &map->arrays[i];
		struct model_counters *c = &model->objects[a->object]
						    .functions[a->function]
						    .counters[a->slot];

		memcpy(c->values, values + a->first,
		       (size_t)a->num * sizeof(uint64_t));
	}
}

void counter_map_free(struct counter_map *map)
{
	free(map->arrays);
	free(map->spans);
	memset(map, 0, sizeof(*map));
}
