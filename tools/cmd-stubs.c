/* SPDX-License-Identifier: BSD-2-Clause */
/* TEMPORARY until cmd-info.c / cmd-extract.c land. */
#include "cli.h"
int cmd_info(int argc, char **argv) { (void)argc; (void)argv; return 2; }
int cmd_extract(int argc, char **argv) { (void)argc; (void)argv; return 2; }
