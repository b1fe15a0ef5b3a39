/* SPDX-License-Identifier: BSD-2-Clause */
#include "elf-file.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "write/outpath.h"

bool elf_file_error(const struct elf_file *file, const char *what,
		    struct error *err)
{
	return error_set(err, HVCOV_EXIT_DATA, "%s: %s: %s", file->quoted, what,
			 elf_errmsg(-1));
}

bool elf_file_open(struct elf_file *file, const char *path, struct error *err)
{
	memset(file, 0, sizeof(*file));
	file->fd = -1;
	outpath_quote(path, file->quoted, sizeof(file->quoted));
	/* The library must be told which ELF version its caller speaks
	 * before any other call; repeating it is harmless. */
	if (elf_version(EV_CURRENT) == EV_NONE)
		return error_set(err, HVCOV_EXIT_SYSTEM,
				 "libelf is out of date: %s", elf_errmsg(-1));
	do
		file->fd = open(path, O_RDONLY | O_CLOEXEC);
	while (file->fd < 0 && errno == EINTR);
	if (file->fd < 0)
		return error_errno(err, "cannot open %s", file->quoted);
	file->elf = elf_begin(file->fd, ELF_C_READ_MMAP, NULL);
	if (!file->elf) {
		elf_file_error(file, "cannot read", err);
		goto fail;
	}
	if (elf_kind(file->elf) != ELF_K_ELF) {
		error_set(err, HVCOV_EXIT_DATA, "%s: not an ELF file",
			  file->quoted);
		goto fail;
	}
	if (!gelf_getehdr(file->elf, &file->ehdr)) {
		elf_file_error(file, "no ELF header", err);
		goto fail;
	}
	if ((file->ehdr.e_ident[EI_CLASS] != ELFCLASS32 &&
	     file->ehdr.e_ident[EI_CLASS] != ELFCLASS64) ||
	    (file->ehdr.e_ident[EI_DATA] != ELFDATA2LSB &&
	     file->ehdr.e_ident[EI_DATA] != ELFDATA2MSB)) {
		error_set(err, HVCOV_EXIT_DATA,
			  "%s: ELF class %u or byte order %u is unknown",
			  file->quoted, file->ehdr.e_ident[EI_CLASS],
			  file->ehdr.e_ident[EI_DATA]);
		goto fail;
	}
	return true;
fail:
	elf_file_close(file);
	return false;
}

void elf_file_close(struct elf_file *file)
{
	if (file->elf)
		elf_end(file->elf);
	if (file->fd >= 0)
		close(file->fd);
	file->elf = NULL;
	file->fd = -1;
}
