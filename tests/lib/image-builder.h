/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * A test image builder: lays out gcov_info, gcov_fn_info, counter arrays
 * and an hvcov descriptor or Jailhouse header in a byte buffer the way GCC
 * and the stub would for any (GCC layout, pointer size, byte order), from a
 * plain description.  Offsets come from tools/gcov/gcc-layout.c, the one source
 * of layout truth; tests/check_layout.c pins that against the real
 * compiler.  The builder reports where it placed every structure so that
 * tests can corrupt exactly one field afterwards.
 */
#ifndef HVCOV_IMAGE_BUILDER_H
#define HVCOV_IMAGE_BUILDER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "gcov/gcc-layout.h"

enum ib_header {
	IB_HEADER_HVCOV,
	IB_HEADER_JAILHOUSE,
};

enum ib_mode {
	IB_MODE_LIST,    /* constructor list from the header's list head */
	IB_MODE_SECTION, /* -fprofile-info-section pointer array (hvcov) */
};

enum ib_function_kind {
	IB_FUNCTION_PRESENT,
	IB_FUNCTION_NULL,    /* functions[i] == NULL */
	IB_FUNCTION_FOREIGN, /* key points at another gcov_info (COMDAT) */
};

struct ib_function {
	enum ib_function_kind kind;
	uint32_t ident, lineno_checksum, cfg_checksum;
	/* One entry per active counter kind of the object, in kind order;
	 * values NULL means num zeros. */
	uint32_t num[GCC_LAYOUT_MAX_COUNTERS];
	const uint64_t *values[GCC_LAYOUT_MAX_COUNTERS];
};

struct ib_object {
	const char *filename;
	uint32_t stamp, checksum; /* checksum written from GCC 12 only */
	uint32_t active_kinds;    /* bit k: merge[k] non-NULL */
	uint32_t n_functions;
	const struct ib_function *functions;
};

struct ib_spec {
	uint32_t version;     /* gcov version word of every object */
	uint8_t pointer_size; /* 4 or 8 */
	bool big_endian;
	uint16_t machine; /* e_machine; for Jailhouse it picks the arch */
	enum ib_header header;
	enum ib_mode mode;
	uint64_t link_base; /* hvcov only; Jailhouse uses the arch's base */
	uint64_t boot_id;
	uint32_t state;
	/* Descriptor format: 0 for the current one (with check words), 1 for
	 * the old one without. */
	uint32_t format_version;
	size_t lead; /* bytes of unrelated data before the image */
	size_t tail; /* and after it */
	size_t n_objects;
	const struct ib_object *objects;
};

/* Buffer offsets of what the builder placed. */
struct ib_placed_function {
	size_t fn_info;
	size_t values[GCC_LAYOUT_MAX_COUNTERS];
};

struct ib_placed_object {
	size_t info, filename, functions;
	struct ib_placed_function *function;
};

struct ib_image {
	uint8_t *buffer;
	size_t size;
	size_t image_offset; /* image byte 0 */
	uint64_t image_size;
	uint64_t link_base;
	size_t header_offset;  /* descriptor or Jailhouse header */
	size_t section_offset; /* pointer array (section mode) */
	/* Version 2: the check words (all in the header area, after the
	 * descriptor); 0 without them. */
	size_t check_data_offset, check_bss_offset, check_rodata_offset;
	bool big_endian;
	uint8_t pointer_size;
	struct gcc_offsets offsets;
	size_t n_objects;
	struct ib_placed_object *object;
};

/* The ABIs the suites build images for: each pointer size, both byte
 * orders, with link bases typical of each. */
struct ib_abi {
	const char *name;
	uint8_t pointer_size;
	bool big_endian;
	uint16_t machine;
	uint64_t link_base;
};

#define IB_N_ABIS 3
extern const struct ib_abi ib_abis[IB_N_ABIS];

/* Build the image; false (and nothing allocated) for a description the
 * builder cannot lay out, e.g. an unknown version word. */
bool ib_build(const struct ib_spec *spec, struct ib_image *image);
void ib_free(struct ib_image *image);

/* The hypervisor address of a buffer offset inside the image. */
uint64_t ib_address(const struct ib_image *image, size_t offset);

/* Corruption knobs: overwrite a field in the image's byte order. */
void ib_put32(struct ib_image *image, size_t offset, uint32_t value);
void ib_put64(struct ib_image *image, size_t offset, uint64_t value);
void ib_put_pointer(struct ib_image *image, size_t offset, uint64_t address);

/* A heap copy of the buffer (image_adopt takes ownership of it). */
uint8_t *ib_copy(const struct ib_image *image);

#endif
