/* SPDX-License-Identifier: BSD-2-Clause */
#include "coverage-stats.h"

#include <string.h>

/* Every GCC from 4.7 to 16 puts the arcs counters at kind 0. */
#define ARCS_KIND 0

void coverage_stats_object(const struct model_object *object,
			   struct coverage_stats *stats)
{
	memset(stats, 0, sizeof(*stats));
	for (uint32_t f = 0; f < object->n_functions; f++) {
		const struct model_function *function = &object->functions[f];

		if (!function->present) {
			stats->placeholders++;
			continue;
		}
		stats->functions++;
		for (unsigned c = 0; c < object->n_active; c++) {
			const struct model_counters *counters =
				&function->counters[c];

			stats->counters += counters->num;
			if (counters->kind != ARCS_KIND)
				continue;
			stats->arcs += counters->num;
			for (uint32_t v = 0; v < counters->num; v++)
				stats->arcs_executed +=
					counters->values[v] != 0;
		}
	}
}

void coverage_stats_add(struct coverage_stats *total,
			const struct coverage_stats *part)
{
	total->functions += part->functions;
	total->placeholders += part->placeholders;
	total->counters += part->counters;
	total->arcs += part->arcs;
	total->arcs_executed += part->arcs_executed;
}

double coverage_stats_percent(const struct coverage_stats *stats)
{
	return stats->arcs ? 100.0 * (double)stats->arcs_executed /
				     (double)stats->arcs
			   : 0.0;
}
