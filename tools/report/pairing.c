/* SPDX-License-Identifier: BSD-2-Clause */
#include "pairing.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "gcov/gcc-layout.h"
#include "gcov/model.h"
#include "write/outpath.h"

#define GCDA_MAGIC 0x67636461u /* "gcda" */
#define GCNO_MAGIC_WORD 0x67636e6fu

/* A bound on directory depth: a loop of bind mounts must not recurse
 * forever (symbolic links are never followed). */
#define PAIR_MAX_DEPTH 64

struct name_list {
	char **name; /* paths as found: dir/.../x.gcda */
	size_t n, cap;
};

static bool list_add(struct name_list *list, const char *path,
		     struct error *err)
{
	if (list->n == list->cap) {
		size_t cap = list->cap ? 2 * list->cap : 64;
		char **more = realloc(list->name, cap * sizeof(*more));

		if (!more)
			return error_set(err, HVCOV_EXIT_SYSTEM,
					 "out of memory");
		list->name = more;
		list->cap = cap;
	}
	if (!(list->name[list->n] = strdup(path)))
		return error_set(err, HVCOV_EXIT_SYSTEM, "out of memory");
	list->n++;
	return true;
}

static void list_free(struct name_list *list)
{
	for (size_t i = 0; i < list->n; i++)
		free(list->name[i]);
	free(list->name);
}

/* The path below its tree's root, without the separating slashes. */
static const char *below(const char *path, size_t root)
{
	path += root;
	while (*path == '/')
		path++;
	return path;
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t ls = strlen(s), lx = strlen(suffix);

	return ls > lx && !strcmp(s + ls - lx, suffix);
}

/* Every regular file ending in suffix below dir, symbolic links not
 * followed. */
static bool walk(const char *dir, const char *suffix, unsigned depth,
		 struct name_list *list, struct error *err)
{
	DIR *d;
	struct dirent *entry;
	bool ok = true;
	char quoted[256];

	if (depth > PAIR_MAX_DEPTH)
		return error_set(err, HVCOV_EXIT_DATA,
				 "%s: directories nested deeper than %d",
				 outpath_quote(dir, quoted, sizeof(quoted)),
				 PAIR_MAX_DEPTH);
	if (!(d = opendir(dir)))
		return error_errno(err, "cannot read %s",
				   outpath_quote(dir, quoted, sizeof(quoted)));
	while (ok && (errno = 0, entry = readdir(d))) {
		struct stat st;
		char *path;

		if (!strcmp(entry->d_name, ".") || !strcmp(entry->d_name, ".."))
			continue;
		path = malloc(strlen(dir) + strlen(entry->d_name) + 2);
		if (!path) {
			ok = error_set(err, HVCOV_EXIT_SYSTEM, "out of memory");
			break;
		}
		sprintf(path, "%s/%s", dir, entry->d_name);
		if (lstat(path, &st) != 0)
			ok = error_errno(
				err, "cannot stat %s",
				outpath_quote(path, quoted, sizeof(quoted)));
		else if (S_ISDIR(st.st_mode))
			ok = walk(path, suffix, depth + 1, list, err);
		else if (S_ISREG(st.st_mode) &&
			 ends_with(entry->d_name, suffix))
			ok = list_add(list, path, err);
		free(path);
	}
	if (ok && errno)
		ok = error_errno(err, "cannot read %s",
				 outpath_quote(dir, quoted, sizeof(quoted)));
	closedir(d);
	return ok;
}

/* How many trailing path components a and b (each without its extension
 * and its tree's root) have in common; *whole says one is a tail of the
 * other, component for component. */
static size_t common_tail(const char *a, size_t la, const char *b, size_t lb,
			  bool *whole)
{
	size_t n = 0;

	*whole = false;
	for (;;) {
		size_t ea = la, eb = lb;

		while (la && a[la - 1] != '/')
			la--;
		while (lb && b[lb - 1] != '/')
			lb--;
		if (ea - la != eb - lb || memcmp(a + la, b + lb, ea - la))
			return n;
		n++;
		if (!la || !lb) {
			*whole = true;
			return n;
		}
		la--, lb--; /* past the '/' */
		/* Repeated slashes count as one. */
		while (la && a[la - 1] == '/')
			la--;
		while (lb && b[lb - 1] == '/')
			lb--;
	}
}

/* The first three words of a .gcda or .gcno: magic, version, stamp, in
 * the byte order the magic shows (a cross compiler's target order). */
static bool read_words(const char *path, uint32_t magic, uint32_t *version,
		       uint32_t *stamp, struct error *err)
{
	unsigned char b[12];
	uint32_t w[3], s[3];
	char quoted[256];
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	ssize_t got;

	if (fd < 0)
		return error_errno(err, "cannot open %s",
				   outpath_quote(path, quoted, sizeof(quoted)));
	got = read(fd, b, sizeof(b));
	close(fd);
	if (got != (ssize_t)sizeof(b))
		return error_set(err, HVCOV_EXIT_DATA,
				 "%s: too short for a gcov file",
				 outpath_quote(path, quoted, sizeof(quoted)));
	for (int i = 0; i < 3; i++) {
		const unsigned char *p = b + 4 * i;

		w[i] = (uint32_t)p[0] | (uint32_t)p[1] << 8 |
		       (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
		s[i] = (uint32_t)p[3] | (uint32_t)p[2] << 8 |
		       (uint32_t)p[1] << 16 | (uint32_t)p[0] << 24;
	}
	if (w[0] != magic && s[0] != magic)
		return error_set(err, HVCOV_EXIT_DATA,
				 "%s: not a %s file (magic 0x%08x)",
				 outpath_quote(path, quoted, sizeof(quoted)),
				 magic == GCDA_MAGIC ? ".gcda" : ".gcno",
				 (unsigned)w[0]);
	*version = w[0] == magic ? w[1] : s[1];
	*stamp = w[0] == magic ? w[2] : s[2];
	return true;
}

static int compare_pairs(const void *a, const void *b)
{
	const struct report_pair *x = a, *y = b;

	/* Paired before never-run, then by .gcno path: a stable order for
	 * the manifest. */
	if (!x->gcda != !y->gcda)
		return x->gcda ? -1 : 1;
	return strcmp(x->gcno, y->gcno);
}

bool report_pair_trees(const char *gcda_dir, const char *build_dir,
		       struct report_pairs *pairs, struct error *err)
{
	struct name_list gcda = { 0 }, gcno = { 0 };
	size_t *owner = NULL; /* per .gcno: index of its .gcda + 1, or 0 */
	size_t root_a = strlen(gcda_dir), root_b = strlen(build_dir);
	char q1[256], q2[256], q3[256];
	bool ok = false;

	memset(pairs, 0, sizeof(*pairs));
	if (!walk(gcda_dir, ".gcda", 0, &gcda, err) ||
	    !walk(build_dir, ".gcno", 0, &gcno, err))
		goto out;
	if (!gcda.n) {
		error_set(err, HVCOV_EXIT_DATA,
			  "no .gcda file below %s (run hvcov extract first)",
			  outpath_quote(gcda_dir, q1, sizeof(q1)));
		goto out;
	}
	if (!(owner = calloc(gcno.n ? gcno.n : 1, sizeof(*owner))) ||
	    !(pairs->pair = calloc(gcda.n + gcno.n, sizeof(*pairs->pair)))) {
		error_set(err, HVCOV_EXIT_SYSTEM, "out of memory");
		goto out;
	}
	for (size_t i = 0; i < gcda.n; i++) {
		const char *a = below(gcda.name[i], root_a);
		size_t la = strlen(a) - strlen(".gcda"), best = 0, ties = 0;
		size_t pick = 0;
		struct report_pair *pair;
		uint32_t version = 0, stamp = 0;

		for (size_t j = 0; j < gcno.n; j++) {
			const char *b = below(gcno.name[j], root_b);
			bool whole;
			size_t n = common_tail(
				a, la, b, strlen(b) - strlen(".gcno"), &whole);

			if (!whole || n < best)
				continue;
			if (n > best)
				best = n, ties = 0, pick = j;
			ties++;
		}
		if (!best) {
			error_set(
				err, HVCOV_EXIT_DATA,
				"%s has no .gcno below %s: is that the build tree of the image?",
				outpath_quote(gcda.name[i], q1, sizeof(q1)),
				outpath_quote(build_dir, q2, sizeof(q2)));
			goto out;
		}
		if (ties > 1) {
			error_set(
				err, HVCOV_EXIT_DATA,
				"%s matches %zu .gcno files equally well below %s (give -b the build tree itself)",
				outpath_quote(gcda.name[i], q1, sizeof(q1)),
				ties, outpath_quote(build_dir, q2, sizeof(q2)));
			goto out;
		}
		if (owner[pick]) {
			error_set(
				err, HVCOV_EXIT_DATA,
				"%s and %s both belong to %s",
				outpath_quote(gcda.name[owner[pick] - 1], q1,
					      sizeof(q1)),
				outpath_quote(gcda.name[i], q2, sizeof(q2)),
				outpath_quote(gcno.name[pick], q3, sizeof(q3)));
			goto out;
		}
		owner[pick] = i + 1;
		pair = &pairs->pair[pairs->n++];
		pair->gcda = strdup(gcda.name[i]);
		pair->gcno = strdup(gcno.name[pick]);
		if (!pair->gcda || !pair->gcno) {
			error_set(err, HVCOV_EXIT_SYSTEM, "out of memory");
			goto out;
		}
		if (!read_words(pair->gcno, GCNO_MAGIC_WORD, &pair->version,
				&pair->stamp, err) ||
		    !read_words(pair->gcda, GCDA_MAGIC, &version, &stamp, err))
			goto out;
		if (version != pair->version || stamp != pair->stamp) {
			char va[16], vb[16];

			error_set(
				err, HVCOV_EXIT_DATA,
				"%s (GCC %s, stamp 0x%08x) is not from the compilation of %s (GCC %s, stamp 0x%08x): a stale .gcno or another build's tree; rebuild, or give -b the build the image ran",
				outpath_quote(pair->gcda, q1, sizeof(q1)),
				gcc_version_text(version, va, sizeof(va)),
				(unsigned)stamp,
				outpath_quote(pair->gcno, q2, sizeof(q2)),
				gcc_version_text(pair->version, vb, sizeof(vb)),
				(unsigned)pair->stamp);
			goto out;
		}
	}
	pairs->n_paired = pairs->n;
	for (size_t j = 0; j < gcno.n; j++) {
		struct report_pair *pair;

		if (owner[j])
			continue;
		pair = &pairs->pair[pairs->n++];
		if (!(pair->gcno = strdup(gcno.name[j]))) {
			error_set(err, HVCOV_EXIT_SYSTEM, "out of memory");
			goto out;
		}
		if (!read_words(pair->gcno, GCNO_MAGIC_WORD, &pair->version,
				&pair->stamp, err))
			goto out;
	}
	qsort(pairs->pair, pairs->n, sizeof(*pairs->pair), compare_pairs);
	ok = true;
out:
	if (!ok)
		report_pairs_free(pairs);
	free(owner);
	list_free(&gcda);
	list_free(&gcno);
	return ok;
}

void report_pairs_free(struct report_pairs *pairs)
{
	for (size_t i = 0; pairs->pair && i < pairs->n; i++) {
		free(pairs->pair[i].gcda);
		free(pairs->pair[i].gcno);
	}
	free(pairs->pair);
	memset(pairs, 0, sizeof(*pairs));
}

static const char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? slash + 1 : path;
}

static bool same_object(const struct model_object *object,
			const struct report_pair *pair)
{
	return pair->gcda && pair->stamp == object->stamp &&
	       !strcmp(base_name(object->filename), base_name(pair->gcda));
}

bool report_match_image(const struct model *model,
			const struct report_pairs *pairs, struct error *err)
{
	char q1[256];

	for (size_t i = 0; i < model->n_objects; i++) {
		const struct model_object *object = &model->objects[i];
		size_t j = 0;

		while (j < pairs->n_paired &&
		       !same_object(object, &pairs->pair[j]))
			j++;
		if (j == pairs->n_paired)
			return error_set(
				err, HVCOV_EXIT_DATA,
				"the image's object %s (stamp 0x%08x) has no .gcda of that stamp in the tree: extract this image again",
				outpath_quote(object->filename, q1, sizeof(q1)),
				(unsigned)object->stamp);
	}
	for (size_t j = 0; j < pairs->n_paired; j++) {
		size_t i = 0;

		while (i < model->n_objects &&
		       !same_object(&model->objects[i], &pairs->pair[j]))
			i++;
		if (i == model->n_objects)
			return error_set(
				err, HVCOV_EXIT_DATA,
				"%s (stamp 0x%08x) is of no object in the image: the tree holds another extraction",
				outpath_quote(pairs->pair[j].gcda, q1,
					      sizeof(q1)),
				(unsigned)pairs->pair[j].stamp);
	}
	return true;
}
