/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Build identity, object by object: GCC writes the same stamp into an
 * object's .gcno (build time) and its gcov_info (and so into the image).
 * An image object whose stamp differs from the .gcno beside its .gcda was
 * compiled by another build, and gcov would reject (or misreport) it.
 */
#ifndef HVCOV_GCNO_CHECK_H
#define HVCOV_GCNO_CHECK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/error.h"
#include "model.h"

#define GCNO_MAGIC 0x67636e6fu /* "gcno" */

enum gcno_outcome {
	GCNO_MATCH,   /* version and stamp equal the object's */
	GCNO_STALE,   /* a .gcno of another compilation (or GCC) */
	GCNO_INVALID, /* a file that is not a .gcno */
	GCNO_MISSING, /* no .gcno at either place */
};

struct gcno_check {
	const struct model_object *object;
	enum gcno_outcome outcome;
	char *path;       /* the .gcno read (or, missing, looked for first) */
	uint32_t version; /* GCNO_STALE: the .gcno's words */
	uint32_t stamp;
};

/* Where the .gcda files go: -o ROOT (NULL: in place) and --strip N. */
struct gcno_place {
	const char *root;
	unsigned strip;
};

/* Check each object's .gcno: first the one beside where its .gcda goes
 * (what gcov will read), then the one at the compiled-in path (the build
 * tree).  *checks (free with gcno_checks_free) has one entry per object.
 * False for a filename the writer would refuse too, or no memory. */
bool gcno_check_model(const struct model *model, const struct gcno_place *place,
		      struct gcno_check **checks, struct error *err);

void gcno_checks_free(struct gcno_check *checks, size_t n);

#endif
