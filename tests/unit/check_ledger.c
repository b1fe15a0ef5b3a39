/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The merge ledger's on-disk format (write/ledger.h): what ledger_store()
 * writes, byte for byte; that ledger_load() reads back every field of it
 * (identities, names with blanks, pending records with their digest and
 * R/M flag, version 1 files); how left-over pending records settle by the
 * file's own bytes; and that every damaged ledger is refused, naming it,
 * rather than guessed at.
 */
#include <check.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/error.h"
#include "lib/test-temp.h"
#include "write/ledger.h"

#define ID1 "0000000000000001-00000000000000a1"
#define ID2 "0000000000000002-00000000000000a2"

static char dir[256];
static int dirfd_ = -1;

static void setup(void)
{
	test_temp_template(dir, sizeof(dir), "ledger");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	dirfd_ = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	ck_assert_int_ge(dirfd_, 0);
}

static void teardown(void)
{
	char cmd[300];

	close(dirfd_);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "cannot remove %s\n", dir);
}

static void put(const char *name, const char *text, size_t len)
{
	int fd = openat(dirfd_, name, O_WRONLY | O_CREAT | O_TRUNC, 0644);

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, text, len), (ssize_t)len);
	close(fd);
}

/* The ledger file as text (NUL-terminated; the caller frees it). */
static char *ledger_text(void)
{
	static char text[4096];
	int fd = openat(dirfd_, LEDGER_NAME, O_RDONLY);
	ssize_t n;

	ck_assert_int_ge(fd, 0);
	n = read(fd, text, sizeof(text) - 1);
	close(fd);
	ck_assert_int_ge(n, 0);
	text[n] = '\0';
	return text;
}

START_TEST(test_ledger_absent_is_empty)
{
	/* Invariant: a directory without a ledger holds no merged run; that
	 * is not an error (a first extraction has none). */
	struct ledger ledger;
	struct error err = { 0 };

	ck_assert_msg(ledger_load(dirfd_, dir, &ledger, &err), "%s", err.text);
	ck_assert_uint_eq(ledger.n, 0);
	ck_assert(!ledger_has(&ledger, ID1, "a.gcda"));
	ledger_free(&ledger);
}
END_TEST

START_TEST(test_ledger_round_trip)
{
	/* Invariant: a settled intent becomes one plain record, written in
	 * exactly the documented form (header line, "<identity> <name>"),
	 * and reads back with every field; a name may hold blanks. */
	struct ledger ledger;
	struct error err = { 0 };

	ck_assert(ledger_load(dirfd_, dir, &ledger, &err));
	ck_assert(ledger_intend(&ledger, ID1, "a b.gcda", true, 7, &err));
	ck_assert(ledger_intend(&ledger, ID2, "c.gcda", false, 9, &err));
	ck_assert(ledger_settle(&ledger, "a b.gcda", &err));
	ck_assert(ledger_settle(&ledger, "c.gcda", &err));
	ck_assert_msg(ledger_store(dirfd_, dir, &ledger, &err), "%s", err.text);
	ledger_free(&ledger);
	ck_assert_str_eq(ledger_text(),
			 "hvcov-ledger 2\n" ID1 " a b.gcda\n" ID2 " c.gcda\n");

	ck_assert(ledger_load(dirfd_, dir, &ledger, &err));
	ck_assert_uint_eq(ledger.n, 2);
	ck_assert_str_eq(ledger.entries[0].identity, ID1);
	ck_assert_str_eq(ledger.entries[0].name, "a b.gcda");
	ck_assert(!ledger.entries[0].pending);
	ck_assert(ledger_has(&ledger, ID1, "a b.gcda"));
	ck_assert(ledger_has(&ledger, ID2, "c.gcda"));
	ck_assert(!ledger_has(&ledger, ID2, "a b.gcda"));
	ledger_free(&ledger);
}
END_TEST

START_TEST(test_ledger_pending_fields)
{
	/* Invariant: an intent stored before its rename is a pending record
	 * "pending <16 hex digest> <R|M> <identity> <name>", and it does not
	 * count as a merged run until settled. */
	struct ledger ledger;
	struct error err = { 0 };

	ck_assert(ledger_load(dirfd_, dir, &ledger, &err));
	ck_assert(ledger_intend(&ledger, ID1, "x.gcda", false,
				0x0123456789abcdefULL, &err));
	ck_assert(!ledger_has(&ledger, ID1, "x.gcda"));
	ck_assert(ledger_store(dirfd_, dir, &ledger, &err));
	ledger_free(&ledger);
	ck_assert_str_eq(ledger_text(),
			 "hvcov-ledger 2\npending 0123456789abcdef M " ID1
			 " x.gcda\n");
}
END_TEST

START_TEST(test_ledger_pending_settles_by_file)
{
	/* Invariant: a killed writer's pending record counts exactly when the
	 * file holds the digested bytes (the rename happened), and then a
	 * replacing (R) one drops the name's older records; otherwise it is
	 * dropped and the older records stay. */
	struct ledger ledger;
	struct error err = { 0 };
	char text[512];
	uint64_t digest = ledger_digest((const uint8_t *)"new", 3);

	snprintf(text, sizeof(text),
		 "hvcov-ledger 2\n" ID2 " r.gcda\n" ID2
		 " k.gcda\npending %016llx R " ID1
		 " r.gcda\npending %016llx R " ID1 " k.gcda\n",
		 (unsigned long long)digest, (unsigned long long)digest);
	put(LEDGER_NAME, text, strlen(text));
	put("r.gcda", "new", 3); /* renamed: holds the digested bytes */
	put("k.gcda", "old", 3); /* killed before its rename */
	ck_assert_msg(ledger_load(dirfd_, dir, &ledger, &err), "%s", err.text);
	ck_assert(ledger_has(&ledger, ID1, "r.gcda"));
	ck_assert(!ledger_has(&ledger, ID2, "r.gcda"));
	ck_assert(!ledger_has(&ledger, ID1, "k.gcda"));
	ck_assert(ledger_has(&ledger, ID2, "k.gcda"));
	for (size_t i = 0; i < ledger.n; i++)
		ck_assert(!ledger.entries[i].pending);
	ledger_free(&ledger);
}
END_TEST

START_TEST(test_ledger_version1_read)
{
	/* Invariant: a version 1 ledger (no pending records) still reads. */
	static const char text[] = "hvcov-ledger 1\n" ID1 " a.gcda\n";
	struct ledger ledger;
	struct error err = { 0 };

	put(LEDGER_NAME, text, sizeof(text) - 1);
	ck_assert_msg(ledger_load(dirfd_, dir, &ledger, &err), "%s", err.text);
	ck_assert(ledger_has(&ledger, ID1, "a.gcda"));
	ledger_free(&ledger);
}
END_TEST

/* Damaged ledgers: each must be refused, never read as "no runs". */
static const char *const damaged[] = {
	"",
	"hvcov-ledger 3\n" ID1 " a.gcda\n",
	"hvcov-ledger 2\n" ID1 " a.gcda",            /* no final newline */
	"hvcov-ledger 2\n0000000000000001 a.gcda\n", /* identity too short */
	"hvcov-ledger 2\n" ID1 "\n",                 /* no name */
	"hvcov-ledger 2\n" ID1 "xa.gcda\n",          /* no blank */
	"hvcov-ledger 2\npending 01234567 M " ID1 " a.gcda\n",
	"hvcov-ledger 2\npending 0123456789abcdeg M " ID1 " a.gcda\n",
	"hvcov-ledger 2\npending 0123456789abcdef X " ID1 " a.gcda\n",
	"hvcov-ledger 2\n" ID1 " a\0b.gcda\n",
	"junk",
};

START_TEST(test_ledger_damaged_refused)
{
	/* Invariant: see damaged[_i]; the error names the ledger's
	 * directory and says it is unusable. */
	const char *text = damaged[_i];
	size_t len = strlen(text);
	struct ledger ledger;
	struct error err = { 0 };

	if (_i == 9) /* the embedded NUL: the literal's real length */
		len = sizeof("hvcov-ledger 2\n" ID1 " a\0b.gcda\n") - 1;
	put(LEDGER_NAME, text, len);
	ck_assert_msg(!ledger_load(dirfd_, dir, &ledger, &err),
		      "damaged ledger %d was read", _i);
	ck_assert_int_ne(err.status, HVCOV_EXIT_OK);
	ck_assert_msg(strstr(err.text, "unusable") && strstr(err.text, dir),
		      "%s", err.text);
}
END_TEST

START_TEST(test_ledger_symlink_refused)
{
	/* Invariant: a ledger that is a symbolic link is not followed. */
	struct ledger ledger;
	struct error err = { 0 };

	put("elsewhere", "hvcov-ledger 2\n", 15);
	ck_assert_int_eq(symlinkat("elsewhere", dirfd_, LEDGER_NAME), 0);
	ck_assert(!ledger_load(dirfd_, dir, &ledger, &err));
	ck_assert_msg(strstr(err.text, "symlink"), "%s", err.text);
}
END_TEST

Suite *suite_ledger(void)
{
	Suite *suite = suite_create("ledger");
	TCase *tc = tcase_create("format");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_ledger_absent_is_empty);
	tcase_add_test(tc, test_ledger_round_trip);
	tcase_add_test(tc, test_ledger_pending_fields);
	tcase_add_test(tc, test_ledger_pending_settles_by_file);
	tcase_add_test(tc, test_ledger_version1_read);
	tcase_add_loop_test(tc, test_ledger_damaged_refused, 0,
			    (int)(sizeof(damaged) / sizeof(damaged[0])));
	tcase_add_test(tc, test_ledger_symlink_refused);
	suite_add_tcase(suite, tc);
	return suite;
}
