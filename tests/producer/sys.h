/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The four Linux system calls the producer needs, without libc: it stands in
 * for a hypervisor, which has no libc either, so nothing may run at start-up
 * that would call the gcov constructors behind the stub's back.
 */
#ifndef PRODUCER_SYS_H
#define PRODUCER_SYS_H

#if defined(__x86_64__)
#define SYS_OPENAT 257
#define SYS_WRITE 1
#define SYS_CLOSE 3
#define SYS_EXIT_GROUP 231
#elif defined(__aarch64__)
#define SYS_OPENAT 56
#define SYS_WRITE 64
#define SYS_CLOSE 57
#define SYS_EXIT_GROUP 94
#elif defined(__arm__)
#define SYS_OPENAT 322
#define SYS_WRITE 4
#define SYS_CLOSE 6
#define SYS_EXIT_GROUP 248
#endif

#define PRODUCER_AT_FDCWD (-100)
#define PRODUCER_O_WRONLY_CREAT_TRUNC 01101

long sys_call4(long number, long a, long b, long c, long d);

#endif
