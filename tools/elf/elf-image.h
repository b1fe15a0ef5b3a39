/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The hypervisor's linked ELF (--elf), the build the coverage must come
 * from: its header and symbols tell where the image's header is and what
 * architecture the image has, and its read-only loaded sections must be
 * byte for byte what the image holds at their addresses.
 */
#ifndef HVCOV_ELF_IMAGE_H
#define HVCOV_ELF_IMAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/error.h"
#include "elf-file.h"
#include "image/header.h"
#include "image/image.h"

/* The symbols the two header formats are found by. */
#define ELF_IMAGE_DESCRIPTOR_SYMBOL "hvcov_descriptor"
#define ELF_IMAGE_JAILHOUSE_SYMBOL "hypervisor_header"

struct elf_image {
	struct elf_file file;
	/* What header_locate() checks candidates against; facts.source
	 * points into file. */
	struct header_elf facts;
	/* Its PT_LOAD segments: where each piece lies physically (p_paddr)
	 * against its link address (p_vaddr).  placement.pieces points into
	 * pieces; placement.n is 0 for an ELF without segments. */
	struct header_piece *pieces;
	struct header_placement placement;
};

/* Open the ELF and read its architecture and header symbols.  An ELF that
 * is not an executable of x86_64, arm or arm64, or that has no symbol
 * table, is HVCOV_EXIT_DATA. */
bool elf_image_open(struct elf_image *elf, const char *path, struct error *err);

void elf_image_close(struct elf_image *elf);

enum section_outcome {
	SECTION_MATCH,     /* the image holds the same bytes */
	SECTION_DIFFERS,   /* first_difference names the first other byte */
	SECTION_OUTSIDE,   /* not in the image at all (e.g. boot code) */
	SECTION_STRADDLES, /* partly in the image: the image is too small */
};

/* One read-only loaded section: SHF_ALLOC, not SHF_WRITE, SHT_PROGBITS. */
struct section_check {
	char name[64];
	uint64_t address;
	uint64_t size;
	enum section_outcome outcome;
	uint64_t first_difference;    /* SECTION_DIFFERS: its address */
	uint8_t elf_byte, image_byte; /* the bytes there */
	uint64_t differing_bytes;     /* how many bytes differ in all */
};

/* Compare every read-only loaded section with the image (whose view must
 * be set); *checks (malloc'ed, free it) gets one entry per section in
 * section order.  False only for an ELF libelf cannot read. */
bool elf_image_compare(const struct elf_image *elf, const struct image *image,
		       struct section_check **checks, size_t *n_checks,
		       struct error *err);

/* The clang major versions the ELF's .comment names ("clang version
 * X.Y.Z", one string per compiler that built an object), each once, at
 * most max of them.  No .comment, or no clang in it: *n is 0. */
bool elf_image_clang_majors(const struct elf_image *elf, unsigned *majors,
			    size_t max, size_t *n, struct error *err);

#endif
