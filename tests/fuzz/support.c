/* SPDX-License-Identifier: BSD-2-Clause */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fuzz.h"

void fuzz_violation(const char *what, const char *detail)
{
	fprintf(stderr, "fuzz invariant violated: %s%s%s\n", what,
		detail ? ": " : "", detail ? detail : "");
	abort();
}

void fuzz_check_error(const struct error *err, _Bool ok)
{
	size_t len = strnlen(err->text, sizeof(err->text));

	if (ok) {
		if (err->status != HVCOV_EXIT_OK)
			fuzz_violation("success with an error set", err->text);
		return;
	}
	if (err->status != HVCOV_EXIT_DATA && err->status != HVCOV_EXIT_SYSTEM)
		fuzz_violation("failure without exit status 1 or 2", NULL);
	if (len == 0 || len == sizeof(err->text))
		fuzz_violation("failure without one terminated message", NULL);
	if (strchr(err->text, '\n') || strchr(err->text, '\r'))
		fuzz_violation("message of more than one line", err->text);
}

_Bool fuzz_locate(const uint8_t *data, size_t size,
		  const struct header_options *options, struct image *image,
		  struct header *header)
{
	uint8_t *copy = malloc(size ? size : 1);
	struct error err = { 0 };
	_Bool ok;

	if (!copy)
		fuzz_violation("out of memory for a copy of the input", NULL);
	memcpy(copy, data, size);
	image_adopt(image, copy, size, "fuzz");
	ok = header_locate(image, options, header, &err);
	fuzz_check_error(&err, ok);
	return ok;
}

static char scratch[64];

static void remove_scratch(void)
{
	DIR *dir = opendir(scratch);
	struct dirent *entry;

	if (!dir)
		return;
	while ((entry = readdir(dir)))
		if (strcmp(entry->d_name, ".") && strcmp(entry->d_name, ".."))
			unlinkat(dirfd(dir), entry->d_name, 0);
	closedir(dir);
	rmdir(scratch);
}

const char *fuzz_scratch_dir(void)
{
	const char *tmp = getenv("TMPDIR");

	if (scratch[0])
		return scratch;
	snprintf(scratch, sizeof(scratch), "%s/hvcov-fuzz.XXXXXX",
		 tmp && *tmp && strlen(tmp) < 32 ? tmp : "/tmp");
	if (!mkdtemp(scratch))
		fuzz_violation("cannot create a scratch directory", scratch);
	atexit(remove_scratch);
	return scratch;
}

void fuzz_write_file(const char *dir, const char *name, const uint8_t *data,
		     size_t size)
{
	char path[128];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "wb");
	if (!f)
		fuzz_violation("cannot write a scratch file", path);
	if ((size && fwrite(data, 1, size, f) != size) | fclose(f))
		fuzz_violation("cannot write a scratch file", path);
}
