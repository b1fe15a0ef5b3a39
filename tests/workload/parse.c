/* SPDX-License-Identifier: BSD-2-Clause */
#include "workload.h"

static int parse_number(const char *text, uint32_t *value)
{
	uint32_t result = 0;

	if (*text < '0' || *text > '9')
		return -1;
	while (*text >= '0' && *text <= '9') {
		if (result > 429496728u)
			return -1; /* overflow: never reached by the workload */
		result = result * 10 + (uint32_t)(*text - '0');
		text++;
	}
	if (*text != '\0')
		return -1;
	*value = result;
	return 0;
}

/* "add N", "get N", "sum", "clear": the command word decides the switch. */
int work_parse(const char *command, uint32_t *argument)
{
	*argument = 0;
	switch (command[0]) {
	case 'a':
		if (command[1] == 'd' && command[2] == 'd' && command[3] == ' ')
			return parse_number(command + 4, argument)
				       ? WORK_CMD_INVALID
				       : WORK_CMD_ADD;
		break;
	case 'g':
		if (command[1] == 'e' && command[2] == 't' && command[3] == ' ')
			return parse_number(command + 4, argument)
				       ? WORK_CMD_INVALID
				       : WORK_CMD_GET;
		break;
	case 's':
		if (command[1] == 'u' && command[2] == 'm' && !command[3])
			return WORK_CMD_SUM;
		break;
	case 'c':
		if (command[1] == 'l' && command[2] == 'e' &&
		    command[3] == 'a' && command[4] == 'r' && !command[5])
			return WORK_CMD_CLEAR;
		break;
	default:
		break;
	}
	return WORK_CMD_INVALID;
}
