/* SPDX-License-Identifier: BSD-2-Clause */
#include "outpath.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#define GCDA_SUFFIX ".gcda"

const char *outpath_quote(const char *text, char *buf, size_t size)
{
	static const char hex[] = "0123456789abcdef";
	size_t used = 0, need = 3;

	for (const unsigned char *c = (const unsigned char *)text; *c; c++)
		need += (*c == '"' || *c == '\\')   ? 2
			: (*c < 0x20 || *c >= 0x7f) ? 4
						    : 1;
	if (size < 3) {
		if (size)
			buf[0] = '\0';
		return buf;
	}
	buf[used++] = '"';
	for (const unsigned char *c = (const unsigned char *)text; *c; c++) {
		char esc[5];
		size_t n = 0;

		if (*c == '"' || *c == '\\') {
			esc[n++] = '\\';
			esc[n++] = (char)*c;
		} else if (*c < 0x20 || *c >= 0x7f) {
			esc[n++] = '\\';
			esc[n++] = 'x';
			esc[n++] = hex[*c >> 4];
			esc[n++] = hex[*c & 15];
		} else {
			esc[n++] = (char)*c;
		}
		/* When it does not all fit, keep room for "...", the
		 * closing quote and the NUL; a buffer too small even for
		 * that gets as many dots as fit. */
		if (need > size && used + n + 5 > size) {
			size_t dots = size - used - 2;

			if (dots > 3)
				dots = 3;
			memcpy(buf + used, "...", dots);
			used += dots;
			break;
		}
		memcpy(buf + used, esc, n);
		used += n;
	}
	buf[used++] = '"';
	buf[used] = '\0';
	return buf;
}

static bool refuse(struct error *err, const char *path, const char *why)
{
	char quoted[300];

	return error_set(err, HVCOV_EXIT_DATA, "refusing .gcda path %s: %s",
			 outpath_quote(path, quoted, sizeof(quoted)), why);
}

static char *join3(const char *a, const char *b, const char *c)
{
	size_t la = strlen(a), lb = strlen(b), lc = strlen(c);
	char *out = malloc(la + lb + lc + 3);
	size_t used = 0;

	if (!out)
		return NULL;
	memcpy(out, a, la);
	used = la;
	if (lb) {
		if (used && out[used - 1] != '/')
			out[used++] = '/';
		memcpy(out + used, b, lb);
		used += lb;
	}
	if (used && out[used - 1] != '/')
		out[used++] = '/';
	memcpy(out + used, c, lc + 1);
	return out;
}

/* Well-formed UTF-8 (RFC 3629): no overlong forms, no surrogates, nothing
 * above U+10FFFF.  A build path is text that reports and their HTML, lcov
 * and gcovr (Python) all carry; bytes that are not text would be mangled
 * or refused there, far from the image that held them. */
static bool is_utf8(const unsigned char *s)
{
	while (*s) {
		unsigned n, min;
		uint32_t cp;

		if (*s < 0x80) {
			s++;
			continue;
		}
		if ((*s & 0xe0) == 0xc0)
			n = 1, min = 0x80, cp = *s & 0x1f;
		else if ((*s & 0xf0) == 0xe0)
			n = 2, min = 0x800, cp = *s & 0x0f;
		else if ((*s & 0xf8) == 0xf0)
			n = 3, min = 0x10000, cp = *s & 0x07;
		else
			return false;
		for (unsigned i = 1; i <= n; i++) {
			if ((s[i] & 0xc0) != 0x80)
				return false;
			cp = cp << 6 | (s[i] & 0x3f);
		}
		if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return false;
		s += n + 1;
	}
	return true;
}

/* Whether a name is one of hvcov's own (OUTPATH_RESERVED_PREFIX). */
static bool reserved(const char *name)
{
	return !strncmp(name, OUTPATH_RESERVED_PREFIX,
			strlen(OUTPATH_RESERVED_PREFIX));
}

/* The lexical rules: what libgcov would do with a path that breaks them is
 * either outside any tree we can confine or not a .gcda at all. */
static bool check_text(const char *path, unsigned *n_dirs, struct error *err)
{
	size_t len = path ? strlen(path) : 0;
	const char *comp, *base = NULL;

	if (!len)
		return refuse(err, "", "empty");
	if (len >= PATH_MAX)
		return refuse(err, path, "longer than PATH_MAX");
	for (const unsigned char *c = (const unsigned char *)path; *c; c++)
		if (*c < 0x20 || *c == 0x7f)
			return refuse(err, path,
				      "contains a control character");
	if (!is_utf8((const unsigned char *)path))
		return refuse(err, path, "is not valid UTF-8");
	if (path[0] != '/')
		return refuse(err, path, "not absolute");
	if (path[len - 1] == '/')
		return refuse(err, path, "ends in a slash");

	*n_dirs = 0;
	for (comp = path + 1;;) {
		const char *end = strchr(comp, '/');
		size_t clen = end ? (size_t)(end - comp) : strlen(comp);

		if (clen == 0)
			return refuse(err, path, "has an empty component (//)");
		/* Checked here, not left to the rename that would fail
		 * with ENAMETOOLONG after other files were written. */
		if (clen > NAME_MAX)
			return refuse(err, path,
				      "a component is longer than NAME_MAX");
		if ((clen == 1 && comp[0] == '.') ||
		    (clen == 2 && comp[0] == '.' && comp[1] == '.'))
			return refuse(err, path,
				      "has a \".\" or \"..\" component");
		if (!end) {
			base = comp;
			break;
		}
		/* A directory named like hvcov's own files (the lease the
		 * writer makes in each directory, above all) would collide
		 * with them in its parent. */
		if (reserved(comp))
			return refuse(
				err, path,
				"a directory name starts with \"" OUTPATH_RESERVED_PREFIX
				"\", reserved for hvcov's own files");
		(*n_dirs)++;
		comp = end + 1;
	}
	/* hvcov's own files in an output directory (the ledger and the
	 * temporary files a later run cleans up) start so: an object's file
	 * named like them could be deleted or mistaken for one. */
	if (reserved(base))
		return refuse(
			err, path,
			"the file name starts with \"" OUTPATH_RESERVED_PREFIX
			"\", reserved for hvcov's own files");
	len = strlen(base);
	if (len <= strlen(GCDA_SUFFIX) ||
	    strcmp(base + len - strlen(GCDA_SUFFIX), GCDA_SUFFIX) != 0)
		return refuse(err, path, "the file name is not NAME.gcda");
	return true;
}

bool outpath_resolve(const char *image_path, const char *root, unsigned strip,
		     struct outpath *out, struct error *err)
{
	const char *rest, *base;
	unsigned n_dirs = 0;

	memset(out, 0, sizeof(*out));
	if (!check_text(image_path, &n_dirs, err))
		return false;
	if (strip > n_dirs) {
		char why[96];

		snprintf(why, sizeof(why),
			 "--strip %u removes more than its %u director%s",
			 strip, n_dirs, n_dirs == 1 ? "y" : "ies");
		return refuse(err, image_path, why);
	}

	rest = image_path + 1;
	for (unsigned i = 0; i < strip; i++)
		rest = strchr(rest, '/') + 1;
	base = strrchr(image_path, '/') + 1;

	if (root)
		out->root = strdup(root);
	else
		out->root = strdup(strip ? "." : "/");
	out->in_place = !root && !strip;
	out->base = strdup(base);
	out->rel_dir =
		strndup(rest, base > rest ? (size_t)(base - rest - 1) : 0);
	if (!out->root || !out->base || !out->rel_dir)
		goto nomem;
	out->display = join3(out->root, out->rel_dir, out->base);
	if (!out->display)
		goto nomem;
	if (strlen(out->display) >= PATH_MAX) {
		outpath_free(out);
		return refuse(err, image_path,
			      "longer than PATH_MAX below the output root");
	}
	return true;

nomem:
	outpath_free(out);
	return error_errno(err, "out of memory");
}

void outpath_free(struct outpath *path)
{
	free(path->root);
	free(path->rel_dir);
	free(path->base);
	free(path->display);
	memset(path, 0, sizeof(*path));
}

/* Why opening `name` below `dirfd` failed, as a refusal or a system error. */
static bool walk_error(const struct outpath *path, int dirfd, const char *name,
		       struct error *err)
{
	char quoted[300];
	struct stat st;
	int saved = errno;

	outpath_quote(path->display, quoted, sizeof(quoted));
	if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0) {
		if (S_ISLNK(st.st_mode))
			return error_set(
				err, HVCOV_EXIT_DATA,
				"refusing %s: a directory on its way is a symlink inside the output tree",
				quoted);
		if (!S_ISDIR(st.st_mode))
			return error_set(
				err, HVCOV_EXIT_DATA,
				"refusing %s: a component of its directory is not a directory",
				quoted);
	}
	errno = saved;
	return error_errno(err, "cannot open the directory of %s", quoted);
}

static int open_root(const struct outpath *path, bool create, bool *made,
		     struct error *err)
{
	char quoted[300];
	int fd;

	*made = false;
	fd = open(path->root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0 || errno != ENOENT || path->in_place)
		goto out;
	if (!create)
		return -2;
	if (mkdir(path->root, 0777) == 0)
		*made = true;
	else if (errno != EEXIST)
		goto out;
	fd = open(path->root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
out:
	if (fd < 0)
		error_errno(err, "cannot open output directory %s",
			    outpath_quote(path->root, quoted, sizeof(quoted)));
	return fd;
}

bool outpath_open_dir(const struct outpath *path, bool create, int *dirfd,
		      unsigned *created, struct error *err)
{
	int nofollow = path->in_place ? 0 : O_NOFOLLOW;
	char *comps = NULL, *comp, *save = NULL;
	unsigned restarts = 0;
	bool made;
	int fd;

	*dirfd = -1;
	*created = 0;
restart:
	free(comps);
	save = NULL;
	comps = strdup(path->rel_dir);
	if (!comps)
		return error_errno(err, "out of memory");
	fd = open_root(path, create, &made, err);
	if (fd == -2) {
		free(comps);
		return true;
	}
	if (fd < 0)
		goto fail;
	*created += made;

	for (comp = strtok_r(comps, "/", &save); comp;
	     comp = strtok_r(NULL, "/", &save)) {
		int next =
			openat(fd, comp,
			       O_RDONLY | O_DIRECTORY | O_CLOEXEC | nofollow);

		if (next < 0 && errno == ENOENT && !path->in_place) {
			if (!create) {
				close(fd);
				free(comps);
				return true;
			}
			if (mkdirat(fd, comp, 0777) == 0)
				(*created)++;
			else if (errno != EEXIST && errno != ENOENT)
				goto walk_fail;
			next = openat(fd, comp,
				      O_RDONLY | O_DIRECTORY | O_CLOEXEC |
					      nofollow);
			/* A failed hvcov removed the empty directories it
			 * made (ours are locked only at the end of the
			 * walk): walk again from the root. */
			if (next < 0 && errno == ENOENT && restarts++ < 16) {
				close(fd);
				goto restart;
			}
		}
		if (next < 0 && errno == ENOENT) {
			char quoted[300];

			error_set(
				err, HVCOV_EXIT_DATA,
				"refusing %s: its directory does not exist (in place, hvcov only writes into existing build directories; use -o DIR)",
				outpath_quote(path->display, quoted,
					      sizeof(quoted)));
			goto close_fail;
		}
		if (next < 0)
			goto walk_fail;
		close(fd);
		fd = next;
	}
	free(comps);
	*dirfd = fd;
	return true;

walk_fail:
	walk_error(path, fd, comp, err);
close_fail:
	close(fd);
fail:
	free(comps);
	outpath_remove_created(path, *created);
	*created = 0;
	return false;
}

/* Remove the empty directory name below dirfd unless another hvcov holds
 * its lock: the writer leases every directory it writes into under this
 * lock and checks, once locked, that it is still linked; a leased
 * directory is not empty. */
static bool remove_locked(int dirfd, const char *name)
{
	int fd = openat(dirfd, name,
			O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	bool ok;

	if (fd < 0)
		return false;
	ok = flock(fd, LOCK_EX | LOCK_NB) == 0 &&
	     unlinkat(dirfd, name, AT_REMOVEDIR) == 0;
	close(fd);
	return ok;
}

void outpath_remove_created(const struct outpath *path, unsigned created)
{
	size_t n_comps = 0, len;
	char *comps;

	if (!created || !path->rel_dir)
		return;
	len = strlen(path->rel_dir);
	comps = strdup(path->rel_dir);
	if (!comps)
		return;
	if (len)
		n_comps = 1;
	for (size_t i = 0; i < len; i++)
		if (comps[i] == '/') {
			comps[i] = '\0';
			n_comps++;
		}

	/* Deepest first: walk down to each victim's parent again, without
	 * following symlinks, and remove the victim only if it is empty. */
	for (size_t victim = n_comps; created && victim > 0;
	     victim--, created--) {
		int fd = open(path->root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		char *comp = comps;

		for (size_t i = 1; fd >= 0 && i < victim; i++) {
			int next = openat(fd, comp,
					  O_RDONLY | O_DIRECTORY | O_CLOEXEC |
						  O_NOFOLLOW);

			close(fd);
			fd = next;
			comp += strlen(comp) + 1;
		}
		if (fd < 0)
			break;
		if (!remove_locked(fd, comp)) {
			close(fd);
			break;
		}
		close(fd);
	}
	if (created == 1) {
		int fd = open(path->root,
			      O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);

		if (fd >= 0 && flock(fd, LOCK_EX | LOCK_NB) == 0)
			rmdir(path->root);
		if (fd >= 0)
			close(fd);
	}
	free(comps);
}
