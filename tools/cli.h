/* SPDX-License-Identifier: BSD-2-Clause */
/* What the command files share: the command table entry and the printing of
 * version and errors. */
#ifndef HVCOV_CLI_H
#define HVCOV_CLI_H

#include "error.h"

struct command {
	const char *name;
	int (*run)(int argc, char **argv); /* returns an enum hvcov_exit */
	const char *help;
};

int cmd_info(int argc, char **argv);
int cmd_extract(int argc, char **argv);
int cmd_snapshot(int argc, char **argv);

void print_version(void);

/* Print "hvcov: <text>" on stderr and return the error's status. */
int report_error(const struct error *err);

/* Print "hvcov: <message>" and the hint to --help; returns
 * HVCOV_EXIT_SYSTEM for main() to use. */
int usage_error(const char *command, const char *message);

#endif
