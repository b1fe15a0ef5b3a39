/* SPDX-License-Identifier: BSD-2-Clause */
/* Per-CPU workload state and the start and end of a run. */
#include <stddef.h>

#include "hv.h"

static struct hv_cpu cpus[HV_MAX_CPUS];

void hv_workload_init(void)
{
	unsigned i;

	for (i = 0; i < HV_MAX_CPUS; i++) {
		cpus[i].id = i;
		hv_console_init(&cpus[i].console, i);
	}
}

struct hv_cpu *hv_cpu_get(unsigned id)
{
	if (id >= HV_MAX_CPUS)
		return NULL;
	return &cpus[id];
}

void hv_workload_finish(void)
{
	struct hv_console *console = &cpus[0].console;
	unsigned i;

	for (i = 0; i < HV_MAX_CPUS; i++) {
		const struct hv_cpu *cpu = &cpus[i];

		if (!cpu->done) {
			hv_console_printf(console, "cpu%u: never finished\n",
					  (unsigned long)i);
			continue;
		}
		hv_console_printf(
			console,
			"cpu%u: done, %u calls, %u errors, %u cells, %u mismatches\n",
			(unsigned long)i, cpu->calls, cpu->errors,
			(unsigned long)hv_cell_count(&cpu->cells),
			cpu->guest_mismatches);
	}
}
