/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The report's private work tree.  lcov and genhtml run inside it, on
 * names hvcov chose (g/N/o.gcno, run.info, html/): a path of the user's
 * never reaches their argument parsing or their Perl, which mangle a
 * newline.  The results are then moved into the output directory.
 */
#ifndef HVCOV_REPORT_TREE_H
#define HVCOV_REPORT_TREE_H

#include <stdbool.h>

#include "base/error.h"
#include "pairing.h"

/* Copy each pair into dir/g/N/o.gcno and o.gcda (the never-run .gcno
 * only with baseline).  Copies, not links: nothing follows a name back
 * into the user's trees. */
bool report_stage_pairs(const char *dir, const struct report_pairs *pairs,
			bool baseline, struct error *err);

/* Rename every entry of from into to (the same file system), replacing
 * what is there: an old report's file or directory is moved aside into
 * trash first. */
bool report_move_entries(const char *from, const char *to, const char *trash,
			 struct error *err);

/* Remove path and everything below it; symbolic links are not followed. */
void report_remove_tree(const char *path);

#endif
