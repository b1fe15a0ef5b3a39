/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * bench-tick: play a running hypervisor for the snapshot benchmark, so that
 * every snapshot has a counter that changed and writes its .gcda files.
 *
 *   bench-tick RAM
 *
 * Finds the image in the RAM file as `hvcov snapshot` does (live.h), then
 * adds 1 to its first counter in the file, through a shared writable
 * mapping, about every 100 µs until killed (counters only grow, as in a
 * hypervisor built with -fprofile-update=atomic).  Prints "ticking" on
 * stdout once the first increment is done.
 *
 * Exit status: 2 when the image cannot be found or the file mapped; it
 * never ends by itself otherwise.
 */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "live/live.h"

int main(int argc, char **argv)
{
	struct timespec pause = { 0, 100000 };
	struct source source = { 0 };
	struct error err = { 0 };
	struct live live;
	uint64_t at, start;
	uint8_t *page;
	long size = sysconf(_SC_PAGESIZE);
	int fd;

	if (argc != 2) {
		fputs("Usage: bench-tick RAM\n", stderr);
		return 2;
	}
	source.path = argv[1];
	if (!live_open(&live, &source, NULL, &err) || !live.map.n_spans) {
		fprintf(stderr, "bench-tick: %s\n",
			err.status ? err.text : "no counters");
		return 2;
	}
	at = (live.source.has_offset ? live.source.offset : 0) +
	     live.header.buffer_offset + live.map.spans[0].offset;
	live_close(&live);
	start = at - at % (uint64_t)size;
	fd = open(argv[1], O_RDWR | O_CLOEXEC);
	page = fd < 0 ? MAP_FAILED
		      : mmap(NULL, (size_t)size, PROT_READ | PROT_WRITE,
			     MAP_SHARED, fd, (off_t)start);
	if (page == MAP_FAILED || (at - start) % 8) {
		perror("bench-tick: cannot map the counter");
		return 2;
	}
	for (unsigned long k = 0;; k++) {
		__atomic_fetch_add((uint64_t *)(page + (at - start)), 1,
				   __ATOMIC_RELAXED);
		if (k == 0) {
			puts("ticking");
			fflush(stdout);
		}
		nanosleep(&pause, NULL);
	}
}
