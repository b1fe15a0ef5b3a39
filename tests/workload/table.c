/* SPDX-License-Identifier: BSD-2-Clause */
#include "workload.h"

struct work_slot {
	uint32_t key;
	uint32_t value;
	int used;
};

static struct work_slot table[WORK_TABLE_SIZE];

/* Open addressing with linear probing; a full table is an error path the
 * workload never reaches. */
int work_table_insert(uint32_t key, uint32_t value)
{
	for (uint32_t probe = 0; probe < WORK_TABLE_SIZE; probe++) {
		struct work_slot *slot =
			&table[(key + probe) % WORK_TABLE_SIZE];

		if (slot->used && slot->key != key)
			continue;
		slot->key = key;
		slot->value = value;
		slot->used = 1;
		return 0;
	}
	return -1;
}

int work_table_lookup(uint32_t key, uint32_t *value)
{
	for (uint32_t probe = 0; probe < WORK_TABLE_SIZE; probe++) {
		const struct work_slot *slot =
			&table[(key + probe) % WORK_TABLE_SIZE];

		if (!slot->used)
			return -1;
		if (slot->key == key) {
			*value = slot->value;
			return 0;
		}
	}
	return -1;
}

void work_table_clear(void)
{
	for (uint32_t i = 0; i < WORK_TABLE_SIZE; i++)
		table[i].used = 0;
}
