/* SPDX-License-Identifier: BSD-2-Clause */
/* The command line's own pieces: numbers users type, JSON built from
 * untrusted names, and the coverage figures hvcov info prints. */
#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/json.h"
#include "gcov/coverage-stats.h"
#include "source/source.h"

/* Sizes and addresses are unsigned and whole: a sign, blanks, trailing
 * junk or an overflow must be refused rather than wrap to a huge value. */
START_TEST(test_parse_u64_accepts_and_refuses)
{
	uint64_t value = 0;

	ck_assert(parse_u64("0", &value) && value == 0);
	ck_assert(parse_u64("4096", &value) && value == 4096);
	ck_assert(parse_u64("0xffffffff80000000", &value) &&
		  value == 0xffffffff80000000ull);
	ck_assert(parse_u64("18446744073709551615", &value) &&
		  value == UINT64_MAX);
	ck_assert(!parse_u64("18446744073709551616", &value));
	ck_assert(!parse_u64("-1", &value));
	ck_assert(!parse_u64("+1", &value));
	ck_assert(!parse_u64(" 1", &value));
	ck_assert(!parse_u64("12k", &value));
	ck_assert(!parse_u64("", &value));
	ck_assert(!parse_u64("0x", &value));
	ck_assert(!parse_u64("0x-1", &value));
	ck_assert(!parse_u64("0x 1", &value));
}
END_TEST

/* The man page says decimal or 0x-hex: a leading zero pads a decimal
 * number (strtoull's base 0 read "010" as octal 8), and a count or --strip
 * is decimal digits only. */
START_TEST(test_parse_leading_zero_is_decimal)
{
	uint64_t value = 0;

	ck_assert(parse_u64("010", &value) && value == 10);
	ck_assert(parse_u64("0X10", &value) && value == 16);
	ck_assert(!parse_u64("08x", &value));
	ck_assert(parse_decimal_u64("010", &value) && value == 10);
	ck_assert(parse_decimal_u64("0", &value) && value == 0);
	ck_assert(!parse_decimal_u64("0x10", &value));
	ck_assert(!parse_decimal_u64("", &value));
	ck_assert(!parse_decimal_u64("1e3", &value));
}
END_TEST

static char *json_of(const char *text)
{
	char *buffer = NULL;
	size_t size = 0;
	FILE *out = open_memstream(&buffer, &size);

	ck_assert_ptr_nonnull(out);
	json_string(out, text);
	fclose(out);
	return buffer;
}

/* A filename from an image may hold quotes, backslashes, control bytes and
 * bytes that are no UTF-8; the JSON must stay valid and one line, a byte
 * that is no UTF-8 becoming U+FFFD. */
START_TEST(test_json_string_escapes_untrusted_bytes)
{
	char *plain = json_of("/b/x.gcda");
	char *nasty = json_of("a\"b\\c\nd\x7f\xff");

	ck_assert_str_eq(plain, "\"/b/x.gcda\"");
	ck_assert_str_eq(nasty, "\"a\\\"b\\\\c\\u000ad\\u007f\\ufffd\"");
	free(plain);
	free(nasty);
}
END_TEST

/* JSON text is UTF-8: a well-formed character goes out as is (it was
 * escaped byte by byte, "\u00c3\u00a4" for "ä", read back as mojibake);
 * overlong forms, surrogates, truncated and out-of-range sequences are no
 * UTF-8 and become U+FFFD byte by byte. */
START_TEST(test_json_string_keeps_utf8)
{
	static const struct {
		const char *in, *out;
	} cases[] = {
		{ "r\xc3\xa4nder", "\"r\xc3\xa4nder\"" },
		{ "\xe2\x82\xac\xf0\x9f\x98\x80",
		  "\"\xe2\x82\xac\xf0\x9f\x98\x80\"" },
		{ "\xc0\xaf", "\"\\ufffd\\ufffd\"" },
		{ "\xed\xa0\x80", "\"\\ufffd\\ufffd\\ufffd\"" },
		{ "\xc3", "\"\\ufffd\"" },
		{ "\xf4\x90\x80\x80", "\"\\ufffd\\ufffd\\ufffd\\ufffd\"" },
		{ "\xe2\x82", "\"\\ufffd\\ufffd\"" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *got = json_of(cases[i].in);

		ck_assert_str_eq(got, cases[i].out);
		free(got);
	}
}
END_TEST

/* A 64-bit value goes out as a hex string, all 64 bits. */
START_TEST(test_json_hex64_is_exact)
{
	char *buffer = NULL;
	size_t size = 0;
	FILE *out = open_memstream(&buffer, &size);

	ck_assert_ptr_nonnull(out);
	json_hex64(out, 0xfffffffff0000001ull);
	fclose(out);
	ck_assert_str_eq(buffer, "\"0xfffffffff0000001\"");
	free(buffer);
}
END_TEST

/* Arcs executed counts the non-zero arcs counters of present functions
 * only; other kinds count as counters but not as arcs; COMDAT placeholders
 * count apart. */
START_TEST(test_coverage_stats_counts_arcs_only)
{
	uint64_t arcs[4] = { 5, 0, 1, 0 }, ior[2] = { 1, 1 };
	struct model_counters counters[2] = {
		{ .kind = 0, .num = 4, .values = arcs },
		{ .kind = 7, .num = 2, .values = ior },
	};
	struct model_function functions[2] = {
		{ .present = true, .counters = counters },
		{ .present = false },
	};
	struct model_object object = { .n_active = 2,
				       .n_functions = 2,
				       .functions = functions };
	struct coverage_stats stats, total = { 0 };

	coverage_stats_object(&object, &stats);
	ck_assert_uint_eq(stats.functions, 1);
	ck_assert_uint_eq(stats.placeholders, 1);
	ck_assert_uint_eq(stats.counters, 6);
	ck_assert_uint_eq(stats.arcs, 4);
	ck_assert_uint_eq(stats.arcs_executed, 2);
	ck_assert_double_eq_tol(coverage_stats_percent(&stats), 50.0, 1e-9);
	coverage_stats_add(&total, &stats);
	coverage_stats_add(&total, &stats);
	ck_assert_uint_eq(total.arcs_executed, 4);
	ck_assert_double_eq(
		coverage_stats_percent(&(struct coverage_stats){ 0 }), 0.0);
}
END_TEST

/* Contradictory source options are usage errors, caught before anything
 * is read. */
START_TEST(test_source_check_refuses_combinations)
{
	struct source source = { 0 };
	struct error err = { 0 };

	ck_assert(source_option(&source, SOURCE_OPT_PHYS, "0x1000", &err));
	ck_assert(!source_check(&source, &err));
	ck_assert_int_eq(err.status, HVCOV_EXIT_SYSTEM);
	ck_assert_ptr_nonnull(strstr(err.text, "--size"));

	memset(&err, 0, sizeof(err));
	ck_assert(!source_option(&source, SOURCE_OPT_SIZE, "0", &err));
	memset(&err, 0, sizeof(err));
	ck_assert(!source_option(&source, SOURCE_OPT_ARCH, "mips", &err));
	ck_assert_ptr_nonnull(strstr(err.text, "mips"));
}
END_TEST

Suite *suite_cli(void)
{
	Suite *suite = suite_create("cli");
	TCase *tcase = tcase_create("cli");

	tcase_add_test(tcase, test_parse_u64_accepts_and_refuses);
	tcase_add_test(tcase, test_parse_leading_zero_is_decimal);
	tcase_add_test(tcase, test_json_string_escapes_untrusted_bytes);
	tcase_add_test(tcase, test_json_string_keeps_utf8);
	tcase_add_test(tcase, test_json_hex64_is_exact);
	tcase_add_test(tcase, test_coverage_stats_counts_arcs_only);
	tcase_add_test(tcase, test_source_check_refuses_combinations);
	suite_add_tcase(suite, tcase);
	return suite;
}
