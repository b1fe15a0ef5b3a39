/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * What each architecture provides to the arch-neutral boot flow (main.c).
 * None of it is instrumented.
 */
#ifndef HV_ARCH_H
#define HV_ARCH_H

/* Name of the privilege level the hypervisor runs at, for the log. */
extern const char arch_level[];

/* This CPU's index, 0 for the boot CPU. */
unsigned arch_cpu_id(void);

/* Write one character to the debug UART (polling, no lock). */
void arch_putc(char c);

/* One character from the debug UART, or -1 if none is waiting. */
int arch_getc(void);

/* Power on CPU id; it enters hv_secondary(id).  0 on success. */
int arch_start_cpu(unsigned id);

/* Run CPU id's guest; returns only through hv_park(). */
void arch_run_guest(unsigned id) __attribute__((noreturn));

/* Stop this CPU for good. */
void arch_halt(void) __attribute__((noreturn));

/* Entered by each architecture's boot code, MMU on, stack ready. */
void hv_boot(void) __attribute__((noreturn));
void hv_secondary(unsigned id) __attribute__((noreturn));

/* CPUs that were started (fixed before any guest runs). */
unsigned hv_online_cpus(void);

/* The workload state of CPU id, looked up once when the CPU started. */
struct hv_cpu *hv_this_cpu(unsigned id);

/* The guest of CPU id is finished: count the CPU as parked and halt it;
 * the boot CPU waits for the others and then disables hvcov. */
void hv_park(unsigned id) __attribute__((noreturn));

/* A guest's hvc on arm and arm64, trapped on CPU id: reg[0] is the call,
 * reg[1..4] its arguments, and the result goes back in reg[0].  Phase
 * calls wait at the boundary; a finished guest parks the CPU. */
void hv_guest_call(unsigned id, unsigned long reg[5]);

/* CPU id has finished its part of workload phase `phase` (script.h): wait
 * at the phase boundary until every CPU has (main.c). */
void hv_phase_done(unsigned id, unsigned long phase);

/* Boot log, under the same lock as the workload's console lines. */
void hv_log(const char *s);
/* s, then value in hex, then a newline. */
void hv_log_hex(const char *s, unsigned long value);

#endif
