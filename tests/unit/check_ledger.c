/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The merge ledger's on-disk format (write/ledger.h): what ledger_store()
 * writes, byte for byte, whole and appended (the expected bytes are built
 * here from the documented layout, with an FNV-1a of this file's own);
 * that ledger_load() reads back every field of it (identities, names with
 * blanks, pending records with their digest and R/M flag, version 1 and 2
 * files); how left-over pending records settle by the file's own bytes;
 * that a write cut short by a crash is ignored and cut off; and that every
 * damaged ledger is refused, naming it, rather than guessed at.
 */
#include <check.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/error.h"
#include "base/hash.h"
#include "lib/test-temp.h"
#include "write/ledger.h"

#define ID1 "0000000000000001-00000000000000a1"
#define ID2 "0000000000000002-00000000000000a2"
#define ID3 "0000000000000003-00000000000000a3"
#define NOID "0000000000000000-0000000000000000"

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

/* FNV-1a 64, as ledger.h documents it. */
static uint64_t fnv(uint64_t h, const char *bytes, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		h ^= (unsigned char)bytes[i];
		h *= 0x100000001b3ULL;
	}
	return h;
}

/* Appends to text (of room 8192) the version 3 batch "B kind identity
 * rbytes mbytes hash" with body rpart mpart. */
static void batch(char *text, char kind, const char *identity,
		  const char *rpart, const char *mpart)
{
	char head[128], body[4096];
	uint64_t h;

	snprintf(head, sizeof(head), "B %c %s %016zx %016zx ", kind, identity,
		 strlen(rpart), strlen(mpart));
	snprintf(body, sizeof(body), "%s%s", rpart, mpart);
	h = fnv(fnv(0xcbf29ce484222325ULL, head, strlen(head)), body,
		strlen(body));
	snprintf(text + strlen(text), 8192 - strlen(text), "%s%016llx\n%s",
		 head, (unsigned long long)h, body);
}

/* A version 3 header for a file of `base` bytes. */
static void header3(char *text, size_t base)
{
	snprintf(text, 8192, "hvcov-ledger 3 %016zx\n", base);
}

/* The ledger file as text (NUL-terminated; the caller frees it). */
static char *ledger_text(void)
{
	static char text[1 << 16];
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
	 * exactly the documented form (header with the file's size, an S
	 * batch per run), and reads back with every field; a name may hold
	 * blanks.  A later run's store appends its P batch, then its S batch
	 * with the names it replaced first, and leaves the rest as it was. */
	struct ledger ledger;
	struct error err = { 0 };
	char want[8192] = "", body[8192] = "";
	size_t base;

	ck_assert(ledger_load(dirfd_, dir, &ledger, &err));
	ck_assert(ledger_intend(&ledger, ID1, "a b.gcda", true, 7, &err));
	ck_assert(ledger_intend(&ledger, ID2, "c.gcda", false, 9, &err));
	ck_assert(ledger_settle(&ledger, "a b.gcda", &err));
	ck_assert(ledger_settle(&ledger, "c.gcda", &err));
	ck_assert_msg(ledger_store(dirfd_, dir, &ledger, &err), "%s", err.text);
	ledger_free(&ledger);
	batch(body, 'S', ID1, "", "a b.gcda\n");
	batch(body, 'S', ID2, "", "c.gcda\n");
	base = 32 + strlen(body);
	header3(want, base);
	strcat(want, body);
	ck_assert_str_eq(ledger_text(), want);

	ck_assert(ledger_load(dirfd_, dir, &ledger, &err));
	ck_assert_uint_eq(ledger.n, 2);
	ck_assert_str_eq(ledger.entries[0].identity, ID1);
	ck_assert_str_eq(ledger.entries[0].name, "a b.gcda");
	ck_assert(!ledger.entries[0].pending);
	ck_assert(ledger_has(&ledger, ID1, "a b.gcda"));
	ck_assert(ledger_has(&ledger, ID2, "c.gcda"));
	ck_assert(!ledger_has(&ledger, ID2, "a b.gcda"));
	ledger_free(&ledger);

	ck_assert(ledger_load_run(dirfd_, dir, ID3, &ledger, &err));
	ck_assert(ledger_intend(&ledger, ID3, "c.gcda", true, 0xab, &err));
	ck_assert(ledger_intend(&ledger, ID3, "d.gcda", false, 0xcd, &err));
	ck_assert(ledger_store(dirfd_, dir, &ledger, &err));
	batch(want, 'P', NOID,
	      "R 00000000000000ab " ID3 " c.gcda\nM 00000000000000cd " ID3
	      " d.gcda\n",
	      "");
	ck_assert_str_eq(ledger_text(), want);
	ck_assert(ledger_settle(&ledger, "c.gcda", &err));
	ck_assert(ledger_settle(&ledger, "d.gcda", &err));
	ck_assert(ledger_store(dirfd_, dir, &ledger, &err));
	ledger_free(&ledger);
	batch(want, 'S', ID3, "c.gcda\n", "d.gcda\n");
	ck_assert_str_eq(ledger_text(), want);

	/* Replayed: run 3's R write of c.gcda dropped run 2's record. */
	ck_assert(ledger_load(dirfd_, dir, &ledger, &err));
	ck_assert_uint_eq(ledger.n, 3);
	ck_assert(ledger_has(&ledger, ID1, "a b.gcda"));
	ck_assert(!ledger_has(&ledger, ID2, "c.gcda"));
	ck_assert(ledger_has(&ledger, ID3, "c.gcda"));
	ck_assert(ledger_has(&ledger, ID3, "d.gcda"));
	ledger_free(&ledger);
	ck_assert(ledger_load_run(dirfd_, dir, ID2, &ledger, &err));
	ck_assert(!ledger_has(&ledger, ID2, "c.gcda"));
	ledger_free(&ledger);
}
END_TEST

START_TEST(test_ledger_pending_fields)
{
	/* Invariant: an intent stored before its rename is a pending record
	 * "<R|M> <16 hex digest> <identity> <name>" of a P batch, and it
	 * does not count as a merged run until settled. */
	struct ledger ledger;
	struct error err = { 0 };
	char want[8192] = "", body[8192] = "";

	ck_assert(ledger_load(dirfd_, dir, &ledger, &err));
	ck_assert(ledger_intend(&ledger, ID1, "x.gcda", false,
				0x0123456789abcdefULL, &err));
	ck_assert(!ledger_has(&ledger, ID1, "x.gcda"));
	ck_assert(ledger_store(dirfd_, dir, &ledger, &err));
	ledger_free(&ledger);
	batch(body, 'P', NOID, "M 0123456789abcdef " ID1 " x.gcda\n", "");
	header3(want, 32 + strlen(body));
	strcat(want, body);
	ck_assert_str_eq(ledger_text(), want);
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

START_TEST(test_ledger_v3_pending_settles_by_file)
{
	/* Invariant: the same in version 3, where the killed writer's P
	 * batch is the last one: settled by the files, for the run's own
	 * load too, and the next store appends the outcome (an S batch of
	 * the settled record) before its own P batch. */
	struct ledger ledger;
	struct error err = { 0 };
	char text[8192] = "", body[8192] = "", rec[512];
	uint64_t digest = ledger_digest((const uint8_t *)"new", 3);

	batch(body, 'S', ID2, "r.gcda\nk.gcda\n", "");
	snprintf(rec, sizeof(rec),
		 "R %016llx " ID1 " r.gcda\nR %016llx " ID1 " k.gcda\n",
		 (unsigned long long)digest, (unsigned long long)digest);
	batch(body, 'P', NOID, rec, "");
	header3(text, 32);
	strcat(text, body);
	put(LEDGER_NAME, text, strlen(text));
	put("r.gcda", "new", 3);
	put("k.gcda", "old", 3);
	for (int run = 0; run < 2; run++) {
		ck_assert_msg(
			run ? ledger_load_run(dirfd_, dir, ID1, &ledger, &err)
			    : ledger_load(dirfd_, dir, &ledger, &err),
			"%s", err.text);
		ck_assert(ledger_has(&ledger, ID1, "r.gcda"));
		ck_assert(!ledger_has(&ledger, ID1, "k.gcda"));
		if (!run) {
			ck_assert(!ledger_has(&ledger, ID2, "r.gcda"));
			ck_assert(ledger_has(&ledger, ID2, "k.gcda"));
		}
		for (size_t i = 0; i < ledger.n; i++)
			ck_assert(!ledger.entries[i].pending);
		if (!run)
			ledger_free(&ledger);
	}
	ck_assert(ledger_intend(&ledger, ID3, "k.gcda", false, 5, &err));
	ck_assert_msg(ledger_store(dirfd_, dir, &ledger, &err), "%s", err.text);
	ledger_free(&ledger);
	batch(text, 'S', ID1, "r.gcda\n", "");
	batch(text, 'P', NOID, "M 0000000000000005 " ID3 " k.gcda\n", "");
	ck_assert_str_eq(ledger_text(), text);
}
END_TEST

START_TEST(test_ledger_v2_rewritten_as_v3)
{
	/* Invariant: a version 2 ledger is read, and the next store writes
	 * it whole as version 3 with the same runs. */
	static const char text[] = "hvcov-ledger 2\n" ID1 " a.gcda\n" ID2
				   " a.gcda\n" ID1 " b.gcda\n";
	struct ledger ledger;
	struct error err = { 0 };
	char want[8192] = "", body[8192] = "";

	put(LEDGER_NAME, text, sizeof(text) - 1);
	ck_assert(ledger_load_run(dirfd_, dir, ID3, &ledger, &err));
	ck_assert(ledger_intend(&ledger, ID3, "c.gcda", true, 1, &err));
	ck_assert(ledger_store(dirfd_, dir, &ledger, &err));
	ck_assert(ledger_settle(&ledger, "c.gcda", &err));
	ck_assert(ledger_store(dirfd_, dir, &ledger, &err));
	ledger_free(&ledger);
	batch(body, 'S', ID1, "", "a.gcda\n");
	batch(body, 'S', ID2, "", "a.gcda\n");
	batch(body, 'S', ID1, "", "b.gcda\n");
	batch(body, 'P', NOID, "R 0000000000000001 " ID3 " c.gcda\n", "");
	header3(want, 32 + strlen(body));
	strcat(want, body);
	batch(want, 'S', ID3, "c.gcda\n", "");
	ck_assert_str_eq(ledger_text(), want);
}
END_TEST

/* Version 3 ledgers whose last write a crash cut short: the intact
 * batches before it count, the rest is cut off by the next store.  Returns
 * the length of text. */
static size_t torn(char *text, int kind)
{
	char cut[8192] = "";
	size_t len;

	header3(text, 32);
	batch(text, 'S', ID1, "", "a.gcda\n");
	batch(cut, 'S', ID2, "", "a.gcda\n");
	switch (kind) {
	case 0: /* half a header */
		cut[40] = '\0';
		break;
	case 1: /* the body cut */
		cut[strlen(cut) - 3] = '\0';
		break;
	case 2: /* the body zeroed: its hash fails */
		memset(cut + 89, '0', strlen(cut) - 90);
		break;
	case 3: /* zero bytes (a file system that extended the file before
		 * its data reached the disk) */
		len = strlen(text);
		memset(text + len, 0, 300);
		return len + 300;
	default: /* a block of garbage instead of the batch */
		memset(cut, '\0', sizeof(cut));
		memset(cut, '0', 100);
		break;
	}
	strcat(text, cut);
	return strlen(text);
}

START_TEST(test_ledger_torn_tail_ignored)
{
	/* Invariant: see torn(); the run in the torn batch is not there,
	 * and an append starts where the intact batches end. */
	struct ledger ledger;
	struct error err = { 0 };
	char text[8192], want[8192];

	put(LEDGER_NAME, text, torn(text, _i));
	ck_assert_msg(ledger_load_run(dirfd_, dir, ID2, &ledger, &err), "%s",
		      err.text);
	ck_assert(!ledger_has(&ledger, ID2, "a.gcda"));
	ck_assert(ledger_intend(&ledger, ID2, "a.gcda", false, 3, &err));
	ck_assert(ledger_store(dirfd_, dir, &ledger, &err));
	ledger_free(&ledger);
	header3(want, 32);
	batch(want, 'S', ID1, "", "a.gcda\n");
	batch(want, 'P', NOID, "M 0000000000000003 " ID2 " a.gcda\n", "");
	ck_assert_str_eq(ledger_text(), want);
}
END_TEST

/* Damaged version 3 ledgers: refused, whatever the run loading them. */
static void damaged3(char *text, int kind)
{
	char b1[8192] = "";

	header3(text, 32);
	batch(b1, 'S', ID1, "", "a.gcda\n");
	switch (kind) {
	case 0: /* a damaged batch before intact ones */
		b1[92] = 'x';
		strcat(text, b1);
		batch(text, 'S', ID2, "", "a.gcda\n");
		batch(text, 'S', ID2, "", "b.gcda\n");
		break;
	case 1: /* a damaged header before an intact batch */
		strcat(text, b1);
		strcat(text, "B S garbage\n");
		batch(text, 'S', ID2, "", "a.gcda\n");
		break;
	case 2: /* an empty name */
		batch(text, 'S', ID1, "", "a.gcda\n\n");
		break;
	case 3: /* a P record without a digest */
		batch(text, 'P', NOID, "M " ID1 " a.gcda\n", "");
		break;
	case 4: /* a P batch with an M part */
		batch(text, 'P', NOID, "",
		      "M 0000000000000001 " ID1 " a.gcda\n");
		break;
	case 5: /* a part without its final newline */
		batch(text, 'S', ID1, "a.gcda", "b.gcda\n");
		break;
	default: /* a bad base */
		text[20] = 'g';
		break;
	}
}

START_TEST(test_ledger_v3_damaged_refused)
{
	/* Invariant: see damaged3(_i); for a full load and a run's load. */
	char text[8192];

	damaged3(text, _i);
	put(LEDGER_NAME, text, strlen(text));
	for (int run = 0; run < 2; run++) {
		struct ledger ledger;
		struct error err = { 0 };

		ck_assert_msg(
			!(run ? ledger_load_run(dirfd_, dir, ID1, &ledger, &err)
			      : ledger_load(dirfd_, dir, &ledger, &err)),
			"damaged ledger %d was read", _i);
		ck_assert_msg(strstr(err.text, "unusable") &&
				      strstr(err.text, dir),
			      "%s", err.text);
	}
}
END_TEST

/* One run's two stores, as the writer makes them, of names name0..n-1. */
static void run_stores(const char *identity, int n, bool replace)
{
	struct ledger ledger;
	struct error err = { 0 };
	char name[32];

	ck_assert_msg(ledger_load_run(dirfd_, dir, identity, &ledger, &err),
		      "%s", err.text);
	for (int i = 0; i < n; i++) {
		snprintf(name, sizeof(name), "name%d.gcda", i);
		ck_assert(!ledger_has(&ledger, identity, name));
		ck_assert(ledger_intend(&ledger, identity, name, replace,
					(uint64_t)i, &err));
	}
	ck_assert_msg(ledger_store(dirfd_, dir, &ledger, &err), "%s", err.text);
	for (int i = 0; i < n; i++) {
		snprintf(name, sizeof(name), "name%d.gcda", i);
		ck_assert(ledger_settle(&ledger, name, &err));
	}
	ck_assert_msg(ledger_store(dirfd_, dir, &ledger, &err), "%s", err.text);
	ledger_free(&ledger);
}

static void run_id(char *identity, int k)
{
	snprintf(identity, LEDGER_IDENTITY_LEN + 1, "%016x-%016x", k, k);
}

START_TEST(test_ledger_merge_appends)
{
	/* Invariant: a merge's stores append to the ledger, whatever it
	 * already holds (before, every store rewrote the whole file: a
	 * merge into 100 runs cost 1.55x one into 2): same file, the old
	 * bytes a prefix of the new; every run is still found. */
	char identity[LEDGER_IDENTITY_LEN + 1], *before;
	struct ledger ledger;
	struct error err = { 0 };
	struct stat st0, st1;
	size_t len;
	int fd;

	for (int k = 1; k <= 3; k++) {
		run_id(identity, k);
		run_stores(identity, 20, k == 1);
	}
	/* Held open across the run: a rename would leave it unlinked. */
	fd = openat(dirfd_, LEDGER_NAME, O_RDONLY);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(fstat(fd, &st0), 0);
	before = strdup(ledger_text());
	len = strlen(before);
	run_id(identity, 4);
	run_stores(identity, 20, false);
	ck_assert_int_eq(fstat(fd, &st1), 0);
	close(fd);
	ck_assert_int_eq(st1.st_nlink, 1);
	ck_assert_int_gt(st1.st_size, st0.st_size);
	ck_assert(!strncmp(ledger_text(), before, len));
	free(before);
	ck_assert(ledger_load(dirfd_, dir, &ledger, &err));
	ck_assert_uint_eq(ledger.n, 80);
	for (int k = 1; k <= 4; k++) {
		run_id(identity, k);
		ck_assert(ledger_has(&ledger, identity, "name19.gcda"));
	}
	ledger_free(&ledger);
}
END_TEST

START_TEST(test_ledger_compaction)
{
	/* Invariant: a ledger that replacing runs grow with dropped records
	 * is rewritten (compacted) once it passes twice its last whole size
	 * plus 256 KiB, so it stays bounded, and keeps exactly the records
	 * that count: here the last run's. */
	char identity[LEDGER_IDENTITY_LEN + 1];
	struct ledger ledger;
	struct error err = { 0 };
	struct stat st;
	off_t largest = 0;
	bool compacted = false;

	for (int k = 1; k <= 80; k++) {
		run_id(identity, k);
		run_stores(identity, 100, true);
		ck_assert_int_eq(fstatat(dirfd_, LEDGER_NAME, &st, 0), 0);
		compacted |= st.st_size < largest;
		if (st.st_size > largest)
			largest = st.st_size;
	}
	ck_assert(compacted);
	ck_assert_int_lt(largest, 2 * (256 << 10) + 64 * 1024);
	ck_assert(ledger_load(dirfd_, dir, &ledger, &err));
	ck_assert_uint_eq(ledger.n, 100);
	for (size_t i = 0; i < ledger.n; i++)
		ck_assert_str_eq(ledger.entries[i].identity, identity);
	ledger_free(&ledger);
}
END_TEST

START_TEST(test_ledger_digest_is_fnv1a)
{
	/* Invariant: the digest of pending records, and the run identity's
	 * hash of counters, are 64-bit FNV-1a as documented, whatever the
	 * loops that compute them: the published vectors, every length
	 * around the eight-byte rounds, and an integer folded as its
	 * little-endian bytes. */
	uint8_t bytes[40];
	uint64_t value = 0x0123456789abcdefULL;

	ck_assert_uint_eq(ledger_digest((const uint8_t *)"", 0),
			  0xcbf29ce484222325ULL);
	ck_assert_uint_eq(ledger_digest((const uint8_t *)"a", 1),
			  0xaf63dc4c8601ec8cULL);
	ck_assert_uint_eq(ledger_digest((const uint8_t *)"foobar", 6),
			  0x85944171f73967e8ULL);
	for (size_t i = 0; i < sizeof(bytes); i++)
		bytes[i] = (uint8_t)(i * 37 + 11);
	for (size_t len = 0; len <= sizeof(bytes); len++)
		ck_assert_uint_eq(
			ledger_digest(bytes, len),
			fnv(0xcbf29ce484222325ULL, (const char *)bytes, len));
	for (unsigned n = 0; n <= 8; n++) {
		for (unsigned i = 0; i < n; i++)
			bytes[i] = (uint8_t)(value >> (8 * i));
		ck_assert_uint_eq(
			hash_fnv_int(HASH_FNV_OFFSET, value, n),
			fnv(0xcbf29ce484222325ULL, (const char *)bytes, n));
	}
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
	tcase_add_test(tc, test_ledger_v3_pending_settles_by_file);
	tcase_add_test(tc, test_ledger_v2_rewritten_as_v3);
	tcase_add_loop_test(tc, test_ledger_torn_tail_ignored, 0, 5);
	tcase_add_loop_test(tc, test_ledger_v3_damaged_refused, 0, 7);
	tcase_add_test(tc, test_ledger_merge_appends);
	tcase_add_test(tc, test_ledger_compaction);
	tcase_add_test(tc, test_ledger_digest_is_fnv1a);
	tcase_add_test(tc, test_ledger_version1_read);
	tcase_add_loop_test(tc, test_ledger_damaged_refused, 0,
			    (int)(sizeof(damaged) / sizeof(damaged[0])));
	tcase_add_test(tc, test_ledger_symlink_refused);
	suite_add_tcase(suite, tc);
	return suite;
}
