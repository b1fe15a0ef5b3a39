/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The boot flow every architecture shares: hvcov_init() on the boot CPU
 * before anything instrumented runs, then the workload on every CPU, then
 * hvcov_disable() once all CPUs have parked.
 */
#include <stdint.h>

#include "hvcov/hvcov.h"

#include "../script/script.h"
#include "../workload/hv.h"
#include "arch.h"

/* Bounds of the image the host reads (the architecture's linker script). */
extern char __image_start[], __image_end[];

static struct hv_cpu *cpus[HV_MAX_CPUS];
static unsigned online = 1;
static unsigned parked;

unsigned hv_online_cpus(void)
{
	return online;
}

struct hv_cpu *hv_this_cpu(unsigned id)
{
	return cpus[id];
}

void hv_boot(void)
{
	unsigned id;

	hv_log("hvcov-demo: cpu0 up at ");
	hv_log(arch_level);
	hv_log_hex(", image at ", (uintptr_t)__image_start);

	hvcov_init(__image_start, (uintptr_t)(__image_end - __image_start),
		   hvcov_cycle_counter());
	hv_workload_init();
	cpus[0] = hv_cpu_get(0);

	for (id = 1; id < HV_MAX_CPUS; id++) {
		if (arch_start_cpu(id)) {
			hv_log_hex("hvcov-demo: cannot start cpu ", id);
			break;
		}
		online++;
	}
	arch_run_guest(0);
}

void hv_secondary(unsigned id)
{
	hv_log_hex("hvcov-demo: secondary cpu up: ", id);
	cpus[id] = hv_cpu_get(id);
	arch_run_guest(id);
}

void hv_guest_call(unsigned id, unsigned long reg[5])
{
	struct hv_regs regs = { .code = reg[0],
				.arg = { reg[1], reg[2], reg[3], reg[4] } };

	if (reg[0] == HV_PHASE_CALL) {
		hv_phase_done(id, reg[1]);
		reg[0] = 0;
		return;
	}
	if (hv_hypercall(hv_this_cpu(id), &regs) == HV_PARK)
		hv_park(id);
	reg[0] = (unsigned long)regs.result;
}

void hv_park(unsigned id)
{
	/* Release: this CPU's counter updates happen before it counts as
	 * parked, so the boot CPU disables only final counters. */
	__atomic_add_fetch(&parked, 1, __ATOMIC_RELEASE);
	if (id == 0) {
		while (__atomic_load_n(&parked, __ATOMIC_ACQUIRE) < online)
			;
		hv_workload_finish();
		/* Logged first: the host may stop QEMU as soon as it sees
		 * the state change. */
		hv_log("hvcov-demo: all CPUs parked, disabling hvcov\n");
		hvcov_disable();
	}
	arch_halt();
}
