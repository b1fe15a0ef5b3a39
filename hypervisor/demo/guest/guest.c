/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The tiny guest (arm EL1/SVC, MMU off): issue this CPU's scripted
 * hypercalls phase by phase, marking the end of each phase, count results
 * that differ from the script, then report done.
 * Not part of the hypervisor, never instrumented.
 */
#include "../script/script.h"
#include "../workload/hypercall.h"
#include "hvc.h"

void guest_main(unsigned long cpu) __attribute__((noreturn));

void guest_main(unsigned long cpu)
{
	const struct hv_script *script = &hv_scripts[cpu];
	unsigned long i = 0, phase, mismatches = 0;

	for (phase = 0; phase < HV_PHASES; phase++) {
		for (; i < script->phase_end[phase]; i++) {
			const struct hv_call *call = &script->calls[i];

			if (guest_hvc(call->code, call->arg[0], call->arg[1],
				      call->arg[2],
				      call->arg[3]) != call->expect)
				mismatches++;
		}
		guest_hvc(HV_PHASE_CALL, phase, 0, 0, 0);
	}
	guest_hvc(HC_GUEST_DONE, mismatches, 0, 0, 0);
	for (;;)
		;
}
