/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * bench-gen: write a large synthetic hypervisor image for the benchmarks.
 *
 *   bench-gen [--objects N] [--counters M] [--functions F]
 *             [--header hvcov|jailhouse] [--boot-id ID] [--seed S]
 *             [--per-dir K] OUT
 *
 * N objects (units) with F functions each share M arc counters as evenly as
 * they divide; every object gets the host's gcov version word, so hvcov can
 * write the image through this host's libgcov.  The image is laid out by
 * tests/lib/image-builder.c, the same builder the reader tests use, for x86_64
 * (pointer size 8, little-endian).
 *
 * .gcda paths are /hvcov-bench/dNNNN/uNNNNNN.gcda with K units (default
 * UNITS_PER_DIR; 0: all of them in one directory) per directory, roughly the shape of a hypervisor source tree, so that
 * directory handling is measured as well as file writing.  Counter values
 * are pseudo-random from the seed, about a fifth of them zero (as in a real
 * run, where some arcs are never taken).
 *
 * Exit status: 0 written, 2 usage or I/O error.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/fdio.h"
#include "hvcov/descriptor.h"
#include "lib/image-builder.h"
#include "write/hostgcov.h"

#define UNITS_PER_DIR 20
#define ARC_KIND 0

struct plan {
	size_t objects, counters, functions, per_dir;
	enum ib_header header;
	uint64_t boot_id, seed;
};

static uint64_t next_random(uint64_t *state)
{
	/* xorshift64*: cheap, reproducible, good enough for test data. */
	*state ^= *state >> 12;
	*state ^= *state << 25;
	*state ^= *state >> 27;
	return *state * 0x2545f4914f6cdd1dull;
}

static void usage(FILE *to)
{
	fputs("Usage: bench-gen [--objects N] [--counters M] [--functions F]\n"
	      "                 [--header hvcov|jailhouse] [--boot-id ID]\n"
	      "                 [--seed S] [--per-dir K] OUT\n",
	      to);
}

static int fail(const char *what)
{
	fprintf(stderr, "bench-gen: %s\n", what);
	return 2;
}

static bool parse_size(const char *text, size_t *out)
{
	char *end;
	unsigned long long value;

	errno = 0;
	value = strtoull(text, &end, 0);
	if (errno || end == text || *end || value > SIZE_MAX)
		return false;
	*out = (size_t)value;
	return true;
}

static bool parse_options(int argc, char **argv, struct plan *plan,
			  const char **out)
{
	static const struct option options[] = {
		{ "objects", required_argument, NULL, 'n' },
		{ "counters", required_argument, NULL, 'c' },
		{ "functions", required_argument, NULL, 'f' },
		{ "header", required_argument, NULL, 'H' },
		{ "boot-id", required_argument, NULL, 'b' },
		{ "seed", required_argument, NULL, 's' },
		{ "per-dir", required_argument, NULL, 'd' },
		{ NULL, 0, NULL, 0 },
	};
	size_t value;
	int option;

	while ((option = getopt_long(argc, argv, "", options, NULL)) != -1) {
		switch (option) {
		case 'n':
			if (!parse_size(optarg, &plan->objects))
				return false;
			break;
		case 'c':
			if (!parse_size(optarg, &plan->counters))
				return false;
			break;
		case 'f':
			if (!parse_size(optarg, &plan->functions))
				return false;
			break;
		case 'H':
			if (!strcmp(optarg, "hvcov"))
				plan->header = IB_HEADER_HVCOV;
			else if (!strcmp(optarg, "jailhouse"))
				plan->header = IB_HEADER_JAILHOUSE;
			else
				return false;
			break;
		case 'b':
			if (!parse_size(optarg, &value))
				return false;
			plan->boot_id = value;
			break;
		case 'd':
			if (!parse_size(optarg, &plan->per_dir))
				return false;
			break;
		case 's':
			if (!parse_size(optarg, &value))
				return false;
			plan->seed = value;
			break;
		default:
			return false;
		}
	}
	if (optind != argc - 1 || !plan->objects || !plan->functions ||
	    plan->counters < plan->objects * plan->functions ||
	    plan->objects > 999999 || plan->functions > UINT32_MAX)
		return false;
	*out = argv[optind];
	return true;
}

/* The description the image builder lays out; all of it in three arrays. */
struct description {
	struct ib_object *objects;
	struct ib_function *functions;
	uint64_t *values;
	char *names;
};

/* Room for the longest name any size_t could give ("/hvcov-bench/d" 20
 * digits "/u" 20 digits ".gcda"), which GCC 16 checks at -O2
 * (-Wformat-truncation); real names are 30 bytes. */
#define NAME_SIZE 64

static bool describe(const struct plan *plan, struct description *d)
{
	size_t n_fn = plan->objects * plan->functions, next_value = 0;
	uint64_t state = plan->seed * 0x9e3779b97f4a7c15ull + 1;

	d->objects = calloc(plan->objects, sizeof(*d->objects));
	d->functions = calloc(n_fn, sizeof(*d->functions));
	d->values = malloc(plan->counters * sizeof(*d->values));
	d->names = malloc(plan->objects * NAME_SIZE);
	if (!d->objects || !d->functions || !d->values || !d->names)
		return false;
	for (size_t v = 0; v < plan->counters; v++) {
		uint64_t r = next_random(&state);

		d->values[v] = r % 5 ? r >> 40 : 0;
	}
	for (size_t f = 0; f < n_fn; f++) {
		struct ib_function *fn = &d->functions[f];
		/* Counters split evenly, the remainder to the first ones. */
		size_t num =
			plan->counters / n_fn + (f < plan->counters % n_fn);

		fn->kind = IB_FUNCTION_PRESENT;
		fn->ident = (uint32_t)(f % plan->functions) + 1;
		fn->lineno_checksum = (uint32_t)next_random(&state);
		fn->cfg_checksum = (uint32_t)next_random(&state);
		fn->num[0] = (uint32_t)num;
		fn->values[0] = d->values + next_value;
		next_value += num;
	}
	for (size_t o = 0; o < plan->objects; o++) {
		struct ib_object *obj = &d->objects[o];
		char *name = d->names + o * NAME_SIZE;

		snprintf(name, NAME_SIZE, "/hvcov-bench/d%04zu/u%06zu.gcda",
			 plan->per_dir ? o / plan->per_dir : 0, o);
		obj->filename = name;
		obj->stamp = (uint32_t)next_random(&state);
		obj->checksum = (uint32_t)next_random(&state);
		obj->active_kinds = 1u << ARC_KIND;
		obj->n_functions = (uint32_t)plan->functions;
		obj->functions = d->functions + o * plan->functions;
	}
	return true;
}

static void release(struct description *d)
{
	free(d->objects);
	free(d->functions);
	free(d->values);
	free(d->names);
}

static bool write_file(const char *path, const uint8_t *data, size_t size)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
	bool ok;

	if (fd < 0)
		return false;
	ok = fd_write_all(fd, data, size);
	return close(fd) == 0 && ok;
}

int main(int argc, char **argv)
{
	struct plan plan = {
		.objects = 2000,
		.counters = 500000,
		.functions = 10,
		.per_dir = UNITS_PER_DIR,
		.header = IB_HEADER_HVCOV,
		.boot_id = 1,
		.seed = 1,
	};
	struct description d = { 0 };
	struct ib_image image;
	const char *out;
	int status = 0;

	if (!parse_options(argc, argv, &plan, &out)) {
		usage(stderr);
		return 2;
	}
	if (!describe(&plan, &d)) {
		release(&d);
		return fail("out of memory");
	}
	{
		const struct ib_spec spec = {
			.version = hostgcov_version(),
			.pointer_size = 8,
			.machine = HVCOV_MACHINE_X86_64,
			.header = plan.header,
			.mode = IB_MODE_LIST,
			.link_base = 0xffffff8000000000ull,
			.boot_id = plan.boot_id,
			.state = HVCOV_STATE_DISABLED,
			.n_objects = plan.objects,
			.objects = d.objects,
		};

		if (!ib_build(&spec, &image)) {
			release(&d);
			return fail("the image builder refused the plan");
		}
	}
	if (!write_file(out, image.buffer, image.size)) {
		fprintf(stderr, "bench-gen: cannot write %s: %s\n", out,
			strerror(errno));
		status = 2;
	}
	ib_free(&image);
	release(&d);
	return status;
}
