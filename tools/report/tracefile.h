/* SPDX-License-Identifier: BSD-2-Clause */
/* The totals of an lcov tracefile, read from its records (LF/LH, FNF/FNH,
 * BRF/BRH, and lcov 2.x's MC/DC MCF/MCH), not from lcov's printed summary,
 * whose wording changed between releases. */
#ifndef HVCOV_REPORT_TRACEFILE_H
#define HVCOV_REPORT_TRACEFILE_H

#include <stdbool.h>
#include <stdint.h>

#include "base/error.h"

struct trace_totals {
	uint64_t lines, lines_hit;
	uint64_t functions, functions_hit;
	uint64_t branches, branches_hit;
	uint64_t conditions, conditions_hit; /* MC/DC; 0 when not measured */
	uint64_t files;
	bool has_conditions; /* the renderer wrote MC/DC figures (MCF, or
			      * gcovr 8's condition_total) */
};

bool tracefile_totals(const char *path, struct trace_totals *totals,
		      struct error *err);

/* Is hit of total at least threshold (in hundredths of a percent)?  Exact
 * integer arithmetic: 93.20 passes 260 of 279 only if 26000 * 100 >=
 * 9320 * 279. */
bool trace_meets(uint64_t hit, uint64_t total, uint32_t hundredths);

#endif
