/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * What a hypervisor calls to make its gcov counters extractable by hvcov.
 *
 * Build the hypervisor with HVCOV_ENABLED defined (hypervisor/hvcov.mk does)
 * and link hypervisor/hvcov.c; without HVCOV_ENABLED every call below is an
 * empty inline function, so callers need no #ifdef.
 *
 * Sequence: call hvcov_init() once, early, on the boot CPU, before any other
 * CPU runs instrumented code; call hvcov_disable() once all CPUs have stopped
 * running instrumented code.  Nothing else runs at run time: the counters
 * tick in place and the host reads them from memory.
 */
#ifndef HVCOV_HVCOV_H
#define HVCOV_HVCOV_H

#include <stdint.h>

#include "descriptor.h"

#ifdef HVCOV_ENABLED

/* The descriptor; hypervisor/hvcov.c defines it in .data (built by clang,
 * with the tail that locates the profile sections). */
#if defined(__clang__)
extern struct hvcov_descriptor_llvm hvcov_descriptor;
#else
extern struct hvcov_descriptor hvcov_descriptor;
#endif

/*
 * Run the gcov constructors between __hvcov_init_array_start and
 * __hvcov_init_array_end (hypervisor/hvcov.lds), record the .gcov_info
 * section bounds, and fill the descriptor's run-time fields.
 * image_start: hypervisor address of the image's first byte (its offset 0
 * as the host sees it); image_size: its length in bytes; boot_id: any value
 * that differs between boots (hvcov_cycle_counter() is a good default).
 */
void hvcov_init(const void *image_start, uintptr_t image_size,
		uint64_t boot_id);

/* Mark the counters final (state DISABLED), with release ordering. */
void hvcov_disable(void);

#else

static inline void hvcov_init(const void *image_start, uintptr_t image_size,
			      uint64_t boot_id)
{
	(void)image_start;
	(void)image_size;
	(void)boot_id;
}

static inline void hvcov_disable(void)
{
}

#endif

/* A free-running counter that differs between boots, for boot_id. */
static inline uint64_t hvcov_cycle_counter(void)
{
#if defined(__x86_64__)
	uint32_t low, high;

	__asm__ volatile("rdtsc" : "=a"(low), "=d"(high));
	return (uint64_t)high << 32 | low;
#elif defined(__aarch64__)
	uint64_t count;

	__asm__ volatile("mrs %0, cntvct_el0" : "=r"(count));
	return count;
#elif defined(__arm__)
	uint32_t low, high;

	/* CNTVCT: the generic timer's virtual count (ARMv7-A with the
	 * virtualization extensions always has it). */
	__asm__ volatile("mrrc p15, 1, %0, %1, c14" : "=r"(low), "=r"(high));
	return (uint64_t)high << 32 | low;
#else
#error "hvcov: no cycle counter known for this architecture"
#endif
}

#endif
