/* SPDX-License-Identifier: BSD-2-Clause */
#include "reader.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/bytes.h"
#include "gcc-layout.h"

/* One 64-bit gcov counter. */
#define COUNTER_BYTES 8

/* The gcov_info addresses already decoded, so that a list that loops or a
 * section that repeats an entry is caught at once.  Open addressing; 0 marks
 * a free slot (a 0 address ends the list and is never stored). */
struct seen {
	uint64_t *address;
	size_t *object; /* index into model->objects */
	size_t capacity;
	size_t count;
};

/* What decoding one object needs to know beyond the object itself. */
struct walk {
	const struct image *image;
	struct model *model;
	size_t capacity; /* allocated model->objects */
	struct seen seen;
	/* Budgets: together the objects cannot hold more function pointers,
	 * function records or counters than the image has room for.  GCC
	 * gives each function of an object a record of its own, so records
	 * that several functions[] entries share are counted each time: the
	 * model then never outgrows the image by more than a small factor. */
	uint64_t functions_left;
	uint64_t records_left;
	uint64_t counters_left;
	struct error *err;
};

static size_t seen_slot(const struct seen *seen, uint64_t address)
{
	size_t mask = seen->capacity - 1;
	size_t slot = (size_t)((address * 0x9e3779b97f4a7c15ULL) >> 17) & mask;

	while (seen->address[slot] && seen->address[slot] != address)
		slot = (slot + 1) & mask;
	return slot;
}

/* The object index already recorded for address, or SIZE_MAX. */
static size_t seen_find(const struct seen *seen, uint64_t address)
{
	size_t slot;

	if (!seen->capacity)
		return SIZE_MAX;
	slot = seen_slot(seen, address);
	return seen->address[slot] ? seen->object[slot] : SIZE_MAX;
}

static bool seen_add(struct seen *seen, uint64_t address, size_t object)
{
	if ((seen->count + 1) * 2 > seen->capacity) {
		struct seen grown = { 0 };

		grown.capacity = seen->capacity ? seen->capacity * 2 : 64;
		grown.address = calloc(grown.capacity, sizeof(uint64_t));
		grown.object = calloc(grown.capacity, sizeof(size_t));
		if (!grown.address || !grown.object) {
			free(grown.address);
			free(grown.object);
			return false;
		}
		for (size_t i = 0; i < seen->capacity; i++)
			if (seen->address[i]) {
				size_t slot =
					seen_slot(&grown, seen->address[i]);

				grown.address[slot] = seen->address[i];
				grown.object[slot] = seen->object[i];
			}
		grown.count = seen->count;
		free(seen->address);
		free(seen->object);
		*seen = grown;
	}
	size_t slot = seen_slot(seen, address);

	seen->address[slot] = address;
	seen->object[slot] = object;
	seen->count++;
	return true;
}

static void seen_free(struct seen *seen)
{
	free(seen->address);
	free(seen->object);
}

static bool out_of_memory(struct walk *walk)
{
	return error_errno(walk->err, "cannot hold the decoded coverage data");
}

/* Counter values, in the image's byte order, into host integers. */
/* "PREFIX: functions[INDEX] at 0xADDRESS" into buf: formatted only for an
 * error message (one snprintf per function was a tenth of a 2,000-object
 * extraction's instructions). */
static const char *function_where(char *buf, size_t size, const char *prefix,
				  uint32_t index, uint64_t address)
{
	snprintf(buf, size, "%s: functions[%u] at 0x%llx", prefix, index,
		 (unsigned long long)address);
	return buf;
}

static bool read_counters(struct walk *walk, const char *prefix, uint32_t index,
			  uint64_t fn_address, const char *kind_name,
			  uint32_t num, uint64_t address,
			  struct model_counters *counters)
{
	const struct image *image = walk->image;
	const uint8_t *bytes;
	char where[600];

	counters->num = num;
	counters->address = address;
	if (num == 0)
		return true;
	if (address % image->pointer_size)
		return error_set(walk->err, HVCOV_EXIT_DATA,
				 "%s %s counters at 0x%llx are misaligned",
				 function_where(where, sizeof(where), prefix,
						index, fn_address),
				 kind_name, (unsigned long long)address);
	if (num > walk->counters_left)
		return error_set(
			walk->err, HVCOV_EXIT_DATA,
			"%s %s counters: %u values at 0x%llx are more than the image can hold",
			function_where(where, sizeof(where), prefix, index,
				       fn_address),
			kind_name, num, (unsigned long long)address);
	bytes = image_at(image, address, (uint64_t)num * COUNTER_BYTES);
	if (!bytes)
		return error_set(
			walk->err, HVCOV_EXIT_DATA,
			"%s %s counters: %u values at 0x%llx lie outside the image",
			function_where(where, sizeof(where), prefix, index,
				       fn_address),
			kind_name, num, (unsigned long long)address);
	walk->counters_left -= num;
	if (image->lend_counters && image->big_endian == BYTES_HOST_BIG &&
	    (uintptr_t)bytes % _Alignof(uint64_t) == 0) {
		/* Only libgcov's child merges into them, in its own copy. */
		counters->values = (uint64_t *)(uintptr_t)bytes;
		walk->model->lent = image->buffer;
		walk->model->lent_size = image->buffer_size;
		return true;
	}
	if ((uint64_t)num * sizeof(uint64_t) > SIZE_MAX)
		return out_of_memory(walk);
	counters->values = malloc((size_t)num * sizeof(uint64_t));
	if (!counters->values)
		return out_of_memory(walk);
	for (uint32_t i = 0; i < num; i++)
		counters->values[i] =
			bytes_get64(bytes + (size_t)i * 8, image->big_endian);
	return true;
}

#define WHERE function_where(where, sizeof(where), prefix, index, address)

static bool read_function(struct walk *walk, const char *prefix,
			  struct model_object *object,
			  const struct gcc_layout *layout,
			  const struct gcc_offsets *o, uint32_t index,
			  uint64_t address, struct model_function *function)
{
	const struct image *image = walk->image;
	uint64_t key, record;
	char where[600];
	unsigned slot = 0;

	/* An unselected COMDAT copy: no data of its own to read. */
	if (address == 0)
		return true;
	if (address % image->pointer_size)
		return error_set(walk->err, HVCOV_EXIT_DATA, "%s is misaligned",
				 WHERE);
	if (!image_pointer(image, address + o->fn_key, &key))
		return error_set(walk->err, HVCOV_EXIT_DATA,
				 "%s points outside the image", WHERE);
	if (key != object->address)
		return true;
	record = o->fn_ctrs + (uint64_t)object->n_active * o->ctr_size;
	if (!image_at(image, address, record))
		return error_set(
			walk->err, HVCOV_EXIT_DATA,
			"%s: its %u counter records run past the end of the image",
			WHERE, object->n_active);
	if (record > walk->records_left)
		return error_set(
			walk->err, HVCOV_EXIT_DATA,
			"%s: more function records than the image can hold (functions[] entries share them)",
			WHERE);
	walk->records_left -= record;
	function->present = true;
	image_u32(image, address + o->fn_ident, &function->ident);
	image_u32(image, address + o->fn_lineno_checksum,
		  &function->lineno_checksum);
	image_u32(image, address + o->fn_cfg_checksum, &function->cfg_checksum);
	if (object->n_active == 0)
		return true;
	function->counters = model_calloc(walk->model, object->n_active,
					  sizeof(*function->counters));
	if (!function->counters)
		return out_of_memory(walk);
	for (unsigned kind = 0; kind < gcc_layout_counters(layout); kind++) {
		uint64_t ctr, values;
		uint32_t num;

		if (!(object->active_kinds & (1u << kind)))
			continue;
		ctr = address + o->fn_ctrs + (uint64_t)slot * o->ctr_size;
		image_u32(image, ctr + o->ctr_num, &num);
		image_pointer(image, ctr + o->ctr_values, &values);
		function->counters[slot].kind = kind;
		if (!read_counters(walk, prefix, index, address,
				   gcc_layout_counter_name(layout, kind), num,
				   values, &function->counters[slot]))
			return false;
		slot++;
	}
	return true;
}

#undef WHERE

static bool read_functions(struct walk *walk, const char *prefix,
			   struct model_object *object,
			   const struct gcc_layout *layout,
			   const struct gcc_offsets *o, uint64_t array)
{
	const struct image *image = walk->image;
	uint32_t n = object->n_functions;

	if (n == 0)
		return true;
	if (array % image->pointer_size)
		return error_set(walk->err, HVCOV_EXIT_DATA,
				 "%s: functions array at 0x%llx is misaligned",
				 prefix, (unsigned long long)array);
	if (n > walk->functions_left ||
	    !image_at(image, array, (uint64_t)n * image->pointer_size))
		return error_set(
			walk->err, HVCOV_EXIT_DATA,
			"%s: n_functions %u at 0x%llx do not fit in the image",
			prefix, n, (unsigned long long)array);
	walk->functions_left -= n;
	object->functions =
		model_calloc(walk->model, n, sizeof(*object->functions));
	if (!object->functions)
		return out_of_memory(walk);
	for (uint32_t i = 0; i < n; i++) {
		uint64_t address;

		image_pointer(image, array + (uint64_t)i * image->pointer_size,
			      &address);
		if (!read_function(walk, prefix, object, layout, o, i, address,
				   &object->functions[i]))
			return false;
	}
	return true;
}

/*
 * Decode the gcov_info at `address` as the next model object.  `next` gets
 * its list link (constructor mode follows it).
 */
static bool read_object(struct walk *walk, uint64_t address, uint64_t *next)
{
	const struct image *image = walk->image;
	struct model *model = walk->model;
	const struct gcc_layout *layout;
	struct model_object *object;
	struct gcc_offsets o;
	uint64_t filename, functions, merge;
	char prefix[300], text[48], version[24];
	const char *name;
	size_t number = model->n_objects + 1;

	snprintf(prefix, sizeof(prefix), "object %zu (gcov_info at 0x%llx)",
		 number, (unsigned long long)address);
	if (address % image->pointer_size)
		return error_set(walk->err, HVCOV_EXIT_DATA, "%s is misaligned",
				 prefix);
	if (model->n_objects == walk->capacity) {
		size_t capacity = walk->capacity ? walk->capacity * 2 : 16;
		struct model_object *grown;

		if (capacity > SIZE_MAX / sizeof(*grown))
			return out_of_memory(walk);
		grown = realloc(model->objects, capacity * sizeof(*grown));
		if (!grown)
			return out_of_memory(walk);
		model->objects = grown;
		walk->capacity = capacity;
	}
	object = &model->objects[model->n_objects++];
	memset(object, 0, sizeof(*object));
	object->address = address;

	/* version is the first field of every layout: it selects the rest. */
	if (!image_u32(image, address, &object->version))
		return error_set(walk->err, HVCOV_EXIT_DATA,
				 "%s points outside the image", prefix);
	layout = gcc_layout_for_version(object->version);
	if (!layout && gcc_version_is_newer(object->version))
		return error_set(
			walk->err, HVCOV_EXIT_DATA,
			"%s: GCC %s is newer than this hvcov knows (GCC 4.7 to %u)",
			prefix,
			gcc_version_text(object->version, version,
					 sizeof(version)),
			GCC_LAYOUT_NEWEST_MAJOR);
	if (!layout) {
		unsigned major, minor;

		if (gcc_version_decode(object->version, &major, &minor))
			snprintf(text, sizeof(text), "GCC %s",
				 gcc_version_text(object->version, version,
						  sizeof(version)));
		else
			snprintf(text, sizeof(text), "not a GCC version word");
		return error_set(
			walk->err, HVCOV_EXIT_DATA,
			"%s: gcov version 0x%08x (%s) is not one hvcov knows (released GCC 4.7 to %u)",
			prefix, object->version, text, GCC_LAYOUT_NEWEST_MAJOR);
	}
	gcc_layout_offsets(layout, image->pointer_size, &o);
	if (!image_at(image, address, o.info_size))
		return error_set(
			walk->err, HVCOV_EXIT_DATA,
			"%s: its %zu bytes run past the end of the image",
			prefix, o.info_size);
	image_pointer(image, address + o.info_next, next);
	image_u32(image, address + o.info_stamp, &object->stamp);
	if (gcc_layout_has_checksum(layout))
		image_u32(image, address + o.info_checksum, &object->checksum);
	image_pointer(image, address + o.info_filename, &filename);
	name = image_string(image, filename, IMAGE_MAX_STRING);
	if (!name)
		return error_set(
			walk->err, HVCOV_EXIT_DATA,
			"%s: filename at 0x%llx is not a string that ends inside the image within %d bytes",
			prefix, (unsigned long long)filename, IMAGE_MAX_STRING);
	object->filename = strdup(name);
	if (!object->filename)
		return out_of_memory(walk);
	snprintf(prefix, sizeof(prefix), "object %zu (%s)", number,
		 object->filename);
	for (unsigned kind = 0; kind < gcc_layout_counters(layout); kind++) {
		/* A merge function's address is only tested for NULL: it is
		 * code, which may lie outside the image. */
		image_pointer(image,
			      address + o.info_merge + kind * o.pointer_size,
			      &merge);
		if (merge) {
			object->active_kinds |= 1u << kind;
			object->n_active++;
		}
	}
	image_u32(image, address + o.info_n_functions, &object->n_functions);
	image_pointer(image, address + o.info_functions, &functions);
	return read_functions(walk, prefix, object, layout, &o, functions);
}

static bool remember(struct walk *walk, uint64_t address)
{
	if (!seen_add(&walk->seen, address, walk->model->n_objects))
		return out_of_memory(walk);
	return true;
}

static bool read_list(struct walk *walk, uint64_t head, uint32_t registered,
		      bool check_registered)
{
	const struct image *image = walk->image;
	/* Every gcov_info holds at least version, stamp, n_functions and
	 * three pointers, so no longer list fits in the image. */
	uint64_t most = image->size / (12 + 3 * (uint64_t)image->pointer_size);
	uint64_t address = head, length = 0;

	while (address) {
		size_t earlier = seen_find(&walk->seen, address);

		if (earlier != SIZE_MAX)
			return error_set(
				walk->err, HVCOV_EXIT_DATA,
				"the gcov_info list loops: entry %llu points back to object %zu at 0x%llx",
				(unsigned long long)length, earlier + 1,
				(unsigned long long)address);
		if (length == most)
			return error_set(
				walk->err, HVCOV_EXIT_DATA,
				"the gcov_info list is longer than the %llu entries the image can hold",
				(unsigned long long)most);
		if (!remember(walk, address) ||
		    !read_object(walk, address, &address))
			return false;
		length++;
	}
	if (check_registered && length != registered)
		return error_set(
			walk->err, HVCOV_EXIT_DATA,
			"the gcov_info list has %llu entries, but the descriptor counts %u registrations",
			(unsigned long long)length, registered);
	return true;
}

static bool read_section(struct walk *walk, uint64_t start, uint64_t end)
{
	const struct image *image = walk->image;
	uint64_t p = image->pointer_size, next;

	if (start > end || (end - start) % p || start % p ||
	    !image_at(image, start, end - start))
		return error_set(
			walk->err, HVCOV_EXIT_DATA,
			".gcov_info section 0x%llx to 0x%llx is not an aligned array of pointers inside the image",
			(unsigned long long)start, (unsigned long long)end);
	for (uint64_t at = start; at < end; at += p) {
		uint64_t address;
		size_t earlier;

		image_pointer(image, at, &address);
		/* Alignment padding between input sections. */
		if (!address)
			continue;
		earlier = seen_find(&walk->seen, address);
		if (earlier != SIZE_MAX)
			return error_set(
				walk->err, HVCOV_EXIT_DATA,
				".gcov_info section entry at 0x%llx repeats object %zu at 0x%llx",
				(unsigned long long)at, earlier + 1,
				(unsigned long long)address);
		if (!remember(walk, address) ||
		    !read_object(walk, address, &next))
			return false;
	}
	return true;
}

static int compare_filenames(const void *a, const void *b)
{
	const struct model_object *const *x = a, *const *y = b;

	return strcmp((*x)->filename, (*y)->filename);
}

/* Two objects writing one .gcda would overwrite each other's counts. */
static bool check_unique_filenames(struct walk *walk)
{
	struct model *model = walk->model;
	const struct model_object **sorted;
	bool ok = true;

	if (model->n_objects < 2)
		return true;
	sorted = calloc(model->n_objects, sizeof(*sorted));
	if (!sorted)
		return out_of_memory(walk);
	for (size_t i = 0; i < model->n_objects; i++)
		sorted[i] = &model->objects[i];
	qsort(sorted, model->n_objects, sizeof(*sorted), compare_filenames);
	for (size_t i = 1; i < model->n_objects && ok; i++) {
		const struct model_object *a = sorted[i - 1], *b = sorted[i];

		if (strcmp(a->filename, b->filename) == 0)
			ok = error_set(
				walk->err, HVCOV_EXIT_DATA,
				"objects %zu (0x%llx) and %zu (0x%llx) both write %s",
				(size_t)(a - model->objects) + 1,
				(unsigned long long)a->address,
				(size_t)(b - model->objects) + 1,
				(unsigned long long)b->address, b->filename);
	}
	free(sorted);
	return ok;
}

bool reader_read(const struct image *image, const struct header *header,
		 struct model *model, struct error *err)
{
	struct walk walk = {
		.image = image,
		.model = model,
		.functions_left = image->size / image->pointer_size,
		.records_left = image->size,
		.counters_left = image->size / COUNTER_BYTES,
		.err = err,
	};
	bool ok;

	memset(model, 0, sizeof(*model));
	if (!image->has_view)
		return error_set(
			err, HVCOV_EXIT_SYSTEM,
			"internal: reader called before the header was located");
	model->header = header->kind;
	model->machine = header->machine;
	model->pointer_size = header->pointer_size;
	model->big_endian = header->big_endian;
	model->gcov_version = header->gcov_version;
	model->link_base = header->link_base;
	model->image_size = header->image_size;
	model->boot_id = header->boot_id;
	model->state = header->state;

	ok = read_list(&walk, header->list_head, header->registered,
		       header->kind == MODEL_HEADER_HVCOV) &&
	     (header->section_start == header->section_end ||
	      read_section(&walk, header->section_start,
			   header->section_end)) &&
	     check_unique_filenames(&walk);
	seen_free(&walk.seen);
	if (!ok) {
		model_free(model);
		return false;
	}
	/* The array grew by doubling: up to half of it unused, and it
	 * lives as long as the model (20,000 objects: 0.7 MB). */
	if (model->n_objects && model->n_objects < walk.capacity) {
		struct model_object *fit = realloc(
			model->objects, model->n_objects * sizeof(*fit));

		if (fit)
			model->objects = fit;
	}
	return true;
}

static int by_values(const void *a, const void *b)
{
	uintptr_t x = (uintptr_t)(*(struct model_counters *const *)a)->values;
	uintptr_t y = (uintptr_t)(*(struct model_counters *const *)b)->values;

	return x < y ? -1 : x > y;
}

/* Calls fn for each counter array with values, in the model's order. */
static void each_array(struct model *model,
		       void (*fn)(struct model_counters *, void *), void *ctx)
{
	for (size_t i = 0; i < model->n_objects; i++) {
		const struct model_object *o = &model->objects[i];

		for (uint32_t f = 0; o->functions && f < o->n_functions; f++)
			for (unsigned k = 0;
			     o->functions[f].counters && k < o->n_active; k++)
				if (o->functions[f].counters[k].values)
					fn(&o->functions[f].counters[k], ctx);
	}
}

struct take {
	struct image *image;
	struct model *model;
	size_t n, total; /* arrays, values */
	bool ascending;  /* their addresses, in the model's order */
	uintptr_t last;
	struct model_counters **sorted; /* when not ascending */
	struct model_counters *pending; /* when ascending: the last one seen */
	uint64_t *to;
	size_t at;
};

static void count_array(struct model_counters *c, void *ctx)
{
	struct take *t = ctx;

	t->ascending &= !t->n || (uintptr_t)c->values >= t->last;
	t->last = (uintptr_t)c->values;
	t->n++;
	/* The reader's budget bounds the sum. */
	t->total += c->num;
}

static void list_array(struct model_counters *c, void *ctx)
{
	struct take *t = ctx;

	t->sorted[t->at++] = c;
}

/* Copies c into the pool; next is the array copied after it (NULL: none):
 * the image below a lent one is read no more. */
static void take_array(struct take *t, struct model_counters *c,
		       const struct model_counters *next)
{
	bool lent = model_lent(t->model, c->values);

	memcpy(t->to + t->at, c->values, (size_t)c->num * sizeof(*t->to));
	if (!lent)
		free(c->values);
	c->values = t->to + t->at;
	t->at += c->num;
	/* In address order, lent arrays come one after another (nothing
	 * else lies inside the image's buffer). */
	if (lent)
		image_discard_below(
			t->image,
			next && model_lent(t->model, next->values)
				? (size_t)((const uint8_t *)next->values -
					   t->image->buffer)
				: t->image->buffer_size);
}

static void take_in_order(struct model_counters *c, void *ctx)
{
	struct take *t = ctx;

	/* The next one in the model's order is the next in address order;
	 * the previous one waits until this one is known. */
	if (t->pending)
		take_array(t, t->pending, c);
	t->pending = c;
}

bool reader_take_counters(struct image *image, struct model *model,
			  struct error *err)
{
	struct take t = { .image = image, .model = model, .ascending = true };

	if (model->values_pooled)
		return true;
	each_array(model, count_array, &t);
	/* Sorting needs a pointer per array; images laid out in the
	 * model's order (the usual case) are walked without one. */
	if (!t.ascending)
		t.sorted = malloc((t.n ? t.n : 1) * sizeof(*t.sorted));
	if (t.ascending || t.sorted)
		t.to = model_calloc(model, t.total ? t.total : 1,
				    sizeof(*t.to));
	if (!t.to) {
		free(t.sorted);
		return error_errno(err, "out of memory for the counters");
	}
	if (t.ascending) {
		each_array(model, take_in_order, &t);
		if (t.pending)
			take_array(&t, t.pending, NULL);
	} else {
		each_array(model, list_array, &t);
		qsort(t.sorted, t.n, sizeof(*t.sorted), by_values);
		t.at = 0;
		for (size_t j = 0; j < t.n; j++)
			take_array(&t, t.sorted[j],
				   j + 1 < t.n ? t.sorted[j + 1] : NULL);
		free(t.sorted);
	}
	model->lent = NULL;
	model->lent_size = 0;
	model->values_pooled = true;
	return true;
}
