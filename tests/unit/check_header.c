/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The header module (image/header.c): finding the descriptor in a larger
 * dump, the Jailhouse header, placement checks, and refusing every
 * inconsistent header.
 */
#include <check.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/error.h"
#include "hvcov/descriptor.h"
#include "image/header.h"

/* A machine constant as text, for comparing error messages. */
#define MACHINE_TEXT_(x) #x
#define MACHINE_TEXT(x) MACHINE_TEXT_(x)
#include "image/image.h"
#include "lib/image-builder.h"

#define WORD(a, b, c, d)                                                       \
	((uint32_t)(a) << 24 | (uint32_t)(b) << 16 | (uint32_t)(c) << 8 |      \
	 (uint32_t)(d))

static void build(struct ib_image *ib, size_t lead, bool big_endian,
		  uint16_t machine, uint8_t pointer_size)
{
	static const struct ib_function fn = { .ident = 7, .num = { 2 } };
	static const struct ib_object obj = {
		.filename = "/b/x.gcda",
		.active_kinds = 1,
		.n_functions = 1,
		.functions = &fn,
	};
	struct ib_spec spec = {
		.version = WORD('B', '2', '2', '*'),
		.pointer_size = pointer_size,
		.big_endian = big_endian,
		.machine = machine,
		.link_base = pointer_size == 8 ? 0xffff800000000000ULL
					       : 0xc0000000ULL,
		.state = HVCOV_STATE_RUNNING,
		.lead = lead,
		.tail = 40,
		.n_objects = 1,
		.objects = &obj,
	};

	ck_assert(ib_build(&spec, ib));
}

static bool locate(const struct ib_image *ib,
		   const struct header_options *options, struct header *h,
		   struct error *err)
{
	static const struct header_options automatic;
	struct image image;
	bool ok;

	image_adopt(&image, ib_copy(ib), ib->size, "dump.bin");
	ok = header_locate(&image, options ? options : &automatic, h, err);
	if (ok)
		ck_assert_uint_eq(image.offset, h->buffer_offset);
	image_free(&image);
	return ok;
}

START_TEST(test_header_scan_finds_descriptor)
{
	/* In a dump with unrelated data before and after the image, the scan
	 * finds the descriptor and places the image start from
	 * descriptor_address - link_base; a misaligned copy of the magic
	 * in the leading data is not a candidate. */
	struct ib_image ib;
	struct header h;
	struct error err = { 0 };

	build(&ib, 4096, true, HVCOV_MACHINE_AARCH64, 8);
	memcpy(ib.buffer + 1001, HVCOV_MAGIC, HVCOV_MAGIC_SIZE);
	ck_assert_msg(locate(&ib, NULL, &h, &err), "%s", err.text);
	ck_assert_int_eq(h.kind, MODEL_HEADER_HVCOV);
	ck_assert_uint_eq(h.buffer_offset, 4096);
	ck_assert_uint_eq(h.header_offset, ib.header_offset);
	ck_assert_uint_eq(h.image_size, ib.image_size);
	ck_assert_uint_eq(h.link_base, ib.link_base);
	ck_assert(h.big_endian);
	ck_assert_uint_eq(h.machine, HVCOV_MACHINE_AARCH64);
	ck_assert_uint_eq(h.registered, 1);
	ck_assert_uint_eq(h.state, HVCOV_STATE_RUNNING);
	ck_assert_uint_eq(h.list_head, ib_address(&ib, ib.object[0].info));
	ib_free(&ib);
}
END_TEST

START_TEST(test_header_given_offset)
{
	/* --offset selects the descriptor; an offset without one says so. */
	struct ib_image ib;
	struct header h;
	struct error err = { 0 };
	struct header_options options = { .has_descriptor_offset = true };

	build(&ib, 512, false, HVCOV_MACHINE_ARM, 4);
	options.descriptor_offset = ib.header_offset;
	ck_assert_msg(locate(&ib, &options, &h, &err), "%s", err.text);
	ck_assert_uint_eq(h.buffer_offset, 512);
	ck_assert_uint_eq(h.pointer_size, 4);
	options.descriptor_offset = ib.header_offset + 8;
	ck_assert(!locate(&ib, &options, &h, &err));
	ck_assert_int_eq(err.status, HVCOV_EXIT_DATA);
	ck_assert_msg(strstr(err.text, "no \"HVCOVIMG\" magic"), "%s",
		      err.text);
	ib_free(&ib);
}
END_TEST

START_TEST(test_header_several_descriptors)
{
	/* Two valid images in one dump: the scan refuses to choose, names
	 * where each image starts and its size (the --offset and --size that
	 * select it), and the descriptor's offset resolves it. */
	struct ib_image ib;
	struct header h;
	struct error err = { 0 };
	struct header_options options = { .has_descriptor_offset = true };
	uint8_t *twice;
	size_t size;
	char expect[64];

	build(&ib, 0, false, HVCOV_MACHINE_X86_64, 8);
	size = ib.size;
	twice = malloc(2 * size);
	ck_assert_ptr_nonnull(twice);
	memcpy(twice, ib.buffer, size);
	memcpy(twice + size, ib.buffer, size);
	free(ib.buffer);
	ib.buffer = twice;
	ib.size = 2 * size;
	ck_assert(!locate(&ib, NULL, &h, &err));
	ck_assert_int_eq(err.status, HVCOV_EXIT_DATA);
	snprintf(expect, sizeof(expect),
		 "bytes 0 (%llu bytes), %zu (%llu bytes)",
		 (unsigned long long)ib.image_size, size,
		 (unsigned long long)ib.image_size);
	ck_assert_msg(strstr(err.text, "2 valid hvcov descriptors") &&
			      strstr(err.text, expect) &&
			      strstr(err.text, "--offset and --size"),
		      "%s", err.text);
	options.descriptor_offset = size + ib.header_offset;
	err = (struct error){ 0 };
	ck_assert_msg(locate(&ib, &options, &h, &err), "%s", err.text);
	ck_assert_uint_eq(h.buffer_offset, size);
	ib_free(&ib);
}
END_TEST

#define N_DAMAGES 11

struct damage {
	size_t at; /* offset in the descriptor */
	unsigned width;
	uint64_t value;
	const char *needle;
};

START_TEST(test_header_refuses_bad_descriptor)
{
	/* Each inconsistent descriptor field is refused with a message that
	 * names the field. */
	static const struct damage damages[] = {
		{ offsetof(struct hvcov_descriptor, format_version), 4, 4,
		  "format_version 4" },
		{ offsetof(struct hvcov_descriptor, descriptor_size), 4, 64,
		  "descriptor_size 64" },
		{ offsetof(struct hvcov_descriptor, machine), 2, 3,
		  "machine 3" },
		{ offsetof(struct hvcov_descriptor, pointer_size), 1, 4,
		  "machine " MACHINE_TEXT(
			  HVCOV_MACHINE_X86_64) " with 4-byte" },
		{ offsetof(struct hvcov_descriptor, byte_order), 1, 3,
		  "byte_order 3" },
		{ offsetof(struct hvcov_descriptor, state), 4, 0,
		  "hvcov_init() has not run" },
		{ offsetof(struct hvcov_descriptor, state), 4, 9, "state 9" },
		{ offsetof(struct hvcov_descriptor, image_size), 8, 0,
		  "empty or wraps" },
		{ offsetof(struct hvcov_descriptor, link_base), 8,
		  0xffffffffffffff00ULL, "empty or wraps" },
		{ offsetof(struct hvcov_descriptor, descriptor_address), 8,
		  0x1000, "descriptor_address 0x1000" },
		{ offsetof(struct hvcov_descriptor, image_size), 8, 1 << 20,
		  "truncated" },
	};
	const struct damage *d = &damages[_i];

	_Static_assert(sizeof(damages) / sizeof(damages[0]) == N_DAMAGES,
		       "N_DAMAGES counts the damages");
	struct ib_image ib;
	struct header h;
	struct error err = { 0 };
	uint8_t *field;

	build(&ib, 0, false, HVCOV_MACHINE_X86_64, 8);
	field = ib.buffer + ib.header_offset + d->at;
	if (d->width == 1)
		*field = (uint8_t)d->value;
	else if (d->width == 2)
		memcpy(field, &(uint16_t){ (uint16_t)d->value }, 2);
	else if (d->width == 4)
		ib_put32(&ib, ib.header_offset + d->at, (uint32_t)d->value);
	else
		ib_put64(&ib, ib.header_offset + d->at, d->value);
	ck_assert(!locate(&ib, NULL, &h, &err));
	ck_assert_int_eq(err.status, HVCOV_EXIT_DATA);
	ck_assert_msg(strstr(err.text, d->needle), "'%s' lacks '%s'", err.text,
		      d->needle);
	ib_free(&ib);
}
END_TEST

START_TEST(test_header_refuses_big_endian_x86_64)
{
	/* x86_64 has no big-endian form: such a descriptor is corrupt. */
	struct ib_image ib;
	struct header h;
	struct error err = { 0 };

	build(&ib, 0, true, HVCOV_MACHINE_X86_64, 8);
	ck_assert(!locate(&ib, NULL, &h, &err));
	ck_assert_msg(strstr(err.text,
			     "machine " MACHINE_TEXT(HVCOV_MACHINE_X86_64)) &&
			      strstr(err.text, "big-endian"),
		      "%s", err.text);
	ib_free(&ib);
}
END_TEST

START_TEST(test_header_refuses_image_before_data)
{
	/* A descriptor whose image would start before the first byte read
	 * (a window cut too late) says so. */
	struct ib_image ib;
	struct header h;
	struct error err = { 0 };

	build(&ib, 0, false, HVCOV_MACHINE_X86_64, 8);
	ib_put64(&ib,
		 ib.header_offset +
			 offsetof(struct hvcov_descriptor, descriptor_address),
		 ib.link_base + 128);
	ck_assert(!locate(&ib, NULL, &h, &err));
	ck_assert_msg(strstr(err.text, "before the data read"), "%s", err.text);
	ib_free(&ib);
}
END_TEST

START_TEST(test_header_nothing_found)
{
	/* Data with neither header is refused, naming both magics. */
	struct ib_image ib;
	struct header h;
	struct error err = { 0 };

	build(&ib, 0, false, HVCOV_MACHINE_X86_64, 8);
	memset(ib.buffer + ib.header_offset, 0, 8);
	ck_assert(!locate(&ib, NULL, &h, &err));
	ck_assert_int_eq(err.status, HVCOV_EXIT_DATA);
	ck_assert_msg(strstr(err.text, "HVCOVIMG") &&
			      strstr(err.text, "JAILHOUS"),
		      "%s", err.text);
	ib_free(&ib);
}
END_TEST

static void build_jailhouse(struct ib_image *ib, uint16_t machine,
			    uint8_t pointer_size)
{
	static const struct ib_function fn = { .ident = 7, .num = { 2 } };
	static const struct ib_object obj = {
		.filename = "/b/x.gcda",
		.active_kinds = 1,
		.n_functions = 1,
		.functions = &fn,
	};
	struct ib_spec spec = {
		.version = WORD('B', '2', '2', '*'),
		.pointer_size = pointer_size,
		.machine = machine,
		.header = IB_HEADER_JAILHOUSE,
		.n_objects = 1,
		.objects = &obj,
	};

	ck_assert(ib_build(&spec, ib));
}

START_TEST(test_header_jailhouse_arch)
{
	/* The architecture is inferred from where gcov_info_head points; a
	 * wrong --arch and a truncated core are refused. */
	struct ib_image ib;
	struct header h;
	struct error err = { 0 };
	struct header_options arm = { .arch = HEADER_ARCH_ARM };
	enum header_arch arch;

	build_jailhouse(&ib, HVCOV_MACHINE_X86_64, 8);
	ck_assert_msg(locate(&ib, NULL, &h, &err), "%s", err.text);
	ck_assert_int_eq(h.kind, MODEL_HEADER_JAILHOUSE);
	ck_assert_uint_eq(h.machine, HVCOV_MACHINE_X86_64);
	ck_assert_uint_eq(h.link_base, 0xfffffffff0000000ULL);
	ck_assert_uint_eq(h.image_size, ib.image_size);
	ck_assert(!locate(&ib, &arm, &h, &err));
	ck_assert_int_eq(err.status, HVCOV_EXIT_DATA);
	ck_assert_msg(strstr(err.text, "for arm"), "%s", err.text);
	ib.size = (size_t)ib.image_size - 8;
	err = (struct error){ 0 };
	ck_assert(!locate(&ib, NULL, &h, &err));
	ck_assert_msg(strstr(err.text, "fits no architecture") &&
			      strstr(err.text, "truncated"),
		      "%s", err.text);
	ib.size = (size_t)ib.image_size;
	ib_free(&ib);

	build_jailhouse(&ib, HVCOV_MACHINE_ARM, 4);
	err = (struct error){ 0 };
	ck_assert_msg(locate(&ib, NULL, &h, &err), "%s", err.text);
	ck_assert_uint_eq(h.machine, HVCOV_MACHINE_ARM);
	ck_assert_uint_eq(h.pointer_size, 4);
	ib_free(&ib);

	ck_assert(header_arch_parse("arm64", &arch));
	ck_assert_int_eq(arch, HEADER_ARCH_ARM64);
	ck_assert(!header_arch_parse("riscv64", &arch));
}
END_TEST

START_TEST(test_header_with_elf_facts)
{
	/* With the ELF's facts nothing is guessed: the descriptor must sit at
	 * hvcov_descriptor's address and be for the ELF's machine; a
	 * Jailhouse image takes its link base from hypervisor_header (so a
	 * base that is not JAILHOUSE_BASE works) and its arch from
	 * e_machine. */
	struct header_elf facts = { .source = "\"hv.elf\"",
				    .machine = HVCOV_MACHINE_AARCH64,
				    .pointer_size = 8,
				    .big_endian = true,
				    .has_descriptor = true };
	struct header_options options = { .elf = &facts };
	struct ib_image ib;
	struct header h;
	struct error err = { 0 };

	build(&ib, 4096, true, HVCOV_MACHINE_AARCH64, 8);
	facts.descriptor_address = ib_address(&ib, ib.header_offset);
	ck_assert_msg(locate(&ib, &options, &h, &err), "%s", err.text);
	ck_assert_uint_eq(h.descriptor_address, facts.descriptor_address);
	facts.descriptor_address += 8;
	ck_assert(!locate(&ib, &options, &h, &err));
	ck_assert_msg(strstr(err.text, "where \"hv.elf\" has hvcov_descriptor"),
		      "%s", err.text);
	facts.descriptor_address -= 8;
	facts.big_endian = false;
	err = (struct error){ 0 };
	ck_assert(!locate(&ib, &options, &h, &err));
	ck_assert_msg(
		strstr(err.text, "but \"hv.elf\" is for machine " MACHINE_TEXT(
					 HVCOV_MACHINE_AARCH64)),
		"%s", err.text);
	ib_free(&ib);

	build_jailhouse(&ib, HVCOV_MACHINE_ARM, 4);
	facts = (struct header_elf){ .source = "\"hv.elf\"",
				     .machine = HVCOV_MACHINE_ARM,
				     .pointer_size = 4,
				     .has_jailhouse_header = true,
				     .jailhouse_header = ib.link_base };
	err = (struct error){ 0 };
	ck_assert_msg(locate(&ib, &options, &h, &err), "%s", err.text);
	ck_assert_int_eq(h.kind, MODEL_HEADER_JAILHOUSE);
	ck_assert_uint_eq(h.link_base, ib.link_base);
	facts.jailhouse_header += 0x1000;
	ck_assert(!locate(&ib, &options, &h, &err));
	ck_assert_msg(strstr(err.text, "linked at"), "%s", err.text);
	facts.has_jailhouse_header = false;
	err = (struct error){ 0 };
	ck_assert(!locate(&ib, &options, &h, &err));
	ck_assert_msg(strstr(err.text, "neither hvcov_descriptor nor"), "%s",
		      err.text);
	ib_free(&ib);
}
END_TEST

/* A version 1 descriptor (an older stub) is read, but its placement is
 * reported as not proven. */
START_TEST(test_header_version1_not_proven)
{
	static const struct ib_function fn = { .ident = 7, .num = { 2 } };
	static const struct ib_object obj = {
		.filename = "/b/x.gcda",
		.active_kinds = 1,
		.n_functions = 1,
		.functions = &fn,
	};
	struct ib_spec spec = {
		.version = WORD('B', '2', '2', '*'),
		.pointer_size = 8,
		.machine = HVCOV_MACHINE_X86_64,
		.link_base = 0xffff800000000000ULL,
		.state = HVCOV_STATE_RUNNING,
		.format_version = 1,
		.n_objects = 1,
		.objects = &obj,
	};
	struct error err = { 0 };
	struct ib_image ib;
	struct header h;
	char text[160];

	ck_assert(ib_build(&spec, &ib));
	ck_assert_msg(locate(&ib, NULL, &h, &err), "%s", err.text);
	ck_assert_uint_eq(h.format_version, 1);
	ck_assert(!h.checks_proven);
	header_placement_text(&h, text, sizeof(text));
	ck_assert_msg(strstr(text, "not proven") && strstr(text, "version 1"),
		      "%s", text);
	ib_free(&ib);
	build(&ib, 0, false, HVCOV_MACHINE_X86_64, 8);
	ck_assert_msg(locate(&ib, NULL, &h, &err), "%s", err.text);
	ck_assert_uint_eq(h.format_version, HVCOV_FORMAT_VERSION);
	ck_assert(h.checks_proven);
	ib_free(&ib);
}
END_TEST

/* The image with everything from the .bss check word on moved GAP bytes
 * further: read linearly it is refused for its layout; with the placement
 * it is read through two pieces. */
#define GAP 4096
START_TEST(test_header_placed_view)
{
	struct error err = { 0 };
	struct header_piece pieces[2];
	struct header_placement placement = { "test", pieces, 2 };
	struct header_options options = { .placement = &placement };
	struct ib_image ib;
	struct image image;
	struct header h;
	uint8_t *split;
	size_t cut;

	build(&ib, 0, false, HVCOV_MACHINE_X86_64, 8);
	cut = ib.check_bss_offset;
	split = calloc(1, ib.size + GAP);
	ck_assert_ptr_nonnull(split);
	memcpy(split, ib.buffer, cut);
	memcpy(split + cut + GAP, ib.buffer + cut, ib.size - cut);
	pieces[0] = (struct header_piece){ ib.link_base, 0x1000, cut };
	pieces[1] =
		(struct header_piece){ ib.link_base + cut, 0x1000 + cut + GAP,
				       ib.image_size - cut };

	image_adopt(&image, split, ib.size + GAP, "split.bin");
	ck_assert(!header_locate(&image, &(struct header_options){ 0 }, &h,
				 &err));
	ck_assert_msg(strstr(err.text, "not laid out as linked"), "%s",
		      err.text);
	err = (struct error){ 0 };
	ck_assert_msg(header_locate(&image, &options, &h, &err), "%s",
		      err.text);
	ck_assert(h.placed && h.checks_proven);
	ck_assert_uint_eq(h.placed_pieces, 2);
	ck_assert_ptr_eq(image_at(&image, ib.link_base + cut, 8),
			 split + cut + GAP);
	ck_assert_ptr_eq(image_at(&image, ib.link_base + cut - 8, 8),
			 split + cut - 8);
	/* Nothing spans the two pieces. */
	ck_assert_ptr_null(image_at(&image, ib.link_base + cut - 4, 8));

	/* The same placement with the second piece 8 bytes off. */
	pieces[1].physical += 8;
	err = (struct error){ 0 };
	ck_assert(!header_locate(&image, &options, &h, &err));
	ck_assert_msg(strstr(err.text, "placement given does not match"), "%s",
		      err.text);
	/* Or beyond what was read: the window cuts the image. */
	pieces[1].physical += ib.size + GAP;
	err = (struct error){ 0 };
	ck_assert(!header_locate(&image, &options, &h, &err));
	ck_assert_msg(strstr(err.text, "window cuts the image"), "%s",
		      err.text);
	image_free(&image);
	ib_free(&ib);
}
END_TEST

Suite *suite_header(void)
{
	Suite *suite = suite_create("header");
	TCase *header = tcase_create("header");

	tcase_add_test(header, test_header_scan_finds_descriptor);
	tcase_add_test(header, test_header_given_offset);
	tcase_add_test(header, test_header_several_descriptors);
	tcase_add_loop_test(header, test_header_refuses_bad_descriptor, 0,
			    (int)N_DAMAGES);
	tcase_add_test(header, test_header_refuses_big_endian_x86_64);
	tcase_add_test(header, test_header_refuses_image_before_data);
	tcase_add_test(header, test_header_nothing_found);
	tcase_add_test(header, test_header_jailhouse_arch);
	tcase_add_test(header, test_header_with_elf_facts);
	tcase_add_test(header, test_header_version1_not_proven);
	tcase_add_test(header, test_header_placed_view);
	suite_add_tcase(suite, header);
	return suite;
}
