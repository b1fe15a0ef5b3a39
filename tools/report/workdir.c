/* SPDX-License-Identifier: BSD-2-Clause */
#ifndef _DEFAULT_SOURCE
#define _DEFAULT_SOURCE /* flock */
#endif
#include "workdir.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tree.h"
#include "write/outpath.h"

bool report_lock_output(const char *output, int *fd, struct error *err)
{
	char quoted[256];

	*fd = open(output, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (*fd < 0)
		return error_errno(
			err, "cannot open %s",
			outpath_quote(output, quoted, sizeof(quoted)));
	if (flock(*fd, LOCK_EX | LOCK_NB) == 0)
		return true;
	if (errno == EWOULDBLOCK)
		error_set(
			err, HVCOV_EXIT_SYSTEM,
			"another hvcov report is writing %s: wait for it, or choose another -o",
			outpath_quote(output, quoted, sizeof(quoted)));
	else
		error_errno(err, "cannot lock %s",
			    outpath_quote(output, quoted, sizeof(quoted)));
	close(*fd);
	*fd = -1;
	return false;
}

bool report_remove_stale_work(const char *output, size_t *removed,
			      struct error *err)
{
	size_t prefix = strlen(REPORT_WORK_PREFIX);
	DIR *d = opendir(output);
	struct dirent *entry;
	char quoted[256];
	bool ok = true;

	*removed = 0;
	if (!d)
		return error_errno(
			err, "cannot read %s",
			outpath_quote(output, quoted, sizeof(quoted)));
	while (ok && (entry = readdir(d))) {
		struct stat st;
		char *path;

		if (strncmp(entry->d_name, REPORT_WORK_PREFIX, prefix))
			continue;
		path = malloc(strlen(output) + strlen(entry->d_name) + 2);
		if (!path) {
			ok = error_set(err, HVCOV_EXIT_SYSTEM, "out of memory");
			break;
		}
		strcpy(path, output);
		strcat(path, "/");
		strcat(path, entry->d_name);
		/* Only a directory (the name mkdtemp gave): a file or a link
		 * of that name is not hvcov's to remove. */
		if (lstat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
			report_remove_tree(path);
			if (lstat(path, &st) == 0)
				ok = error_set(
					err, HVCOV_EXIT_SYSTEM,
					"cannot remove %s, which an interrupted hvcov report left",
					outpath_quote(path, quoted,
						      sizeof(quoted)));
			else
				(*removed)++;
		}
		free(path);
	}
	closedir(d);
	return ok;
}

bool report_replace_file(FILE *out, bool ok, char *tmp_path, const char *path)
{
	int saved;

	if (!out)
		ok = false;
	else if (ferror(out) | (fclose(out) != 0))
		ok = false;
	if (ok && rename(tmp_path, path) == 0) {
		free(tmp_path);
		return true;
	}
	saved = errno;
	unlink(tmp_path);
	free(tmp_path);
	errno = saved;
	return false;
}
