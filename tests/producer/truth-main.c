/* SPDX-License-Identifier: BSD-2-Clause */
/* The ground truth: the same workload objects as the producer, linked with
 * the real libgcov, which writes the .gcda files at exit. */
#include <stdio.h>
#include <stdlib.h>

#include "workload.h"

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: truth SEED\n");
		return 2;
	}
	printf("%08x\n",
	       (unsigned)workload_run((uint32_t)strtoul(argv[1], NULL, 10)));
	return 0;
}
