/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The demo's hypercall ABI, shared by the guests, the scripts and the
 * dispatcher: a code and up to four arguments in registers, one signed
 * result.  Plain integers only, so a guest with its MMU off can use it.
 */
#ifndef HV_HYPERCALL_H
#define HV_HYPERCALL_H

#define HC_VERSION 0         /* -> HV_ABI_VERSION */
#define HC_CONSOLE_PUTC 1    /* a0: character */
#define HC_CONSOLE_PRINT 2   /* a0: message number, a1..a2: its arguments */
#define HC_CELL_CREATE 3     /* a0: cell id */
#define HC_CELL_ADD_REGION 4 /* a0: cell, a1: start, a2: size, a3: flags */
#define HC_CELL_START 5      /* a0: cell */
#define HC_CELL_STOP 6       /* a0: cell */
#define HC_CELL_DESTROY 7    /* a0: cell */
#define HC_CELL_STATE 8      /* a0: cell -> HV_CELL_* */
#define HC_MEM_ACCESS 9      /* a0: cell, a1: address, a2: length, a3: flags */
#define HC_CPU_INFO 10       /* a0: HV_INFO_* */
#define HC_GUEST_DONE 11     /* a0: mismatches the guest saw; never returns */

#define HV_ABI_VERSION 0x10000

/* Region and access flags. */
#define HV_MEM_READ 0x1
#define HV_MEM_WRITE 0x2
#define HV_MEM_EXEC 0x4
#define HV_MEM_IO 0x8
#define HV_MEM_SHARED 0x10

/* Cell states returned by HC_CELL_STATE. */
#define HV_CELL_STOPPED 1
#define HV_CELL_RUNNING 2

/* HC_CPU_INFO queries. */
#define HV_INFO_CPU_ID 0
#define HV_INFO_CALLS 1
#define HV_INFO_ERRORS 2
#define HV_INFO_CELLS 3

/* Errors, returned negated. */
#define HV_EPERM 1
#define HV_ENOENT 2
#define HV_EFAULT 14
#define HV_EBUSY 16
#define HV_EEXIST 17
#define HV_EINVAL 22
#define HV_ENOMEM 12
#define HV_ENOSYS 38

#endif
