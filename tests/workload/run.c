/* SPDX-License-Identifier: BSD-2-Clause */
#include "workload.h"

static const char *const script[] = {
	"add 3", "add 19", "get 3", "get 4", "sum",    "bogus",
	"add x", "get 19", "clear", "get 3", "add 35", "sum",
};

/* Each seed replays the script a seed-dependent number of times, so two
 * seeds give different but reproducible counters. */
uint32_t workload_run(uint32_t seed)
{
	uint32_t digest = 0;
	uint32_t rounds = 1 + seed % 4;

	for (uint32_t round = 0; round < rounds; round++) {
		for (unsigned i = 0; i < sizeof(script) / sizeof(script[0]);
		     i++) {
			uint32_t argument, value;
			const char *line = script[i];
			uint32_t length = 0;

			while (line[length])
				length++;
			digest ^= work_checksum((const uint8_t *)line, length);
			switch (work_parse(line, &argument)) {
			case WORK_CMD_ADD:
				work_table_insert(argument, argument * seed);
				break;
			case WORK_CMD_GET:
				if (work_table_lookup(argument, &value) == 0)
					digest += value;
				break;
			case WORK_CMD_SUM:
				digest = digest * 31 + round;
				break;
			case WORK_CMD_CLEAR:
				work_table_clear();
				break;
			default:
				digest ^= 0x5a5a5a5au;
				break;
			}
		}
	}
	return digest;
}
