/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * What GCC 14 and later objects measure beyond lines and branches, counted
 * from the .gcno and .gcda files as gcov counts it: MC/DC condition
 * outcomes (-fcondition-coverage; two per term of a decision, each covered
 * when its bit is set in the counters) and prime paths (-fpath-coverage,
 * GCC 15 and later; one bit per path).  The report needs it to know whether
 * the data has them at all, so that a renderer that cannot show them is
 * named instead of its silence being read as 0 of 0, and for prime paths,
 * which neither lcov nor gcovr shows, as the only figure.
 */
#ifndef HVCOV_REPORT_EXTRAS_H
#define HVCOV_REPORT_EXTRAS_H

#include <stdbool.h>
#include <stdint.h>

#include "base/error.h"
#include "pairing.h"

struct report_extras {
	uint64_t conditions, conditions_hit; /* outcomes */
	uint64_t paths, paths_hit;           /* prime paths */
};

/* Count over every paired object, and over the never-run ones (whose
 * outcomes and paths are all uncovered) when baseline is true.  Objects of
 * a GCC before 14 add nothing.  False with one line in err (status 1) for
 * a file whose records do not fit together. */
bool report_extras_count(const struct report_pairs *pairs, bool baseline,
			 struct report_extras *out, struct error *err);

/* One prime path of a function, as gcov numbers them (0 up to the
 * function's count; the ids of gcov's JSON): its .gcno, the function's
 * ident and name (not NUL-terminated), and whether its bit is set. */
struct report_path {
	const char *gcno;
	uint32_t ident;
	const char *name;
	size_t name_len;
	uint32_t index;
	bool covered;
};

struct report_path_visitor {
	/* False (err set) stops the walk. */
	bool (*each)(void *ctx, const struct report_path *path,
		     struct error *err);
	void *ctx;
};

/* Every prime path of the objects report_extras_count counts over, in
 * .gcno and function order, handed to visit; the same errors. */
bool report_extras_paths(const struct report_pairs *pairs, bool baseline,
			 const struct report_path_visitor *visit,
			 struct error *err);

#endif
