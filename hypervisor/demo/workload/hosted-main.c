/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Ground truth: the workload built hosted with --coverage and the real
 * libgcov, fed the same per-CPU scripts as the demo hypervisor (one CPU after
 * the other, which gives the same per-edge totals because no CPU's control
 * flow depends on another's).  Its .gcda files are what hvcov must extract
 * from the hypervisor's memory, counter for counter.
 *
 * The CPUs' scripts are fed phase by phase (script.h), as the hypervisor's
 * CPUs meet at each phase boundary.  With an argument PHASES it stops after
 * that many phases (without HC_GUEST_DONE and the final summary): its .gcda
 * files are then the truth of a live snapshot taken at that boundary, the
 * fourth included.
 *
 * Exit status: 0 if every call gave its scripted result, 1 otherwise.
 */
#include <stdio.h>
#include <stdlib.h>

#include "../script/replay.h"
#include "hv.h"
#include "hypercall.h"

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

int main(int argc, char **argv)
{
	unsigned long mismatches[HV_MAX_CPUS] = { 0 }, failed = 0;
	unsigned long phases = HV_PHASES, phase;
	/* Without PHASES: the whole run, ending like the hypervisor's. */
	int whole = argc < 2;
	struct hv_cpu *cpus[HV_MAX_CPUS];
	unsigned id;

	if (argc > 1)
		phases = strtoul(argv[1], NULL, 10);
	if (argc > 2 || phases > HV_PHASES) {
		fprintf(stderr, "usage: hvcov-demo-hosted [PHASES]\n");
		return 2;
	}
	hv_workload_init();
	/* Once per CPU, as the hypervisor does. */
	for (id = 0; id < HV_MAX_CPUS; id++)
		cpus[id] = hv_cpu_get(id);
	for (phase = 0; phase < phases; phase++)
		for (id = 0; id < HV_MAX_CPUS; id++) {
			const struct hv_script *script = &hv_scripts[id];

			mismatches[id] += hv_script_replay_calls(
				cpus[id], script,
				phase ? script->phase_end[phase - 1] : 0,
				script->phase_end[phase], report_mismatch);
		}
	for (id = 0; id < HV_MAX_CPUS; id++) {
		if (!whole)
			failed += mismatches[id];
		else
			failed +=
				hv_script_guest_done(cpus[id], mismatches[id]);
	}
	if (whole)
		hv_workload_finish();
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
