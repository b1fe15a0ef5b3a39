/* SPDX-License-Identifier: BSD-2-Clause */
#include "gcno-check.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/bytes.h"
#include "write/outpath.h"

#define GCNO_HEADER_SIZE 12 /* magic, version, stamp */

/* Read the header of one .gcno (either byte order). */
static enum gcno_outcome gcno_read_header(const char *path, uint32_t *version,
					  uint32_t *stamp)
{
	uint8_t header[GCNO_HEADER_SIZE];
	struct stat st;
	ssize_t got;
	bool big;
	int fd;

	/* Non-blocking: a FIFO planted at the path must not hang us. */
	do
		fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	while (fd < 0 && errno == EINTR);
	if (fd < 0)
		return GCNO_MISSING;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return GCNO_INVALID;
	}
	do
		got = pread(fd, header, sizeof(header), 0);
	while (got < 0 && errno == EINTR);
	close(fd);
	if (got != (ssize_t)sizeof(header))
		return GCNO_INVALID;
	/* GCC writes its own byte order; gcov accepts either. */
	if (bytes_get32(header, false) == GCNO_MAGIC)
		big = false;
	else if (bytes_get32(header, true) == GCNO_MAGIC)
		big = true;
	else
		return GCNO_INVALID;
	*version = bytes_get32(header + 4, big);
	*stamp = bytes_get32(header + 8, big);
	return GCNO_MATCH;
}

/* The .gcda path as outpath maps it, with the .gcno suffix. */
static char *gcno_path(const char *filename, const char *root, unsigned strip,
		       struct error *err)
{
	struct outpath path;
	char *gcno;
	size_t length;

	if (!outpath_resolve(filename, root, strip, &path, err))
		return NULL;
	gcno = strdup(path.display);
	outpath_free(&path);
	if (!gcno) {
		error_errno(err, "out of memory");
		return NULL;
	}
	/* outpath_resolve guarantees the ".gcda" ending. */
	length = strlen(gcno);
	memcpy(gcno + length - 4, "gcno", 4);
	return gcno;
}

static bool check_object(const struct model_object *object,
			 const struct gcno_place *place,
			 struct gcno_check *check, struct error *err)
{
	bool mapped = place->root || place->strip;

	check->object = object;
	check->outcome = GCNO_MISSING;
	for (int pass = mapped ? 0 : 1; pass < 2; pass++) {
		char *path =
			pass == 0 ? gcno_path(object->filename, place->root,
					      place->strip, err)
				  : gcno_path(object->filename, NULL, 0, err);
		enum gcno_outcome outcome;

		if (!path)
			return false;
		outcome =
			gcno_read_header(path, &check->version, &check->stamp);
		if (outcome == GCNO_MISSING && check->path) {
			free(path);
			continue;
		}
		free(check->path);
		check->path = path;
		if (outcome == GCNO_MATCH &&
		    (check->version != object->version ||
		     check->stamp != object->stamp))
			outcome = GCNO_STALE;
		check->outcome = outcome;
		if (outcome != GCNO_MISSING)
			break;
	}
	return true;
}

bool gcno_check_model(const struct model *model, const struct gcno_place *place,
		      struct gcno_check **checks, struct error *err)
{
	struct gcno_check *list = calloc(model->n_objects + 1, sizeof(*list));

	*checks = NULL;
	if (!list)
		return error_errno(err, "out of memory");
	for (size_t i = 0; i < model->n_objects; i++)
		if (!check_object(&model->objects[i], place, &list[i], err)) {
			gcno_checks_free(list, model->n_objects);
			return false;
		}
	*checks = list;
	return true;
}

void gcno_checks_free(struct gcno_check *checks, size_t n)
{
	if (!checks)
		return;
	for (size_t i = 0; i < n; i++)
		free(checks[i].path);
	free(checks);
}
