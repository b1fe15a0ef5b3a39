/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Replaying one CPU's script through the dispatcher, as a guest would: the
 * one routine both the x86_64 exit source and the hosted ground-truth driver
 * use, so that the two feed the workload exactly the same sequence.
 */
#ifndef HV_REPLAY_H
#define HV_REPLAY_H

#include "../workload/hv.h"
#include "script.h"

/* Called for each call whose result is not the scripted one (may be NULL). */
typedef void hv_replay_report(const struct hv_cpu *cpu, unsigned long index,
			      const struct hv_call *call, long result);

/* Issue every call of script, then HC_GUEST_DONE with the number of
 * unexpected results.  Returns that number, plus one if HC_GUEST_DONE did
 * not park the CPU. */
unsigned long hv_script_replay(struct hv_cpu *cpu,
			       const struct hv_script *script,
			       hv_replay_report *report);

#endif
