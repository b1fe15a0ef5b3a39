/* SPDX-License-Identifier: BSD-2-Clause */
/* Path confinement (design.md decision 3): what an image may name, and
 * that the directory walk cannot be redirected by a planted symlink. */
#include <check.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/test-temp.h"
#include "write/outpath.h"

static char scratch[128]; /* mkdtemp; the buffers below are larger */

static void setup(void)
{
	test_temp_template(scratch, sizeof(scratch), "outpath");
	ck_assert_ptr_nonnull(mkdtemp(scratch));
}

static void teardown(void)
{
	char cmd[PATH_MAX + 16];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", scratch);
	if (system(cmd) != 0)
		fprintf(stderr, "cannot remove %s\n", scratch);
}

/* Resolve and expect a data refusal whose message holds `needle`. */
static void expect_refused(const char *path, const char *root, unsigned strip,
			   const char *needle)
{
	struct error err = { 0 };
	struct outpath out;

	ck_assert_msg(!outpath_resolve(path, root, strip, &out, &err),
		      "accepted %s", path);
	ck_assert_int_eq(err.status, HVCOV_EXIT_DATA);
	ck_assert_msg(strstr(err.text, needle),
		      "%s: message \"%s\" lacks \"%s\"", path, err.text,
		      needle);
}

START_TEST(test_outpath_relative)
{
	/* Invariant: a relative name is refused; it would be resolved
	 * against whatever directory hvcov happens to run in. */
	expect_refused("build/a.gcda", "/out", 0, "not absolute");
	expect_refused("a.gcda", NULL, 0, "not absolute");
}
END_TEST

START_TEST(test_outpath_dot_components)
{
	/* Invariant: "." and ".." components are refused anywhere, so no
	 * mapping below the root can climb out of it. */
	expect_refused("/b/../../etc/a.gcda", "/out", 0, "\"..\"");
	expect_refused("/b/./a.gcda", "/out", 0, "\"..\"");
	expect_refused("/..", "/out", 0, "\"..\"");
	expect_refused("/b/../a.gcda", "/out", 1, "\"..\"");
}
END_TEST

START_TEST(test_outpath_not_normalised)
{
	/* Invariant: only the one normal spelling of a path is accepted:
	 * no "//" and no trailing slash. */
	expect_refused("/b//a.gcda", "/out", 0, "(//)");
	expect_refused("//a.gcda", "/out", 0, "(//)");
	expect_refused("/b/a.gcda/", "/out", 0, "ends in a slash");
}
END_TEST

START_TEST(test_outpath_not_gcda)
{
	/* Invariant: only NAME.gcda with a non-empty NAME is writable; the
	 * image cannot make hvcov write any other kind of file. */
	expect_refused("/b/a.gcno", "/out", 0, "NAME.gcda");
	expect_refused("/b/.gcda", "/out", 0, "NAME.gcda");
	expect_refused("/b/a.gcda.sh", "/out", 0, "NAME.gcda");
	expect_refused("/", "/out", 0, "slash");
	expect_refused("", "/out", 0, "empty");
}
END_TEST

START_TEST(test_outpath_control_characters)
{
	/* Invariant: control bytes are refused and never reach the message
	 * raw (it is one line on a terminal). */
	struct error err = { 0 };
	struct outpath out;

	expect_refused("/b/a\nb.gcda", "/out", 0, "control character");
	expect_refused("/b/\x1b[2Ja.gcda", "/out", 0, "\\x1b");
	ck_assert(!outpath_resolve("/b/x\ty.gcda", NULL, 0, &out, &err));
	ck_assert_ptr_null(strchr(err.text, '\t'));
	ck_assert_ptr_nonnull(strstr(err.text, "x\\x09y"));
}
END_TEST

START_TEST(test_outpath_too_long)
{
	/* Invariant: a name that cannot be opened (PATH_MAX) is refused
	 * up front, also when the output root makes it too long. */
	static char path[PATH_MAX + 8];

	memset(path, 'a', sizeof(path));
	path[0] = '/';
	strcpy(path + PATH_MAX, ".gcda");
	expect_refused(path, "/out", 0, "PATH_MAX");
	memset(path, 'a', PATH_MAX - 10);
	for (size_t i = 0; i < PATH_MAX - 10; i += 200)
		path[i] = '/'; /* components within NAME_MAX */
	strcpy(path + PATH_MAX - 10, ".gcda");
	expect_refused(path, "/a/long/root", 0, "PATH_MAX");
	/* One component over NAME_MAX, the whole under PATH_MAX: refused
	 * here, not by the rename after other files were written. */
	memset(path, 'a', 300);
	path[0] = '/';
	strcpy(path + 300, ".gcda");
	expect_refused(path, "/out", 0, "NAME_MAX");
	memcpy(path + 280, "/x.gcda", 8);
	expect_refused(path, "/out", 0, "NAME_MAX");
	/* hvcov's own names are not an object's. */
	expect_refused("/a/.hvcov-tmp.1.2.gcda", "/out", 0, "reserved");
	expect_refused("/a/.hvcov-lease/x.gcda", "/out", 0, "reserved");
}
END_TEST

START_TEST(test_outpath_strip)
{
	/* Invariant: --strip N drops N directories like GCOV_PREFIX_STRIP
	 * and may never eat the file name. */
	struct error err = { 0 };
	struct outpath out;

	ck_assert(outpath_resolve("/h/src/arch/x.gcda", "/out", 2, &out, &err));
	ck_assert_str_eq(out.display, "/out/arch/x.gcda");
	ck_assert_str_eq(out.rel_dir, "arch");
	outpath_free(&out);
	ck_assert(outpath_resolve("/h/src/arch/x.gcda", "/out", 3, &out, &err));
	ck_assert_str_eq(out.display, "/out/x.gcda");
	ck_assert_str_eq(out.rel_dir, "");
	outpath_free(&out);
	expect_refused("/h/src/arch/x.gcda", "/out", 4, "--strip 4");
	expect_refused("/x.gcda", "/out", 1, "--strip 1");
	/* Without -o, stripping is relative to the working directory, as
	 * libgcov does for GCOV_PREFIX_STRIP alone. */
	ck_assert(outpath_resolve("/h/src/x.gcda", NULL, 1, &out, &err));
	ck_assert_str_eq(out.display, "./src/x.gcda");
	ck_assert(!out.in_place);
	outpath_free(&out);
}
END_TEST

START_TEST(test_outpath_in_place)
{
	/* Invariant: without -o the path is used as is, and a directory
	 * that does not exist is refused rather than created from image
	 * data anywhere in the file system. */
	struct error err = { 0 };
	struct outpath out;
	char path[PATH_MAX];
	unsigned created;
	int fd;

	snprintf(path, sizeof(path), "%s/x.gcda", scratch);
	ck_assert(outpath_resolve(path, NULL, 0, &out, &err));
	ck_assert_str_eq(out.display, path);
	ck_assert(outpath_open_dir(&out, true, &fd, &created, &err));
	ck_assert_int_ge(fd, 0);
	ck_assert_uint_eq(created, 0);
	close(fd);
	outpath_free(&out);

	snprintf(path, sizeof(path), "%s/missing/x.gcda", scratch);
	ck_assert(outpath_resolve(path, NULL, 0, &out, &err));
	ck_assert(!outpath_open_dir(&out, true, &fd, &created, &err));
	ck_assert_int_eq(err.status, HVCOV_EXIT_DATA);
	ck_assert_ptr_nonnull(strstr(err.text, "does not exist"));
	snprintf(path, sizeof(path), "%s/missing", scratch);
	ck_assert_int_ne(access(path, F_OK), 0);
	outpath_free(&out);
}
END_TEST

START_TEST(test_outpath_create_and_undo)
{
	/* Invariant: below an output root missing directories are made
	 * (the root too), counted, and an abandoned write removes exactly
	 * those again. */
	struct error err = { 0 };
	struct outpath out;
	char root[PATH_MAX], probe[PATH_MAX + 32];
	unsigned created;
	int fd;

	snprintf(root, sizeof(root), "%s/out", scratch);
	ck_assert(outpath_resolve("/a/b/x.gcda", root, 0, &out, &err));
	ck_assert(outpath_open_dir(&out, false, &fd, &created, &err));
	ck_assert_int_eq(fd, -1);
	ck_assert_int_ne(access(root, F_OK), 0);
	ck_assert(outpath_open_dir(&out, true, &fd, &created, &err));
	ck_assert_int_ge(fd, 0);
	ck_assert_uint_eq(created, 3);
	close(fd);
	snprintf(probe, sizeof(probe), "%s/a/b", root);
	ck_assert_int_eq(access(probe, F_OK), 0);
	outpath_remove_created(&out, created);
	ck_assert_int_ne(access(root, F_OK), 0);
	outpath_free(&out);
}
END_TEST

START_TEST(test_outpath_symlink_inside_tree)
{
	/* Invariant: a symlink planted inside the output tree is refused
	 * (status 1), and nothing is created where it points. */
	struct error err = { 0 };
	struct outpath out;
	char root[PATH_MAX], link[PATH_MAX + 8], away[PATH_MAX],
		probe[PATH_MAX + 8];
	unsigned created;
	int fd;

	snprintf(root, sizeof(root), "%s/out", scratch);
	snprintf(away, sizeof(away), "%s/away", scratch);
	snprintf(link, sizeof(link), "%s/a", root);
	ck_assert_int_eq(mkdir(root, 0777), 0);
	ck_assert_int_eq(mkdir(away, 0777), 0);
	ck_assert_int_eq(symlink(away, link), 0);
	ck_assert(outpath_resolve("/a/b/x.gcda", root, 0, &out, &err));
	ck_assert(!outpath_open_dir(&out, true, &fd, &created, &err));
	ck_assert_int_eq(err.status, HVCOV_EXIT_DATA);
	ck_assert_msg(strstr(err.text, "symlink"), "%s", err.text);
	snprintf(probe, sizeof(probe), "%s/b", away);
	ck_assert_int_ne(access(probe, F_OK), 0);
	outpath_free(&out);
}
END_TEST

START_TEST(test_outpath_root_symlink_allowed)
{
	/* Invariant: the output root itself is the user's choice and may be
	 * a symlink; the walk below it still works. */
	struct error err = { 0 };
	struct outpath out;
	char real[PATH_MAX], link[PATH_MAX], probe[PATH_MAX + 8];
	unsigned created;
	int fd;

	snprintf(real, sizeof(real), "%s/real", scratch);
	snprintf(link, sizeof(link), "%s/link", scratch);
	ck_assert_int_eq(mkdir(real, 0777), 0);
	ck_assert_int_eq(symlink(real, link), 0);
	ck_assert(outpath_resolve("/a/x.gcda", link, 0, &out, &err));
	ck_assert_msg(outpath_open_dir(&out, true, &fd, &created, &err), "%s",
		      err.text);
	ck_assert_uint_eq(created, 1);
	close(fd);
	snprintf(probe, sizeof(probe), "%s/a", real);
	ck_assert_int_eq(access(probe, F_OK), 0);
	outpath_free(&out);
}
END_TEST

START_TEST(test_outpath_quote)
{
	/* Invariant: quoting escapes quotes, backslashes and non-ASCII and
	 * truncates visibly instead of overflowing. */
	char buf[16];

	ck_assert_str_eq(outpath_quote("a\"b\\c\xff", buf, sizeof(buf)),
			 "\"a\\\"b\\\\c\\xff\"");
	ck_assert_str_eq(outpath_quote("0123456789abcdef", buf, sizeof(buf)),
			 "\"0123456789...\"");
}
END_TEST

START_TEST(test_outpath_quote_tiny_buffers)
{
	/* Invariant: every buffer size from 0 up is respected, even those
	 * too small for the "..." of a truncation (the fuzzer found a write
	 * one past a 5-byte buffer).  Each size gets its own exact-size heap
	 * block, so that a sanitizer build sees any overflow. */
	static const char *const want[] = {
		NULL,     "",        "",         "\"\"",      "\".\"",
		"\"..\"", "\"...\"", "\"0...\"", "\"01...\"",
	};

	for (size_t size = 0; size < sizeof(want) / sizeof(want[0]); size++) {
		char *buf = malloc(size ? size : 1);

		ck_assert_ptr_nonnull(buf);
		outpath_quote("0123456789", buf, size);
		if (want[size])
			ck_assert_msg(!strcmp(buf, want[size]),
				      "size %zu: %s, want %s", size, buf,
				      want[size]);
		free(buf);
	}
}
END_TEST

Suite *suite_outpath(void)
{
	Suite *suite = suite_create("outpath");
	TCase *tc = tcase_create("outpath");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_outpath_relative);
	tcase_add_test(tc, test_outpath_dot_components);
	tcase_add_test(tc, test_outpath_not_normalised);
	tcase_add_test(tc, test_outpath_not_gcda);
	tcase_add_test(tc, test_outpath_control_characters);
	tcase_add_test(tc, test_outpath_too_long);
	tcase_add_test(tc, test_outpath_strip);
	tcase_add_test(tc, test_outpath_in_place);
	tcase_add_test(tc, test_outpath_create_and_undo);
	tcase_add_test(tc, test_outpath_symlink_inside_tree);
	tcase_add_test(tc, test_outpath_root_symlink_allowed);
	tcase_add_test(tc, test_outpath_quote);
	tcase_add_test(tc, test_outpath_quote_tiny_buffers);
	suite_add_tcase(suite, tc);
	return suite;
}
