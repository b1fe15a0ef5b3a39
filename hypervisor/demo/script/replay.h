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

/* Called at the end of each phase of a CPU's script (may be NULL). */
typedef void hv_replay_phase_done(unsigned cpu, unsigned long phase);

/* Issue calls[from] to calls[to - 1]; returns the unexpected results. */
unsigned long hv_script_replay_calls(struct hv_cpu *cpu,
				     const struct hv_script *script,
				     unsigned long from, unsigned long to,
				     hv_replay_report *report);

/* HC_GUEST_DONE with the number of unexpected results; returns that
 * number, plus one if it did not park the CPU. */
unsigned long hv_script_guest_done(struct hv_cpu *cpu,
				   unsigned long mismatches);

/* Every phase of script, phase_done after each, then HC_GUEST_DONE. */
unsigned long hv_script_replay(struct hv_cpu *cpu,
			       const struct hv_script *script,
			       hv_replay_report *report,
			       hv_replay_phase_done *phase_done);

#endif
