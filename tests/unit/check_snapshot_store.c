/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The snapshot store's on-disk formats (live/snapshot-store.h): the index
 * (index.tsv, one line per snapshot) and a snapshot's counters file, each
 * written and read back field by field; the crash-consistency rules (a
 * snapshot exists only once published and indexed, leftovers of a killed
 * run go at the next open); and every damaged file refused with a message
 * naming it, never read as something else.
 */
#include <check.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/bytes.h"
#include "base/error.h"
#include "hvcov/descriptor.h"
#include "lib/test-temp.h"
#include "live/snapshot-store.h"

#define BOOT 0x00000000c0ffee01ULL
#define DIGEST 0x1122334455667788ULL

static char root[256];

static void setup(void)
{
	test_temp_template(root, sizeof(root), "store");
	ck_assert_ptr_nonnull(mkdtemp(root));
}

static void teardown(void)
{
	char cmd[300];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
	if (system(cmd) != 0)
		fprintf(stderr, "cannot remove %s\n", root);
}

static char *path_of(const char *rel)
{
	static char path[512];

	snprintf(path, sizeof(path), "%s/%s", root, rel);
	return path;
}

static char *read_text(const char *rel, size_t *len)
{
	static char text[8192];
	int fd = open(path_of(rel), O_RDONLY);
	ssize_t n;

	ck_assert_int_ge(fd, 0);
	n = read(fd, text, sizeof(text) - 1);
	close(fd);
	ck_assert_int_ge(n, 0);
	text[n] = '\0';
	if (len)
		*len = (size_t)n;
	return text;
}

static void write_text(const char *rel, const void *bytes, size_t len)
{
	int fd = open(path_of(rel), O_WRONLY | O_CREAT | O_TRUNC, 0644);

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, bytes, len), (ssize_t)len);
	close(fd);
}

/* One published, indexed snapshot: seq 1 of BOOT, tagged "boot". */
static void take_one(struct store *store, const uint64_t *values, size_t n)
{
	struct store_record record = {
		.seq = 1,
		.time = "2026-11-30T04:00:00.000Z",
		.boot_id = BOOT,
		.state = HVCOV_STATE_RUNNING,
		.tag = "boot",
		.counters = n,
		.arcs = 4,
		.arcs_executed = 3,
		.new_arcs = 2,
		.new_counters = 1,
	};
	struct error err = { 0 };
	char rel[128], build[128], dir[512];

	ck_assert_msg(store_make_dir(store, 1, BOOT, "boot", rel, sizeof(rel),
				     build, sizeof(build), &err),
		      "%s", err.text);
	ck_assert(store_path(store, build, NULL, dir, sizeof(dir), &err));
	ck_assert_msg(store_write_counters(dir, BOOT, DIGEST, values, n, &err),
		      "%s", err.text);
	ck_assert_msg(store_publish(store, build, rel, &err), "%s", err.text);
	record.dir = rel;
	ck_assert_msg(store_append(store, &record, &err), "%s", err.text);
}

START_TEST(test_store_index_round_trip)
{
	/* Invariant: a new store's index starts with its header; a snapshot
	 * appends exactly one line with every field in the documented order;
	 * reopened, the store knows the snapshot as the boot's last. */
	static const uint64_t values[] = { 0, 1, UINT64_MAX };
	struct store store;
	struct error err = { 0 };
	char *text, *line;

	ck_assert_msg(store_open(&store, root, &err), "%s", err.text);
	take_one(&store, values, 3);
	store_close(&store);
	text = read_text(STORE_INDEX, NULL);
	ck_assert_msg(!strncmp(text, "# hvcov snapshot index 1\n", 25), "%s",
		      text);
	line = strstr(text, "\n1\t");
	ck_assert_ptr_nonnull(line);
	ck_assert_str_eq(
		line + 1,
		"1\t2026-11-30T04:00:00.000Z\t00000000c0ffee01\trunning\tboot-00000000c0ffee01/0001-boot\tboot\t-\t3\t4\t3\t2\t1\n");

	ck_assert_msg(store_open(&store, root, &err), "%s", err.text);
	ck_assert_uint_eq(store.n, 1);
	ck_assert_uint_eq(store.last_seq, 1);
	ck_assert_uint_eq(store.entries[0].boot_id, BOOT);
	ck_assert_str_eq(store_previous(&store, BOOT),
			 "boot-00000000c0ffee01/0001-boot");
	ck_assert_ptr_null(store_previous(&store, BOOT + 1));
	store_close(&store);
}
END_TEST

START_TEST(test_store_counters_round_trip)
{
	/* Invariant: the counters file is the documented 40-byte
	 * little-endian header (magic, format 1, boot id, map digest, count)
	 * and the values; it reads back only for the same boot, digest and
	 * count. */
	static const uint64_t values[] = { 0, 1, UINT64_MAX,
					   0x0102030405060708ULL };
	uint64_t back[4] = { 0 };
	struct store store;
	struct error err = { 0 };
	const char *rel = "boot-00000000c0ffee01/0001-boot";
	char dir[512];
	size_t len;
	const uint8_t *bytes;

	ck_assert(store_open(&store, root, &err));
	take_one(&store, values, 4);
	ck_assert(store_path(&store, rel, NULL, dir, sizeof(dir), &err));
	bytes = (const uint8_t *)read_text(
		"boot-00000000c0ffee01/0001-boot/" STORE_COUNTERS, &len);
	ck_assert_uint_eq(len, 40 + 4 * 8);
	ck_assert(!memcmp(bytes, "HVCOVCNT", 8));
	ck_assert_uint_eq(bytes_get32(bytes + 8, false), 1);
	ck_assert_uint_eq(bytes_get32(bytes + 12, false), 0);
	ck_assert_uint_eq(bytes_get64(bytes + 16, false), BOOT);
	ck_assert_uint_eq(bytes_get64(bytes + 24, false), DIGEST);
	ck_assert_uint_eq(bytes_get64(bytes + 32, false), 4);
	ck_assert_uint_eq(bytes_get64(bytes + 40 + 16, false), UINT64_MAX);
	ck_assert_uint_eq(bytes_get64(bytes + 40 + 24, false),
			  0x0102030405060708ULL);

	ck_assert_msg(store_read_counters(dir, BOOT, DIGEST, back, 4, &err),
		      "%s", err.text);
	ck_assert(!memcmp(back, values, sizeof(values)));
	ck_assert(!store_read_counters(dir, BOOT + 1, DIGEST, back, 4, &err));
	ck_assert_msg(strstr(err.text, "boot"), "%s", err.text);
	err = (struct error){ 0 };
	ck_assert(!store_read_counters(dir, BOOT, DIGEST + 1, back, 4, &err));
	ck_assert_msg(strstr(err.text, "another build"), "%s", err.text);
	err = (struct error){ 0 };
	ck_assert(!store_read_counters(dir, BOOT, DIGEST, back, 3, &err));
	ck_assert_msg(strstr(err.text, "another build"), "%s", err.text);
	store_close(&store);
}
END_TEST

/* Damage to a counters file of 2 counters, each to be refused. */
struct counters_damage {
	size_t at; /* byte to change, or SIZE_MAX: change the length */
	uint8_t value;
	size_t length;   /* with at == SIZE_MAX: the file's new length */
	const char *why; /* expected in the message */
};

static const struct counters_damage counters_damages[] = {
	{ 0, 'X', 0, "not an hvcov counters file" },
	{ 8, 2, 0, "not an hvcov counters file" },
	{ SIZE_MAX, 0, 20, "not an hvcov counters file" },
	{ SIZE_MAX, 0, 40 + 12, "ends after 1 of 2 counters" },
	{ SIZE_MAX, 0, 40 + 17, "bytes after its 2 counters" },
};

START_TEST(test_store_counters_damaged_refused)
{
	/* Invariant: see counters_damages[_i]: a counters file that is not
	 * whole and of this format is never read as counters. */
	const struct counters_damage *d = &counters_damages[_i];
	static const uint64_t values[] = { 5, 6 };
	uint8_t bytes[128];
	uint64_t back[2];
	struct store store;
	struct error err = { 0 };
	const char *rel = "boot-00000000c0ffee01/0001-boot";
	char dir[512], file[600];
	const char *text;
	size_t len;

	ck_assert(store_open(&store, root, &err));
	take_one(&store, values, 2);
	ck_assert(store_path(&store, rel, NULL, dir, sizeof(dir), &err));
	text = read_text("boot-00000000c0ffee01/0001-boot/" STORE_COUNTERS,
			 &len);
	memcpy(bytes, text, len);
	if (d->at == SIZE_MAX) {
		memset(bytes + len, 0, sizeof(bytes) - len);
		len = d->length;
	} else {
		bytes[d->at] = d->value;
	}
	snprintf(file, sizeof(file), "%s/" STORE_COUNTERS, rel);
	write_text(file, bytes, len);
	ck_assert(!store_read_counters(dir, BOOT, DIGEST, back, 2, &err));
	ck_assert_int_eq(err.status, HVCOV_EXIT_DATA);
	ck_assert_msg(strstr(err.text, d->why), "%s", err.text);
	store_close(&store);
}
END_TEST

static const char *const damaged_lines[] = {
	"1\t2026\t00000000c0ffee01\trunning\n",                  /* 4 fields */
	"0\t2026\t00000000c0ffee01\trunning\tboot-x/0000\t-\n",  /* seq 0 */
	"x\t2026\t00000000c0ffee01\trunning\tboot-x/0001\t-\n",  /* seq */
	"1\t2026\tnothex\trunning\tboot-x/0001\t-\n",            /* boot id */
	"1\t2026\t00000000c0ffee01\trunning\t/etc\t-\n",         /* absolute */
	"1\t2026\t00000000c0ffee01\trunning\tboot-x/../..\t-\n", /* up */
	"1\t2026\t00000000c0ffee01\trunning\t\t-\n",             /* empty dir */
};

START_TEST(test_store_index_damaged_refused)
{
	/* Invariant: see damaged_lines[_i]: an index line the store cannot
	 * trust is an error naming the index and the line, not skipped (a
	 * skipped line would restart a series and count a boot twice). */
	static const char header[] = "# hvcov snapshot index 1\n";
	struct store store;
	struct error err = { 0 };
	char text[512];

	snprintf(text, sizeof(text), "%s%s", header, damaged_lines[_i]);
	write_text(STORE_INDEX, text, strlen(text));
	ck_assert_msg(!store_open(&store, root, &err), "line %d was read", _i);
	ck_assert_int_eq(err.status, HVCOV_EXIT_DATA);
	ck_assert_msg(strstr(err.text, STORE_INDEX " line 2"), "%s", err.text);
}
END_TEST

START_TEST(test_store_leftovers_removed)
{
	/* Invariant: under the index lock, a snapshot being built by a
	 * killed run (BOOT/.hvcov-tmp-*) and a snapshot directory numbered
	 * past the index's last line are not snapshots and go; an indexed
	 * snapshot stays. */
	static const uint64_t values[] = { 1 };
	struct store store;
	struct error err = { 0 };
	struct stat st;

	ck_assert(store_open(&store, root, &err));
	take_one(&store, values, 1);
	store_close(&store);
	ck_assert_int_eq(
		mkdir(path_of("boot-00000000c0ffee01/.hvcov-tmp-2.999"), 0777),
		0);
	ck_assert_int_eq(
		mkdir(path_of("boot-00000000c0ffee01/0002-next"), 0777), 0);
	ck_assert_msg(store_open(&store, root, &err), "%s", err.text);
	store_close(&store);
	ck_assert_int_ne(
		stat(path_of("boot-00000000c0ffee01/.hvcov-tmp-2.999"), &st),
		0);
	ck_assert_int_ne(stat(path_of("boot-00000000c0ffee01/0002-next"), &st),
			 0);
	ck_assert_int_eq(stat(path_of("boot-00000000c0ffee01/0001-boot"), &st),
			 0);
}
END_TEST

START_TEST(test_store_locked_and_symlink_refused)
{
	/* Invariant: one writer at a time (the index lock), and an index
	 * that is a symbolic link is never followed. */
	struct store first, second;
	struct error err = { 0 };

	ck_assert(store_open(&first, root, &err));
	ck_assert(!store_open(&second, root, &err));
	ck_assert_msg(strstr(err.text, "in use"), "%s", err.text);
	store_close(&first);
	ck_assert_int_eq(unlink(path_of(STORE_INDEX)), 0);
	write_text("elsewhere", "# hvcov snapshot index 1\n", 25);
	ck_assert_int_eq(symlink("elsewhere", path_of(STORE_INDEX)), 0);
	err = (struct error){ 0 };
	ck_assert(!store_open(&second, root, &err));
	ck_assert_int_ne(err.status, HVCOV_EXIT_OK);
}
END_TEST

START_TEST(test_store_tags)
{
	/* Invariant: a tag is a safe single path component. */
	ck_assert(store_tag_valid("cells"));
	ck_assert(store_tag_valid("test_1.2-a"));
	ck_assert(!store_tag_valid(""));
	ck_assert(!store_tag_valid(".hidden"));
	ck_assert(!store_tag_valid("-option"));
	ck_assert(!store_tag_valid("a/b"));
	ck_assert(!store_tag_valid("a b"));
	ck_assert(!store_tag_valid("a\tb"));
	ck_assert(store_tag_valid(
		"0123456789012345678901234567890123456789012345678901234567890123"));
	ck_assert(!store_tag_valid(
		"01234567890123456789012345678901234567890123456789012345678901234"));
}
END_TEST

Suite *suite_snapshot_store(void)
{
	Suite *suite = suite_create("snapshot_store");
	TCase *tc = tcase_create("format");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_store_index_round_trip);
	tcase_add_test(tc, test_store_counters_round_trip);
	tcase_add_loop_test(
		tc, test_store_counters_damaged_refused, 0,
		(int)(sizeof(counters_damages) / sizeof(counters_damages[0])));
	tcase_add_loop_test(
		tc, test_store_index_damaged_refused, 0,
		(int)(sizeof(damaged_lines) / sizeof(damaged_lines[0])));
	tcase_add_test(tc, test_store_leftovers_removed);
	tcase_add_test(tc, test_store_locked_and_symlink_refused);
	tcase_add_test(tc, test_store_tags);
	suite_add_tcase(suite, tc);
	return suite;
}
