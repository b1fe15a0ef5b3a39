/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * One report at a time in an output directory, and no work tree left
 * behind: a run holds a lock on the directory for its whole length, so a
 * .hvcov-work.* directory found while holding it is one a killed run
 * (SIGKILL, a crash, a machine stop) could not remove, and is removed.
 */
#ifndef HVCOV_REPORT_WORKDIR_H
#define HVCOV_REPORT_WORKDIR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "base/error.h"

/* The prefix of the work tree's name inside the output directory. */
#define REPORT_WORK_PREFIX ".hvcov-work."

/* Lock the directory output (an exclusive flock on it, never waiting);
 * *fd holds it until closed.  False, status 2, when another run holds it
 * or the directory cannot be opened. */
bool report_lock_output(const char *output, int *fd, struct error *err);

/* With the lock held: remove every REPORT_WORK_PREFIX directory of
 * output; *removed counts them.  False, status 2, when one cannot be
 * removed. */
bool report_remove_stale_work(const char *output, size_t *removed,
			      struct error *err);

/* Finish a file written through out (NULL: it could not be opened) to
 * tmp_path beside path: closed, and renamed over path only when ok and
 * every write went through, else removed, so that a reader never sees a
 * half-written report file.  Frees tmp_path.  False with errno set. */
bool report_replace_file(FILE *out, bool ok, char *tmp_path, const char *path);

#endif
