/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The image side of the clang ground truth: the same workload linked with
 * the hvcov stub and no profile runtime.  After the run it writes its own
 * loaded segments (a non-PIE program: the addresses it was linked at) to
 * argv[1] as a memory image, gaps zero-filled, the way a host would read a
 * hypervisor's memory.  This harness is not instrumented.
 */
#define _GNU_SOURCE
#include <link.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hvcov/hvcov.h"
#include "workload.h"

struct span {
	uintptr_t low, high;
	const ElfW(Phdr) * phdr;
	size_t n;
};

static int first_object(struct dl_phdr_info *info, size_t size, void *data)
{
	struct span *span = data;

	(void)size;
	span->phdr = info->dlpi_phdr;
	span->n = info->dlpi_phnum;
	span->low = UINTPTR_MAX;
	span->high = 0;
	for (size_t i = 0; i < span->n; i++) {
		const ElfW(Phdr) *p = &span->phdr[i];

		if (p->p_type != PT_LOAD)
			continue;
		if (p->p_vaddr < span->low)
			span->low = p->p_vaddr;
		if (p->p_vaddr + p->p_memsz > span->high)
			span->high = p->p_vaddr + p->p_memsz;
	}
	return 1; /* the main program only */
}

int main(int argc, char **argv)
{
	struct span span;
	unsigned char *copy;
	FILE *out;

	if (argc != 2 && argc != 3) {
		fputs("usage: image-main IMAGE [ROUNDS]\n", stderr);
		return 2;
	}
	dl_iterate_phdr(first_object, &span);
	hvcov_init((const void *)span.low, span.high - span.low, 0x1234abcd);
	/* ROUNDS: the run length (snapshots of several lengths). */
	printf("%u\n", workload(argc == 3 ? atoi(argv[2]) : 50));
	hvcov_disable();

	copy = calloc(1, span.high - span.low);
	if (!copy)
		return 2;
	for (size_t i = 0; i < span.n; i++) {
		const ElfW(Phdr) *p = &span.phdr[i];

		if (p->p_type == PT_LOAD)
			memcpy(copy + (p->p_vaddr - span.low),
			       (const void *)p->p_vaddr, p->p_memsz);
	}
	out = fopen(argv[1], "wb");
	if (!out ||
	    fwrite(copy, 1, span.high - span.low, out) !=
		    span.high - span.low ||
	    fclose(out) != 0) {
		perror(argv[1]);
		return 2;
	}
	free(copy);
	return 0;
}
