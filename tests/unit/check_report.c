/* SPDX-License-Identifier: BSD-2-Clause */
/* The report layer's pieces that decide what a report says: SHA-256 for
 * provenance, exact thresholds, tracefile totals, and the pairing of .gcda
 * with .gcno by path and stamp. */
#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/sha256.h"
#include "lib/test-temp.h"
#include "report/cobertura.h"
#include "report/gcovr-summary.h"
#include "report/pairing.h"
#include "report/tracefile.h"
#include "report/tree.h"

/* The FIPS 180-4 examples: "abc", the empty message, the two-block
 * 448-bit message, and a million 'a' fed in uneven pieces (the padding
 * and the carry between blocks). */
START_TEST(test_sha256_known_digests)
{
	char hex[65];
	struct sha256 ctx;
	uint8_t digest[32];
	static char chunk[997];

	sha256_hex("abc", 3, hex);
	ck_assert_str_eq(
		hex,
		"ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	sha256_hex("", 0, hex);
	ck_assert_str_eq(
		hex,
		"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
		   56, hex);
	ck_assert_str_eq(
		hex,
		"248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
	memset(chunk, 'a', sizeof(chunk));
	sha256_init(&ctx);
	for (size_t left = 1000000; left;) {
		size_t n = left < sizeof(chunk) ? left : sizeof(chunk);

		sha256_update(&ctx, chunk, n);
		left -= n;
	}
	sha256_final(&ctx, digest);
	ck_assert_uint_eq(digest[0], 0xcd);
	ck_assert_uint_eq(digest[1], 0xc7);
	ck_assert_uint_eq(digest[31], 0xd0);
}
END_TEST

/* A threshold is met exactly at the boundary and missed just above it, in
 * integer arithmetic (a float rounding 73.75 could go either way). */
START_TEST(test_thresholds_are_exact)
{
	ck_assert(trace_meets(59, 80, 7375));
	ck_assert(!trace_meets(59, 80, 7376));
	ck_assert(trace_meets(260, 279, 9318));
	ck_assert(!trace_meets(260, 279, 9319));
	ck_assert(trace_meets(1, 1, 10000));
	ck_assert(!trace_meets(0, 1, 1));
	ck_assert(trace_meets(0, 0, 0));
	ck_assert(!trace_meets(0, 0, 1));
	ck_assert(!trace_meets(5, 5, 10001));
}
END_TEST

static char *temp_dir(void)
{
	char buf[4096];
	char *dir = mkdtemp(test_temp_template(buf, sizeof(buf), "report"));

	ck_assert_ptr_nonnull(dir);
	return strdup(dir);
}

static void write_file(const char *dir, const char *name, const void *data,
		       size_t size)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "wb");
	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(fwrite(data, 1, size, f), size);
	fclose(f);
}

/* Totals are the sums of the records; a hit count above its total or a
 * total that is no number is refused, not printed. */
START_TEST(test_tracefile_totals)
{
	static const char good[] =
		"TN:\nSF:/a.c\nFNF:2\nFNH:1\nBRF:4\nBRH:3\nLF:10\nLH:7\n"
		"end_of_record\nSF:/b.c\nLF:5\nLH:5\nBRF:0\nBRH:0\n"
		"end_of_record\n";
	static const char over[] = "SF:/a.c\nLF:1\nLH:2\nend_of_record\n";
	static const char junk[] = "SF:/a.c\nLF:1x\nend_of_record\n";
	char *dir = temp_dir(), path[4096];
	struct trace_totals t;
	struct error err = { 0 };

	write_file(dir, "good.info", good, sizeof(good) - 1);
	write_file(dir, "over.info", over, sizeof(over) - 1);
	write_file(dir, "junk.info", junk, sizeof(junk) - 1);
	snprintf(path, sizeof(path), "%s/good.info", dir);
	ck_assert(tracefile_totals(path, &t, &err));
	ck_assert_uint_eq(t.files, 2);
	ck_assert_uint_eq(t.lines, 15);
	ck_assert_uint_eq(t.lines_hit, 12);
	ck_assert_uint_eq(t.branches, 4);
	ck_assert_uint_eq(t.branches_hit, 3);
	ck_assert_uint_eq(t.functions_hit, 1);
	snprintf(path, sizeof(path), "%s/over.info", dir);
	ck_assert(!tracefile_totals(path, &t, &err));
	ck_assert_int_eq(err.status, HVCOV_EXIT_DATA);
	memset(&err, 0, sizeof(err));
	snprintf(path, sizeof(path), "%s/junk.info", dir);
	ck_assert(!tracefile_totals(path, &t, &err));
	ck_assert_ptr_nonnull(strstr(err.text, "line 2"));
	for (const char *name = "good.info"; name;
	     name = !strcmp(name, "good.info")   ? "over.info"
		    : !strcmp(name, "over.info") ? "junk.info"
						 : NULL) {
		snprintf(path, sizeof(path), "%s/%s", dir, name);
		unlink(path);
	}
	rmdir(dir);
	free(dir);
}
END_TEST

/* A gcov file header: magic, version, stamp (little-endian). */
static void gcov_file(const char *dir, const char *name, uint32_t magic,
		      uint32_t stamp)
{
	uint8_t b[16] = { 0 };
	uint32_t w[3] = { magic, 0x4232322a, stamp };

	for (int i = 0; i < 3; i++)
		for (int j = 0; j < 4; j++)
			b[4 * i + j] = (uint8_t)(w[i] >> (8 * j));
	write_file(dir, name, b, sizeof(b));
}

static void make_dir(const char *root, const char *name)
{
	char path[4096];

	snprintf(path, sizeof(path), "%s/%s", root, name);
	ck_assert_int_eq(mkdir(path, 0700), 0);
}

/* Each .gcda pairs with the .gcno that shares the longest path tail:
 * x/a.gcda goes to the build's x/a.gcno, not y/a.gcno; a .gcno with no
 * .gcda is kept as never run; a differing stamp refuses the pair; two
 * equally good .gcno refuse the .gcda. */
START_TEST(test_pairing_by_tail_and_stamp)
{
	char *gcda = temp_dir(), *build = temp_dir();
	struct report_pairs pairs;
	struct error err = { 0 };

	make_dir(gcda, "src");
	make_dir(gcda, "src/x");
	make_dir(build, "x");
	make_dir(build, "y");
	gcov_file(gcda, "src/x/a.gcda", 0x67636461, 7);
	gcov_file(build, "x/a.gcno", 0x67636e6f, 7);
	gcov_file(build, "y/a.gcno", 0x67636e6f, 9);
	gcov_file(build, "y/b.gcno", 0x67636e6f, 11);
	ck_assert_msg(report_pair_trees(gcda, build, &pairs, &err), "%s",
		      err.text);
	ck_assert_uint_eq(pairs.n, 3);
	ck_assert_uint_eq(pairs.n_paired, 1);
	ck_assert_ptr_nonnull(strstr(pairs.pair[0].gcno, "/x/a.gcno"));
	ck_assert_uint_eq(pairs.pair[0].stamp, 7);
	ck_assert_ptr_null(pairs.pair[1].gcda);
	report_pairs_free(&pairs);

	/* The same tail, another stamp: a stale .gcno. */
	gcov_file(build, "x/a.gcno.new", 0x67636e6f, 8);
	{
		char from[4096], to[4096];

		snprintf(from, sizeof(from), "%s/x/a.gcno.new", build);
		snprintf(to, sizeof(to), "%s/x/a.gcno", build);
		ck_assert_int_eq(rename(from, to), 0);
	}
	ck_assert(!report_pair_trees(gcda, build, &pairs, &err));
	ck_assert_int_eq(err.status, HVCOV_EXIT_DATA);
	ck_assert_ptr_nonnull(strstr(err.text, "is not from the compilation"));

	/* A stripped x/a.gcda against a build with x/a.gcno twice over
	 * (z/x and w/x): ambiguous. */
	memset(&err, 0, sizeof(err));
	{
		char *build2 = temp_dir(), *gcda2 = temp_dir();

		make_dir(gcda2, "x");
		gcov_file(gcda2, "x/a.gcda", 0x67636461, 7);

		make_dir(build2, "z");
		make_dir(build2, "z/x");
		make_dir(build2, "w");
		make_dir(build2, "w/x");
		gcov_file(build2, "z/x/a.gcno", 0x67636e6f, 7);
		gcov_file(build2, "w/x/a.gcno", 0x67636e6f, 7);
		ck_assert(!report_pair_trees(gcda2, build2, &pairs, &err));
		ck_assert_ptr_nonnull(strstr(err.text, "equally well"));
		/* A tree whose tails do not agree has no .gcno for it. */
		memset(&err, 0, sizeof(err));
		ck_assert(!report_pair_trees(gcda, build2, &pairs, &err));
		ck_assert_ptr_nonnull(strstr(err.text, "has no .gcno"));
		report_remove_tree(build2);
		report_remove_tree(gcda2);
		free(build2);
		free(gcda2);
	}
	report_remove_tree(gcda);
	report_remove_tree(build);
	free(gcda);
	free(build);
}
END_TEST

/* Every one of bad is refused as data (exit 1), naming the file. */
static void refuse_summaries(const char *const *bad, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		struct trace_totals t;
		struct error e = { 0 };

		ck_assert_msg(!gcovr_summary_parse(bad[i], strlen(bad[i]),
						   "s.json", &t, &e),
			      "accepted: %s", bad[i]);
		ck_assert_int_eq(e.status, 1);
		ck_assert_ptr_nonnull(strstr(e.text, "s.json"));
	}
}

/* gcovr's summary: the six top-level counts and the number of files are
 * read exactly (the same keys inside "files" are not the totals); a
 * missing key, a fraction, a negative number, a covered count above its
 * total, two documents or cut-off JSON are errors, never zeros. */
START_TEST(test_gcovr_summary)
{
	static const char good[] =
		"{\"branch_covered\": 41, \"branch_percent\": 56.9, \"branch_total\": 72, \"files\": [{\"line_total\": 999, \"filename\": \"/a \\\"b\\\".c\", \"x\": [1, {\"y\": null}]}, {\"line_total\": 1}], \"function_covered\": 3, \"function_percent\": 50.0, \"function_total\": 6, \"gcovr/summary_format_version\": \"0.5\", \"line_covered\": 53, \"line_percent\": 74.6, \"line_total\": 9007199254740993, \"root\": \"../..\"}\n";
	static const char *const bad[] = {
		"",
		"[]",
		"{\"line_total\": 1, \"line_covered\": 1, \"function_total\": 1, \"function_covered\": 1, \"branch_total\": 1, \"files\": []}",
		"{\"line_total\": 1.0, \"line_covered\": 1, \"function_total\": 1, \"function_covered\": 1, \"branch_total\": 1, \"branch_covered\": 1, \"files\": []}",
		"{\"line_total\": -1, \"line_covered\": 1, \"function_total\": 1, \"function_covered\": 1, \"branch_total\": 1, \"branch_covered\": 1, \"files\": []}",
		"{\"line_total\": 1, \"line_covered\": 2, \"function_total\": 1, \"function_covered\": 1, \"branch_total\": 1, \"branch_covered\": 1, \"files\": []}",
		"{\"line_total\": 1, \"line_covered\": 1, \"function_total\": 1, \"function_covered\": 1, \"branch_total\": 1, \"branch_covered\": 1, \"files\": []} {}",
		"{\"line_total\": 1, \"line_covered\": 1, \"function_total\": 1, \"function_covered\": 1, \"branch_total\": 1, \"branch_covered\": 1, \"files\": [",
		"{\"line_total\": 1, \"line_covered\": 1, \"function_total\": 1, \"function_covered\": 1, \"branch_total\": 1, \"branch_covered\": 1}",
		"{\"line_total\": 1, \"line_total\": 2, \"line_covered\": 1, \"function_total\": 1, \"function_covered\": 1, \"branch_total\": 1, \"branch_covered\": 1, \"files\": []}",
	};
	struct trace_totals t;
	struct error err = { 0 };

	ck_assert(gcovr_summary_parse(good, sizeof(good) - 1, "s.json", &t,
				      &err));
	ck_assert_uint_eq(t.lines, 9007199254740993u);
	ck_assert_uint_eq(t.lines_hit, 53);
	ck_assert_uint_eq(t.functions, 6);
	ck_assert_uint_eq(t.functions_hit, 3);
	ck_assert_uint_eq(t.branches, 72);
	ck_assert_uint_eq(t.branches_hit, 41);
	ck_assert_uint_eq(t.files, 2);
	ck_assert_uint_eq(t.conditions, 0);
	ck_assert(!t.has_conditions);
	refuse_summaries(bad, sizeof(bad) / sizeof(bad[0]));
}
END_TEST

/* gcovr 8's condition_total and condition_covered are the MC/DC figure
 * (and say that gcovr showed conditions); one without the other, or more
 * covered than total, is refused. */
START_TEST(test_gcovr_summary_conditions)
{
	static const char good[] =
		"{\"line_total\": 3, \"line_covered\": 3, \"function_total\": 3, \"function_covered\": 3, \"branch_total\": 12, \"branch_covered\": 5, \"condition_total\": 154, \"condition_covered\": 128, \"files\": []}";
	static const char *const bad[] = {
		"{\"line_total\": 3, \"line_covered\": 3, \"function_total\": 3, \"function_covered\": 3, \"branch_total\": 12, \"branch_covered\": 5, \"condition_total\": 154, \"files\": []}",
		"{\"line_total\": 3, \"line_covered\": 3, \"function_total\": 3, \"function_covered\": 3, \"branch_total\": 12, \"branch_covered\": 5, \"condition_covered\": 1, \"files\": []}",
		"{\"line_total\": 3, \"line_covered\": 3, \"function_total\": 3, \"function_covered\": 3, \"branch_total\": 12, \"branch_covered\": 5, \"condition_total\": 4, \"condition_covered\": 5, \"files\": []}",
	};
	struct trace_totals t;
	struct error err = { 0 };

	ck_assert(gcovr_summary_parse(good, sizeof(good) - 1, "s.json", &t,
				      &err));
	ck_assert(t.has_conditions);
	ck_assert_uint_eq(t.conditions, 154);
	ck_assert_uint_eq(t.conditions_hit, 128);
	refuse_summaries(bad, sizeof(bad) / sizeof(bad[0]));
}
END_TEST

/* lcov 2's tracefile, as 2.5 writes it with --mcdc-coverage: MCF/MCH are
 * the MC/DC totals, and its BRDA records (block "f0", branch "2 -> 3")
 * still give Cobertura each line's branches taken. */
START_TEST(test_lcov2_tracefile)
{
	static const char info[] =
		"TN:\nSF:/tmp/t.c\nFNL:0,1,1\nFNA:0,1,f\nFNF:1\nFNH:1\n"
		"BRDA:1,f0,2 -> 3,1\nBRDA:1,0,2 -> 4,0\nBRDA:1,e0,3 -> 4,-\n"
		"BRF:3\nBRH:1\nMCDC:1,3,t,1,0,0\nMCDC:1,3,f,0,0,0\nMCF:2\n"
		"MCH:1\nDA:1,1\nLF:1\nLH:1\nend_of_record\n";
	char *dir = temp_dir(), path[4096], xml[4096], *text;
	struct trace_totals t;
	struct error err = { 0 };
	FILE *f;
	long size;

	write_file(dir, "lcov2.info", info, sizeof(info) - 1);
	snprintf(path, sizeof(path), "%s/lcov2.info", dir);
	snprintf(xml, sizeof(xml), "%s/c.xml", dir);
	ck_assert(tracefile_totals(path, &t, &err));
	ck_assert(t.has_conditions);
	ck_assert_uint_eq(t.conditions, 2);
	ck_assert_uint_eq(t.conditions_hit, 1);
	ck_assert_uint_eq(t.branches, 3);
	ck_assert_msg(report_cobertura(path, xml, 0, "test", &err), "%s",
		      err.text);
	ck_assert_ptr_nonnull(f = fopen(xml, "r"));
	fseek(f, 0, SEEK_END);
	size = ftell(f);
	rewind(f);
	ck_assert_ptr_nonnull(text = calloc(1, (size_t)size + 1));
	ck_assert_uint_eq(fread(text, 1, (size_t)size, f), (size_t)size);
	fclose(f);
	ck_assert_ptr_nonnull(strstr(text, "branches-valid=\"3\""));
	ck_assert_ptr_nonnull(strstr(text, "branches-covered=\"1\""));
	free(text);
	unlink(xml);
	unlink(path);
	rmdir(dir);
	free(dir);
}
END_TEST

Suite *suite_report(void)
{
	Suite *suite = suite_create("report");
	TCase *tcase = tcase_create("report");

	tcase_add_test(tcase, test_sha256_known_digests);
	tcase_add_test(tcase, test_thresholds_are_exact);
	tcase_add_test(tcase, test_tracefile_totals);
	tcase_add_test(tcase, test_pairing_by_tail_and_stamp);
	tcase_add_test(tcase, test_gcovr_summary);
	tcase_add_test(tcase, test_gcovr_summary_conditions);
	tcase_add_test(tcase, test_lcov2_tracefile);
	suite_add_tcase(suite, tcase);
	return suite;
}
