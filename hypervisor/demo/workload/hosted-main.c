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
#include "../script/script.h"

void hv_platform_write(unsigned cpu, const char *text, unsigned length)
{
	printf("[cpu%u] %.*s\n", cpu, (int)length, text);
}

/* What a guest does: issue each call, count the unexpected results. */
static unsigned long run_guest(struct hv_cpu *cpu, const struct hv_script *s)
{
	unsigned long i, mismatches = 0;
	struct hv_regs regs;

	for (i = 0; i < s->count; i++) {
		const struct hv_call *call = &s->calls[i];

		regs.code = call->code;
		regs.arg[0] = call->arg[0];
		regs.arg[1] = call->arg[1];
		regs.arg[2] = call->arg[2];
		regs.arg[3] = call->arg[3];
		if (hv_hypercall(cpu, &regs) != HV_RESUME ||
		    regs.result != call->expect) {
			fprintf(stderr,
				"cpu%u: call %lu (code %lu): got %ld, "
				"expected %ld\n",
				cpu->id, i, call->code, regs.result,
				call->expect);
			mismatches++;
		}
	}
	regs.code = HC_GUEST_DONE;
	regs.arg[0] = mismatches;
	if (hv_hypercall(cpu, &regs) != HV_PARK)
		mismatches++;
	return mismatches;
}

int main(void)
{
	unsigned long mismatches = 0;
	unsigned id;

	hv_workload_init();
	for (id = 0; id < HV_MAX_CPUS; id++)
		mismatches += run_guest(hv_cpu_get(id), &hv_scripts[id]);
	hv_workload_finish();
	return mismatches ? EXIT_FAILURE : EXIT_SUCCESS;
}
