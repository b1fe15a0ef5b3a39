/* SPDX-License-Identifier: BSD-2-Clause */
#include <stdbool.h>
#include <stddef.h>

#include "cell.h"
#include "hypercall.h"

#define HV_MEM_ALL                                                             \
	(HV_MEM_READ | HV_MEM_WRITE | HV_MEM_EXEC | HV_MEM_IO | HV_MEM_SHARED)

static struct hv_cell *find_cell(const struct hv_cell_table *table,
				 unsigned long id)
{
	unsigned i;

	if (id == 0)
		return NULL;
	for (i = 0; i < HV_MAX_CELLS; i++)
		if (table->cells[i].id == id)
			return (struct hv_cell *)&table->cells[i];
	return NULL;
}

long hv_cell_create(struct hv_cell_table *table, unsigned long id)
{
	unsigned i;

	/* Ids are small so that the console can print them in two digits. */
	if (id == 0 || id > 99)
		return -HV_EINVAL;
	if (find_cell(table, id))
		return -HV_EEXIST;
	for (i = 0; i < HV_MAX_CELLS; i++) {
		struct hv_cell *cell = &table->cells[i];

		if (cell->id == 0) {
			cell->id = (unsigned)id;
			cell->state = HV_CELL_STOPPED;
			cell->n_regions = 0;
			return 0;
		}
	}
	return -HV_ENOMEM;
}

static bool overlaps(const struct hv_region *region, uint64_t start,
		     uint64_t size)
{
	return start < region->start + region->size &&
	       region->start < start + size;
}

/* A layout that is wrong whatever else exists: alignment, range, flags. */
static long check_region_shape(uint64_t start, uint64_t size,
			       unsigned long flags)
{
	if (size == 0)
		return -HV_EINVAL;
	if ((start | size) & (HV_PAGE_SIZE - 1))
		return -HV_EINVAL;
	if (start >= HV_GPA_LIMIT || size > HV_GPA_LIMIT - start)
		return -HV_EFAULT;
	if (flags & ~(unsigned long)HV_MEM_ALL)
		return -HV_EINVAL;
	if (!(flags & (HV_MEM_READ | HV_MEM_WRITE | HV_MEM_EXEC)))
		return -HV_EINVAL;
	/* Writable code is refused, and so is executing device memory. */
	if ((flags & HV_MEM_WRITE) && (flags & HV_MEM_EXEC))
		return -HV_EPERM;
	if ((flags & HV_MEM_IO) && (flags & HV_MEM_EXEC))
		return -HV_EPERM;
	return 0;
}

/* Overlap with this cell is never allowed, with others only if shared. */
static long check_region_conflicts(const struct hv_cell_table *table,
				   const struct hv_cell *owner, uint64_t start,
				   uint64_t size, unsigned long flags)
{
	unsigned i, r;

	for (i = 0; i < HV_MAX_CELLS; i++) {
		const struct hv_cell *cell = &table->cells[i];

		if (cell->id == 0)
			continue;
		for (r = 0; r < cell->n_regions; r++) {
			const struct hv_region *region = &cell->regions[r];

			if (!overlaps(region, start, size))
				continue;
			if (cell == owner)
				return -HV_EEXIST;
			if (!(flags & HV_MEM_SHARED) ||
			    !(region->flags & HV_MEM_SHARED))
				return -HV_EBUSY;
		}
	}
	return 0;
}

long hv_cell_add_region(struct hv_cell_table *table, unsigned long id,
			uint64_t start, uint64_t size, unsigned long flags)
{
	struct hv_cell *cell = find_cell(table, id);
	struct hv_region *region;
	long err;

	if (!cell)
		return -HV_ENOENT;
	if (cell->state != HV_CELL_STOPPED)
		return -HV_EBUSY;
	if (cell->n_regions == HV_MAX_REGIONS)
		return -HV_ENOMEM;
	err = check_region_shape(start, size, flags);
	if (err)
		return err;
	err = check_region_conflicts(table, cell, start, size, flags);
	if (err)
		return err;
	region = &cell->regions[cell->n_regions++];
	region->start = start;
	region->size = size;
	region->flags = (unsigned)flags;
	return 0;
}

long hv_cell_start(struct hv_cell_table *table, unsigned long id)
{
	struct hv_cell *cell = find_cell(table, id);
	unsigned r;
	bool has_code = false;

	if (!cell)
		return -HV_ENOENT;
	if (cell->state == HV_CELL_RUNNING)
		return -HV_EBUSY;
	/* A cell cannot run without memory it may execute. */
	for (r = 0; r < cell->n_regions; r++)
		if (cell->regions[r].flags & HV_MEM_EXEC)
			has_code = true;
	if (!has_code)
		return -HV_EINVAL;
	cell->state = HV_CELL_RUNNING;
	return 0;
}

long hv_cell_stop(struct hv_cell_table *table, unsigned long id)
{
	struct hv_cell *cell = find_cell(table, id);

	if (!cell)
		return -HV_ENOENT;
	if (cell->state != HV_CELL_RUNNING)
		return -HV_EINVAL;
	cell->state = HV_CELL_STOPPED;
	return 0;
}

long hv_cell_destroy(struct hv_cell_table *table, unsigned long id)
{
	struct hv_cell *cell = find_cell(table, id);

	if (!cell)
		return -HV_ENOENT;
	if (cell->state == HV_CELL_RUNNING)
		return -HV_EBUSY;
	cell->id = 0;
	cell->n_regions = 0;
	return 0;
}

long hv_cell_state(const struct hv_cell_table *table, unsigned long id)
{
	const struct hv_cell *cell = find_cell(table, id);

	if (!cell)
		return -HV_ENOENT;
	return cell->state;
}

long hv_cell_check_access(const struct hv_cell_table *table, unsigned long id,
			  uint64_t address, uint64_t length,
			  unsigned long flags)
{
	const struct hv_cell *cell = find_cell(table, id);
	unsigned r;

	if (!cell)
		return -HV_ENOENT;
	if (cell->state != HV_CELL_RUNNING)
		return -HV_EBUSY;
	if (length == 0 || address + length < address)
		return -HV_EINVAL;
	/* An access must lie inside one region: regions never merge. */
	for (r = 0; r < cell->n_regions; r++) {
		const struct hv_region *region = &cell->regions[r];

		if (address < region->start ||
		    address + length > region->start + region->size)
			continue;
		if ((flags & region->flags) != flags)
			return -HV_EPERM;
		return 0;
	}
	return -HV_EFAULT;
}

unsigned hv_cell_count(const struct hv_cell_table *table)
{
	unsigned i, count = 0;

	for (i = 0; i < HV_MAX_CELLS; i++)
		if (table->cells[i].id)
			count++;
	return count;
}
