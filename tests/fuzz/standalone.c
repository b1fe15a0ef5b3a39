/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * main() for a fuzz target built without libFuzzer: every argument is an
 * input file, or a directory whose regular files are inputs (one level, in
 * name order, so that a replay is reproducible).  Prints how many inputs ran;
 * a violation or a sanitizer report ends the process with an error.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz.h"

/* The largest input replayed: libFuzzer's default -max_len is far below. */
#define MAX_INPUT_BYTES (64u << 20)

static int run_file(const char *path)
{
	struct stat st;
	uint8_t *data;
	size_t got;
	FILE *f = fopen(path, "rb");

	if (!f) {
		fprintf(stderr, "%s: %s\n", path, strerror(errno));
		return -1;
	}
	if (fstat(fileno(f), &st) != 0 || st.st_size > MAX_INPUT_BYTES) {
		fprintf(stderr, "%s: cannot use it as an input\n", path);
		fclose(f);
		return -1;
	}
	/* An exact-size heap copy, so that a read past the end is caught by
	 * ASan as it would be under libFuzzer. */
	data = malloc(st.st_size ? (size_t)st.st_size : 1);
	if (!data) {
		fclose(f);
		return -1;
	}
	got = fread(data, 1, (size_t)st.st_size, f);
	fclose(f);
	LLVMFuzzerTestOneInput(data, got);
	free(data);
	return 1;
}

static int by_name(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

static int run_dir(const char *path)
{
	struct dirent **entries;
	int n = scandir(path, &entries, NULL, by_name), ran = 0;

	if (n < 0) {
		fprintf(stderr, "%s: %s\n", path, strerror(errno));
		return -1;
	}
	for (int i = 0; i < n; i++) {
		char file[4096];
		struct stat st;

		snprintf(file, sizeof(file), "%s/%s", path, entries[i]->d_name);
		if (ran >= 0 && entries[i]->d_name[0] != '.' &&
		    stat(file, &st) == 0 && S_ISREG(st.st_mode)) {
			int r = run_file(file);

			ran = r < 0 ? -1 : ran + r;
		}
		free(entries[i]);
	}
	free(entries);
	return ran;
}

int main(int argc, char **argv)
{
	long total = 0;

	if (argc < 2) {
		fprintf(stderr, "usage: %s FILE|DIR...\n", argv[0]);
		return 2;
	}
	for (int i = 1; i < argc; i++) {
		struct stat st;
		int ran;

		if (stat(argv[i], &st) != 0) {
			fprintf(stderr, "%s: %s\n", argv[i], strerror(errno));
			return 2;
		}
		ran = S_ISDIR(st.st_mode) ? run_dir(argv[i])
					  : run_file(argv[i]);
		if (ran < 0)
			return 2;
		total += ran;
	}
	printf("%s: %ld inputs ran\n", argv[0], total);
	return 0;
}
