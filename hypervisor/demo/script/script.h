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

struct hv_script {
	const struct hv_call *calls;
	unsigned long count;
};

/* One per CPU (HV_MAX_CPUS); each ends without HC_GUEST_DONE, which the
 * runner issues itself with the number of unexpected results. */
extern const struct hv_script hv_scripts[];

#endif
