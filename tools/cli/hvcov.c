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

#include "base/error.h"
#include "options.h"
#include "write/outpath.h"

static const struct command commands[] = {
	{ "info", cmd_info, "show the image's header, compiler and coverage" },
	{ "extract", cmd_extract, "write the image's counters as .gcda files" },
	{ "snapshot", cmd_snapshot,
	  "snapshot a running hypervisor's counters, once or periodically" },
	{ "verify", cmd_verify, "check that the image is from this build" },
	{ "report", cmd_report,
	  "render a build's extracted coverage as HTML, with a manifest" },
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
	      "Run 'hvcov help <command>' for a command's options.\n"
	      "The qualification run is the program hvcov-qualify.\n"
	      "For more details see hvcov(1).\n",
	      out);
}

/* The edit distance of a and b (insertions, deletions, substitutions and
 * swaps of neighbours), for names no longer than a command's. */
static size_t distance(const char *a, const char *b)
{
	enum { MAX = 32 };
	size_t d[MAX + 1][MAX + 1];
	size_t la = strlen(a), lb = strlen(b);

	if (la > MAX || lb > MAX)
		return MAX;
	for (size_t i = 0; i <= la; i++)
		d[i][0] = i;
	for (size_t j = 0; j <= lb; j++)
		d[0][j] = j;
	for (size_t i = 1; i <= la; i++)
		for (size_t j = 1; j <= lb; j++) {
			size_t best = d[i - 1][j - 1] + (a[i - 1] != b[j - 1]);

			if (d[i - 1][j] + 1 < best)
				best = d[i - 1][j] + 1;
			if (d[i][j - 1] + 1 < best)
				best = d[i][j - 1] + 1;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] &&
			    a[i - 2] == b[j - 1] && d[i - 2][j - 2] + 1 < best)
				best = d[i - 2][j - 2] + 1;
			d[i][j] = best;
		}
	return d[la][lb];
}

static const struct command *find_command(const char *name)
{
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (!strcmp(name, commands[i].name))
			return &commands[i];
	return NULL;
}

/* An unknown command: one line, naming the nearest command when a typo
 * (at most two edits) or a unique prefix explains the name. */
static int unknown_command(const char *name)
{
	const struct command *near = NULL;
	size_t best = 3, prefixed = 0;
	char quoted[128];

	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
		size_t d = distance(name, commands[i].name);

		if (*name && !strncmp(name, commands[i].name, strlen(name)) &&
		    !prefixed++)
			d = 0;
		if (d < best) {
			best = d;
			near = &commands[i];
		}
	}
	outpath_quote(name, quoted, sizeof(quoted));
	/* The qualification run builds and runs programs with the user's
	 * compiler: a program of its own, not a command. */
	if (!strcmp(name, "qualify"))
		fputs("hvcov: the qualification run is the program hvcov-qualify (see hvcov-qualify(1))\n",
		      stderr);
	else if (near && prefixed <= 1)
		fprintf(stderr,
			"hvcov: unknown command %s (did you mean '%s'? see 'hvcov --help')\n",
			quoted, near->name);
	else
		fprintf(stderr,
			"hvcov: unknown command %s (see 'hvcov --help')\n",
			quoted);
	return HVCOV_EXIT_SYSTEM;
}

int main(int argc, char **argv)
{
	const char *name = argc > 1 ? argv[1] : NULL;
	const struct command *command;

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
	if (!strcmp(name, "help")) {
		/* 'hvcov help CMD' is 'hvcov CMD --help'. */
		char help[] = "--help";
		char *args[] = { argc > 2 ? argv[2] : NULL, help, NULL };

		if (argc == 2) {
			usage(stdout);
			return HVCOV_EXIT_OK;
		}
		if (argc > 3) {
			fputs("hvcov: help takes one command name\n", stderr);
			return HVCOV_EXIT_SYSTEM;
		}
		command = find_command(argv[2]);
		return command ? command->run(2, args)
			       : unknown_command(argv[2]);
	}
	command = find_command(name);
	return command ? command->run(argc - 1, argv + 1)
		       : unknown_command(name);
}
