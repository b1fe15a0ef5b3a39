/* SPDX-License-Identifier: BSD-2-Clause */
#ifdef HAVE_CONFIG_H
#include <config.h>
#endif

#include <stdio.h>

#include "cli.h"

void print_version(void)
{
	printf("hvcov %s (gcov version word 0x%08x)\n", PACKAGE_VERSION,
	       (unsigned)HVCOV_HOST_GCOV_VERSION);
}

int report_error(const struct error *err)
{
	fprintf(stderr, "hvcov: %s\n", err->text);
	return err->status == HVCOV_EXIT_OK ? HVCOV_EXIT_SYSTEM : err->status;
}

int usage_error(const char *command, const char *message)
{
	fprintf(stderr, "hvcov: %s\n", message);
	fprintf(stderr, "Try 'hvcov %s --help' for more information.\n",
		command);
	return HVCOV_EXIT_SYSTEM;
}
