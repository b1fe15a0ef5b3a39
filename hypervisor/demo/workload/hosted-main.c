/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Ground truth: the workload built hosted with --coverage and the real
 * libgcov, fed the same per-CPU scripts as the demo hypervisor (one CPU after
 * the other, which gives the same per-edge totals because no CPU's control
 * flow depends on another's).  Its .gcda files are what hvcov must extract
 * from the hypervisor's memory, counter for counter.
 *
 * Exit status: 0 if every call gave its scripted result, 1 otherwise.
 */
#include <stdio.h>
#include <stdlib.h>

#include "hv.h"
#include "hypercall.h"
#include "../script/replay.h"

void hv_platform_write(unsigned cpu, const char *text, unsigned length)
{
	printf("[cpu%u] %.*s\n", cpu, (int)length, text);
}

static void report_mismatch(const struct hv_cpu *cpu, unsigned long index,
			    const struct hv_call *call, long result)
{
	fprintf(stderr, "cpu%u: call %lu (code %lu): got %ld, expected %ld\n",
		cpu->id, index, call->code, result, call->expect);
}

int main(void)
{
	unsigned long mismatches = 0;
	unsigned id;

	hv_workload_init();
	for (id = 0; id < HV_MAX_CPUS; id++)
		mismatches += hv_script_replay(hv_cpu_get(id), &hv_scripts[id],
					       report_mismatch);
	hv_workload_finish();
	return mismatches ? EXIT_FAILURE : EXIT_SUCCESS;
}
