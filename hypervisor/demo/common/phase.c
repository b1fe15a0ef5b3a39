/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Phase boundaries of the workload (script.h), and how the host sees them.
 *
 * At the end of each phase every CPU calls hv_phase_done(); the last to
 * arrive is awaited by the boot CPU, which then publishes "phase k done" in
 * hv_demo_phase, a block in the hypervisor's data that the host reads
 * through the same RAM file as the counters (hvcov-demo-probe --phase).
 * Until every CPU has arrived no CPU has started phase k + 1, so the
 * counters at that moment are exactly phases 0 to k.
 *
 * Built with HV_LIVE_PHASES (hvcov-demo-live.elf), the boot CPU then waits
 * for the host's acknowledgement before letting any CPU start phase k + 1:
 * one byte on the debug UART's receive line, which the host sends after it
 * has taken its snapshot.  The host never writes hypervisor memory; the UART
 * is a device, as a test harness's console would be.  Without
 * HV_LIVE_PHASES (hvcov-demo.elf) nothing waits for the host.
 *
 * Not instrumented: the spin loops run a number of times that depends on
 * CPU interleaving.
 */
#include <stdint.h>

#include "../script/script.h"
#include "arch.h"

#define HV_DEMO_PHASE_MAGIC "HVPHASE1"

/* The host's view (hypervisor/demo/README.md).  Written by the boot CPU
 * only; `done` last, with release ordering. */
struct hv_demo_phase {
	char magic[8];    /* HV_DEMO_PHASE_MAGIC, no NUL */
	uint32_t done;    /* phases every CPU has finished */
	uint32_t waiting; /* 1 while the CPUs wait for the host's byte */
	char name[32];    /* name of phase done - 1, NUL-terminated */
};

/* The magic spelled out, as HV_DEMO_PHASE_MAGIC without its NUL (GCC 15
 * warns about a literal that fills the array). */
struct hv_demo_phase hv_demo_phase = {
	{ 'H', 'V', 'P', 'H', 'A', 'S', 'E', '1' }, 0, 0, ""
};

static unsigned arrived;
static unsigned long released;

static void publish(unsigned long phase)
{
	const char *name = hv_phase_names[phase];
	unsigned i;

	for (i = 0; i + 1 < sizeof(hv_demo_phase.name) && name[i]; i++)
		hv_demo_phase.name[i] = name[i];
	hv_demo_phase.name[i] = '\0';
#ifdef HV_LIVE_PHASES
	hv_demo_phase.waiting = 1;
#endif
	__atomic_store_n(&hv_demo_phase.done, (uint32_t)(phase + 1),
			 __ATOMIC_RELEASE);
}

void hv_phase_done(unsigned id, unsigned long phase)
{
	/* Release: this CPU's counter updates of the phase come first. */
	__atomic_add_fetch(&arrived, 1, __ATOMIC_RELEASE);
	if (id != 0) {
		while (__atomic_load_n(&released, __ATOMIC_ACQUIRE) <= phase)
			;
		return;
	}
	while (__atomic_load_n(&arrived, __ATOMIC_ACQUIRE) <
	       hv_online_cpus() * (phase + 1))
		;
	publish(phase);
#ifdef HV_LIVE_PHASES
	hv_log("hvcov-demo: phase done, waiting for the host: ");
	hv_log(hv_demo_phase.name);
	hv_log("\n");
	while (arch_getc() < 0)
		;
	__atomic_store_n(&hv_demo_phase.waiting, 0, __ATOMIC_RELEASE);
#endif
	__atomic_store_n(&released, phase + 1, __ATOMIC_RELEASE);
}
