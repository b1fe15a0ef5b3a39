/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The tiny guest (arm EL1/SVC, MMU off): issue this CPU's scripted
 * hypercalls, count results that differ from the script, then report done.
 * Not part of the hypervisor, never instrumented.
 */
#include "hvc.h"
#include "../script/script.h"
#include "../workload/hypercall.h"

void guest_main(unsigned long cpu) __attribute__((noreturn));

void guest_main(unsigned long cpu)
{
	const struct hv_script *script = &hv_scripts[cpu];
	unsigned long i, mismatches = 0;

	for (i = 0; i < script->count; i++) {
		const struct hv_call *call = &script->calls[i];

		if (guest_hvc(call->code, call->arg[0], call->arg[1],
			      call->arg[2], call->arg[3]) != call->expect)
			mismatches++;
	}
	guest_hvc(HC_GUEST_DONE, mismatches, 0, 0, 0);
	for (;;)
		;
}
