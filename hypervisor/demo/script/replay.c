/* SPDX-License-Identifier: BSD-2-Clause */
#include "replay.h"

#include "../workload/hypercall.h"

unsigned long hv_script_replay_calls(struct hv_cpu *cpu,
				     const struct hv_script *script,
				     unsigned long from, unsigned long to,
				     hv_replay_report *report)
{
	unsigned long i, mismatches = 0;
	struct hv_regs regs;

	for (i = from; i < to && i < script->count; i++) {
		const struct hv_call *call = &script->calls[i];

		regs.code = call->code;
		regs.arg[0] = call->arg[0];
		regs.arg[1] = call->arg[1];
		regs.arg[2] = call->arg[2];
		regs.arg[3] = call->arg[3];
		if (hv_hypercall(cpu, &regs) != HV_RESUME ||
		    regs.result != call->expect) {
			if (report)
				report(cpu, i, call, regs.result);
			mismatches++;
		}
	}
	return mismatches;
}

unsigned long hv_script_guest_done(struct hv_cpu *cpu, unsigned long mismatches)
{
	struct hv_regs regs;

	regs.code = HC_GUEST_DONE;
	regs.arg[0] = mismatches;
	if (hv_hypercall(cpu, &regs) != HV_PARK)
		mismatches++;
	return mismatches;
}

unsigned long hv_script_replay(struct hv_cpu *cpu,
			       const struct hv_script *script,
			       hv_replay_report *report,
			       hv_replay_phase_done *phase_done)
{
	unsigned long phase, from = 0, mismatches = 0;

	for (phase = 0; phase < HV_PHASES; phase++) {
		mismatches += hv_script_replay_calls(
			cpu, script, from, script->phase_end[phase], report);
		from = script->phase_end[phase];
		if (phase_done)
			phase_done(cpu->id, phase);
	}
	return hv_script_guest_done(cpu, mismatches);
}
