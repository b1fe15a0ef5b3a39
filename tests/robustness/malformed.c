/* SPDX-License-Identifier: BSD-2-Clause */
#include "malformed.h"

#include <stdlib.h>
#include <string.h>

#include "base/bytes.h"
#include "hvcov/descriptor.h"
#include "lib/image-builder.h"

#define X86_64 HVCOV_MACHINE_X86_64
#define LINK_BASE 0xffffffff80200000ULL
#define VALUES 3
#define MAX_OBJECTS 48
#define MAX_FUNCTIONS 1001

/* Descriptor fields by offset (docs/image-format.md). */
#define D_FORMAT_VERSION 8
#define D_BYTE_ORDER 19
#define D_ADDRESS 24
#define D_LINK_BASE 32
#define D_IMAGE_SIZE 40
#define D_HEAD 48
#define D_SECTION_START 56
#define D_SECTION_END 64
#define D_BOOT_ID 72
#define D_STATE 80
#define D_REGISTERED 84
#define D_CHECK_BSS 88
#define D_CHECK_DATA 96

/* What a case changes in the good image's description before building. */
struct shape {
	size_t n_objects;
	uint32_t n_functions; /* of object 0 */
	bool null_functions;  /* object 0: all but the first NULL */
	enum ib_header header;
	enum ib_mode mode;
	const char *names[2]; /* file names of objects 0 and 1 */
};

struct build {
	struct ib_image ib;
	size_t size;       /* bytes of the case, at most ib.size */
	uint8_t *replaced; /* a case that makes new bytes altogether */
};

typedef void damage_fn(struct build *b);

static const uint64_t values[VALUES] = { 5, 0, 0x100000001ULL };
static char long_name[5000];

static const struct shape good_shape = {
	.n_objects = 2,
	.n_functions = 2,
	.header = IB_HEADER_HVCOV,
	.mode = IB_MODE_LIST,
	.names = { "/build/hv/a.gcda", "/build/hv/sub/b.gcda" },
};

static bool build_shape(const struct shape *shape, uint32_t version,
			struct ib_image *ib)
{
	static struct ib_function fns[MAX_OBJECTS][MAX_FUNCTIONS];
	static struct ib_object objects[MAX_OBJECTS];
	static char names[MAX_OBJECTS][32];
	struct ib_spec spec = { 0 };

	memset(objects, 0, sizeof(objects));
	for (size_t i = 0; i < shape->n_objects; i++) {
		uint32_t n = i == 0 ? shape->n_functions : 2;

		if (i < 2) {
			objects[i].filename = shape->names[i];
		} else {
			strcpy(names[i], "/build/hv/unit00.gcda");
			names[i][14] = (char)('0' + i / 10);
			names[i][15] = (char)('0' + i % 10);
			objects[i].filename = names[i];
		}
		objects[i].stamp = 0x51a70000u + (uint32_t)i;
		objects[i].checksum = 0xc4ec0000u + (uint32_t)i;
		objects[i].active_kinds = 1; /* arcs, what --coverage uses */
		objects[i].n_functions = n;
		objects[i].functions = fns[i];
		for (uint32_t f = 0; f < n; f++) {
			struct ib_function *fn = &fns[i][f];

			memset(fn, 0, sizeof(*fn));
			fn->kind = i == 0 && f > 0 && shape->null_functions
					   ? IB_FUNCTION_NULL
					   : IB_FUNCTION_PRESENT;
			fn->ident = 1000 * (uint32_t)i + f;
			fn->lineno_checksum = 0x11110000u + f;
			fn->cfg_checksum = 0x22220000u + f;
			fn->num[0] = VALUES;
			fn->values[0] = values;
		}
	}
	spec.version = version;
	spec.pointer_size = 8;
	spec.machine = X86_64;
	spec.header = shape->header;
	spec.mode = shape->mode;
	spec.link_base = LINK_BASE;
	spec.boot_id = 0xb007;
	spec.state = HVCOV_STATE_DISABLED;
	spec.n_objects = shape->n_objects;
	spec.objects = objects;
	return ib_build(&spec, ib);
}

/* Shorthands for the damage below. */
static size_t desc(const struct build *b, size_t field)
{
	return b->ib.header_offset + field;
}

static size_t info(const struct build *b, size_t object, size_t field)
{
	return b->ib.object[object].info + field;
}

static const struct gcc_offsets *off(const struct build *b)
{
	return &b->ib.offsets;
}

static uint64_t addr(const struct build *b, size_t offset)
{
	return ib_address(&b->ib, offset);
}

/* The image (and the data) end at buffer offset `end`. */
static void end_image_at(struct build *b, size_t end)
{
	ib_put64(&b->ib, desc(b, D_IMAGE_SIZE), end - b->ib.image_offset);
	b->size = end;
}

static void d_empty(struct build *b)
{
	b->size = 0;
}
static void d_only_magic(struct build *b)
{
	b->size = b->ib.header_offset + HVCOV_MAGIC_SIZE;
}
static void d_cut_in_descriptor(struct build *b)
{
	b->size = b->ib.header_offset + 100;
}
static void d_cut_before_image_end(struct build *b)
{
	b->size = b->ib.image_offset + (size_t)b->ib.image_size - 1;
}
static void d_end_in_first_info(struct build *b)
{
	end_image_at(b, info(b, 0, 8));
}
static void d_end_at_second_info(struct build *b)
{
	end_image_at(b, info(b, 1, 0));
}
static void d_end_in_filename(struct build *b)
{
	end_image_at(b, b->ib.object[0].filename + 4);
}
static void d_end_in_functions(struct build *b)
{
	end_image_at(b, b->ib.object[0].functions + 8);
}
static void d_end_in_fn_info(struct build *b)
{
	end_image_at(b, b->ib.object[0].function[0].fn_info + 4);
}
static void d_end_in_values(struct build *b)
{
	end_image_at(b, b->ib.object[0].function[0].values[0] + 8);
}
static void d_head_wild(struct build *b)
{
	ib_put64(&b->ib, desc(b, D_HEAD), 0x00007fffdeadbee8ULL);
}
static void d_head_misaligned(struct build *b)
{
	ib_put64(&b->ib, desc(b, D_HEAD), addr(b, info(b, 0, 4)));
}
static void d_head_into_descriptor(struct build *b)
{
	ib_put64(&b->ib, desc(b, D_HEAD), addr(b, desc(b, 0)));
}
static void d_head_past_end(struct build *b)
{
	ib_put64(&b->ib, desc(b, D_HEAD), LINK_BASE + b->ib.image_size);
}
static void d_head_below_base(struct build *b)
{
	ib_put64(&b->ib, desc(b, D_HEAD), LINK_BASE - 0x1000);
}
static void d_next_wild(struct build *b)
{
	ib_put_pointer(&b->ib, info(b, 0, off(b)->info_next),
		       0xffffffffffff0000ULL);
}
static void d_cycle_self(struct build *b)
{
	ib_put_pointer(&b->ib, info(b, 0, off(b)->info_next),
		       addr(b, info(b, 0, 0)));
}
static void d_cycle_short(struct build *b)
{
	ib_put_pointer(&b->ib, info(b, 1, off(b)->info_next),
		       addr(b, info(b, 0, 0)));
}
static void d_cycle_long(struct build *b)
{
	ib_put_pointer(&b->ib, info(b, MAX_OBJECTS - 1, off(b)->info_next),
		       addr(b, info(b, 5, 0)));
}
static void d_registered_mismatch(struct build *b)
{
	ib_put32(&b->ib, desc(b, D_REGISTERED), 3);
}
static void d_n_functions_huge(struct build *b)
{
	ib_put32(&b->ib, info(b, 0, off(b)->info_n_functions), 0xffffffffu);
}
static void d_num_huge(struct build *b)
{
	ib_put32(&b->ib,
		 b->ib.object[0].function[0].fn_info + off(b)->fn_ctrs +
			 off(b)->ctr_num,
		 0xffffffffu);
}
static void d_functions_null(struct build *b)
{
	ib_put_pointer(&b->ib, info(b, 0, off(b)->info_functions), 0);
}
static void d_values_null(struct build *b)
{
	ib_put_pointer(&b->ib,
		       b->ib.object[0].function[0].fn_info + off(b)->fn_ctrs +
			       off(b)->ctr_values,
		       0);
}
static void d_values_misaligned(struct build *b)
{
	ib_put_pointer(&b->ib,
		       b->ib.object[0].function[0].fn_info + off(b)->fn_ctrs +
			       off(b)->ctr_values,
		       addr(b, b->ib.object[0].function[0].values[0] + 4));
}
static void d_fn_info_wild(struct build *b)
{
	ib_put_pointer(&b->ib, b->ib.object[0].functions,
		       0x0000100000000000ULL);
}
static void d_filename_null(struct build *b)
{
	ib_put_pointer(&b->ib, info(b, 0, off(b)->info_filename), 0);
}
static void d_filename_unterminated(struct build *b)
{
	size_t from = b->ib.object[1].filename;

	memset(b->ib.buffer + from, 'a',
	       b->ib.image_offset + (size_t)b->ib.image_size - from);
}
static void d_filename_into_descriptor(struct build *b)
{
	ib_put_pointer(&b->ib, info(b, 0, off(b)->info_filename),
		       addr(b, desc(b, 0)));
}
static void d_gcov_version_unknown(struct build *b)
{
	for (size_t i = 0; i < b->ib.n_objects; i++)
		ib_put32(&b->ib, info(b, i, off(b)->info_version), 0x12345678u);
}
static void d_gcov_version_zero(struct build *b)
{
	ib_put32(&b->ib, info(b, 1, off(b)->info_version), 0);
}
static void d_byte_order_swapped(struct build *b)
{
	b->ib.buffer[desc(b, D_BYTE_ORDER)] = HVCOV_BIG_ENDIAN;
}
static void d_byte_order_unknown(struct build *b)
{
	b->ib.buffer[desc(b, D_BYTE_ORDER)] = 3;
}
static void d_format_version_unknown(struct build *b)
{
	ib_put32(&b->ib, desc(b, D_FORMAT_VERSION),
		 HVCOV_FORMAT_VERSION_LLVM + 1);
}
/* Placement checks: what a wrong layout, a cut window or a mix of boots
 * makes the check words read. */
static void d_check_bss_zero(struct build *b)
{
	ib_put64(&b->ib, b->ib.check_bss_offset, 0);
}
static void d_check_data_other(struct build *b)
{
	ib_put64(&b->ib, b->ib.check_data_offset, 0x0123456789abcdefULL);
}
static void d_check_rodata_other(struct build *b)
{
	ib_put64(&b->ib, b->ib.check_rodata_offset, 0);
}
static void d_check_bss_shifted(struct build *b)
{
	uint64_t address;

	/* .bss 8 bytes off: the word read is the one beside the check. */
	address = bytes_get64(b->ib.buffer + desc(b, D_CHECK_BSS),
			      b->ib.big_endian);
	ib_put64(&b->ib, desc(b, D_CHECK_BSS), address + 8);
}
static void d_check_bss_outside(struct build *b)
{
	ib_put64(&b->ib, desc(b, D_CHECK_BSS),
		 b->ib.link_base + b->ib.image_size);
}
static void d_check_stale_boot(struct build *b)
{
	/* The descriptor of one boot over the sections of another. */
	ib_put64(&b->ib, desc(b, D_BOOT_ID), 0x5eed);
}
static void d_check_value_zero(struct build *b)
{
	ib_put64(&b->ib, desc(b, D_BOOT_ID), UINT64_MAX);
	ib_put64(&b->ib, b->ib.check_bss_offset, 0);
	ib_put64(&b->ib, b->ib.check_data_offset, 0);
}
static void d_state_uninitialised(struct build *b)
{
	ib_put32(&b->ib, desc(b, D_STATE), HVCOV_STATE_UNINITIALISED);
}
static void d_state_unknown(struct build *b)
{
	ib_put32(&b->ib, desc(b, D_STATE), 7);
}
static void d_image_size_zero(struct build *b)
{
	ib_put64(&b->ib, desc(b, D_IMAGE_SIZE), 0);
}
static void d_image_wraps(struct build *b)
{
	ib_put64(&b->ib, desc(b, D_LINK_BASE), 0xffffffffffffff00ULL);
}
static void d_descriptor_address_outside(struct build *b)
{
	ib_put64(&b->ib, desc(b, D_ADDRESS), LINK_BASE + 0x10000000);
}
static void d_two_descriptors(struct build *b)
{
	b->replaced = malloc(2 * b->size);
	if (!b->replaced)
		return;
	memcpy(b->replaced, b->ib.buffer, b->size);
	memcpy(b->replaced + b->size, b->ib.buffer, b->size);
	b->size *= 2;
}
static void d_section_reversed(struct build *b)
{
	uint64_t start = addr(b, b->ib.section_offset);

	ib_put64(&b->ib, desc(b, D_SECTION_START), start + 8);
	ib_put64(&b->ib, desc(b, D_SECTION_END), start);
}
static void d_section_misaligned(struct build *b)
{
	uint64_t start = addr(b, b->ib.section_offset);

	ib_put64(&b->ib, desc(b, D_SECTION_END), start + 12);
}
static void d_section_outside(struct build *b)
{
	uint64_t start = addr(b, b->ib.section_offset);

	ib_put64(&b->ib, desc(b, D_SECTION_END), start + 0x100000);
}
static void d_section_repeats(struct build *b)
{
	ib_put_pointer(&b->ib, b->ib.section_offset + 8,
		       addr(b, info(b, 0, 0)));
}
static void d_jailhouse_truncated(struct build *b)
{
	ib_put64(&b->ib, b->ib.header_offset + 8, 1u << 20);
}
static void d_jailhouse_head_wild(struct build *b)
{
	ib_put64(&b->ib, b->ib.header_offset + 40, 0xfffffffff8000000ULL);
}
static void d_jailhouse_cycle(struct build *b)
{
	d_cycle_short(b);
}
static void d_records_shared(struct build *b)
{
	uint64_t first = addr(b, b->ib.object[0].function[0].fn_info);

	for (uint32_t f = 1; f < MAX_FUNCTIONS; f++)
		ib_put_pointer(&b->ib, b->ib.object[0].functions + 8 * f,
			       first);
}
static void d_none(struct build *b)
{
	(void)b;
}

struct case_def {
	struct malformed_case c;
	damage_fn *damage;
	const struct shape *shape; /* NULL: the good shape */
};

static const struct shape long_list = {
	.n_objects = MAX_OBJECTS,
	.n_functions = 2,
	.header = IB_HEADER_HVCOV,
	.mode = IB_MODE_LIST,
	.names = { "/build/hv/a.gcda", "/build/hv/sub/b.gcda" },
};
static const struct shape section = {
	.n_objects = 2,
	.n_functions = 2,
	.header = IB_HEADER_HVCOV,
	.mode = IB_MODE_SECTION,
	.names = { "/build/hv/a.gcda", "/build/hv/sub/b.gcda" },
};
static const struct shape jailhouse = {
	.n_objects = 2,
	.n_functions = 2,
	.header = IB_HEADER_JAILHOUSE,
	.mode = IB_MODE_LIST,
	.names = { "/build/hv/a.gcda", "/build/hv/sub/b.gcda" },
};
static const struct shape shared_records = {
	.n_objects = 2,
	.n_functions = MAX_FUNCTIONS,
	.null_functions = true,
	.header = IB_HEADER_HVCOV,
	.mode = IB_MODE_LIST,
	.names = { "/build/hv/a.gcda", "/build/hv/sub/b.gcda" },
};
#define NAMED(a, b)                                                            \
	{                                                                      \
		.n_objects = 2, .n_functions = 2, .header = IB_HEADER_HVCOV,   \
		.mode = IB_MODE_LIST, .names = {                               \
			a,                                                     \
			b                                                      \
		}                                                              \
	}
static const struct shape long_name_shape =
	NAMED("/build/hv/a.gcda", long_name);
static const struct shape same_names =
	NAMED("/build/hv/a.gcda", "/build/hv/a.gcda");
static const struct shape non_utf8 =
	NAMED("/build/hv/a.gcda", "/build/hv/\xff\xfe.gcda");
static const struct shape overlong_utf8 =
	NAMED("/build/hv/a.gcda", "/build/\xc0\xae\xc0\xae/b.gcda");
static const struct shape control =
	NAMED("/build/hv/a.gcda", "/build/hv/a\nb.gcda");
/* Terminal escape sequences (set the title, clear the screen). */
static const struct shape escape =
	NAMED("/build/hv/a.gcda", "/build/hv/\033]0;pwned\007\033[2J.gcda");
static const struct shape dotdot =
	NAMED("/build/hv/a.gcda", "/build/../../etc/b.gcda");
static const struct shape double_slash =
	NAMED("/build/hv/a.gcda", "/build//hv/b.gcda");
static const struct shape relative =
	NAMED("/build/hv/a.gcda", "build/hv/b.gcda");
static const struct shape not_gcda =
	NAMED("/build/hv/a.gcda", "/build/hv/b.gcno");

#define H MALFORMED_HEADER
#define R MALFORMED_READER
#define W MALFORMED_WRITER

static const struct case_def defs[] = {
	{ { "empty", H, "no hvcov descriptor", "no data" }, d_empty, NULL },
	{ { "only-magic", H, "cut off", NULL }, d_only_magic, NULL },
	{ { "cut-in-descriptor", H, "cut off", NULL },
	  d_cut_in_descriptor,
	  NULL },
	{ { "cut-before-image-end", H, "truncated", NULL },
	  d_cut_before_image_end,
	  NULL },
	{ { "end-in-first-info", R, "run past the end", NULL },
	  d_end_in_first_info,
	  NULL },
	{ { "end-at-second-info", R, "not a string", NULL },
	  d_end_at_second_info,
	  NULL },
	{ { "end-in-filename", R, "not a string", NULL },
	  d_end_in_filename,
	  NULL },
	{ { "end-in-functions-array", R, "do not fit", NULL },
	  d_end_in_functions,
	  NULL },
	{ { "end-in-fn-info", R, "outside the image", NULL },
	  d_end_in_fn_info,
	  NULL },
	{ { "end-in-values", R, "outside the image", NULL },
	  d_end_in_values,
	  NULL },
	{ { "head-wild", R, "outside the image", NULL }, d_head_wild, NULL },
	{ { "head-misaligned", R, "misaligned", NULL },
	  d_head_misaligned,
	  NULL },
	{ { "head-into-descriptor", R, "gcov version", NULL },
	  d_head_into_descriptor,
	  NULL },
	{ { "head-past-end", R, "outside the image", NULL },
	  d_head_past_end,
	  NULL },
	{ { "head-below-base", R, "outside the image", NULL },
	  d_head_below_base,
	  NULL },
	{ { "next-wild", R, "outside the image", NULL }, d_next_wild, NULL },
	{ { "cycle-self", R, "loops", NULL }, d_cycle_self, NULL },
	{ { "cycle-short", R, "loops", NULL }, d_cycle_short, NULL },
	{ { "cycle-long", R, "loops", NULL }, d_cycle_long, &long_list },
	{ { "registered-mismatch", R, "registrations", NULL },
	  d_registered_mismatch,
	  NULL },
	{ { "n-functions-huge", R, "do not fit", NULL },
	  d_n_functions_huge,
	  NULL },
	{ { "num-huge", R, "more than the image can hold", NULL },
	  d_num_huge,
	  NULL },
	{ { "functions-null", R, "do not fit", NULL }, d_functions_null, NULL },
	{ { "values-null", R, "outside the image", NULL },
	  d_values_null,
	  NULL },
	{ { "values-misaligned", R, "misaligned", NULL },
	  d_values_misaligned,
	  NULL },
	{ { "fn-info-wild", R, "outside the image", NULL },
	  d_fn_info_wild,
	  NULL },
	{ { "records-shared", R, "function records", NULL },
	  d_records_shared,
	  &shared_records },
	{ { "filename-null", R, "not a string", NULL }, d_filename_null, NULL },
	{ { "filename-unterminated", R, "not a string", NULL },
	  d_filename_unterminated,
	  NULL },
	{ { "filename-too-long", R, "within 4096 bytes", NULL },
	  d_none,
	  &long_name_shape },
	{ { "filename-into-descriptor", W, "control character", NULL },
	  d_filename_into_descriptor,
	  NULL },
	{ { "filenames-duplicate", R, "both write", NULL },
	  d_none,
	  &same_names },
	{ { "path-not-utf8", W, "UTF-8", NULL }, d_none, &non_utf8 },
	{ { "path-overlong-utf8", W, "UTF-8", NULL }, d_none, &overlong_utf8 },
	{ { "path-control-character", W, "control character", NULL },
	  d_none,
	  &control },
	{ { "path-escape-sequence", W, "control character", NULL },
	  d_none,
	  &escape },
	{ { "path-dotdot", W, "\"..\"", NULL }, d_none, &dotdot },
	{ { "path-double-slash", W, "(//)", NULL }, d_none, &double_slash },
	{ { "path-relative", W, "not absolute", NULL }, d_none, &relative },
	{ { "path-not-gcda", W, "NAME.gcda", NULL }, d_none, &not_gcda },
	{ { "gcov-version-unknown", R, "gcov version 0x12345678", NULL },
	  d_gcov_version_unknown,
	  NULL },
	{ { "gcov-version-zero", R, "gcov version 0x00000000", NULL },
	  d_gcov_version_zero,
	  NULL },
	{ { "byte-order-swapped", H, "format_version 33554432", NULL },
	  d_byte_order_swapped,
	  NULL },
	{ { "byte-order-unknown", H, "byte_order 3", NULL },
	  d_byte_order_unknown,
	  NULL },
	{ { "format-version-unknown", H, "format_version 4", NULL },
	  d_format_version_unknown,
	  NULL },
	{ { "check-bss-zero", H, "not laid out as linked", NULL },
	  d_check_bss_zero,
	  NULL },
	{ { "check-data-other", H, "the .data check word", NULL },
	  d_check_data_other,
	  NULL },
	{ { "check-rodata-other", H, "the .rodata check word", NULL },
	  d_check_rodata_other,
	  NULL },
	{ { "check-bss-shifted", H, "the .bss check word", NULL },
	  d_check_bss_shifted,
	  NULL },
	{ { "check-bss-outside", H, "the window cuts the image", NULL },
	  d_check_bss_outside,
	  NULL },
	{ { "check-stale-boot", H, "not all from this boot", NULL },
	  d_check_stale_boot,
	  NULL },
	{ { "check-value-zero", H, "cannot be told from unwritten memory",
	    NULL },
	  d_check_value_zero,
	  NULL },
	{ { "state-uninitialised", H, "hvcov_init() has not run", NULL },
	  d_state_uninitialised,
	  NULL },
	{ { "state-unknown", H, "state 7", NULL }, d_state_unknown, NULL },
	{ { "image-size-zero", H, "empty or wraps", NULL },
	  d_image_size_zero,
	  NULL },
	{ { "image-wraps", H, "empty or wraps", NULL }, d_image_wraps, NULL },
	{ { "descriptor-address-outside", H, "descriptor_address", NULL },
	  d_descriptor_address_outside,
	  NULL },
	{ { "two-descriptors", H, "2 valid hvcov descriptors", NULL },
	  d_two_descriptors,
	  NULL },
	{ { "section-reversed", R, "aligned array", NULL },
	  d_section_reversed,
	  &section },
	{ { "section-misaligned", R, "aligned array", NULL },
	  d_section_misaligned,
	  &section },
	{ { "section-outside", R, "aligned array", NULL },
	  d_section_outside,
	  &section },
	{ { "section-repeats", R, "repeats", NULL },
	  d_section_repeats,
	  &section },
	{ { "jailhouse-truncated", H, "truncated", NULL },
	  d_jailhouse_truncated,
	  &jailhouse },
	{ { "jailhouse-head-wild", H, "fits no architecture", NULL },
	  d_jailhouse_head_wild,
	  &jailhouse },
	{ { "jailhouse-cycle", R, "loops", NULL },
	  d_jailhouse_cycle,
	  &jailhouse },
};

#define N_DEFS (sizeof(defs) / sizeof(defs[0]))

const size_t malformed_count = N_DEFS;

const struct malformed_case *malformed_case(size_t i)
{
	return i < N_DEFS ? &defs[i].c : NULL;
}

uint8_t *malformed_build(size_t i, uint32_t version, size_t *size)
{
	const struct shape *shape =
		i < N_DEFS && defs[i].shape ? defs[i].shape : &good_shape;
	struct build b = { 0 };
	uint8_t *bytes;

	if (!long_name[0]) {
		memset(long_name, 'n', sizeof(long_name) - 1);
		memcpy(long_name, "/build/", 7);
		memcpy(long_name + sizeof(long_name) - 6, ".gcda", 6);
	}
	if (!build_shape(shape, version, &b.ib))
		return NULL;
	b.size = b.ib.size;
	if (i < N_DEFS)
		defs[i].damage(&b);
	if (b.replaced) {
		bytes = b.replaced;
	} else {
		bytes = malloc(b.size ? b.size : 1);
		if (bytes)
			memcpy(bytes, b.ib.buffer, b.size);
	}
	*size = b.size;
	ib_free(&b.ib);
	return bytes;
}
