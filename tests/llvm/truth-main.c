/* SPDX-License-Identifier: BSD-2-Clause */
/* The hosted truth: the workload under compiler-rt's profile runtime, which
 * writes the raw profile at exit (LLVM_PROFILE_FILE). */
#include <stdio.h>
#include <stdlib.h>

#include "workload.h"

/* argv[1]: the run length, as image-main's ROUNDS. */
int main(int argc, char **argv)
{
	printf("%u\n", workload(argc > 1 ? atoi(argv[1]) : 50));
	return 0;
}
