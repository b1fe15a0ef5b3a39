/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The demo's independent oracle, kept deliberately beside hvcov: it shares
 * no code with tools/, so the demo tests compare what hvcov extracts with
 * what a second, separately written reader finds.  It finds the hvcov
 * descriptor in a memory file (QEMU's guest RAM) and prints its fields as
 * key=value lines; with --units also walk the constructor-mode gcov_info
 * list and print each unit's .gcda path; with --counters also every
 * function's arc counters, in the form gcda_arcs (tests/demo/demo-subr.sh) makes
 * of a hosted .gcda; with --phase ADDR also the demo's phase block
 * (common/phase.c) at that hypervisor address.  Knows only GCC 12-13's little-endian layout (the compilers
 * the demo is built with): anything else is refused, not guessed.
 *
 * Exit status: 0 printed, 1 no descriptor or bad data, 2 usage or I/O error.
 */
#define _POSIX_C_SOURCE 200809L
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "hvcov/descriptor.h"

#define GCC12_COUNTERS 8
#define MAX_UNITS 1000

struct image {
	const unsigned char *bytes;
	uint64_t size;
	uint64_t descriptor_offset;
	uint64_t descriptor_address;
	unsigned pointer_size;
};

static uint64_t get_le(const unsigned char *p, unsigned size)
{
	uint64_t value = 0;

	while (size--)
		value = value << 8 | p[size];
	return value;
}

/* The file offset of [address, address + length), or UINT64_MAX. */
static uint64_t translate(const struct image *image, uint64_t address,
			  uint64_t length)
{
	uint64_t offset;

	if (address < image->descriptor_address &&
	    image->descriptor_address - address > image->descriptor_offset)
		return UINT64_MAX;
	offset = image->descriptor_offset +
		 (address - image->descriptor_address);
	if (offset > image->size || length > image->size - offset)
		return UINT64_MAX;
	return offset;
}

static int read_at(const struct image *image, uint64_t address, unsigned size,
		   uint64_t *value)
{
	uint64_t offset = translate(image, address, size);

	if (offset == UINT64_MAX)
		return -1;
	*value = get_le(image->bytes + offset, size);
	return 0;
}

static int find_descriptor(struct image *image)
{
	uint64_t offset;

	for (offset = 0; offset + HVCOV_DESCRIPTOR_SIZE <= image->size;
	     offset += 8) {
		if (memcmp(image->bytes + offset, HVCOV_MAGIC,
			   HVCOV_MAGIC_SIZE))
			continue;
		image->descriptor_offset = offset;
		image->descriptor_address =
			get_le(image->bytes + offset + 24, 8);
		image->pointer_size = image->bytes[offset + 18];
		return 0;
	}
	return -1;
}

static void print_descriptor(const struct image *image)
{
	const unsigned char *d = image->bytes + image->descriptor_offset;

	printf("descriptor_offset=0x%" PRIx64 "\n", image->descriptor_offset);
	printf("format_version=%" PRIu64 "\n", get_le(d + 8, 4));
	printf("machine=%" PRIu64 "\n", get_le(d + 16, 2));
	printf("pointer_size=%u\n", d[18]);
	printf("byte_order=%u\n", d[19]);
	printf("gcov_version=0x%" PRIx64 "\n", get_le(d + 20, 4));
	printf("descriptor_address=0x%" PRIx64 "\n", get_le(d + 24, 8));
	printf("link_base=0x%" PRIx64 "\n", get_le(d + 32, 8));
	printf("image_size=0x%" PRIx64 "\n", get_le(d + 40, 8));
	printf("gcov_info_head=0x%" PRIx64 "\n", get_le(d + 48, 8));
	printf("boot_id=0x%" PRIx64 "\n", get_le(d + 72, 8));
	printf("state=%" PRIu64 "\n", get_le(d + 80, 4));
	printf("registered=%" PRIu64 "\n", get_le(d + 84, 4));
}

/* One function: "ident=N arcs: c0 c1 ..." */
static int print_function(const struct image *image, uint64_t fn, uint64_t info,
			  unsigned n_kinds)
{
	unsigned p = image->pointer_size;
	uint64_t key, ident, num, values, value = 0, i;
	uint64_t ctrs = (p + 12 + p - 1) / p * p;

	if (read_at(image, fn, p, &key) || read_at(image, fn + p, 4, &ident))
		return -1;
	/* An unselected COMDAT copy: nothing of its own. */
	if (key != info)
		return 0;
	if (n_kinds != 1)
		return -1;
	if (read_at(image, fn + ctrs, 4, &num) ||
	    read_at(image, fn + ctrs + p, p, &values) ||
	    translate(image, values, num * 8) == UINT64_MAX)
		return -1;
	printf("  ident=%" PRIu64 " arcs:", ident);
	for (i = 0; i < num; i++) {
		read_at(image, values + 8 * i, 8, &value);
		printf(" %" PRIu64, value);
	}
	printf("\n");
	return 0;
}

static int print_units(const struct image *image, int counters)
{
	const unsigned char *d = image->bytes + image->descriptor_offset;
	unsigned p = image->pointer_size;
	uint64_t info = get_le(d + 48, 8), version = get_le(d + 20, 4);
	/* GCC 12 offsets: version, next, stamp, checksum, filename, merge[8],
	 * n_functions, functions. */
	uint64_t filename_at = p == 8 ? 24 : 16;
	uint64_t merge_at = filename_at + p;
	uint64_t n_functions_at = merge_at + GCC12_COUNTERS * p;
	uint64_t functions_at = (n_functions_at + 4 + p - 1) / p * p;
	unsigned units = 0;

	if ((version >> 24) != 'B' || ((version >> 16) & 0xff) < '2' ||
	    ((version >> 16) & 0xff) > '3' || (p != 4 && p != 8))
		return -1;
	while (info) {
		uint64_t filename, n_functions, functions, merge, fn, offset;
		unsigned kind, n_kinds = 0;
		uint64_t i;

		if (++units > MAX_UNITS ||
		    read_at(image, info + filename_at, p, &filename) ||
		    read_at(image, info + n_functions_at, 4, &n_functions) ||
		    read_at(image, info + functions_at, p, &functions))
			return -1;
		for (kind = 0; kind < GCC12_COUNTERS; kind++) {
			if (read_at(image, info + merge_at + kind * p, p,
				    &merge))
				return -1;
			n_kinds += merge != 0;
		}
		offset = translate(image, filename, 1);
		if (offset == UINT64_MAX ||
		    !memchr(image->bytes + offset, 0, image->size - offset))
			return -1;
		printf("unit=%s functions=%" PRIu64 "\n",
		       (const char *)image->bytes + offset, n_functions);
		for (i = 0; counters && i < n_functions; i++)
			if (read_at(image, functions + i * p, p, &fn) ||
			    (fn && print_function(image, fn, info, n_kinds)))
				return -1;
		if (read_at(image, info + p, p, &info))
			return -1;
	}
	return 0;
}

/* The demo's phase block (common/phase.c) at hypervisor address `at`. */
static int print_phase(const struct image *image, uint64_t at)
{
	uint64_t offset = translate(image, at, 48);
	const unsigned char *block;
	uint32_t done, waiting;

	if (offset == UINT64_MAX)
		return -1;
	block = image->bytes + offset;
	if (memcmp(block, "HVPHASE1", 8) || !memchr(block + 16, 0, 32))
		return -1;
	done = __atomic_load_n((const uint32_t *)(block + 8), __ATOMIC_ACQUIRE);
	waiting = __atomic_load_n((const uint32_t *)(block + 12),
				  __ATOMIC_ACQUIRE);
	printf("phase_done=%u\nphase_waiting=%u\nphase_name=%s\n", done,
	       waiting, (const char *)block + 16);
	return 0;
}

int main(int argc, char **argv)
{
	int units = 0, counters = 0, fd, status = 0;
	uint64_t phase = 0;
	char *end;
	struct image image = { 0 };
	struct stat st;
	void *map;

	while (argc > 2 && argv[1][0] == '-') {
		if (!strcmp(argv[1], "--units"))
			units = 1;
		else if (!strcmp(argv[1], "--counters"))
			units = counters = 1;
		else if (!strcmp(argv[1], "--phase") && argc > 3) {
			phase = strtoull(argv[2], &end, 16);
			if (*end || !phase)
				break;
			argv++;
			argc--;
		} else
			break;
		argv++;
		argc--;
	}
	if (argc != 2) {
		fprintf(stderr,
			"usage: hvcov-demo-probe [--units|--counters] [--phase HEXADDR] RAMFILE\n");
		return 2;
	}
	fd = open(argv[1], O_RDONLY);
	if (fd < 0 || fstat(fd, &st) || st.st_size <= 0) {
		fprintf(stderr, "hvcov-demo-probe: cannot read '%s'\n",
			argv[1]);
		return 2;
	}
	map = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_SHARED, fd, 0);
	close(fd);
	if (map == MAP_FAILED) {
		fprintf(stderr, "hvcov-demo-probe: cannot map '%s'\n", argv[1]);
		return 2;
	}
	image.bytes = map;
	image.size = (uint64_t)st.st_size;
	if (find_descriptor(&image)) {
		fprintf(stderr, "hvcov-demo-probe: no descriptor in '%s'\n",
			argv[1]);
		status = 1;
	} else {
		print_descriptor(&image);
		if (phase && print_phase(&image, phase)) {
			fprintf(stderr, "hvcov-demo-probe: no phase block\n");
			status = 1;
		} else if (units && print_units(&image, counters)) {
			fprintf(stderr, "hvcov-demo-probe: bad gcov data\n");
			status = 1;
		}
	}
	munmap(map, (size_t)st.st_size);
	return status;
}
