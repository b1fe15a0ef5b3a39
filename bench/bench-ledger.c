/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * bench-ledger: ledger_load() of a ledger of RECORDS records in one
 * directory, half plain and half pending records of a killed run whose
 * files do not exist (each is dropped at load), as after a --merge of a
 * large image killed between its two ledger writes.  Prints one line:
 *     ledger-load<TAB>records<TAB>seconds
 * the median of RUNS loads.  Usage: bench-ledger DIR [RECORDS]
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "write/ledger.h"

#define RUNS 5

static double now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static int compare_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
	unsigned long records = argc > 2 ? strtoul(argv[2], NULL, 10) : 200000;
	double t[RUNS];
	char path[4096];
	FILE *f;
	int dirfd;

	if (argc < 2 || records < 2) {
		fprintf(stderr, "usage: bench-ledger DIR [RECORDS]\n");
		return 2;
	}
	snprintf(path, sizeof(path), "%s/" LEDGER_NAME, argv[1]);
	f = fopen(path, "w");
	if (!f) {
		perror("bench-ledger");
		return 2;
	}
	fputs("hvcov-ledger 2\n", f);
	for (unsigned long i = 0; i < records / 2; i++)
		fprintf(f, "%016lx-%016lx unit%lu.gcda\n", i, i, i);
	for (unsigned long i = 0; i < records - records / 2; i++)
		fprintf(f, "pending %016lx M %016lx-%016lx unit%lu.gcda\n", i,
			i + 1, i, i);
	if (fclose(f) != 0) {
		perror("bench-ledger");
		return 2;
	}
	dirfd = open(argv[1], O_RDONLY | O_DIRECTORY);
	if (dirfd < 0) {
		perror("bench-ledger");
		return 2;
	}
	for (int r = 0; r < RUNS; r++) {
		struct ledger ledger;
		struct error err = { 0 };
		double start = now();

		if (!ledger_load(dirfd, argv[1], &ledger, &err)) {
			fprintf(stderr, "bench-ledger: %s\n", err.text);
			return 1;
		}
		t[r] = now() - start;
		if (ledger.n != records / 2) {
			fprintf(stderr, "bench-ledger: %zu records kept\n",
				ledger.n);
			return 1;
		}
		ledger_free(&ledger);
	}
	close(dirfd);
	unlink(path);
	qsort(t, RUNS, sizeof(*t), compare_double);
	printf("ledger-load\t%lu\t%.6f\n", records, t[RUNS / 2]);
	return 0;
}
