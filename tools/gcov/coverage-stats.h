/* SPDX-License-Identifier: BSD-2-Clause */
/* Summary figures of a model, as gcov counts them: an arc is executed when
 * its arcs counter is non-zero. */
#ifndef HVCOV_COVERAGE_STATS_H
#define HVCOV_COVERAGE_STATS_H

#include <stdint.h>

#include "model.h"

struct coverage_stats {
	uint64_t functions;    /* function records with data */
	uint64_t placeholders; /* COMDAT copies without data */
	uint64_t counters;     /* counter values of every kind */
	uint64_t arcs;         /* arcs counters */
	uint64_t arcs_executed;
};

void coverage_stats_object(const struct model_object *object,
			   struct coverage_stats *stats);
void coverage_stats_add(struct coverage_stats *total,
			const struct coverage_stats *part);
/* Percentage of arcs executed; 0 when there are none. */
double coverage_stats_percent(const struct coverage_stats *stats);

#endif
