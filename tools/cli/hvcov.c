/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * hvcov: the command table and the options every command shares.  Each
 * command lives in its own cmd-*.c file and returns an exit status; only
 * main() exits.
 */
#ifdef HAVE_CONFIG_H
#include <config.h>
#endif

#include <stdio.h>
#include <string.h>

#include "options.h"
#include "base/error.h"

static const struct command commands[] = {
	{ "info", cmd_info, "show the image's header, compiler and coverage" },
	{ "extract", cmd_extract, "write the image's counters as .gcda files" },
	{ "snapshot", cmd_snapshot,
	  "snapshot a running hypervisor's counters, once or periodically" },
	{ "verify", cmd_verify, "check that the image is from this build" },
};

static void usage(FILE *out)
{
	fputs("Usage:\n"
	      " hvcov <command> [options]\n"
	      "\n"
	      "Get gcov coverage out of a hypervisor's memory image.\n"
	      "\n"
	      "Commands:\n",
	      out);
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(out, " %-10s %s\n", commands[i].name, commands[i].help);
	fputs("\n"
	      "Options:\n"
	      " -h, --help     display this help\n"
	      " -V, --version  display version\n"
	      "\n"
	      "Run 'hvcov <command> --help' for a command's options.\n"
	      "For more details see hvcov(1).\n",
	      out);
}

int main(int argc, char **argv)
{
	const char *name = argc > 1 ? argv[1] : NULL;

	if (!name) {
		usage(stderr);
		return HVCOV_EXIT_SYSTEM;
	}
	if (!strcmp(name, "-h") || !strcmp(name, "--help")) {
		usage(stdout);
		return HVCOV_EXIT_OK;
	}
	if (!strcmp(name, "-V") || !strcmp(name, "--version")) {
		print_version();
		return HVCOV_EXIT_OK;
	}
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (!strcmp(name, commands[i].name))
			return commands[i].run(argc - 1, argv + 1);
	fprintf(stderr, "hvcov: unknown command '%s'\n", name);
	fputs("Try 'hvcov --help' for more information.\n", stderr);
	return HVCOV_EXIT_SYSTEM;
}
