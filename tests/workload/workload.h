/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * A small deterministic workload with real branches, loops, a switch and
 * error paths that a run never takes.  The producer runs it over the hvcov
 * stub; the ground-truth program runs it over the real libgcov.  Both must
 * end with the same counters.
 */
#ifndef WORKLOAD_H
#define WORKLOAD_H

#include <stdint.h>

/* Runs the whole workload for a seed; returns a digest of the results so
 * that the compiler can not drop any of it. */
uint32_t workload_run(uint32_t seed);

/* The units, exposed so that workload_run() spans several objects. */
uint32_t work_checksum(const uint8_t *bytes, uint32_t length);
int work_parse(const char *command, uint32_t *argument);
int work_table_insert(uint32_t key, uint32_t value);
int work_table_lookup(uint32_t key, uint32_t *value);
void work_table_clear(void);

#define WORK_TABLE_SIZE 16

enum work_command {
	WORK_CMD_INVALID = -1,
	WORK_CMD_ADD,
	WORK_CMD_GET,
	WORK_CMD_SUM,
	WORK_CMD_CLEAR,
};

#endif
