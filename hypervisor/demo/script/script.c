/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Each CPU manages its own cells, so the two scripts may reuse ids.  Some
 * error paths are deliberately never exercised (see README.md).
 */
#include "script.h"
#include "../workload/hypercall.h"

#define CALL(code, a0, a1, a2, a3, expect)                                     \
	{                                                                      \
		(code), { (a0), (a1), (a2), (a3) }, (expect)                   \
	}
#define R HV_MEM_READ
#define W HV_MEM_WRITE
#define X HV_MEM_EXEC
#define IO HV_MEM_IO
#define SH HV_MEM_SHARED

static const struct hv_call cpu0[] = {
	CALL(HC_VERSION, 0, 0, 0, 0, HV_ABI_VERSION),
	CALL(HC_CONSOLE_PRINT, 0, 1, 0, 0, 0),
	CALL(HC_CPU_INFO, HV_INFO_CPU_ID, 0, 0, 0, 0),
	CALL(HC_CELL_CREATE, 1, 0, 0, 0, 0),
	CALL(HC_CELL_CREATE, 1, 0, 0, 0, -HV_EEXIST),
	CALL(HC_CELL_CREATE, 0, 0, 0, 0, -HV_EINVAL),
	CALL(HC_CELL_ADD_REGION, 1, 0x0, 0x100000, R | X, 0),
	CALL(HC_CELL_ADD_REGION, 1, 0x100000, 0x100000, R | W, 0),
	CALL(HC_CELL_ADD_REGION, 1, 0x80000, 0x1000, R, -HV_EEXIST),
	CALL(HC_CELL_ADD_REGION, 1, 0x200000, 0x1000, W | X, -HV_EPERM),
	CALL(HC_CELL_ADD_REGION, 1, 0x200800, 0x1000, R, -HV_EINVAL),
	CALL(HC_CELL_ADD_REGION, 1, 0xfffff000, 0x2000, R, -HV_EFAULT),
	CALL(HC_CELL_ADD_REGION, 1, 0x9000000, 0x1000, R | W | IO, 0),
	CALL(HC_CELL_CREATE, 2, 0, 0, 0, 0),
	CALL(HC_CELL_ADD_REGION, 2, 0x100000, 0x1000, R, -HV_EBUSY),
	CALL(HC_CELL_ADD_REGION, 2, 0x400000, 0x100000, R | X, 0),
	CALL(HC_CELL_START, 2, 0, 0, 0, 0),
	CALL(HC_CELL_START, 1, 0, 0, 0, 0),
	CALL(HC_CELL_STATE, 1, 0, 0, 0, HV_CELL_RUNNING),
	CALL(HC_MEM_ACCESS, 1, 0x1000, 0x10, R, 0),
	CALL(HC_MEM_ACCESS, 1, 0x1000, 0x10, W, -HV_EPERM),
	CALL(HC_MEM_ACCESS, 1, 0x300000, 4, R, -HV_EFAULT),
	CALL(HC_MEM_ACCESS, 2, 0x400000, 0x100000, X, 0),
	CALL(HC_CELL_ADD_REGION, 1, 0x500000, 0x1000, R, -HV_EBUSY),
	CALL(HC_CELL_DESTROY, 1, 0, 0, 0, -HV_EBUSY),
	CALL(HC_CELL_STOP, 1, 0, 0, 0, 0),
	CALL(HC_CELL_DESTROY, 1, 0, 0, 0, 0),
	CALL(HC_CELL_STATE, 1, 0, 0, 0, -HV_ENOENT),
	CALL(HC_CONSOLE_PUTC, 'o', 0, 0, 0, 0),
	CALL(HC_CONSOLE_PUTC, 'k', 0, 0, 0, 0),
	CALL(HC_CONSOLE_PUTC, '\n', 0, 0, 0, 0),
	CALL(HC_CONSOLE_PRINT, 1, 1, 2, 0, 0),
	CALL(HC_CPU_INFO, HV_INFO_CELLS, 0, 0, 0, 1),
	CALL(99, 0, 0, 0, 0, -HV_ENOSYS),
};

static const struct hv_call cpu1[] = {
	CALL(HC_VERSION, 0, 0, 0, 0, HV_ABI_VERSION),
	CALL(HC_CONSOLE_PRINT, 0, 2, 1, 0, 0),
	CALL(HC_CPU_INFO, HV_INFO_CPU_ID, 0, 0, 0, 1),
	CALL(HC_CELL_CREATE, 5, 0, 0, 0, 0),
	CALL(HC_CELL_CREATE, 6, 0, 0, 0, 0),
	CALL(HC_CELL_CREATE, 7, 0, 0, 0, 0),
	CALL(HC_CELL_CREATE, 8, 0, 0, 0, 0),
	CALL(HC_CELL_CREATE, 9, 0, 0, 0, -HV_ENOMEM),
	CALL(HC_CELL_CREATE, 100, 0, 0, 0, -HV_EINVAL),
	CALL(HC_CELL_ADD_REGION, 5, 0x800000, 0x10000, R | SH, 0),
	CALL(HC_CELL_ADD_REGION, 6, 0x808000, 0x1000, R | W | SH, 0),
	CALL(HC_CELL_ADD_REGION, 6, 0x0, 0x10000, R | X, 0),
	CALL(HC_CELL_ADD_REGION, 7, 0x800000, 0x1000, R, -HV_EBUSY),
	CALL(HC_CELL_ADD_REGION, 7, 0x9000000, 0x1000, R | IO | X, -HV_EPERM),
	CALL(HC_CELL_ADD_REGION, 7, 0x10000, 0x1000, 0x40 | R, -HV_EINVAL),
	CALL(HC_CELL_ADD_REGION, 7, 0x10000, 0, R, -HV_EINVAL),
	CALL(HC_CELL_ADD_REGION, 3, 0x10000, 0x1000, R, -HV_ENOENT),
	CALL(HC_CELL_START, 6, 0, 0, 0, 0),
	CALL(HC_CELL_START, 6, 0, 0, 0, -HV_EBUSY),
	CALL(HC_MEM_ACCESS, 6, 0x808000, 0x1000, R | W, 0),
	CALL(HC_MEM_ACCESS, 6, 0x808ff0, 0x20, R, -HV_EFAULT),
	CALL(HC_MEM_ACCESS, 5, 0x800000, 4, R, -HV_EBUSY),
	CALL(HC_CELL_DESTROY, 8, 0, 0, 0, 0),
	CALL(HC_CELL_DESTROY, 8, 0, 0, 0, -HV_ENOENT),
	CALL(HC_CONSOLE_PRINT, 2, 2, 0xbeef, 0, 0),
	CALL(HC_CONSOLE_PRINT, 3, 2, (unsigned long)-42, 0, 0),
	CALL(HC_CONSOLE_PRINT, 4, 2, 0, 0, 0),
	CALL(HC_CONSOLE_PRINT, 9, 0, 0, 0, -HV_EINVAL),
	CALL(HC_CONSOLE_PUTC, 0x07, 0, 0, 0, 0),
	CALL(HC_CONSOLE_PUTC, 0x100, 0, 0, 0, -HV_EINVAL),
	CALL(HC_CONSOLE_PUTC, '\n', 0, 0, 0, 0),
	CALL(HC_CPU_INFO, HV_INFO_CALLS, 0, 0, 0, 32),
	CALL(HC_CPU_INFO, HV_INFO_ERRORS, 0, 0, 0, 13),
	CALL(HC_CPU_INFO, 7, 0, 0, 0, -HV_EINVAL),
};

#define N(calls) (sizeof(calls) / sizeof((calls)[0]))

const char *const hv_phase_names[HV_PHASES] = {
	"boot",
	"cells",
	"memory",
	"console",
};

/* cpu0: boot 0-2, cells 3-18, memory (accesses, teardown) 19-27, console
 * and queries 28-33.  cpu1: boot 0-2, cells 3-18, memory (accesses,
 * destroy) 19-23, console and queries 24-33. */
const struct hv_script hv_scripts[] = {
	{ cpu0, N(cpu0), { 3, 19, 28, N(cpu0) } },
	{ cpu1, N(cpu1), { 3, 19, 24, N(cpu1) } },
};
