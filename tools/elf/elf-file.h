/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Opening an ELF file with libelf, for the two modules that read one: the
 * hypervisor ELF (elf-image.c) and ELF cores (core.c).  Both get untrusted
 * files, so every libelf failure becomes one error line with the quoted
 * file name and elf_errmsg(-1).
 */
#ifndef HVCOV_ELF_FILE_H
#define HVCOV_ELF_FILE_H

#include <gelf.h>
#include <libelf.h>
#include <stdbool.h>

#include "base/error.h"

struct elf_file {
	Elf *elf;
	int fd;
	char quoted[256]; /* the file name in quotes, for messages */
	GElf_Ehdr ehdr;
};

/* Open path read-only (mmap'ed) and read its ELF header; anything but an
 * ELF object of a known class and byte order is HVCOV_EXIT_DATA.  On
 * failure nothing needs closing. */
bool elf_file_open(struct elf_file *file, const char *path, struct error *err);

void elf_file_close(struct elf_file *file);

/* Record "<quoted file>: <what>: <elf_errmsg(-1)>" as a data error and
 * return false. */
bool elf_file_error(const struct elf_file *file, const char *what,
		    struct error *err);

#endif
