/* SPDX-License-Identifier: BSD-2-Clause */
#include "elf-image.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "image/arch.h"

/* One defined symbol of the wanted name; two with different values would
 * make the header's address ambiguous. */
static bool note_symbol(const struct elf_image *elf, const char *name,
			uint64_t value, bool *has, uint64_t *address,
			struct error *err)
{
	if (*has && *address != value)
		return error_set(err, HVCOV_EXIT_DATA,
				 "%s: two symbols %s, at 0x%llx and 0x%llx",
				 elf->file.quoted, name,
				 (unsigned long long)*address,
				 (unsigned long long)value);
	*has = true;
	*address = value;
	return true;
}

static bool read_symtab(struct elf_image *elf, Elf_Scn *scn,
			const GElf_Shdr *shdr, struct error *err)
{
	struct header_elf *facts = &elf->facts;
	Elf_Data *data = elf_getdata(scn, NULL);
	size_t n;

	if (!data)
		return elf_file_error(&elf->file,
				      "cannot read the symbol table", err);
	n = shdr->sh_entsize ? shdr->sh_size / shdr->sh_entsize : 0;
	if (n > INT_MAX)
		n = INT_MAX;
	/* Entry 0 is the reserved null symbol. */
	for (size_t i = 1; i < n; i++) {
		const char *name;
		GElf_Sym sym;

		if (!gelf_getsym(data, (int)i, &sym))
			return elf_file_error(&elf->file,
					      "cannot read a symbol", err);
		if (sym.st_shndx == SHN_UNDEF || sym.st_name == 0)
			continue;
		name = elf_strptr(elf->file.elf, shdr->sh_link, sym.st_name);
		if (!name)
			return elf_file_error(
				&elf->file, "cannot read a symbol's name", err);
		if (!strcmp(name, ELF_IMAGE_DESCRIPTOR_SYMBOL) &&
		    !note_symbol(elf, name, sym.st_value,
				 &facts->has_descriptor,
				 &facts->descriptor_address, err))
			return false;
		if (!strcmp(name, ELF_IMAGE_JAILHOUSE_SYMBOL) &&
		    !note_symbol(elf, name, sym.st_value,
				 &facts->has_jailhouse_header,
				 &facts->jailhouse_header, err))
			return false;
	}
	return true;
}

static bool read_symbols(struct elf_image *elf, struct error *err)
{
	Elf_Scn *scn = NULL;
	bool has_symtab = false;

	elf_errno(); /* clear, so that only this loop's failure counts */
	while ((scn = elf_nextscn(elf->file.elf, scn))) {
		GElf_Shdr shdr;

		if (!gelf_getshdr(scn, &shdr))
			return elf_file_error(&elf->file,
					      "cannot read a section header",
					      err);
		if (shdr.sh_type != SHT_SYMTAB)
			continue;
		has_symtab = true;
		if (!read_symtab(elf, scn, &shdr, err))
			return false;
	}
	if (elf_errno() != 0)
		return elf_file_error(&elf->file, "cannot list the sections",
				      err);
	if (!has_symtab)
		return error_set(
			err, HVCOV_EXIT_DATA,
			"%s: no symbol table (stripped?): give the ELF as linked, before strip or objcopy",
			elf->file.quoted);
	return true;
}

/* The PT_LOAD segments as placement pieces: the physical placement the
 * linker script asked for (an AT() or LMA gap). */
static bool read_placement(struct elf_image *elf, struct error *err)
{
	size_t n_phdrs;

	if (elf_getphdrnum(elf->file.elf, &n_phdrs) != 0)
		return elf_file_error(&elf->file,
				      "cannot count the program headers", err);
	elf->pieces = calloc(n_phdrs ? n_phdrs : 1, sizeof(*elf->pieces));
	if (!elf->pieces)
		return error_errno(err, "out of memory");
	for (size_t i = 0; i < n_phdrs; i++) {
		GElf_Phdr ph;

		if (!gelf_getphdr(elf->file.elf, (int)i, &ph))
			return elf_file_error(&elf->file,
					      "cannot read a program header",
					      err);
		if (ph.p_type != PT_LOAD || ph.p_memsz == 0)
			continue;
		elf->pieces[elf->placement.n++] =
			(struct header_piece){ ph.p_vaddr, ph.p_paddr,
					       ph.p_memsz };
	}
	elf->placement.source = elf->file.quoted;
	elf->placement.pieces = elf->pieces;
	return true;
}

bool elf_image_open(struct elf_image *elf, const char *path, struct error *err)
{
	const GElf_Ehdr *ehdr = &elf->file.ehdr;
	struct header_elf *facts = &elf->facts;

	memset(elf, 0, sizeof(*elf));
	if (!elf_file_open(&elf->file, path, err))
		return false;
	facts->source = elf->file.quoted;
	facts->machine = ehdr->e_machine;
	facts->pointer_size = ehdr->e_ident[EI_CLASS] == ELFCLASS64 ? 8 : 4;
	facts->big_endian = ehdr->e_ident[EI_DATA] == ELFDATA2MSB;
	if (ehdr->e_type != ET_EXEC) {
		error_set(err, HVCOV_EXIT_DATA,
			  "%s: ELF type %u is not a linked executable",
			  elf->file.quoted, ehdr->e_type);
		goto fail;
	}
	if (arch_pointer_size(facts->machine) != facts->pointer_size) {
		error_set(
			err, HVCOV_EXIT_DATA,
			"%s: machine %u with %u-bit ELF class is not x86_64, arm or arm64",
			elf->file.quoted, facts->machine,
			facts->pointer_size * 8u);
		goto fail;
	}
	if (read_symbols(elf, err) && read_placement(elf, err))
		return true;
fail:
	elf_image_close(elf);
	return false;
}

void elf_image_close(struct elf_image *elf)
{
	elf_file_close(&elf->file);
	free(elf->pieces);
	elf->pieces = NULL;
	memset(&elf->facts, 0, sizeof(elf->facts));
	memset(&elf->placement, 0, sizeof(elf->placement));
}

/* Does [address, address + size) (size > 0) overlap the image at all? */
static bool overlaps_image(const struct image *image, uint64_t address,
			   uint64_t size)
{
	uint64_t last = address + (size - 1);
	uint64_t image_last = image->base + (image->size - 1);

	return image->size > 0 && address <= image_last && last >= image->base;
}

static void compare_bytes(const uint8_t *want, const uint8_t *have,
			  struct section_check *check)
{
	check->outcome = SECTION_MATCH;
	for (uint64_t i = 0; i < check->size; i++) {
		if (want[i] == have[i])
			continue;
		if (check->outcome == SECTION_MATCH) {
			check->outcome = SECTION_DIFFERS;
			check->first_difference = check->address + i;
			check->elf_byte = want[i];
			check->image_byte = have[i];
		}
		check->differing_bytes++;
	}
}

static bool check_section(const struct elf_image *elf, Elf_Scn *scn,
			  const GElf_Shdr *shdr, size_t shstrndx,
			  const struct image *image,
			  struct section_check *check, struct error *err)
{
	const char *name = elf_strptr(elf->file.elf, shstrndx, shdr->sh_name);
	Elf_Data *data;
	const uint8_t *have;

	memset(check, 0, sizeof(*check));
	snprintf(check->name, sizeof(check->name), "%s",
		 name && *name ? name : "(unnamed)");
	check->address = shdr->sh_addr;
	check->size = shdr->sh_size;
	if (check->size - 1 > UINT64_MAX - check->address)
		return error_set(
			err, HVCOV_EXIT_DATA,
			"%s: section %s at 0x%llx wraps around the address space",
			elf->file.quoted, check->name,
			(unsigned long long)check->address);
	data = elf_getdata(scn, NULL);
	if (!data || !data->d_buf || data->d_size != shdr->sh_size)
		return elf_file_error(&elf->file,
				      "cannot read a read-only section", err);
	have = image_at(image, check->address, check->size);
	if (have)
		compare_bytes(data->d_buf, have, check);
	else if (overlaps_image(image, check->address, check->size))
		check->outcome = SECTION_STRADDLES;
	else
		check->outcome = SECTION_OUTSIDE;
	return true;
}

bool elf_image_compare(const struct elf_image *elf, const struct image *image,
		       struct section_check **checks, size_t *n_checks,
		       struct error *err)
{
	struct section_check *list = NULL;
	Elf_Scn *scn = NULL;
	size_t n = 0, shstrndx;

	*checks = NULL;
	*n_checks = 0;
	if (elf_getshdrstrndx(elf->file.elf, &shstrndx) != 0)
		return elf_file_error(&elf->file,
				      "cannot find the section names", err);
	while ((scn = elf_nextscn(elf->file.elf, scn))) {
		struct section_check *grown;
		GElf_Shdr shdr;

		if (!gelf_getshdr(scn, &shdr)) {
			elf_file_error(&elf->file,
				       "cannot read a section header", err);
			goto fail;
		}
		if (!(shdr.sh_flags & SHF_ALLOC) ||
		    (shdr.sh_flags & SHF_WRITE) ||
		    shdr.sh_type != SHT_PROGBITS || shdr.sh_size == 0)
			continue;
		grown = realloc(list, (n + 1) * sizeof(*list));
		if (!grown) {
			error_errno(err, "cannot hold the section list");
			goto fail;
		}
		list = grown;
		if (!check_section(elf, scn, &shdr, shstrndx, image, &list[n],
				   err))
			goto fail;
		n++;
	}
	*checks = list;
	*n_checks = n;
	return true;
fail:
	free(list);
	return false;
}

bool elf_image_clang_majors(const struct elf_image *elf, unsigned *majors,
			    size_t max, size_t *n, struct error *err)
{
	static const char marker[] = "clang version ";
	Elf_Scn *scn = NULL;
	size_t shstrndx;

	*n = 0;
	if (elf_getshdrstrndx(elf->file.elf, &shstrndx) != 0)
		return elf_file_error(&elf->file,
				      "cannot find the section names", err);
	while ((scn = elf_nextscn(elf->file.elf, scn))) {
		const char *name, *text, *end;
		Elf_Data *data;
		GElf_Shdr shdr;

		if (!gelf_getshdr(scn, &shdr))
			return elf_file_error(&elf->file,
					      "cannot read a section header",
					      err);
		name = elf_strptr(elf->file.elf, shstrndx, shdr.sh_name);
		if (!name || strcmp(name, ".comment") != 0 ||
		    shdr.sh_type != SHT_PROGBITS)
			continue;
		data = elf_getdata(scn, NULL);
		if (!data || !data->d_buf)
			return elf_file_error(&elf->file,
					      "cannot read .comment", err);
		text = data->d_buf;
		end = text + data->d_size;
		/* NUL-separated strings; the last may lack its NUL. */
		for (const char *at = text; at < end;
		     at += strnlen(at, (size_t)(end - at)) + 1) {
			size_t length = strnlen(at, (size_t)(end - at));
			const char *found = NULL, *version;
			size_t digits = 0, k;
			unsigned major = 0;

			for (size_t i = 0;
			     !found && i + sizeof(marker) - 1 <= length; i++)
				if (memcmp(at + i, marker,
					   sizeof(marker) - 1) == 0)
					found = at + i;
			if (!found)
				continue;
			version = found + sizeof(marker) - 1;
			while (version + digits < at + length &&
			       version[digits] >= '0' &&
			       version[digits] <= '9' && digits < 6)
				major = major * 10 +
					(unsigned)(version[digits++] - '0');
			if (digits == 0)
				continue;
			for (k = 0; k < *n && majors[k] != major; k++)
				;
			if (k == *n && *n < max)
				majors[(*n)++] = major;
		}
	}
	return true;
}
