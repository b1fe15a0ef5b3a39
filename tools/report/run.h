/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Running the report's tools: an argument vector, never a shell line, so no
 * path is split or expanded; LC_ALL=C, so no tool writes a decimal comma;
 * every exit status checked.
 */
#ifndef HVCOV_REPORT_RUN_H
#define HVCOV_REPORT_RUN_H

#include <stdbool.h>
#include <stddef.h>

#include "base/error.h"

/* Run argv (argv[0] looked up in PATH) in the directory dir (NULL: this
 * one) with its stdout and stderr appended to log_fd.  False with err set
 * (status 2 when it cannot start, 1 when it fails or is killed) unless it
 * exits 0. */
bool report_run(char *const argv[], const char *dir, int log_fd,
		struct error *err);

/* Run argv and keep up to size - 1 bytes of its stdout, NUL-terminated, in
 * out (stderr goes to /dev/null); the same failures as report_run. */
bool report_capture(char *const argv[], char *out, size_t size,
		    struct error *err);

#endif
