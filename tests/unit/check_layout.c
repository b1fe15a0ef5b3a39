/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The GCC layout table (tools/gcov/gcc-layout.c) against facts from outside it:
 * offsets measured with the real GCC 12.2, offsetof() on a copy of the host
 * GCC's own gcov_info, and the version words and counter tables of GCC's
 * releases.  The image builder takes its offsets from the same table, so
 * these tests are what keeps the reader's tests from proving only that the
 * table agrees with itself.
 */
#include <check.h>
#include <stddef.h>
#include <stdint.h>

#include "gcov/gcc-layout.h"

#define WORD(a, b, c, d)                                                       \
	((uint32_t)(a) << 24 | (uint32_t)(b) << 16 | (uint32_t)(c) << 8 |      \
	 (uint32_t)(d))

static const struct gcc_layout *layout_of(uint32_t version)
{
	const struct gcc_layout *layout = gcc_layout_for_version(version);

	ck_assert_msg(layout, "no layout for 0x%08x", version);
	return layout;
}

START_TEST(test_layout_gcc12_measured)
{
	/* GCC 12.2's gcov_info as measured with --coverage on x86_64/arm64
	 * (64-bit) and arm (32-bit), docs/gcov-facts.md §1: the checksum
	 * fills padding on 64-bit and shifts everything after it on arm. */
	const struct gcc_layout *layout = layout_of(0x4232322a);
	struct gcc_offsets o;

	gcc_layout_offsets(layout, 8, &o);
	ck_assert_uint_eq(o.info_version, 0);
	ck_assert_uint_eq(o.info_next, 8);
	ck_assert_uint_eq(o.info_stamp, 16);
	ck_assert_uint_eq(o.info_checksum, 20);
	ck_assert_uint_eq(o.info_filename, 24);
	ck_assert_uint_eq(o.info_merge, 32);
	ck_assert_uint_eq(o.info_n_functions, 96);
	ck_assert_uint_eq(o.info_functions, 104);
	ck_assert_uint_eq(o.info_size, 112);

	gcc_layout_offsets(layout, 4, &o);
	ck_assert_uint_eq(o.info_version, 0);
	ck_assert_uint_eq(o.info_next, 4);
	ck_assert_uint_eq(o.info_stamp, 8);
	ck_assert_uint_eq(o.info_checksum, 12);
	ck_assert_uint_eq(o.info_filename, 16);
	ck_assert_uint_eq(o.info_merge, 20);
	ck_assert_uint_eq(o.info_n_functions, 52);
	ck_assert_uint_eq(o.info_functions, 56);
	ck_assert_uint_eq(o.info_size, 60);
	/* arm-linux-gnueabihf-gcc 12.2 -S: __gcov_.f is .word key, ident,
	 * lineno_checksum, cfg_checksum, num, values. */
	ck_assert_uint_eq(o.fn_key, 0);
	ck_assert_uint_eq(o.fn_ident, 4);
	ck_assert_uint_eq(o.fn_lineno_checksum, 8);
	ck_assert_uint_eq(o.fn_cfg_checksum, 12);
	ck_assert_uint_eq(o.fn_ctrs, 16);
	ck_assert_uint_eq(o.ctr_num, 0);
	ck_assert_uint_eq(o.ctr_values, 4);
	ck_assert_uint_eq(o.ctr_size, 8);
}
END_TEST

/* The host GCC 12's structures as libgcc/libgcov.h declares them (8 counter
 * kinds), so that the host compiler itself lays them out. */
struct host_gcov_ctr_info {
	uint32_t num;
	int64_t *values;
};

struct host_gcov_fn_info {
	const void *key;
	uint32_t ident;
	uint32_t lineno_checksum;
	uint32_t cfg_checksum;
	struct host_gcov_ctr_info ctrs[1];
};

struct host_gcov_info {
	uint32_t version;
	struct host_gcov_info *next;
	uint32_t stamp;
	uint32_t checksum;
	const char *filename;
	void (*merge[8])(int64_t *, uint32_t);
	uint32_t n_functions;
	const struct host_gcov_fn_info *const *functions;
};

START_TEST(test_layout_gcc12_host_offsetof)
{
	/* For the host's pointer size the table must reproduce what the host
	 * compiler does with GCC 12's own declarations. */
	struct gcc_offsets o;

	gcc_layout_offsets(layout_of(0x4232322a), sizeof(void *), &o);
	ck_assert_uint_eq(o.pointer_size, sizeof(void *));
	ck_assert_uint_eq(o.info_version,
			  offsetof(struct host_gcov_info, version));
	ck_assert_uint_eq(o.info_next, offsetof(struct host_gcov_info, next));
	ck_assert_uint_eq(o.info_stamp, offsetof(struct host_gcov_info, stamp));
	ck_assert_uint_eq(o.info_checksum,
			  offsetof(struct host_gcov_info, checksum));
	ck_assert_uint_eq(o.info_filename,
			  offsetof(struct host_gcov_info, filename));
	ck_assert_uint_eq(o.info_merge, offsetof(struct host_gcov_info, merge));
	ck_assert_uint_eq(o.info_n_functions,
			  offsetof(struct host_gcov_info, n_functions));
	ck_assert_uint_eq(o.info_functions,
			  offsetof(struct host_gcov_info, functions));
	ck_assert_uint_eq(o.info_size, sizeof(struct host_gcov_info));
	ck_assert_uint_eq(o.fn_key, offsetof(struct host_gcov_fn_info, key));
	ck_assert_uint_eq(o.fn_ident,
			  offsetof(struct host_gcov_fn_info, ident));
	ck_assert_uint_eq(o.fn_lineno_checksum,
			  offsetof(struct host_gcov_fn_info, lineno_checksum));
	ck_assert_uint_eq(o.fn_cfg_checksum,
			  offsetof(struct host_gcov_fn_info, cfg_checksum));
	ck_assert_uint_eq(o.fn_ctrs, offsetof(struct host_gcov_fn_info, ctrs));
	ck_assert_uint_eq(o.ctr_num, offsetof(struct host_gcov_ctr_info, num));
	ck_assert_uint_eq(o.ctr_values,
			  offsetof(struct host_gcov_ctr_info, values));
	ck_assert_uint_eq(o.ctr_size, sizeof(struct host_gcov_ctr_info));
}
END_TEST

START_TEST(test_layout_before_gcc12_no_checksum)
{
	/* GCC 4.7 to 11 have no checksum: on arm filename follows stamp
	 * directly, and merge[] has the row's own length (9 for GCC 7). */
	struct gcc_offsets o;

	gcc_layout_offsets(layout_of(WORD('B', '1', '3', '*')), 4, &o);
	ck_assert_uint_eq(o.info_checksum, SIZE_MAX);
	ck_assert_uint_eq(o.info_filename, 12);
	ck_assert_uint_eq(o.info_merge, 16);
	ck_assert_uint_eq(o.info_n_functions, 16 + 8 * 4);
	gcc_layout_offsets(layout_of(WORD('A', '7', '5', '*')), 8, &o);
	ck_assert_uint_eq(o.info_checksum, SIZE_MAX);
	ck_assert_uint_eq(o.info_filename, 24);
	ck_assert_uint_eq(o.info_n_functions, 32 + 9 * 8);
	ck_assert_uint_eq(o.info_functions, 32 + 9 * 8 + 8);
	ck_assert_uint_eq(o.info_size, 32 + 9 * 8 + 16);
}
END_TEST

START_TEST(test_layout_version_decode)
{
	/* Both encodings of §3: "407*" up to GCC 6, 'A'+major/10 from 7. */
	unsigned major, minor;
	char text[16];

	ck_assert(gcc_version_decode(0x4232322a, &major, &minor));
	ck_assert_uint_eq(major, 12);
	ck_assert_uint_eq(minor, 2);
	ck_assert(gcc_version_decode(WORD('4', '0', '7', '*'), &major, &minor));
	ck_assert_uint_eq(major, 4);
	ck_assert_uint_eq(minor, 7);
	ck_assert(gcc_version_decode(WORD('A', '7', '5', '*'), &major, &minor));
	ck_assert_uint_eq(major, 7);
	ck_assert_uint_eq(minor, 5);
	ck_assert(gcc_version_decode(WORD('B', '5', '1', '*'), &major, &minor));
	ck_assert_uint_eq(major, 15);
	ck_assert_uint_eq(minor, 1);
	ck_assert(!gcc_version_decode(0, &major, &minor));
	ck_assert(!gcc_version_decode(0xffffffff, &major, &minor));
	ck_assert(
		!gcc_version_decode(WORD('B', '2', '2', '!'), &major, &minor));
	ck_assert_str_eq(gcc_version_text(0x4232322a, text, sizeof(text)),
			 "12.2");
	ck_assert_str_eq(
		gcc_version_text(WORD('4', '0', '9', '*'), text, sizeof(text)),
		"4.9");
	ck_assert_str_eq(
		gcc_version_text(WORD('B', '6', '0', 'e'), text, sizeof(text)),
		"16.0 (e)");
}
END_TEST

struct row_fact {
	uint32_t version;
	unsigned counters;
	bool checksum;
};

START_TEST(test_layout_counters_per_release)
{
	/* GCOV_COUNTERS of each release (gcov-facts §2, GCC's tags) and
	 * the GCC 12 checksum / byte-length switch. */
	static const struct row_fact facts[] = {
		{ WORD('4', '0', '7', '*'), 8, false },
		{ WORD('4', '0', '8', '*'), 8, false },
		{ WORD('4', '0', '9', '*'), 9, false },
		{ WORD('5', '0', '1', '*'), 10, false },
		{ WORD('6', '0', '5', '*'), 10, false },
		{ WORD('A', '7', '1', '*'), 9, false },
		{ WORD('A', '9', '3', '*'), 9, false },
		{ WORD('B', '0', '1', '*'), 8, false },
		{ WORD('B', '1', '4', '*'), 8, false },
		{ WORD('B', '2', '2', '*'), 8, true },
		{ WORD('B', '3', '1', '*'), 8, true },
		{ WORD('B', '4', '2', '*'), 9, true },
		{ WORD('B', '5', '1', '*'), 10, true },
		{ WORD('B', '5', '1', 'p'), 10, true },
		/* gcc-15 15.3 and gcc-16 16.2 (Debian forky), measured:
		 * .size .LPBX0 128 (x86_64, arm64) and 68 (arm). */
		{ WORD('B', '5', '3', '*'), 10, true },
		{ WORD('B', '6', '2', '*'), 10, true },
	};

	for (size_t i = 0; i < sizeof(facts) / sizeof(facts[0]); i++) {
		const struct gcc_layout *layout = layout_of(facts[i].version);

		ck_assert_msg(gcc_layout_counters(layout) == facts[i].counters,
			      "0x%08x: %u counters, expected %u",
			      facts[i].version, gcc_layout_counters(layout),
			      facts[i].counters);
		ck_assert(gcc_layout_has_checksum(layout) == facts[i].checksum);
		ck_assert(gcc_layout_lengths_in_bytes(layout) ==
			  facts[i].checksum);
		ck_assert_str_eq(gcc_layout_counter_name(layout, 0), "arcs");
		ck_assert_int_eq(gcc_layout_merge(layout, 0), GCOV_MERGE_ADD);
		ck_assert_ptr_null(gcc_layout_counter_name(
			layout, gcc_layout_counters(layout)));
	}
}
END_TEST

START_TEST(test_layout_unknown_versions)
{
	/* Releases outside 4.7-16, trunk snapshots and non-words are not
	 * guessed at; only the releases after 16 are "newer". */
	static const struct {
		uint32_t version;
		bool newer;
	} unknown[] = {
		{ WORD('4', '0', '6', '*'), false },
		{ WORD('3', '0', '4', '*'), false },
		{ WORD('B', '7', '1', '*'), true },
		{ WORD('C', '0', '1', '*'), true },
		{ WORD('B', '5', '0', 'e'), false },
		{ WORD('4', '1', '0', '*'), false },
		{ 0, false },
		{ 0x67636461, false },
	};

	for (size_t i = 0; i < sizeof(unknown) / sizeof(unknown[0]); i++) {
		ck_assert_msg(!gcc_layout_for_version(unknown[i].version),
			      "0x%08x has a layout", unknown[i].version);
		ck_assert_msg(gcc_version_is_newer(unknown[i].version) ==
				      unknown[i].newer,
			      "0x%08x: newer is wrong", unknown[i].version);
	}
	ck_assert(!gcc_version_is_newer(WORD('B', '6', '2', '*')));
}
END_TEST

START_TEST(test_layout_kind_tables)
{
	/* Kinds that moved between releases sit at the right index with the
	 * right merge: delta only before 7, topn from 10, conditions (14)
	 * and the path kind (15, 16) merged by OR. */
	const struct gcc_layout *l47 = layout_of(WORD('4', '0', '7', '*'));
	const struct gcc_layout *l5 = layout_of(WORD('5', '0', '4', '*'));
	const struct gcc_layout *l7 = layout_of(WORD('A', '7', '5', '*'));
	const struct gcc_layout *l10 = layout_of(WORD('B', '0', '2', '*'));
	const struct gcc_layout *l14 = layout_of(WORD('B', '4', '2', '*'));
	const struct gcc_layout *l15 = layout_of(WORD('B', '5', '1', '*'));
	const struct gcc_layout *l16 = layout_of(WORD('B', '6', '2', '*'));

	ck_assert_str_eq(gcc_layout_counter_name(l47, 4), "delta");
	ck_assert_int_eq(gcc_layout_merge(l47, 4), GCOV_MERGE_DELTA);
	ck_assert_str_eq(gcc_layout_counter_name(l47, 7), "ior");
	ck_assert_int_eq(gcc_layout_merge(l47, 5), GCOV_MERGE_SINGLE);
	ck_assert_str_eq(gcc_layout_counter_name(l5, 9), "indirect_call_topn");
	ck_assert_int_eq(gcc_layout_merge(l5, 9), GCOV_MERGE_ICALL_TOPN);
	ck_assert_str_eq(gcc_layout_counter_name(l7, 4), "indirect_call");
	ck_assert_int_eq(gcc_layout_merge(l7, 7), GCOV_MERGE_TIME_PROFILE);
	ck_assert_str_eq(gcc_layout_counter_name(l10, 3), "topn");
	ck_assert_int_eq(gcc_layout_merge(l10, 4), GCOV_MERGE_TOPN);
	ck_assert_str_eq(gcc_layout_counter_name(l14, 8), "conditions");
	ck_assert_int_eq(gcc_layout_merge(l14, 8), GCOV_MERGE_IOR);
	/* gcov-dump-15 and -16 print the path counter as "COUNTERS ior". */
	ck_assert_str_eq(gcc_layout_counter_name(l15, 9), "ior");
	ck_assert_int_eq(gcc_layout_merge(l15, 9), GCOV_MERGE_IOR);
	for (unsigned kind = 0; kind < 10; kind++) {
		ck_assert_str_eq(gcc_layout_counter_name(l16, kind),
				 gcc_layout_counter_name(l15, kind));
		ck_assert_int_eq(gcc_layout_merge(l16, kind),
				 gcc_layout_merge(l15, kind));
	}
}
END_TEST

Suite *suite_layout(void)
{
	Suite *suite = suite_create("layout");
	TCase *tcase = tcase_create("gcc-layout");

	tcase_add_test(tcase, test_layout_gcc12_measured);
	tcase_add_test(tcase, test_layout_gcc12_host_offsetof);
	tcase_add_test(tcase, test_layout_before_gcc12_no_checksum);
	tcase_add_test(tcase, test_layout_version_decode);
	tcase_add_test(tcase, test_layout_counters_per_release);
	tcase_add_test(tcase, test_layout_unknown_versions);
	tcase_add_test(tcase, test_layout_kind_tables);
	suite_add_tcase(suite, tcase);
	return suite;
}
