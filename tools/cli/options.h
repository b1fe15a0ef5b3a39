/* SPDX-License-Identifier: BSD-2-Clause */
/* What the command files share: the command table entry and the printing of
 * version and errors. */
#ifndef HVCOV_CLI_H
#define HVCOV_CLI_H

#include <getopt.h>
#include <stdbool.h>

#include "base/error.h"
#include "source/source.h"

struct command {
	const char *name;
	int (*run)(int argc, char **argv); /* returns an enum hvcov_exit */
	const char *help;
};

int cmd_info(int argc, char **argv);
int cmd_extract(int argc, char **argv);
int cmd_snapshot(int argc, char **argv);
int cmd_verify(int argc, char **argv);
int cmd_report(int argc, char **argv);

/* -o DIR and -s N, which extract, verify and snapshot take alike. */
struct cli_output {
	const char *dir; /* -o DIR; NULL when not given */
	unsigned strip;  /* -s N: leading directories dropped from paths */
};

/* A reading command's own options; cli_parse() adds the SOURCE options,
 * -h/--help and -V/--version, and allows no other arguments. */
struct cli_spec {
	const char *name;                  /* "extract", for messages */
	const char *short_options;         /* the command's own, e.g. "mq" */
	const struct option *long_options; /* the command's own, NULL-ended */
	void (*usage)(void);               /* the --help text, on stdout */
	/* One of the command's own options; false with err set for a bad
	 * value. */
	bool (*option)(void *context, int option, const char *value,
		       struct error *err);
	void *context;
	/* Non-NULL: the command takes -o/--output DIR and -s/--strip N,
	 * parsed into it. */
	struct cli_output *output;
};

/* Parse argv; returns -1 when the command should go on, else the exit
 * status (after --help, --version or a usage error). */
int cli_parse(const struct cli_spec *spec, int argc, char **argv,
	      struct source *source);

void print_version(void);

/* The one warning channel: "hvcov: warning: <text>" and a newline on
 * stderr.  A warning never changes the exit status. */
void warning(const char *format, ...) __attribute__((format(printf, 1, 2)));

/* Print "hvcov: <text>" on stderr and return the error's status. */
int report_error(const struct error *err);

/* Print "hvcov: <message>" and the hint to --help; returns
 * HVCOV_EXIT_SYSTEM for main() to use. */
int usage_error(const char *command, const char *message);

#endif
