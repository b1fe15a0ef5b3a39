/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The scripted guest input: per CPU, the hypercalls its guest issues and the
 * result each must give.  Pure data, read by the arm/arm64 guests (MMU off),
 * by the x86_64 exit source and by the hosted ground-truth driver, so every
 * runner feeds the dispatcher exactly the same sequence.
 */
#ifndef HV_SCRIPT_H
#define HV_SCRIPT_H

struct hv_call {
	unsigned long code;
	unsigned long arg[4];
	long expect;
};

/* The workload's phases, in order: each is one "test" of the per-test
 * report (make demo-live).  Every CPU runs its part of phase k, then all
 * CPUs meet at the phase boundary before any starts phase k + 1. */
#define HV_PHASES 4
extern const char *const hv_phase_names[HV_PHASES];

/* The guest's "my part of phase arg0 is done" marker.  Not a workload
 * hypercall: the arm/arm64 trap handles it before the dispatcher, so the
 * workload's counters and call counts do not see it. */
#define HV_PHASE_CALL 0x70

struct hv_script {
	const struct hv_call *calls;
	unsigned long count;
	/* calls[phase_end[k - 1]] to calls[phase_end[k] - 1] are phase k;
	 * phase_end[HV_PHASES - 1] == count. */
	unsigned long phase_end[HV_PHASES];
};

/* One per CPU (HV_MAX_CPUS); each ends without HC_GUEST_DONE, which the
 * runner issues itself with the number of unexpected results. */
extern const struct hv_script hv_scripts[];

#endif
