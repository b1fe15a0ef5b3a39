/* SPDX-License-Identifier: BSD-2-Clause */
#include "arch.h"

#include <stddef.h>
#include <string.h>

#include "hvcov/descriptor.h"

static const struct arch arches[] = {
	{ "x86_64", HVCOV_MACHINE_X86_64, 8 },
	{ "arm", HVCOV_MACHINE_ARM, 4 },
	{ "arm64", HVCOV_MACHINE_AARCH64, 8 },
};

const struct arch *arch_by_machine(uint16_t machine)
{
	for (size_t i = 0; i < sizeof(arches) / sizeof(arches[0]); i++)
		if (arches[i].machine == machine)
			return &arches[i];
	return NULL;
}

const struct arch *arch_by_name(const char *name)
{
	for (size_t i = 0; i < sizeof(arches) / sizeof(arches[0]); i++)
		if (strcmp(arches[i].name, name) == 0)
			return &arches[i];
	return NULL;
}

const char *arch_name(uint16_t machine)
{
	const struct arch *arch = arch_by_machine(machine);

	return arch ? arch->name : "unknown";
}

uint8_t arch_pointer_size(uint16_t machine)
{
	const struct arch *arch = arch_by_machine(machine);

	return arch ? arch->pointer_size : 0;
}
