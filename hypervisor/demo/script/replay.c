/* SPDX-License-Identifier: BSD-2-Clause */
#include "replay.h"

#include "../workload/hypercall.h"

unsigned long hv_script_replay(struct hv_cpu *cpu,
			       const struct hv_script *script,
			       hv_replay_report *report)
{
	unsigned long i, mismatches = 0;
	struct hv_regs regs;

	for (i = 0; i < script->count; i++) {
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
	regs.code = HC_GUEST_DONE;
	regs.arg[0] = mismatches;
	if (hv_hypercall(cpu, &regs) != HV_PARK)
		mismatches++;
	return mismatches;
}
