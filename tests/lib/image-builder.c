/* SPDX-License-Identifier: BSD-2-Clause */
#include "image-builder.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "base/bytes.h"
#include "hvcov/descriptor.h"

/* Room for the descriptor or Jailhouse header plus some fake code. */
#define IB_HEADER_AREA 256
/* The descriptor sits after some "code", as in a real image, so that the
 * reader must compute where the image starts. */
#define IB_DESCRIPTOR_AT 64
/* Where the fake merge function lives (never called, only non-NULL). */
#define IB_MERGE_AT 16
/* Filler for bytes that belong to nothing; never a valid magic. */
#define IB_FILL 0xee

/* Sizing and filling share this state: with buffer NULL only `at` moves. */
struct ib_cursor {
	uint8_t *buffer;
	size_t at; /* next free buffer offset */
	const struct ib_spec *spec;
	struct ib_image *image;
	size_t *info; /* buffer offset of each gcov_info */
};

static size_t take(struct ib_cursor *c, size_t size, size_t alignment)
{
	size_t image_at = c->at - c->spec->lead;

	image_at = (image_at + alignment - 1) / alignment * alignment;
	c->at = c->spec->lead + image_at + size;
	return c->spec->lead + image_at;
}

static void put32(struct ib_cursor *c, size_t offset, uint32_t value)
{
	if (c->buffer)
		bytes_put32(c->buffer + offset, c->spec->big_endian, value);
}

static void put64(struct ib_cursor *c, size_t offset, uint64_t value)
{
	if (c->buffer)
		bytes_put64(c->buffer + offset, c->spec->big_endian, value);
}

static void put_pointer(struct ib_cursor *c, size_t offset, uint64_t value)
{
	if (c->spec->pointer_size == 8)
		put64(c, offset, value);
	else
		put32(c, offset, (uint32_t)value);
}

static uint64_t address_of(const struct ib_cursor *c, size_t offset)
{
	return c->image->link_base + (offset - c->spec->lead);
}

static unsigned count_bits(uint32_t bits)
{
	unsigned n = 0;

	for (; bits; bits &= bits - 1)
		n++;
	return n;
}

static void place_function(struct ib_cursor *c, const struct ib_object *obj,
			   size_t info, const struct ib_function *fn,
			   struct ib_placed_function *placed)
{
	const struct gcc_offsets *o = &c->image->offsets;
	unsigned n_active = count_bits(obj->active_kinds);
	size_t record =
		take(c, o->fn_ctrs + n_active * o->ctr_size, o->pointer_size);
	/* A foreign copy's key names some other unit's gcov_info. */
	uint64_t key = fn->kind == IB_FUNCTION_FOREIGN
			       ? address_of(c, info) + 0x1000
			       : address_of(c, info);

	placed->fn_info = record;
	put_pointer(c, record + o->fn_key, key);
	put32(c, record + o->fn_ident, fn->ident);
	put32(c, record + o->fn_lineno_checksum, fn->lineno_checksum);
	put32(c, record + o->fn_cfg_checksum, fn->cfg_checksum);
	for (unsigned k = 0; k < n_active; k++) {
		size_t ctr = record + o->fn_ctrs + k * o->ctr_size;
		size_t values = take(c, (size_t)fn->num[k] * 8, 8);

		placed->values[k] = values;
		put32(c, ctr + o->ctr_num, fn->num[k]);
		put_pointer(c, ctr + o->ctr_values,
			    fn->num[k] ? address_of(c, values) : 0);
		for (uint32_t v = 0; v < fn->num[k]; v++)
			put64(c, values + v * 8,
			      fn->values[k] ? fn->values[k][v] : 0);
	}
}

static void place_object(struct ib_cursor *c, const struct ib_object *obj,
			 struct ib_placed_object *placed, size_t info)
{
	const struct gcc_offsets *o = &c->image->offsets;
	size_t name_size = strlen(obj->filename) + 1;

	placed->info = info;
	put32(c, info + o->info_version, c->spec->version);
	put32(c, info + o->info_stamp, obj->stamp);
	if (o->info_checksum != SIZE_MAX)
		put32(c, info + o->info_checksum, obj->checksum);
	placed->filename = take(c, name_size, 1);
	if (c->buffer)
		memcpy(c->buffer + placed->filename, obj->filename, name_size);
	put_pointer(c, info + o->info_filename,
		    address_of(c, placed->filename));
	for (unsigned k = 0; k < GCC_LAYOUT_MAX_COUNTERS; k++)
		if (obj->active_kinds & (1u << k))
			put_pointer(c,
				    info + o->info_merge + k * o->pointer_size,
				    c->image->link_base + IB_MERGE_AT);
	put32(c, info + o->info_n_functions, obj->n_functions);
	placed->functions =
		take(c, obj->n_functions * o->pointer_size, o->pointer_size);
	put_pointer(c, info + o->info_functions,
		    obj->n_functions ? address_of(c, placed->functions) : 0);
	for (uint32_t f = 0; f < obj->n_functions; f++) {
		const struct ib_function *fn = &obj->functions[f];
		struct ib_placed_function scratch,
			*where = placed->function ? &placed->function[f]
						  : &scratch;

		if (fn->kind == IB_FUNCTION_NULL) {
			put_pointer(c, placed->functions + f * o->pointer_size,
				    0);
			continue;
		}
		place_function(c, obj, info, fn, where);
		put_pointer(c, placed->functions + f * o->pointer_size,
			    address_of(c, where->fn_info));
	}
}

static void place_hvcov_descriptor(struct ib_cursor *c, size_t head,
				   size_t section_start, size_t section_end)
{
	const struct ib_spec *s = c->spec;
	size_t d = c->image->header_offset;

	if (c->buffer)
		memcpy(c->buffer + d, HVCOV_MAGIC, HVCOV_MAGIC_SIZE);
	put32(c, d + 8,
	      s->format_version ? s->format_version : HVCOV_FORMAT_VERSION);
	put32(c, d + 12, HVCOV_DESCRIPTOR_SIZE);
	if (c->buffer) {
		bytes_put16(c->buffer + d + 16, s->big_endian, s->machine);
		c->buffer[d + 18] = s->pointer_size;
		c->buffer[d + 19] =
			s->big_endian ? HVCOV_BIG_ENDIAN : HVCOV_LITTLE_ENDIAN;
	}
	put32(c, d + 20, s->version);
	put64(c, d + 24, address_of(c, d));
	put64(c, d + 32, c->image->link_base);
	put64(c, d + 40, c->image->image_size);
	put64(c, d + 48, head ? address_of(c, head) : 0);
	put64(c, d + 56, address_of(c, section_start));
	put64(c, d + 64, address_of(c, section_end));
	put64(c, d + 72, s->boot_id);
	put32(c, d + 80, s->state);
	put32(c, d + 84, s->mode == IB_MODE_LIST ? (uint32_t)s->n_objects : 0);
	for (size_t r = 88; r < HVCOV_DESCRIPTOR_SIZE; r++)
		if (c->buffer)
			c->buffer[d + r] = 0;
	if (c->image->check_bss_offset) {
		put64(c, d + 88, address_of(c, c->image->check_bss_offset));
		put64(c, d + 96, address_of(c, c->image->check_data_offset));
		put64(c, c->image->check_bss_offset,
		      HVCOV_CHECK_VALUE(s->boot_id));
		put64(c, c->image->check_data_offset,
		      HVCOV_CHECK_VALUE(s->boot_id));
		put64(c, d + 104, address_of(c, c->image->check_rodata_offset));
		put64(c, c->image->check_rodata_offset, HVCOV_CHECK_RODATA);
	}
}

static void place_jailhouse_header(struct ib_cursor *c, size_t head)
{
	size_t d = c->image->header_offset;
	uint8_t p = c->spec->pointer_size;

	if (c->buffer) {
		memset(c->buffer + d, 0, IB_HEADER_AREA);
		memcpy(c->buffer + d, "JAILHOUS", 8);
	}
	/* signature[8], then core_size, percpu_size, entry, console_page,
	 * gcov_info_head, each pointer-sized. */
	put_pointer(c, d + 8, c->image->image_size);
	/* Non-zero neighbours, as in a real header, so that reading with the
	 * wrong pointer size finds nonsense rather than zeros. */
	put_pointer(c, d + 8 + p, 0x3000);
	put_pointer(c, d + 8 + 2 * p, c->image->link_base + IB_MERGE_AT);
	put_pointer(c, d + 8 + 3 * p, c->image->link_base + 0x1000);
	put_pointer(c, d + 8 + 4 * p, head ? address_of(c, head) : 0);
}

/* One pass over the description; with c->buffer NULL it only sizes. */
static void place_all(struct ib_cursor *c)
{
	const struct ib_spec *s = c->spec;
	const struct gcc_offsets *o = &c->image->offsets;
	size_t *info = c->info;
	size_t section_start, section_end;

	c->at = s->lead + IB_HEADER_AREA;
	/* Every gcov_info first, so that list links can point forward. */
	for (size_t i = 0; i < s->n_objects; i++) {
		info[i] = take(c, o->info_size, o->pointer_size);
		/* The list runs in description order. */
		if (i > 0)
			put_pointer(c, info[i - 1] + o->info_next,
				    address_of(c, info[i]));
	}
	for (size_t i = 0; i < s->n_objects; i++) {
		struct ib_placed_object scratch = { 0 },
					*placed = c->buffer
							  ? &c->image->object[i]
							  : &scratch;

		place_object(c, &s->objects[i], placed, info[i]);
	}
	section_start = take(c, 0, o->pointer_size);
	if (s->mode == IB_MODE_SECTION) {
		for (size_t i = 0; i < s->n_objects; i++) {
			size_t slot = take(c, o->pointer_size, o->pointer_size);

			put_pointer(c, slot, address_of(c, info[i]));
		}
	}
	section_end = take(c, 0, 1);
	c->image->section_offset = section_start;
	if (s->header == IB_HEADER_HVCOV &&
	    (s->format_version == 0 || s->format_version >= 2)) {
		/* Both in the header area after the descriptor, where the
		 * matrix's damage to the gcov data cannot reach them. */
		c->image->check_data_offset =
			c->image->header_offset + HVCOV_DESCRIPTOR_SIZE;
		c->image->check_bss_offset = c->image->check_data_offset + 8;
		c->image->check_rodata_offset = c->image->check_bss_offset + 8;
	}
	/* The image ends on a 16-byte boundary like a linked section. */
	take(c, 0, 16);
	c->image->image_size = c->at - s->lead;
	if (s->header == IB_HEADER_JAILHOUSE)
		place_jailhouse_header(c, s->n_objects ? info[0] : 0);
	else
		place_hvcov_descriptor(
			c,
			s->mode == IB_MODE_LIST && s->n_objects ? info[0] : 0,
			section_start, section_end);
}

static uint64_t jailhouse_base(uint16_t machine)
{
	switch (machine) {
	case HVCOV_MACHINE_X86_64:
		return 0xfffffffff0000000ULL;
	case HVCOV_MACHINE_ARM:
		return 0xf0000000ULL;
	default:
		return 0xffffc0200000ULL;
	}
}

bool ib_build(const struct ib_spec *spec, struct ib_image *image)
{
	const struct gcc_layout *layout = gcc_layout_for_version(spec->version);
	struct ib_cursor c = { .spec = spec, .image = image };

	memset(image, 0, sizeof(*image));
	if (!layout || (spec->pointer_size != 4 && spec->pointer_size != 8))
		return false;
	for (size_t i = 0; i < spec->n_objects; i++)
		if (!spec->objects[i].filename ||
		    spec->objects[i].active_kinds >>
			    gcc_layout_counters(layout))
			return false;
	c.info = calloc(spec->n_objects ? spec->n_objects : 1, sizeof(size_t));
	if (!c.info)
		return false;
	gcc_layout_offsets(layout, spec->pointer_size, &image->offsets);
	image->big_endian = spec->big_endian;
	image->pointer_size = spec->pointer_size;
	image->image_offset = spec->lead;
	image->link_base = spec->header == IB_HEADER_JAILHOUSE
				   ? jailhouse_base(spec->machine)
				   : spec->link_base;
	image->header_offset =
		spec->lead +
		(spec->header == IB_HEADER_JAILHOUSE ? 0 : IB_DESCRIPTOR_AT);

	place_all(&c);
	image->size = c.at + spec->tail;
	image->buffer = malloc(image->size);
	image->object = calloc(spec->n_objects ? spec->n_objects : 1,
			       sizeof(*image->object));
	if (!image->buffer || !image->object) {
		free(c.info);
		ib_free(image);
		return false;
	}
	image->n_objects = spec->n_objects;
	for (size_t i = 0; i < spec->n_objects; i++) {
		image->object[i].function =
			calloc(spec->objects[i].n_functions + 1,
			       sizeof(struct ib_placed_function));
		if (!image->object[i].function) {
			free(c.info);
			ib_free(image);
			return false;
		}
	}
	memset(image->buffer, IB_FILL, image->size);
	/* Structures start zeroed, as in .data, between the filler. */
	memset(image->buffer + spec->lead, 0, (size_t)image->image_size);
	c.buffer = image->buffer;
	place_all(&c);
	free(c.info);
	return true;
}

void ib_free(struct ib_image *image)
{
	for (size_t i = 0; image->object && i < image->n_objects; i++)
		free(image->object[i].function);
	free(image->object);
	free(image->buffer);
	memset(image, 0, sizeof(*image));
}

uint64_t ib_address(const struct ib_image *image, size_t offset)
{
	return image->link_base + (offset - image->image_offset);
}

void ib_put32(struct ib_image *image, size_t offset, uint32_t value)
{
	bytes_put32(image->buffer + offset, image->big_endian, value);
}

void ib_put64(struct ib_image *image, size_t offset, uint64_t value)
{
	bytes_put64(image->buffer + offset, image->big_endian, value);
}

void ib_put_pointer(struct ib_image *image, size_t offset, uint64_t address)
{
	if (image->pointer_size == 8)
		ib_put64(image, offset, address);
	else
		ib_put32(image, offset, (uint32_t)address);
}

uint8_t *ib_copy(const struct ib_image *image)
{
	uint8_t *copy = malloc(image->size ? image->size : 1);

	if (copy)
		memcpy(copy, image->buffer, image->size);
	return copy;
}

const struct ib_abi ib_abis[IB_N_ABIS] = {
	{ "64-bit LE", 8, false, HVCOV_MACHINE_X86_64, 0xffff800000100000ULL },
	{ "32-bit LE", 4, false, HVCOV_MACHINE_ARM, 0x80100000ULL },
	{ "64-bit BE", 8, true, HVCOV_MACHINE_AARCH64, 0xffff000040000000ULL },
};
