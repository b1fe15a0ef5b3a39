/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Seed inputs for the fuzz targets, built with tests/image-builder:
 *   DIR/images/  small images for every GCC layout family, each ABI (64-bit
 *                little and big endian, 32-bit), both headers and both
 *                registration modes (reader, descriptor, Jailhouse targets)
 *   DIR/paths/   .gcda paths as images name them, good and bad, each behind
 *                the option byte fuzz-outpath.c reads first
 * Real images from the producers and real .gcda files come from
 * tests/fuzz/seeds.sh, which runs this program too.
 *
 * usage: make-seeds DIR   (DIR/images and DIR/paths must exist)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hvcov/descriptor.h"
#include "lib/image-builder.h"

#define WORD(a, b, c, d)                                                       \
	((uint32_t)(a) << 24 | (uint32_t)(b) << 16 | (uint32_t)(c) << 8 |      \
	 (uint32_t)(d))

struct abi {
	const char *name;
	uint8_t pointer_size;
	bool big_endian;
	uint16_t machine;
	uint64_t link_base;
};

static const struct abi abis[] = {
	{ "x86_64", 8, false, HVCOV_MACHINE_X86_64, 0xfffffffff0000000ULL },
	{ "arm", 4, false, HVCOV_MACHINE_ARM, 0xf0000000ULL },
	{ "arm64", 8, false, HVCOV_MACHINE_AARCH64, 0xffffc0200000ULL },
	{ "arm64be", 8, true, HVCOV_MACHINE_AARCH64, 0xffff000040000000ULL },
};

/* One version per layout family: 4.7 (8 kinds), 4.9, 5, 7, 10, 12
 * (checksum), 14 and 15. */
static const uint32_t versions[] = {
	WORD('4', '0', '7', '*'), WORD('4', '0', '9', '*'),
	WORD('5', '0', '4', '*'), WORD('A', '7', '5', '*'),
	WORD('B', '0', '2', '*'), WORD('B', '2', '2', '*'),
	WORD('B', '4', '2', '*'), WORD('B', '5', '1', '*'),
};

static const char *const paths[] = {
	"/build/hv/arch/x86/setup.gcda", "/b/a.gcda",
	"/build/../etc/passwd.gcda",     "/build//hv/unit.gcda",
	"/build/./hv/unit.gcda",         "relative/unit.gcda",
	"/build/hv/unit.gcno",           "/build/hv/.gcda",
	"/build/hv/unit.gcda/",          "/build/h\x01v/unit.gcda",
	"/build/h\xc3\x28v/unit.gcda",   "/..gcda",
	"/a/b/c/d/e/f/g/h/i/j.gcda",
};

#define N(array) (sizeof(array) / sizeof((array)[0]))

static int write_file(const char *dir, const char *name, const void *data,
		      size_t size)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "wb");
	if (!f || fwrite(data, 1, size, f) != size || fclose(f) != 0) {
		perror(path);
		return -1;
	}
	return 0;
}

/* Two objects of two functions: one with arcs only, one with every kind of
 * the row; a NULL and a foreign COMDAT entry.  Small, so that the fuzzer
 * spends its time on structure, not on counter bytes. */
static int write_image(const char *dir, uint32_t version, const struct abi *abi,
		       enum ib_header header, enum ib_mode mode)
{
	static const uint64_t values[4] = { 1, 0, 0x100000000ULL, 7 };
	unsigned n_kinds = gcc_layout_counters(gcc_layout_for_version(version));
	struct ib_function fns[2][2];
	struct ib_object objects[2];
	struct ib_spec spec = { 0 };
	struct ib_image ib;
	char name[128];
	int status;

	memset(fns, 0, sizeof(fns));
	memset(objects, 0, sizeof(objects));
	for (int i = 0; i < 2; i++) {
		objects[i].filename = i ? "/build/hv/b.gcda" : "/build/a.gcda";
		objects[i].stamp = 0x1234 + (uint32_t)i;
		objects[i].checksum = 0xabcd + (uint32_t)i;
		objects[i].active_kinds = i ? (1u << n_kinds) - 1 : 1;
		objects[i].n_functions = 2;
		objects[i].functions = fns[i];
		for (int f = 0; f < 2; f++) {
			fns[i][f].kind = f == 0   ? IB_FUNCTION_PRESENT
					 : i == 0 ? IB_FUNCTION_NULL
						  : IB_FUNCTION_FOREIGN;
			fns[i][f].ident = (uint32_t)(10 * i + f);
			for (unsigned k = 0; k < n_kinds; k++) {
				fns[i][f].num[k] = k == 1 ? 0 : 2;
				fns[i][f].values[k] = values + k % 3;
			}
		}
	}
	spec.version = version;
	spec.pointer_size = abi->pointer_size;
	spec.big_endian = abi->big_endian;
	spec.machine = abi->machine;
	spec.header = header;
	spec.mode = mode;
	spec.link_base = abi->link_base;
	spec.boot_id = 42;
	spec.state = HVCOV_STATE_DISABLED;
	spec.n_objects = 2;
	spec.objects = objects;
	if (!ib_build(&spec, &ib)) {
		fprintf(stderr, "make-seeds: the builder refused %08x %s\n",
			(unsigned)version, abi->name);
		return -1;
	}
	snprintf(name, sizeof(name), "%s-%s-%08x-%s",
		 header == IB_HEADER_HVCOV ? "hvcov" : "jailhouse", abi->name,
		 (unsigned)version, mode == IB_MODE_LIST ? "list" : "section");
	status = write_file(dir, name, ib.buffer, ib.size);
	ib_free(&ib);
	return status;
}

int main(int argc, char **argv)
{
	char dir[4096];
	int status = 0;

	if (argc != 2) {
		fprintf(stderr, "usage: make-seeds DIR\n");
		return 2;
	}
	snprintf(dir, sizeof(dir), "%s/images", argv[1]);
	for (size_t v = 0; v < N(versions); v++)
		for (size_t a = 0; a < N(abis); a++) {
			/* Jailhouse is little-endian only. */
			bool jailhouse =
				!abis[a].big_endian && (v % 2 == 0 || a == 0);

			status |= write_image(dir, versions[v], &abis[a],
					      IB_HEADER_HVCOV, IB_MODE_LIST);
			if (versions[v] >= WORD('B', '0', '2', '*'))
				status |= write_image(dir, versions[v],
						      &abis[a], IB_HEADER_HVCOV,
						      IB_MODE_SECTION);
			if (jailhouse)
				status |= write_image(
					dir, versions[v], &abis[a],
					IB_HEADER_JAILHOUSE, IB_MODE_LIST);
		}
	snprintf(dir, sizeof(dir), "%s/paths", argv[1]);
	for (size_t p = 0; p < N(paths); p++)
		for (unsigned option = 0; option < 16; option += 5) {
			char input[512], name[32];
			size_t len = strlen(paths[p]);

			input[0] = (char)option;
			memcpy(input + 1, paths[p], len);
			snprintf(name, sizeof(name), "path-%02zu-%u", p,
				 option);
			status |= write_file(dir, name, input, len + 1);
		}
	return status ? 1 : 0;
}
