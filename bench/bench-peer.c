/* SPDX-License-Identifier: BSD-2-Clause */
/* syncfs(2): --sync. */
#define _GNU_SOURCE
/*
 * bench-peer: the unvalidated peer of the benchmarks, written for them.
 *
 *   bench-peer [--sync] IMAGE OUTDIR
 *
 * Does what an extractor without any checks does, and nothing more: reads a
 * Jailhouse-header x86_64 image (bench-gen --header jailhouse) into memory,
 * rebases the pointers of every gcov_info of the list in place (next,
 * filename, functions, each function's key and counter arrays, the merge
 * functions replaced by this host's), hands each one to this host's
 * __gcov_init and calls __gcov_dump once, with GCOV_PREFIX=OUTDIR.  No
 * bound is checked, no file re-read, nothing synced, nothing renamed: it
 * is the speed hvcov is measured against (issue 18), not a tool.  It
 * assumes, without checking, that the image's GCC is the host's (bench-gen
 * writes the host's version word) so that the host's libgcov reads the
 * structures as they lie.
 *
 * --sync (the "durable peer"): then one syncfs(2) of OUTDIR's file system,
 * the least any extractor that makes its files durable must pay on top of
 * the peer (one sync for the whole batch, none per file; no atomicity),
 * and print the wall-clock seconds of that syncfs alone.
 *
 * Exit status: 0 dumped, 2 usage or I/O error.
 */
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "gcov/gcc-layout.h"
#include "write/hostgcov.h"

/* Jailhouse's x86_64 link base and the header field of the list head:
 * signature[8], then core_size, percpu_size, entry, console_page,
 * gcov_info_head, each 8 bytes (docs/image-format.md). */
#define PEER_BASE 0xfffffffff0000000ull
#define PEER_HEAD_AT 40

void __gcov_init(void *info);
void __gcov_dump(void);
void __gcov_merge_add(int64_t *counters, unsigned n_counters);

static uint8_t *image;

static uint64_t get64(const uint8_t *p)
{
	uint64_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

static uint32_t get32(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

static void *host(uint64_t address)
{
	return address ? image + (address - PEER_BASE) : NULL;
}

/* Replace the image address at p by the host address it stands for. */
static void rebase(uint8_t *p)
{
	void *h = host(get64(p));

	memcpy(p, &h, sizeof(h));
}

int main(int argc, char **argv)
{
	const struct gcc_layout *layout;
	struct gcc_offsets o;
	struct stat st;
	bool sync = argc > 1 && !strcmp(argv[1], "--sync");
	uint64_t at;
	int fd;

	argv += sync;
	argc -= sync;
	if (argc != 3) {
		fputs("Usage: bench-peer [--sync] IMAGE OUTDIR\n", stderr);
		return 2;
	}
	layout = gcc_layout_for_version(hostgcov_version());
	fd = open(argv[1], O_RDONLY);
	if (!layout || fd < 0 || fstat(fd, &st) ||
	    !(image = malloc(st.st_size)) ||
	    read(fd, image, st.st_size) != st.st_size) {
		perror("bench-peer");
		return 2;
	}
	close(fd);
	gcc_layout_offsets(layout, 8, &o);
	at = get64(image + PEER_HEAD_AT);
	while (at) {
		uint8_t *info = host(at), **functions;
		uint32_t n_functions = get32(info + o.info_n_functions);
		unsigned kinds = gcc_layout_counters(layout);

		/* __gcov_init overwrites next: take it first. */
		at = get64(info + o.info_next);
		rebase(info + o.info_filename);
		rebase(info + o.info_functions);
		for (unsigned k = 0; k < kinds; k++) {
			uint8_t *m = info + o.info_merge + k * 8;
			void (*fn)(int64_t *, unsigned) = __gcov_merge_add;

			if (get64(m))
				memcpy(m, &fn, sizeof(fn));
		}
		memcpy(&functions, info + o.info_functions, sizeof(functions));
		for (uint32_t f = 0; f < n_functions; f++) {
			uint8_t *fn;
			unsigned c = 0;

			rebase((uint8_t *)&functions[f]);
			fn = functions[f];
			rebase(fn + o.fn_key);
			for (unsigned k = 0; k < kinds; k++)
				if (get64(info + o.info_merge + k * 8))
					rebase(fn + o.fn_ctrs +
					       c++ * o.ctr_size + o.ctr_values);
		}
		__gcov_init(info);
	}
	setenv("GCOV_PREFIX", argv[2], 1);
	__gcov_dump();
	if (sync) {
		/* libgcov made OUTDIR; it reports no write error, so only the
		 * sync's own is checked. */
		struct timespec t0, t1;

		fd = open(argv[2], O_RDONLY | O_DIRECTORY);
		clock_gettime(CLOCK_MONOTONIC, &t0);
		if (fd < 0 || syncfs(fd) != 0) {
			perror("bench-peer: syncfs");
			return 2;
		}
		clock_gettime(CLOCK_MONOTONIC, &t1);
		close(fd);
		printf("%.6f\n",
		       (double)(t1.tv_sec - t0.tv_sec) +
			       (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
	}
	return 0;
}
