/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The one architecture table: for each architecture hvcov serves, its ELF
 * machine number (from hvcov/descriptor.h), its name as users write it and
 * the size of its pointers.  Every other piece of code asks here.
 */
#ifndef HVCOV_ARCH_H
#define HVCOV_ARCH_H

#include <stdint.h>

struct arch {
	const char *name;     /* "x86_64", "arm", "arm64" */
	uint16_t machine;     /* ELF e_machine */
	uint8_t pointer_size; /* bytes in a pointer: 4 or 8 */
};

/* The entry for an ELF machine number, or NULL for one hvcov does not serve. */
const struct arch *arch_by_machine(uint16_t machine);

/* The entry for a name ("x86_64", "arm", "arm64"), or NULL. */
const struct arch *arch_by_name(const char *name);

/* The name of an ELF machine number, "unknown" for one not in the table. */
const char *arch_name(uint16_t machine);

/* The pointer size of an ELF machine number, 0 for one not in the table. */
uint8_t arch_pointer_size(uint16_t machine);

#endif
