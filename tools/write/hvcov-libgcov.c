/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * hvcov-libgcov-<version word>: hvcov's writer for one more GCC release.
 * Built with that release and statically linked against its libgcov
 * (scripts/libgcov-helpers), it reads the model hvcov checked from stdin
 * and dumps it through that libgcov, so that one hvcov writes the .gcda
 * files of every release it has a helper for.  Run by hvcov only.
 */
#include <stdio.h>
#include <string.h>

#include "hostgcov.h"

int main(int argc, char **argv)
{
	struct error err = { 0 };

	/* The name it is installed under. */
	if (argc == 2 && !strcmp(argv[1], "--word")) {
		printf("%08x\n", (unsigned)hostgcov_version());
		return 0;
	}
	if (argc != 1) {
		fprintf(stderr, "usage: %s (run by hvcov, reads stdin)\n",
			argv[0]);
		return 2;
	}
	if (!hostgcov_serve(stdin, &err)) {
		fprintf(stderr, "%s\n", err.text);
		return err.status == HVCOV_EXIT_OK ? HVCOV_EXIT_SYSTEM
						   : (int)err.status;
	}
	return 0;
}
