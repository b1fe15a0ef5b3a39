/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The workload's interface to whatever runs it: the demo hypervisor on each
 * architecture, or the hosted ground-truth driver.  Each CPU owns its state
 * (cells, console line), so the control flow a CPU takes depends only on its
 * own script and the counters are deterministic however the CPUs interleave.
 */
#ifndef HV_HV_H
#define HV_HV_H

#include <stdbool.h>
#include <stdint.h>

#include "cell.h"
#include "console.h"

#define HV_MAX_CPUS 2

struct hv_cpu {
	unsigned id;
	unsigned long calls;
	unsigned long errors;
	unsigned long guest_mismatches;
	bool done;
	struct hv_cell_table cells;
	struct hv_console console;
};

/* One trapped hypercall: the registers in, the result out. */
struct hv_regs {
	unsigned long code;
	unsigned long arg[4];
	long result;
};

enum hv_action {
	HV_RESUME, /* return the result to the guest */
	HV_PARK,   /* the guest is finished: stop this CPU */
};

/*
 * Every runner makes exactly these calls, so that the hypervisor's counters
 * and the hosted ground truth agree: hv_workload_init() once; hv_cpu_get()
 * once per CPU; hv_hypercall() once per scripted call plus HC_GUEST_DONE;
 * hv_workload_finish() once.
 */

/* Boot CPU, once, before any other CPU enters the workload. */
void hv_workload_init(void);

/* The per-CPU state of CPU id, or NULL if there is no such CPU. */
struct hv_cpu *hv_cpu_get(unsigned id);

enum hv_action hv_hypercall(struct hv_cpu *cpu, struct hv_regs *regs);

/* Once every CPU is parked: print what each CPU did. */
void hv_workload_finish(void);

/* Provided by the runner: write one finished console line (no newline). */
void hv_platform_write(unsigned cpu, const char *text, unsigned length);

#endif
