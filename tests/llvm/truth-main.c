/* SPDX-License-Identifier: BSD-2-Clause */
/* The hosted truth: the workload under compiler-rt's profile runtime, which
 * writes the raw profile at exit (LLVM_PROFILE_FILE). */
#include <stdio.h>

#include "workload.h"

int main(void)
{
	printf("%u\n", workload(50));
	return 0;
}
