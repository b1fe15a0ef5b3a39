/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * bench-delta: the delta scan (delta.h, the C API the feed and `hvcov
 * snapshot` use) over 1M counters of an image in memory, output disabled,
 * against memcpy of the same bytes in the same run.  Prints one line:
 *     delta-scan<TAB>counter_bytes_per_s<TAB>memcpy_bytes_per_s
 * each the median of RUNS timed runs.
 *
 * The image: 64 objects of 1024 functions with 16 arcs counters each,
 * laid out back to back as GCC does within a unit, decoded into a model and
 * mapped exactly as a live image would be.  Between scans one counter in
 * 1024 grows and one in 65536 goes from zero to non-zero, so the scan does
 * its real work (comparisons, a short list of new counters).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "gcov/model.h"
#include "live/counter-map.h"
#include "live/delta.h"

#define OBJECTS 64
#define FUNCTIONS 1024
#define PER_FUNCTION 16
#define COUNTERS ((size_t)OBJECTS * FUNCTIONS * PER_FUNCTION)
#define RUNS 21
#define LINK_BASE 0x40000000ull
#define GCC_12_2 0x4232322au

static double now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static int compare_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static double median(double *v)
{
	qsort(v, RUNS, sizeof(*v), compare_double);
	return v[RUNS / 2];
}

static void die(const char *what)
{
	fprintf(stderr, "bench-delta: %s\n", what);
	exit(2);
}

/* A model whose counters lie at image offsets 0 .. COUNTERS * 8. */
static void build_model(struct model *model)
{
	static char names[OBJECTS][32];
	uint64_t address = LINK_BASE;

	memset(model, 0, sizeof(*model));
	model->pointer_size = 8;
	model->link_base = LINK_BASE;
	model->image_size = COUNTERS * 8;
	model->n_objects = OBJECTS;
	model->objects = calloc(OBJECTS, sizeof(*model->objects));
	if (!model->objects)
		die("out of memory");
	for (size_t o = 0; o < OBJECTS; o++) {
		struct model_object *obj = &model->objects[o];

		snprintf(names[o], sizeof(names[o]), "/bench/unit%zu.gcda", o);
		obj->filename = strdup(names[o]);
		obj->version = GCC_12_2;
		obj->active_kinds = 1;
		obj->n_active = 1;
		obj->n_functions = FUNCTIONS;
		obj->functions = calloc(FUNCTIONS, sizeof(*obj->functions));
		if (!obj->filename || !obj->functions)
			die("out of memory");
		for (uint32_t f = 0; f < FUNCTIONS; f++) {
			struct model_function *fn = &obj->functions[f];

			fn->present = true;
			fn->ident = f;
			fn->counters = calloc(1, sizeof(*fn->counters));
			if (!fn->counters)
				die("out of memory");
			fn->counters->num = PER_FUNCTION;
			fn->counters->address = address;
			address += PER_FUNCTION * 8;
		}
	}
}

int main(void)
{
	struct model model;
	struct counter_map map;
	struct delta_fresh fresh = { 0 };
	struct delta_decrease decrease;
	struct error err = { 0 };
	double scan[RUNS], copy[RUNS];
	uint64_t *image, *prev, *cur, *dest, sink = 0;
	size_t bytes = COUNTERS * 8;

	build_model(&model);
	if (!counter_map_build(&model, &map, &err))
		die(err.text);
	if (map.n_counters != COUNTERS)
		die("counter map has the wrong size");
	image = aligned_alloc(64, bytes);
	prev = calloc(COUNTERS, 8);
	cur = calloc(COUNTERS, 8);
	dest = aligned_alloc(64, bytes);
	if (!image || !prev || !cur || !dest)
		die("out of memory");
	for (size_t i = 0; i < COUNTERS; i++)
		image[i] = i % 3 ? i : 0;
	memset(dest, 0, bytes);
	if (!delta_scan(&map, (const uint8_t *)image, false, NULL, prev, &fresh,
			&decrease, &err))
		die(err.text);

	for (int r = 0; r < RUNS; r++) {
		uint64_t *swap;
		double start;

		for (size_t i = (size_t)r; i < COUNTERS; i += 1024)
			image[i]++;
		for (size_t i = (size_t)r * 3 + 1; i < COUNTERS; i += 65536)
			if (!image[i])
				image[i] = 1;
		start = now();
		if (!delta_scan(&map, (const uint8_t *)image, false, prev, cur,
				&fresh, &decrease, &err))
			die(err.text);
		scan[r] = now() - start;
		sink += fresh.n;
		swap = prev;
		prev = cur;
		cur = swap;

		start = now();
		memcpy(dest, image, bytes);
		__asm__ volatile("" : : "r"(dest) : "memory");
		copy[r] = now() - start;
		sink += dest[(size_t)r * 997];
	}
	printf("delta-scan\t%.0f\t%.0f\n", (double)bytes / median(scan),
	       (double)bytes / median(copy));
	if (sink == 42)
		fputs("", stderr);
	delta_fresh_free(&fresh);
	counter_map_free(&map);
	model_free(&model);
	free(image);
	free(prev);
	free(cur);
	free(dest);
	return 0;
}
