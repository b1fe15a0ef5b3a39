/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Which .gcno each .gcda belongs to.  An 'hvcov extract -o' tree mirrors
 * the absolute paths compiled into the image (less --strip N leading
 * directories), so a .gcda's path under its tree and its .gcno's path under
 * the build tree share a tail: the pair is the .gcno whose path agrees with
 * the .gcda's over the most directories.  The name is only the candidate:
 * GCC writes one stamp into an object's .gcno and its counters, so the
 * .gcda's stamp and version must equal the .gcno's, or the .gcno is of
 * another compilation and the pair is refused.
 */
#ifndef HVCOV_REPORT_PAIRING_H
#define HVCOV_REPORT_PAIRING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/error.h"

struct report_pair {
	char *gcda; /* NULL: a .gcno whose object never ran */
	char *gcno;
	uint32_t version; /* the .gcno's words (and the .gcda's) */
	uint32_t stamp;
};

struct report_pairs {
	struct report_pair *pair; /* paired first, then the never-run */
	size_t n, n_paired;
};

/* Pair every .gcda under gcda_dir with a .gcno under build_dir.  False,
 * with one line in err, for a .gcda without a .gcno (status 1), two equally
 * good .gcno (1), a stamp or version that differs (1), a file that is no
 * .gcda/.gcno (1), no .gcda at all (1), or a directory that cannot be read
 * (2). */
bool report_pair_trees(const char *gcda_dir, const char *build_dir,
		       struct report_pairs *pairs, struct error *err);

void report_pairs_free(struct report_pairs *pairs);

struct model;

/* The .gcda files must be this image's: every image object has a paired
 * .gcda of its name and stamp, and every paired .gcda is of one image
 * object (status 1 otherwise, naming the first that is not). */
bool report_match_image(const struct model *model,
			const struct report_pairs *pairs, struct error *err);

#endif
