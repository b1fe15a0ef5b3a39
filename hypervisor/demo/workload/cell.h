/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Partitions ("cells") and the guest-physical memory regions they own.  A
 * region may overlap another cell's only if both are marked shared; a
 * running cell's layout is frozen.
 */
#ifndef HV_CELL_H
#define HV_CELL_H

#include <stdint.h>

#define HV_MAX_CELLS 4
#define HV_MAX_REGIONS 4
#define HV_PAGE_SIZE 0x1000u
/* Guest-physical addresses are 32-bit in this demo on every architecture. */
#define HV_GPA_LIMIT 0x100000000ull

struct hv_region {
	uint64_t start;
	uint64_t size;
	unsigned flags;
};

struct hv_cell {
	unsigned id; /* 0: free slot */
	unsigned state;
	unsigned n_regions;
	struct hv_region regions[HV_MAX_REGIONS];
};

struct hv_cell_table {
	struct hv_cell cells[HV_MAX_CELLS];
};

/* Each returns 0 or a negated HV_E* code. */
long hv_cell_create(struct hv_cell_table *table, unsigned long id);
long hv_cell_add_region(struct hv_cell_table *table, unsigned long id,
			uint64_t start, uint64_t size, unsigned long flags);
long hv_cell_start(struct hv_cell_table *table, unsigned long id);
long hv_cell_stop(struct hv_cell_table *table, unsigned long id);
long hv_cell_destroy(struct hv_cell_table *table, unsigned long id);
/* HV_CELL_STOPPED or HV_CELL_RUNNING, or a negated error. */
long hv_cell_state(const struct hv_cell_table *table, unsigned long id);
/* 0 if the cell may access [address, address + length) with flags. */
long hv_cell_check_access(const struct hv_cell_table *table, unsigned long id,
			  uint64_t address, uint64_t length,
			  unsigned long flags);
unsigned hv_cell_count(const struct hv_cell_table *table);

#endif
