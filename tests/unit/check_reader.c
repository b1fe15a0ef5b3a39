/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The reader end to end on built images: header_locate() then
 * reader_read().  Every GCC layout row, pointer size and byte order decodes
 * to exactly the model the image was built from; Jailhouse images decode
 * like hvcov ones; and each kind of damage is refused with status 1 and a
 * message naming the problem.
 */
#include <check.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base/bytes.h"
#include "base/error.h"
#include "gcov/model.h"
#include "gcov/reader.h"
#include "hvcov/descriptor.h"
#include "image/header.h"
#include "image/image.h"
#include "lib/image-builder.h"

#define WORD(a, b, c, d)                                                       \
	((uint32_t)(a) << 24 | (uint32_t)(b) << 16 | (uint32_t)(c) << 8 |      \
	 (uint32_t)(d))

#define FX_OBJECTS 4
#define FX_FUNCTIONS 4
#define FX_VALUES 16

/* A description with the shapes that matter: one kind, several kinds
 * including the row's last, all kinds; NULL and foreign COMDAT entries; a
 * zero-length counter array; an object without functions. */
struct fixture {
	struct ib_spec spec;
	struct ib_object objects[FX_OBJECTS];
	struct ib_function functions[FX_OBJECTS][FX_FUNCTIONS];
	uint64_t values[FX_OBJECTS][FX_FUNCTIONS][GCC_LAYOUT_MAX_COUNTERS]
		       [FX_VALUES];
	char names[FX_OBJECTS][64];
};

static const uint32_t row_versions[] = {
	WORD('4', '0', '7', '*'), WORD('4', '0', '9', '*'),
	WORD('5', '0', '4', '*'), WORD('A', '7', '5', '*'),
	WORD('B', '0', '2', '*'), WORD('B', '2', '2', '*'),
	WORD('B', '4', '2', '*'), WORD('B', '5', '1', '*'),
};

#define N_ROWS (sizeof(row_versions) / sizeof(row_versions[0]))

static void fixture_init(struct fixture *fx, uint32_t version,
			 const struct ib_abi *abi, enum ib_mode mode)
{
	unsigned n_kinds = gcc_layout_counters(gcc_layout_for_version(version));

	memset(fx, 0, sizeof(*fx));
	for (size_t i = 0; i < FX_OBJECTS; i++) {
		struct ib_object *obj = &fx->objects[i];

		snprintf(fx->names[i], sizeof(fx->names[i]),
			 "/build/hv/unit%zu.gcda", i);
		obj->filename = fx->names[i];
		obj->stamp = 0x5a5a0000u + (uint32_t)i;
		obj->checksum = 0xc0de0000u + (uint32_t)i;
		/* arcs only; arcs, kind 3 and the row's last; all kinds. */
		obj->active_kinds = i == 0 ? 1u
				    : i == 1
					    ? 1u | 1u << 3 | 1u << (n_kinds - 1)
					    : (1u << n_kinds) - 1;
		obj->n_functions = i == 3 ? 0 : FX_FUNCTIONS;
		obj->functions = fx->functions[i];
		for (uint32_t f = 0; f < FX_FUNCTIONS; f++) {
			struct ib_function *fn = &fx->functions[i][f];

			fn->kind = f != 1   ? IB_FUNCTION_PRESENT
				   : i == 1 ? IB_FUNCTION_NULL
					    : IB_FUNCTION_FOREIGN;
			fn->ident = 100 * (uint32_t)i + f;
			fn->lineno_checksum = 0x11110000u + f;
			fn->cfg_checksum = 0x22220000u + (uint32_t)i;
			for (unsigned k = 0; k < GCC_LAYOUT_MAX_COUNTERS; k++) {
				fn->num[k] = f == 2 && k == 0 ? 0 : 2 + k + f;
				fn->values[k] = fx->values[i][f][k];
				/* High bits and distinct bytes catch byte
				 * order and truncation to 32 bits. */
				for (uint32_t v = 0; v < FX_VALUES; v++)
					fx->values[i][f][k][v] =
						0x0102030405060708ULL *
							(i + 1) ^
						(uint64_t)f << 44 ^
						(uint64_t)k << 36 ^ v;
			}
		}
	}
	fx->spec.version = version;
	fx->spec.pointer_size = abi->pointer_size;
	fx->spec.big_endian = abi->big_endian;
	fx->spec.machine = abi->machine;
	fx->spec.header = IB_HEADER_HVCOV;
	fx->spec.mode = mode;
	fx->spec.link_base = abi->link_base;
	fx->spec.boot_id = 0x0123456789abcdefULL;
	fx->spec.state = HVCOV_STATE_DISABLED;
	fx->spec.n_objects = FX_OBJECTS;
	fx->spec.objects = fx->objects;
}

static void fixture_build(const struct fixture *fx, struct ib_image *ib)
{
	ck_assert_msg(ib_build(&fx->spec, ib), "image builder refused");
}

/* header_locate + reader_read on a copy of the built buffer. */
static bool decode(const struct ib_image *ib,
		   const struct header_options *options, struct model *model,
		   struct error *err)
{
	static const struct header_options automatic;
	struct image image;
	struct header header;
	bool ok;

	image_adopt(&image, ib_copy(ib), ib->size, "test.img");
	ck_assert_ptr_nonnull(image.buffer);
	ok = header_locate(&image, options ? options : &automatic, &header,
			   err) &&
	     reader_read(&image, &header, model, err);
	image_free(&image);
	return ok;
}

static void expect_model(const struct fixture *fx, const struct ib_image *ib,
			 const struct model *m, const char *context)
{
	const struct gcc_layout *layout =
		gcc_layout_for_version(fx->spec.version);

	ck_assert_msg(m->n_objects == fx->spec.n_objects, "%s: %zu objects",
		      context, m->n_objects);
	ck_assert_uint_eq(m->pointer_size, fx->spec.pointer_size);
	ck_assert(m->big_endian == fx->spec.big_endian);
	ck_assert_uint_eq(m->image_size, ib->image_size);
	for (size_t i = 0; i < fx->spec.n_objects; i++) {
		const struct ib_object *want = &fx->objects[i];
		const struct model_object *got = &m->objects[i];
		unsigned n_active = 0;

		ck_assert_str_eq(got->filename, want->filename);
		ck_assert_uint_eq(got->address,
				  ib_address(ib, ib->object[i].info));
		ck_assert_uint_eq(got->version, fx->spec.version);
		ck_assert_uint_eq(got->stamp, want->stamp);
		ck_assert_uint_eq(got->checksum, gcc_layout_has_checksum(layout)
							 ? want->checksum
							 : 0);
		ck_assert_msg(got->active_kinds == want->active_kinds,
			      "%s: object %zu kinds 0x%x, want 0x%x", context,
			      i, got->active_kinds, want->active_kinds);
		for (uint32_t bits = want->active_kinds; bits; bits &= bits - 1)
			n_active++;
		ck_assert_uint_eq(got->n_active, n_active);
		ck_assert_uint_eq(got->n_functions, want->n_functions);
		for (uint32_t f = 0; f < want->n_functions; f++) {
			const struct ib_function *wf = &want->functions[f];
			const struct model_function *gf = &got->functions[f];
			unsigned slot = 0;

			ck_assert_msg(gf->present ==
					      (wf->kind == IB_FUNCTION_PRESENT),
				      "%s: object %zu function %u presence",
				      context, i, f);
			if (!gf->present) {
				ck_assert_ptr_null(gf->counters);
				continue;
			}
			ck_assert_uint_eq(gf->ident, wf->ident);
			ck_assert_uint_eq(gf->lineno_checksum,
					  wf->lineno_checksum);
			ck_assert_uint_eq(gf->cfg_checksum, wf->cfg_checksum);
			for (unsigned kind = 0; kind < 32; kind++) {
				const struct model_counters *c;

				if (!(want->active_kinds & 1u << kind))
					continue;
				c = &gf->counters[slot];
				ck_assert_uint_eq(c->kind, kind);
				ck_assert_uint_eq(c->num, wf->num[slot]);
				for (uint32_t v = 0; v < c->num; v++)
					ck_assert_msg(
						c->values[v] ==
							wf->values[slot][v],
						"%s: object %zu fn %u kind %u value %u: 0x%" PRIx64
						" != 0x%" PRIx64,
						context, i, f, kind, v,
						c->values[v],
						wf->values[slot][v]);
				slot++;
			}
		}
	}
}

START_TEST(test_reader_layout_matrix)
{
	/* Every GCC row x (64-bit LE, 32-bit LE, 64-bit BE) x (constructor
	 * list, .gcov_info section) decodes to exactly the description:
	 * the offsets, the byte order and the pointer width all matter. */
	size_t row = (size_t)_i / (IB_N_ABIS * 2);
	const struct ib_abi *abi = &ib_abis[(size_t)_i / 2 % IB_N_ABIS];
	enum ib_mode mode = _i % 2 ? IB_MODE_SECTION : IB_MODE_LIST;
	struct fixture fx;
	struct ib_image ib;
	struct model m;
	struct error err = { 0 };
	char context[96];

	snprintf(context, sizeof(context), "version 0x%08x, %s, %s",
		 row_versions[row], abi->name,
		 mode == IB_MODE_LIST ? "list" : "section");
	fixture_init(&fx, row_versions[row], abi, mode);
	fixture_build(&fx, &ib);
	ck_assert_msg(decode(&ib, NULL, &m, &err), "%s: %s", context, err.text);
	ck_assert_int_eq(m.header, MODEL_HEADER_HVCOV);
	ck_assert_uint_eq(m.machine, abi->machine);
	ck_assert_uint_eq(m.link_base, abi->link_base);
	ck_assert_uint_eq(m.gcov_version, row_versions[row]);
	ck_assert_uint_eq(m.boot_id, 0x0123456789abcdefULL);
	ck_assert_uint_eq(m.state, HVCOV_STATE_DISABLED);
	expect_model(&fx, &ib, &m, context);
	model_free(&m);
	ib_free(&ib);
}
END_TEST

START_TEST(test_reader_lends_counters)
{
	/* Invariant: with image.lend_counters, counter arrays of the host's
	 * byte order, aligned in the buffer, are the image's own bytes (not
	 * a copy: issue 18's peak RSS), the others copies, and the model
	 * decodes the same either way; model_free() frees only the copies
	 * (the sanitizer build checks that). */
	size_t row = (size_t)_i / (IB_N_ABIS * 2);
	const struct ib_abi *abi = &ib_abis[(size_t)_i / 2 % IB_N_ABIS];
	enum ib_mode mode = _i % 2 ? IB_MODE_SECTION : IB_MODE_LIST;
	static const struct header_options automatic;
	struct fixture fx;
	struct ib_image ib;
	struct image image;
	struct header header;
	struct model m;
	struct error err = { 0 };
	size_t lent = 0, copied = 0;

	fixture_init(&fx, row_versions[row], abi, mode);
	fixture_build(&fx, &ib);
	image_adopt(&image, ib_copy(&ib), ib.size, "test.img");
	image.lend_counters = true;
	ck_assert_msg(header_locate(&image, &automatic, &header, &err) &&
			      reader_read(&image, &header, &m, &err),
		      "%s", err.text);
	expect_model(&fx, &ib, &m, abi->name);
	for (size_t i = 0; i < m.n_objects; i++)
		for (uint32_t f = 0; f < m.objects[i].n_functions; f++) {
			const struct model_function *fn =
				&m.objects[i].functions[f];

			for (unsigned k = 0;
			     fn->present && k < m.objects[i].n_active; k++) {
				const uint64_t *v = fn->counters[k].values;
				bool inside = (uintptr_t)v >=
						      (uintptr_t)image.buffer &&
					      (uintptr_t)v <
						      (uintptr_t)image.buffer +
							      image.buffer_size;

				if (!v)
					continue;
				ck_assert(model_lent(&m, v) == inside);
				lent += inside;
				copied += !inside;
			}
		}
	if (abi->big_endian == BYTES_HOST_BIG && abi->pointer_size == 8)
		ck_assert_msg(lent && !copied, "%s: %zu lent, %zu copied",
			      abi->name, lent, copied);
	if (abi->big_endian != BYTES_HOST_BIG)
		ck_assert_msg(!lent && copied, "%s: %zu lent", abi->name, lent);
	/* Extract then takes the counters back before it frees the image
	 * (issue 18: only the counters of the image are held): the same
	 * values, none lent, the copies moved, model_free() frees no pool
	 * memory (the sanitizer build checks that). */
	ck_assert_msg(reader_take_counters(&image, &m, &err), "%s", err.text);
	ck_assert(m.values_pooled && !m.lent && !m.lent_size);
	image_free(&image);
	expect_model(&fx, &ib, &m, abi->name);
	ck_assert(reader_take_counters(&image, &m, &err));
	model_free(&m);
	ib_free(&ib);
}
END_TEST

/* Counter arrays whose addresses do not rise in the model's order (a
 * constructor list in reverse link order) are taken in address order;
 * arrays the reader copied move too. */
START_TEST(test_reader_take_counters_any_order)
{
	static const size_t at[] = { 40000, 104, 20000, 20000, 65000 };
	enum { N = sizeof(at) / sizeof(at[0]), NUM = 50 };
	struct model_counters counters[N + 1];
	struct model_function functions[N + 1];
	struct model_object object = { .n_active = 1,
				       .n_functions = N + 1,
				       .functions = functions };
	struct model m = { .n_objects = 1, .objects = &object };
	struct image image;
	struct error err = { 0 };
	uint8_t *buffer = calloc(1, 70000);
	uint64_t *copy = malloc(NUM * sizeof(*copy));

	ck_assert(buffer && copy);
	for (size_t i = 0; i < 70000 / 8; i++) {
		uint64_t v = i * 7 + 1;

		memcpy(buffer + i * 8, &v, 8);
	}
	for (size_t i = 0; i < NUM; i++)
		copy[i] = 1000 + i;
	image_adopt(&image, buffer, 70000, "test.img");
	m.lent = buffer;
	m.lent_size = 70000;
	for (size_t f = 0; f <= N; f++) {
		functions[f] =
			(struct model_function){ .present = true,
						 .ident = (uint32_t)f,
						 .counters = &counters[f] };
		counters[f] = (struct model_counters){
			.num = NUM,
			.values = f < N ? (uint64_t *)(void *)(buffer + at[f])
					: copy,
		};
	}
	ck_assert_msg(reader_take_counters(&image, &m, &err), "%s", err.text);
	image_free(&image);
	for (size_t f = 0; f <= N; f++)
		for (size_t i = 0; i < NUM; i++)
			ck_assert_uint_eq(counters[f].values[i],
					  f < N ? (at[f] / 8 + i) * 7 + 1
						: 1000 + i);
	/* Two arrays that shared bytes in the image are two arrays now. */
	ck_assert_ptr_ne(counters[2].values, counters[3].values);
	ck_assert(m.values_pooled && !m.lent_size);
	/* The pool is the model's; the objects and arrays above are the
	 * test's own. */
	m.n_objects = 0;
	m.objects = NULL;
	model_free(&m);
}
END_TEST

static const uint16_t jailhouse_machines[] = { HVCOV_MACHINE_X86_64,
					       HVCOV_MACHINE_ARM,
					       HVCOV_MACHINE_AARCH64 };
static const char *const jailhouse_names[] = { "x86_64", "arm", "arm64" };

START_TEST(test_reader_jailhouse_matches_hvcov)
{
	/* A Jailhouse core image (header at offset 0, JAILHOUSE_BASE of the
	 * arch, architecture inferred) decodes to the same objects as the
	 * hvcov-descriptor image of the same data at the same base, and so
	 * does it with the architecture given. */
	const struct ib_abi *abi = &ib_abis[_i == 1 ? 1 : 0];
	struct fixture fx;
	struct ib_image jh, hv;
	struct model mj, mh, ma;
	struct error err = { 0 };
	struct header_options given = { .arch = HEADER_ARCH_AUTO };

	fixture_init(&fx, WORD('B', '2', '2', '*'), abi, IB_MODE_LIST);
	fx.spec.machine = jailhouse_machines[_i];
	fx.spec.header = IB_HEADER_JAILHOUSE;
	fixture_build(&fx, &jh);
	fx.spec.header = IB_HEADER_HVCOV;
	fx.spec.link_base = jh.link_base;
	fixture_build(&fx, &hv);
	ck_assert_msg(decode(&jh, NULL, &mj, &err), "%s: %s",
		      jailhouse_names[_i], err.text);
	ck_assert_msg(decode(&hv, NULL, &mh, &err), "%s", err.text);
	ck_assert(header_arch_parse(jailhouse_names[_i], &given.arch));
	ck_assert_msg(decode(&jh, &given, &ma, &err), "%s", err.text);

	ck_assert_int_eq(mj.header, MODEL_HEADER_JAILHOUSE);
	ck_assert_uint_eq(mj.machine, jailhouse_machines[_i]);
	ck_assert_uint_eq(mj.state, HVCOV_STATE_DISABLED);
	ck_assert_uint_eq(mj.gcov_version, 0);
	ck_assert_uint_eq(mj.link_base, mh.link_base);
	expect_model(&fx, &jh, &mj, jailhouse_names[_i]);
	expect_model(&fx, &hv, &mh, jailhouse_names[_i]);
	expect_model(&fx, &jh, &ma, jailhouse_names[_i]);
	for (size_t i = 0; i < mj.n_objects; i++)
		ck_assert_uint_eq(mj.objects[i].address, mh.objects[i].address);
	model_free(&mj);
	model_free(&mh);
	model_free(&ma);
	ib_free(&jh);
	ib_free(&hv);
}
END_TEST

START_TEST(test_reader_jailhouse_empty_needs_arch)
{
	/* With an empty list nothing tells x86_64 from arm64: the reader asks
	 * for --arch instead of guessing, and decodes once it is given. */
	struct fixture fx;
	struct ib_image jh;
	struct model m;
	struct error err = { 0 };
	struct header_options given = { .arch = HEADER_ARCH_ARM64 };

	fixture_init(&fx, WORD('B', '2', '2', '*'), &ib_abis[0], IB_MODE_LIST);
	fx.spec.machine = HVCOV_MACHINE_AARCH64;
	fx.spec.header = IB_HEADER_JAILHOUSE;
	fx.spec.n_objects = 0;
	fixture_build(&fx, &jh);
	ck_assert(!decode(&jh, NULL, &m, &err));
	ck_assert_int_eq(err.status, HVCOV_EXIT_DATA);
	ck_assert_msg(strstr(err.text, "--arch") &&
			      strstr(err.text, "x86_64, arm64"),
		      "%s", err.text);
	err = (struct error){ 0 };
	ck_assert_msg(decode(&jh, &given, &m, &err), "%s", err.text);
	ck_assert_uint_eq(m.n_objects, 0);
	ck_assert_uint_eq(m.machine, HVCOV_MACHINE_AARCH64);
	model_free(&m);
	ib_free(&jh);
}
END_TEST

/* A default image for the refusal tests: GCC 12, 64-bit LE, list mode. */
static void refusal_image(struct fixture *fx, struct ib_image *ib)
{
	fixture_init(fx, WORD('B', '2', '2', '*'), &ib_abis[0], IB_MODE_LIST);
	fixture_build(fx, ib);
}

static void expect_refusal(const struct ib_image *ib,
			   const struct header_options *options,
			   const char *needle, const char *needle2)
{
	struct model m;
	struct error err = { 0 };

	memset(&m, 0x5a, sizeof(m));
	ck_assert_msg(!decode(ib, options, &m, &err), "damage not refused");
	ck_assert_int_eq(err.status, HVCOV_EXIT_DATA);
	ck_assert_msg(strstr(err.text, needle), "'%s' lacks '%s'", err.text,
		      needle);
	ck_assert_msg(!needle2 || strstr(err.text, needle2), "'%s' lacks '%s'",
		      err.text, needle2);
	ck_assert_msg(!strchr(err.text, '\n'), "message is not one line");
}

static const char *hex(uint64_t address)
{
	static char text[4][24];
	static unsigned next;
	char *out = text[next++ % 4];

	snprintf(out, sizeof(text[0]), "0x%" PRIx64, address);
	return out;
}

START_TEST(test_reader_refuses_truncated_image)
{
	/* An image cut short (a dump that stopped early) is refused by the
	 * header check before any gcov data is read. */
	struct fixture fx;
	struct ib_image ib;

	refusal_image(&fx, &ib);
	ib.size -= 100;
	expect_refusal(&ib, NULL, "truncated", NULL);
	ib.size += 100;
	ib_free(&ib);
}
END_TEST

START_TEST(test_reader_refuses_pointer_outside)
{
	/* A functions[] entry just past the image end and one far away are
	 * both refused, naming the entry and its address. */
	struct fixture fx;
	struct ib_image ib;
	size_t slot;
	uint64_t past;

	refusal_image(&fx, &ib);
	slot = ib.object[0].functions + 2 * 8;
	past = ib.link_base + ib.image_size;
	ib_put_pointer(&ib, slot, past);
	expect_refusal(&ib, NULL, "functions[2] at", hex(past));
	expect_refusal(&ib, NULL, "points outside the image",
		       "/build/hv/unit0.gcda");
	ib_put_pointer(&ib, slot, 0xdeadbeefdeadbee8ULL);
	expect_refusal(&ib, NULL, "points outside the image",
		       "0xdeadbeefdeadbee8");
	ib_free(&ib);
}
END_TEST

START_TEST(test_reader_refuses_list_head_outside)
{
	/* A list head below the image base is refused as object 1. */
	struct fixture fx;
	struct ib_image ib;

	refusal_image(&fx, &ib);
	ib_put64(&ib, ib.header_offset + 48, ib.link_base - 4096);
	expect_refusal(&ib, NULL, "object 1", "outside the image");
	ib_free(&ib);
}
END_TEST

START_TEST(test_reader_refuses_short_cycle)
{
	/* A gcov_info whose next points at itself. */
	struct fixture fx;
	struct ib_image ib;
	size_t info = 0;

	refusal_image(&fx, &ib);
	info = ib.object[1].info;
	ib_put_pointer(&ib, info + ib.offsets.info_next, ib_address(&ib, info));
	expect_refusal(&ib, NULL, "loops", hex(ib_address(&ib, info)));
	ib_free(&ib);
}
END_TEST

START_TEST(test_reader_refuses_long_cycle)
{
	/* The last gcov_info of a list points back at the first: the walk
	 * stops at the first revisit instead of running until a bound. */
	struct fixture fx;
	struct ib_image ib;
	size_t last;

	refusal_image(&fx, &ib);
	last = ib.object[FX_OBJECTS - 1].info;
	ib_put_pointer(&ib, last + ib.offsets.info_next,
		       ib_address(&ib, ib.object[0].info));
	expect_refusal(&ib, NULL, "loops", "object 1");
	ib_free(&ib);
}
END_TEST

START_TEST(test_reader_refuses_absurd_n_functions)
{
	/* n_functions far beyond what the image could point to. */
	struct fixture fx;
	struct ib_image ib;

	refusal_image(&fx, &ib);
	ib_put32(&ib, ib.object[2].info + ib.offsets.info_n_functions,
		 0xffffffffu);
	expect_refusal(&ib, NULL, "n_functions 4294967295", "do not fit");
	/* Just one more than the array holds before the image ends. */
	ib_put32(&ib, ib.object[2].info + ib.offsets.info_n_functions,
		 (uint32_t)((ib.image_offset + ib.image_size -
			     ib.object[2].functions) /
				    8 +
			    1));
	expect_refusal(&ib, NULL, "n_functions", "do not fit");
	ib_free(&ib);
}
END_TEST

START_TEST(test_reader_refuses_absurd_num)
{
	/* A counter count beyond all the image's bytes, and one that only
	 * just runs past the image end. */
	struct fixture fx;
	struct ib_image ib;
	size_t ctr;
	uint64_t left;

	refusal_image(&fx, &ib);
	ctr = ib.object[0].function[0].fn_info + ib.offsets.fn_ctrs;
	ib_put32(&ib, ctr + ib.offsets.ctr_num, 0x7fffffffu);
	expect_refusal(&ib, NULL, "arcs counters", "2147483647 values");
	left = (ib.image_offset + ib.image_size -
		ib.object[0].function[0].values[0]) /
	       8;
	ib_put32(&ib, ctr + ib.offsets.ctr_num, (uint32_t)left + 1);
	expect_refusal(&ib, NULL, "arcs counters", "outside the image");
	ib_free(&ib);
}
END_TEST

START_TEST(test_reader_refuses_unterminated_filename)
{
	/* A filename whose bytes run to the image end without a NUL, and
	 * one longer than a path can be. */
	struct fixture fx;
	struct ib_image ib;
	size_t end;

	refusal_image(&fx, &ib);
	end = ib.image_offset + ib.image_size;
	memset(ib.buffer + end - 8, 'x', 8);
	ib_put_pointer(&ib, ib.object[1].info + ib.offsets.info_filename,
		       ib_address(&ib, end - 8));
	expect_refusal(&ib, NULL, "filename at", hex(ib_address(&ib, end - 8)));
	ib_free(&ib);

	{
		static char long_name[IMAGE_MAX_STRING + 2];

		memset(long_name, 'a', sizeof(long_name) - 1);
		long_name[0] = '/';
		fx.objects[1].filename = long_name;
		fixture_build(&fx, &ib);
		expect_refusal(&ib, NULL, "filename at", "4096 bytes");
		ib_free(&ib);
	}
}
END_TEST

START_TEST(test_reader_refuses_unknown_version)
{
	/* A gcov_info from an unreleased GCC names the word and its text. */
	struct fixture fx;
	struct ib_image ib;

	refusal_image(&fx, &ib);
	ib_put32(&ib, ib.object[2].info, WORD('4', '0', '6', '*'));
	expect_refusal(&ib, NULL, "0x3430362a", "4.6");
	/* A release after the table's newest is named as such. */
	ib_put32(&ib, ib.object[2].info, WORD('B', '7', '1', '*'));
	expect_refusal(&ib, NULL, "object 3",
		       "GCC 17.1 is newer than this hvcov knows");
	ib_put32(&ib, ib.object[2].info, 0);
	expect_refusal(&ib, NULL, "object 3", "gcov version 0x00000000");
	ib_free(&ib);
}
END_TEST

START_TEST(test_reader_jailhouse_newer_gcc)
{
	/* A Jailhouse header cannot say which GCC built the image: the
	 * first gcov_info does.  One of a release after the table's newest
	 * is refused by that release, not as a header that points nowhere. */
	struct fixture fx;
	struct ib_image jh;

	fixture_init(&fx, WORD('B', '6', '2', '*'), &ib_abis[0], IB_MODE_LIST);
	fx.spec.machine = HVCOV_MACHINE_X86_64;
	fx.spec.header = IB_HEADER_JAILHOUSE;
	fixture_build(&fx, &jh);
	for (unsigned i = 0; i < FX_OBJECTS; i++)
		ib_put32(&jh, jh.object[i].info, WORD('B', '7', '1', '*'));
	expect_refusal(&jh, NULL, "GCC 17.1 is newer than this hvcov knows",
		       "4.7 to 16");
	ib_free(&jh);
}
END_TEST

START_TEST(test_reader_refuses_registered_mismatch)
{
	/* The descriptor counted 5 __gcov_init calls, the list has 4: a unit
	 * was lost (or the list was cut), so the data is incomplete. */
	struct fixture fx;
	struct ib_image ib;

	refusal_image(&fx, &ib);
	ib_put32(&ib, ib.header_offset + 84, FX_OBJECTS + 1);
	expect_refusal(&ib, NULL, "4 entries", "5 registrations");
	/* Cutting the list after object 2 is caught by the same count. */
	ib_put32(&ib, ib.header_offset + 84, FX_OBJECTS);
	ib_put_pointer(&ib, ib.object[1].info + ib.offsets.info_next, 0);
	expect_refusal(&ib, NULL, "2 entries", "4 registrations");
	ib_free(&ib);
}
END_TEST

START_TEST(test_reader_refuses_misaligned_pointers)
{
	/* Pointers a compiler never produces: a gcov_info, a functions
	 * array, a fn_info and a counter array off their alignment. */
	struct fixture fx;
	struct ib_image ib;
	size_t fn_slot, ctr;

	refusal_image(&fx, &ib);
	ib_put64(&ib, ib.header_offset + 48,
		 ib_address(&ib, ib.object[0].info) + 4);
	expect_refusal(&ib, NULL, "misaligned", "object 1");
	ib_free(&ib);

	refusal_image(&fx, &ib);
	ib_put_pointer(&ib, ib.object[0].info + ib.offsets.info_functions,
		       ib_address(&ib, ib.object[0].functions) + 1);
	expect_refusal(&ib, NULL, "functions array", "misaligned");
	ib_free(&ib);

	refusal_image(&fx, &ib);
	fn_slot = ib.object[0].functions + 3 * 8;
	ib_put_pointer(&ib, fn_slot,
		       ib_address(&ib, ib.object[0].function[3].fn_info) + 2);
	expect_refusal(&ib, NULL, "functions[3]", "misaligned");
	ib_free(&ib);

	refusal_image(&fx, &ib);
	ctr = ib.object[0].function[0].fn_info + ib.offsets.fn_ctrs;
	ib_put_pointer(&ib, ctr + ib.offsets.ctr_values,
		       ib_address(&ib, ib.object[0].function[0].values[0]) + 4);
	expect_refusal(&ib, NULL, "arcs counters", "misaligned");
	ib_free(&ib);
}
END_TEST

START_TEST(test_reader_refuses_duplicate_filenames)
{
	/* Two units writing the same .gcda would silently overwrite one
	 * another. */
	struct fixture fx;
	struct ib_image ib;

	fixture_init(&fx, WORD('B', '2', '2', '*'), &ib_abis[1],
		     IB_MODE_SECTION);
	fx.objects[3].filename = fx.objects[0].filename;
	fixture_build(&fx, &ib);
	expect_refusal(&ib, NULL, "objects 1", "both write /build/hv/unit0");
	ib_free(&ib);
}
END_TEST

START_TEST(test_reader_refuses_bad_section)
{
	/* Section bounds that are reversed, misaligned or outside the image,
	 * and a section that names one gcov_info twice. */
	struct fixture fx;
	struct ib_image ib;
	uint64_t start;

	fixture_init(&fx, WORD('B', '2', '2', '*'), &ib_abis[0],
		     IB_MODE_SECTION);
	fixture_build(&fx, &ib);
	start = ib_address(&ib, ib.section_offset);
	ib_put64(&ib, ib.header_offset + 64, start - 8);
	expect_refusal(&ib, NULL, ".gcov_info section", "not an aligned");
	ib_put64(&ib, ib.header_offset + 64, start + 4 * 8 + 4);
	expect_refusal(&ib, NULL, ".gcov_info section", "not an aligned");
	ib_put64(&ib, ib.header_offset + 64, start + 1024 * 1024);
	expect_refusal(&ib, NULL, ".gcov_info section", "inside the image");
	ib_put64(&ib, ib.header_offset + 64, start + 4 * 8);
	ib_put64(&ib, ib.section_offset + 8,
		 ib_address(&ib, ib.object[0].info));
	expect_refusal(&ib, NULL, "repeats object 1", NULL);
	ib_free(&ib);
}
END_TEST

START_TEST(test_reader_section_skips_null_entries)
{
	/* Zero words in the section are linker padding, not units. */
	struct fixture fx;
	struct ib_image ib;
	struct model m;
	struct error err = { 0 };

	fixture_init(&fx, WORD('B', '2', '2', '*'), &ib_abis[0],
		     IB_MODE_SECTION);
	fixture_build(&fx, &ib);
	ib_put64(&ib, ib.section_offset + 3 * 8, 0);
	ck_assert_msg(decode(&ib, NULL, &m, &err), "%s", err.text);
	ck_assert_uint_eq(m.n_objects, 3);
	model_free(&m);
	ib_free(&ib);
}
END_TEST

/* The reader's pool (model_calloc): zeroed, aligned, and what
 * model_release_before() gives back in hvcov's libgcov child is only what
 * the earlier objects' arrays used: the later objects read back whole, the
 * first object's memory is no longer mapped.  (The child lays out
 * libgcov's structures while it releases the model's; issue 18's peak.) */
#define POOL_OBJECTS 3000
#define POOL_FUNCTIONS 10

static bool mapped(const void *p)
{
	unsigned char vec;
	uintptr_t page = (uintptr_t)p & ~(uintptr_t)(sysconf(_SC_PAGESIZE) - 1);

	return mincore((void *)page, 1, &vec) == 0;
}

static bool object_intact(const struct model_object *o, size_t i)
{
	for (uint32_t f = 0; f < o->n_functions; f++) {
		const struct model_function *fn = &o->functions[f];

		if (fn->ident != i * 100 + f || fn->counters[0].num != f + 1 ||
		    fn->counters[0].kind != 0)
			return false;
	}
	return true;
}

START_TEST(test_model_pool_release_before)
{
	struct model m = { 0 };
	size_t half = POOL_OBJECTS / 2;
	int status;
	pid_t pid;

	m.objects = calloc(POOL_OBJECTS, sizeof(*m.objects));
	ck_assert_ptr_nonnull(m.objects);
	for (size_t i = 0; i < POOL_OBJECTS; i++) {
		struct model_object *o = &m.objects[m.n_objects++];

		o->n_active = 1;
		o->n_functions = POOL_FUNCTIONS;
		o->functions =
			model_calloc(&m, POOL_FUNCTIONS, sizeof(*o->functions));
		ck_assert_ptr_nonnull(o->functions);
		ck_assert_uint_eq((uintptr_t)o->functions % 8, 0);
		for (uint32_t f = 0; f < POOL_FUNCTIONS; f++) {
			struct model_function *fn = &o->functions[f];

			ck_assert(!fn->present && !fn->counters);
			fn->counters =
				model_calloc(&m, 1, sizeof(*fn->counters));
			ck_assert_ptr_nonnull(fn->counters);
			ck_assert_uint_eq(fn->counters->num, 0);
			fn->present = true;
			fn->ident = (uint32_t)(i * 100 + f);
			fn->counters->num = f + 1;
		}
	}
	/* A request larger than a chunk gets one of its own. */
	ck_assert_ptr_nonnull(model_calloc(&m, 1, 1024 * 1024));
	ck_assert_ptr_null(model_calloc(&m, SIZE_MAX / 2, 4));
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		const void *first = m.objects[0].functions,
			   *counters = m.objects[0].functions[0].counters;
		bool ok;

		model_release_before(&m, half);
		ok = !mapped(first) && !mapped(counters) &&
		     mapped(m.objects[half].functions);
		for (size_t i = half; ok && i < POOL_OBJECTS; i++)
			ok = object_intact(&m.objects[i], i);
		/* Nothing left to release before the first object. */
		model_release_before(&m, 0);
		_exit(ok ? 0 : 1);
	}
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0,
		      "the child's model was not as expected (status %d)",
		      status);
	/* The parent's model is untouched by the child's release. */
	for (size_t i = 0; i < POOL_OBJECTS; i++)
		ck_assert(object_intact(&m.objects[i], i));
	model_free(&m);
}
END_TEST

Suite *suite_reader(void)
{
	Suite *suite = suite_create("reader");
	TCase *decode_case = tcase_create("decode");
	TCase *refuse = tcase_create("refuse");

	tcase_add_loop_test(decode_case, test_reader_layout_matrix, 0,
			    (int)(N_ROWS * IB_N_ABIS * 2));
	tcase_add_test(decode_case, test_model_pool_release_before);
	tcase_add_test(decode_case, test_reader_take_counters_any_order);
	tcase_add_loop_test(decode_case, test_reader_lends_counters, 0,
			    (int)(N_ROWS * IB_N_ABIS * 2));
	tcase_add_loop_test(decode_case, test_reader_jailhouse_matches_hvcov, 0,
			    3);
	tcase_add_test(decode_case, test_reader_jailhouse_empty_needs_arch);
	tcase_add_test(decode_case, test_reader_section_skips_null_entries);
	suite_add_tcase(suite, decode_case);

	tcase_add_test(refuse, test_reader_refuses_truncated_image);
	tcase_add_test(refuse, test_reader_refuses_pointer_outside);
	tcase_add_test(refuse, test_reader_refuses_list_head_outside);
	tcase_add_test(refuse, test_reader_refuses_short_cycle);
	tcase_add_test(refuse, test_reader_refuses_long_cycle);
	tcase_add_test(refuse, test_reader_refuses_absurd_n_functions);
	tcase_add_test(refuse, test_reader_refuses_absurd_num);
	tcase_add_test(refuse, test_reader_refuses_unterminated_filename);
	tcase_add_test(refuse, test_reader_refuses_unknown_version);
	tcase_add_test(refuse, test_reader_jailhouse_newer_gcc);
	tcase_add_test(refuse, test_reader_refuses_registered_mismatch);
	tcase_add_test(refuse, test_reader_refuses_misaligned_pointers);
	tcase_add_test(refuse, test_reader_refuses_duplicate_filenames);
	tcase_add_test(refuse, test_reader_refuses_bad_section);
	suite_add_tcase(suite, refuse);
	return suite;
}
