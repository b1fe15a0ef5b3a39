/* SPDX-License-Identifier: BSD-2-Clause */
#define _XOPEN_SOURCE 700 /* nftw */
#include "tree.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/fdio.h"
#include "write/outpath.h"

/* A .gcno or .gcda is small; a bound keeps a wrong file from filling the
 * disk. */
#define STAGE_MAX_FILE (256u << 20)

static bool copy_file(const char *from, const char *to, struct error *err)
{
	unsigned char *buf = NULL;
	size_t len = 0;
	char quoted[256];
	int in = open(from, O_RDONLY | O_CLOEXEC), out;
	bool ok;

	if (in < 0)
		return error_errno(err, "cannot open %s",
				   outpath_quote(from, quoted, sizeof(quoted)));
	ok = fd_read_file(in, STAGE_MAX_FILE, &buf, &len);
	close(in);
	if (!ok) {
		free(buf);
		return error_errno(err, "cannot read %s",
				   outpath_quote(from, quoted, sizeof(quoted)));
	}
	out = open(to, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	ok = out >= 0 && fd_write_all(out, buf, len);
	if (out >= 0 && close(out) != 0)
		ok = false;
	free(buf);
	if (!ok)
		return error_errno(err, "cannot write the work copy of %s",
				   outpath_quote(from, quoted, sizeof(quoted)));
	return true;
}

bool report_stage_pairs(const char *dir, const struct report_pairs *pairs,
			bool baseline, struct error *err)
{
	size_t size = strlen(dir) + 64;
	char *path = malloc(size);
	bool ok = true;

	if (!path)
		return error_set(err, HVCOV_EXIT_SYSTEM, "out of memory");
	snprintf(path, size, "%s/g", dir);
	if (mkdir(path, 0700) != 0)
		ok = error_errno(err, "cannot create the work tree");
	for (size_t i = 0; ok && i < pairs->n; i++) {
		const struct report_pair *pair = &pairs->pair[i];

		if (!pair->gcda && !baseline)
			continue;
		snprintf(path, size, "%s/g/%zu", dir, i);
		if (mkdir(path, 0700) != 0) {
			ok = error_errno(err, "cannot create the work tree");
			break;
		}
		snprintf(path, size, "%s/g/%zu/o.gcno", dir, i);
		ok = copy_file(pair->gcno, path, err);
		if (ok && pair->gcda) {
			snprintf(path, size, "%s/g/%zu/o.gcda", dir, i);
			ok = copy_file(pair->gcda, path, err);
		}
	}
	free(path);
	return ok;
}

static char *join(const char *a, const char *b)
{
	char *s = malloc(strlen(a) + strlen(b) + 2);

	if (s)
		sprintf(s, "%s/%s", a, b);
	return s;
}

bool report_move_entries(const char *from, const char *to, const char *trash,
			 struct error *err)
{
	DIR *d = opendir(from);
	struct dirent *entry;
	unsigned long aside = 0;
	bool ok = true;
	char quoted[256];

	if (!d)
		return error_errno(err, "cannot read the work tree");
	if (mkdir(trash, 0700) != 0 && errno != EEXIST) {
		closedir(d);
		return error_errno(err, "cannot create the work tree");
	}
	while (ok && (entry = readdir(d))) {
		char *src, *dst, *old = NULL, name[32];
		struct stat st;

		if (!strcmp(entry->d_name, ".") || !strcmp(entry->d_name, ".."))
			continue;
		src = join(from, entry->d_name);
		dst = join(to, entry->d_name);
		snprintf(name, sizeof(name), "%lu", aside++);
		if (src && dst && lstat(dst, &st) == 0 && S_ISDIR(st.st_mode)) {
			/* rename() cannot replace a directory that holds
			 * files: an old report's moves aside first. */
			old = join(trash, name);
			if (!old || rename(dst, old) != 0)
				ok = false;
		}
		if (!src || !dst)
			ok = error_set(err, HVCOV_EXIT_SYSTEM, "out of memory");
		else if (!ok || rename(src, dst) != 0)
			ok = error_errno(
				err, "cannot move the report into %s",
				outpath_quote(to, quoted, sizeof(quoted)));
		free(src);
		free(dst);
		free(old);
	}
	closedir(d);
	return ok;
}

static int remove_one(const char *path, const struct stat *st, int flag,
		      struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	if (flag == FTW_DP)
		rmdir(path);
	else
		unlink(path);
	return 0;
}

void report_remove_tree(const char *path)
{
	nftw(path, remove_one, 16, FTW_DEPTH | FTW_PHYS);
}
