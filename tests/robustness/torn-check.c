/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The torn-read test's two halves, sharing one file mapped MAP_SHARED:
 *
 *   torn-check writer FILE
 *       creates FILE and increments COUNTERS 64-bit counters with
 *       single-copy-atomic stores, as -fprofile-update=atomic does, each
 *       counter crossing a 2^32 boundary every 2*WINDOW rounds (staggered,
 *       so that some counter carries into its high word in every round);
 *       after each round it publishes the round number (release).
 *   torn-check reader FILE SECONDS [untorn|words|naive]
 *       reads every counter again and again for SECONDS with untorn_read
 *       (the library's method; "words" forces the 32-bit method), or
 *       "naive": low word, a pause, high word, no check (the control that
 *       shows the checker catches torn values), and checks every value.
 *
 * Why a torn value cannot pass: a counter only ever holds g(k) for the
 * round k it reached, with g's values clustered around 2^32 boundaries
 * (below).  The reader brackets each pass between two loads of the round
 * number r0 <= r1, so a real value lies in [g(r0 - 1 + phase),
 * g(r1 + phase)].  Half of a value from before a carry with half of one
 * from after it is about 2^32 off, i.e. 2*WINDOW rounds away from any real
 * value of the bracket, as long as the pass took fewer than WINDOW rounds
 * (a "sharp" pass; others are counted, and the result says how many
 * passes were sharp).  Values must also never decrease between passes.
 *
 * Exit: 0 no torn or decreasing value (reader) / killed (writer); 1 a bad
 * value (reader; for "naive", 0 means it saw a torn value as it should);
 * 2 usage or system error.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "live/untorn.h"

#define COUNTERS 4096
#define WINDOW 256ull
#define FILE_SIZE (64 + COUNTERS * 8)
#define WRITER_MAX_SECONDS 120

/* The k-th value a counter takes: blocks of 2*WINDOW values straddling
 * (b + 1) * 2^32. */
static uint64_t g(uint64_t k)
{
	uint64_t block = k / (2 * WINDOW), pos = k % (2 * WINDOW);

	return ((block + 1) << 32) - WINDOW + pos;
}

/* g's inverse; false for a value g never takes.  Block b runs from
 * b * 2^32 + 2^32 - WINDOW (high word b) across the carry to
 * (b + 1) * 2^32 + WINDOW - 1 (high word b + 1). */
static int g_inverse(uint64_t v, uint64_t *k)
{
	uint64_t high = v >> 32, low = v & 0xffffffffull;

	if (low >= (1ull << 32) - WINDOW)
		*k = high * 2 * WINDOW + (low - ((1ull << 32) - WINDOW));
	else if (low < WINDOW && high >= 1)
		*k = (high - 1) * 2 * WINDOW + WINDOW + low;
	else
		return 0;
	return 1;
}

static uint64_t phase(size_t i)
{
	return (uint64_t)i * 2 * WINDOW / COUNTERS * 7 % (2 * WINDOW);
}

static double now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static uint64_t *map_file(const char *path, int create)
{
	int fd = open(path, create ? O_RDWR | O_CREAT | O_TRUNC : O_RDONLY,
		      0600);
	void *p;

	if (fd < 0 || (create && ftruncate(fd, FILE_SIZE) < 0)) {
		fprintf(stderr, "torn-check: %s: %s\n", path, strerror(errno));
		exit(2);
	}
	p = mmap(NULL, FILE_SIZE, create ? PROT_READ | PROT_WRITE : PROT_READ,
		 MAP_SHARED, fd, 0);
	close(fd);
	if (p == MAP_FAILED) {
		fprintf(stderr, "torn-check: mmap %s: %s\n", path,
			strerror(errno));
		exit(2);
	}
	return p;
}

static int writer(const char *path)
{
	uint64_t *file = map_file(path, 1);
	uint64_t *round = &file[0], *counters = &file[8];
	double end = now() + WRITER_MAX_SECONDS;

	for (size_t i = 0; i < COUNTERS; i++)
		counters[i] = g(phase(i));
	__atomic_store_n(round, 1, __ATOMIC_RELEASE);
	for (uint64_t r = 1; now() < end; r++) {
		for (size_t i = 0; i < COUNTERS; i++)
			__atomic_store_n(&counters[i], g(r + phase(i)),
					 __ATOMIC_RELAXED);
		__atomic_store_n(round, r + 1, __ATOMIC_RELEASE);
	}
	return 0;
}

/* The control: low, pause, high, as an unprotected reader would. */
static void read_naive(const uint64_t *counters, uint64_t *out)
{
	const uint32_t *words = (const uint32_t *)counters;

	for (size_t i = 0; i < COUNTERS; i++) {
		uint32_t low = __atomic_load_n(&words[2 * i], __ATOMIC_RELAXED);

		for (volatile int spin = 0; spin < 20; spin++)
			;
		out[i] = (uint64_t)__atomic_load_n(&words[2 * i + 1],
						   __ATOMIC_RELAXED)
				 << 32 |
			 low;
	}
}

static int reader(const char *path, double seconds, const char *method)
{
	const uint64_t *file = map_file(path, 0);
	const uint64_t *round = &file[0], *counters = &file[8];
	static uint64_t values[COUNTERS], last[COUNTERS];
	unsigned long passes = 0, sharp = 0, bad = 0, carries = 0;
	int naive = !strcmp(method, "naive");
	double end;

	while (!__atomic_load_n(round, __ATOMIC_ACQUIRE))
		;
	end = now() + seconds;
	while (now() < end && !(naive && bad)) {
		uint64_t r0 = __atomic_load_n(round, __ATOMIC_ACQUIRE), r1;
		int ok = 1;

		if (naive)
			read_naive(counters, values);
		else if (!strcmp(method, "words"))
			ok = untorn_read_words(counters, COUNTERS, 0, values);
		else
			ok = untorn_read(counters, COUNTERS, 0, values);
		__atomic_thread_fence(__ATOMIC_ACQUIRE);
		r1 = __atomic_load_n(round, __ATOMIC_ACQUIRE);
		if (!ok) {
			fprintf(stderr, "torn-check: untorn read gave up\n");
			return 1;
		}
		passes++;
		sharp += r1 - r0 < WINDOW;
		for (size_t i = 0; i < COUNTERS; i++) {
			uint64_t k, v = values[i];
			int valid = g_inverse(v, &k) &&
				    k + 1 >= r0 + phase(i) &&
				    k <= r1 + phase(i);

			if (valid && v >= last[i]) {
				carries +=
					passes > 1 && v >> 32 != last[i] >> 32;
				last[i] = v;
				continue;
			}
			if (bad < 5)
				fprintf(stderr,
					"torn-check: %s: counter %zu read 0x%016" PRIx64
					" (previous 0x%016" PRIx64
					", rounds %" PRIu64 "..%" PRIu64 ")\n",
					method, i, v, last[i], r0, r1);
			bad++;
		}
	}
	printf("torn-check: %s: %lu passes (%lu sharp), %lu carries seen, %lu bad values\n",
	       method, passes, sharp, carries, bad);
	if (naive)
		return bad ? 0 : 1;
	if (sharp < passes / 2 || carries == 0) {
		fprintf(stderr,
			"torn-check: too few sharp passes or carries to prove anything\n");
		return 1;
	}
	return bad ? 1 : 0;
}

int main(int argc, char **argv)
{
	if (argc == 3 && !strcmp(argv[1], "writer"))
		return writer(argv[2]);
	if ((argc == 4 || argc == 5) && !strcmp(argv[1], "reader"))
		return reader(argv[2], atof(argv[3]),
			      argc == 5 ? argv[4] : "untorn");
	fputs("usage: torn-check writer FILE | reader FILE SECONDS [untorn|words|naive]\n",
	      stderr);
	return 2;
}
