/* SPDX-License-Identifier: BSD-2-Clause */
#include "source.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "elf/core.h"
#include "gcov/reader.h"
#include "hvcov/descriptor.h"
#include "llvm/profraw.h"

static bool parse_base(const char *text, int base, uint64_t *value)
{
	char *end;
	unsigned long long result;

	errno = 0;
	result = strtoull(text, &end, base);
	if (errno || end == text || *end)
		return false;
	*value = result;
	return true;
}

bool parse_u64(const char *text, uint64_t *value)
{

	/* strtoull accepts a sign and leading blanks; a size or address
	 * never has them, and "-1" must not become 2^64 - 1. */
	if (!text || !*text || *text == '-' || *text == '+' || *text == ' ')
		return false;
	/* Base 0 would read "010" as octal 8; the man page promises decimal
	 * or 0x-hex, and a leading zero is how people pad numbers. */
	if (text[0] == '0' && (text[1] == 'x' || text[1] == 'X')) {
		for (const char *c = text + 2; *c; c++)
			if (!isxdigit((unsigned char)*c))
				return false;
		return parse_base(text + 2, 16, value);
	}
	return parse_base(text, 10, value);
}

bool parse_decimal_u64(const char *text, uint64_t *value)
{
	for (const char *c = text; c && *c; c++)
		if (*c < '0' || *c > '9')
			return false;
	return parse_u64(text, value);
}

/* "V:P:S[,V:P:S...]", appended to the source's map. */
static bool parse_map(struct source *source, const char *value,
		      struct error *err)
{
	char text[1024], *piece, *save = NULL;

	if (strlen(value) >= sizeof(text))
		return error_set(err, HVCOV_EXIT_SYSTEM, "--map is too long");
	strcpy(text, value);
	for (piece = strtok_r(text, ",", &save); piece;
	     piece = strtok_r(NULL, ",", &save)) {
		char *physical = strchr(piece, ':'), *size;
		struct header_piece p;

		size = physical ? strchr(physical + 1, ':') : NULL;
		if (!size)
			return error_set(
				err, HVCOV_EXIT_SYSTEM,
				"invalid --map piece '%s' (ADDRESS:PHYSICAL:SIZE)",
				piece);
		*physical++ = '\0';
		*size++ = '\0';
		if (!parse_u64(piece, &p.address) ||
		    !parse_u64(physical, &p.physical) ||
		    !parse_u64(size, &p.size) || p.size == 0 ||
		    p.size - 1 > UINT64_MAX - p.address ||
		    p.size - 1 > UINT64_MAX - p.physical)
			return error_set(err, HVCOV_EXIT_SYSTEM,
					 "invalid --map piece '%s:%s:%s'",
					 piece, physical, size);
		if (source->n_map == SOURCE_MAX_MAP)
			return error_set(err, HVCOV_EXIT_SYSTEM,
					 "more than %d --map pieces",
					 SOURCE_MAX_MAP);
		source->map[source->n_map++] = p;
	}
	return true;
}

static bool parse_format(const char *text, enum header_format *format)
{
	if (!strcmp(text, "auto"))
		*format = HEADER_FORMAT_AUTO;
	else if (!strcmp(text, "hvcov"))
		*format = HEADER_FORMAT_HVCOV;
	else if (!strcmp(text, "jailhouse"))
		*format = HEADER_FORMAT_JAILHOUSE;
	else
		return false;
	return true;
}

bool source_is_option(int option)
{
	return option == SOURCE_OPT_IMAGE ||
	       (option >= SOURCE_OPT_OFFSET && option < SOURCE_OPT_END);
}

bool source_option(struct source *source, int option, const char *value,
		   struct error *err)
{
	switch (option) {
	case SOURCE_OPT_IMAGE:
		source->path = value;
		return true;
	case SOURCE_OPT_CORE:
		source->core = value;
		return true;
	case SOURCE_OPT_ELF:
		source->elf = value;
		return true;
	case SOURCE_OPT_MAP:
		return parse_map(source, value, err);
	case SOURCE_OPT_OFFSET:
		source->has_offset = parse_u64(value, &source->offset);
		if (!source->has_offset)
			return error_set(err, HVCOV_EXIT_SYSTEM,
					 "invalid --offset '%s'", value);
		return true;
	case SOURCE_OPT_SIZE:
		source->has_size = parse_u64(value, &source->size);
		if (!source->has_size || !source->size)
			return error_set(err, HVCOV_EXIT_SYSTEM,
					 "invalid --size '%s'", value);
		return true;
	case SOURCE_OPT_PHYS:
		source->has_phys = parse_u64(value, &source->phys);
		if (!source->has_phys)
			return error_set(err, HVCOV_EXIT_SYSTEM,
					 "invalid --phys '%s'", value);
		return true;
	case SOURCE_OPT_ARCH:
		if (!header_arch_parse(value, &source->header.arch))
			return error_set(
				err, HVCOV_EXIT_SYSTEM,
				"invalid --arch '%s' (x86_64, arm or arm64)",
				value);
		return true;
	case SOURCE_OPT_FORMAT:
		if (!parse_format(value, &source->header.format))
			return error_set(
				err, HVCOV_EXIT_SYSTEM,
				"invalid --format '%s' (auto, hvcov or jailhouse)",
				value);
		return true;
	default:
		return error_set(err, HVCOV_EXIT_SYSTEM, "unknown option");
	}
}

bool source_check(const struct source *source, struct error *err)
{
	if (source->core && source->path)
		return error_set(
			err, HVCOV_EXIT_SYSTEM,
			"--core and --image name two sources; give one");
	if (source->core && source->has_offset)
		return error_set(
			err, HVCOV_EXIT_SYSTEM,
			"--offset applies to --image, not --core (select physical memory with --phys)");
	if (source->core && source->has_phys != source->has_size)
		return error_set(err, HVCOV_EXIT_SYSTEM,
				 "--core takes --phys and --size together");
	if (source->core)
		return true;
	if (source->has_phys && source->path)
		return error_set(
			err, HVCOV_EXIT_SYSTEM,
			"--phys and --image name two sources; give one");
	if (source->has_phys && !source->has_size)
		return error_set(err, HVCOV_EXIT_SYSTEM, "--phys needs --size");
	if (source->has_phys && source->has_offset)
		return error_set(err, HVCOV_EXIT_SYSTEM,
				 "--offset applies to --image, not --phys");
	return true;
}

/* Without --phys, search the core's regions in address order; the first
 * with a header is the image's. */
static bool locate_in_core(const struct source *source,
			   const struct header_options *options,
			   struct image *image, struct header *header,
			   struct error *err)
{
	struct header_options with_core = *options;
	struct header_placement paging = { 0 };
	struct header_piece *pieces;
	struct core_region *regions;
	struct error first = { 0 };
	size_t n;
	bool ok;

	/* A paging core's mappings are the placement at run time: they
	 * outrank the ELF's, and --map outranks them. */
	if (!core_placement(source->core, &pieces, &paging.n, err))
		return false;
	paging.source = "the core's virtual addresses";
	paging.pieces = pieces;
	if (paging.n && !source->n_map) {
		with_core.placement = &paging;
		options = &with_core;
	}
	if (source->has_phys) {
		ok = image_load_core(image, source->core, true, source->phys,
				     source->size, err) &&
		     header_locate(image, options, header, err);
		free(pieces);
		return ok;
	}
	if (!core_regions(source->core, &regions, &n, err)) {
		free(pieces);
		return false;
	}
	for (size_t i = 0; i < n; i++) {
		struct error attempt = { 0 };

		if (image_load_core(image, source->core, true, regions[i].start,
				    regions[i].size, &attempt) &&
		    header_locate(image, options, header, &attempt)) {
			free(regions);
			free(pieces);
			return true;
		}
		image_free(image);
		if (!first.status)
			first = attempt;
	}
	free(regions);
	free(pieces);
	*err = first;
	return false;
}

static bool load(const struct source *source, struct image *image,
		 struct error *err)
{
	if (source->has_phys)
		return image_load_phys(image, SOURCE_MEMORY_DEVICE,
				       source->phys, source->size, err);
	return image_load_file(
		image, source->path ? source->path : SOURCE_DEFAULT_PATH,
		source->has_offset ? source->offset : 0,
		source->has_size ? source->size : 0, err);
}

bool source_read_elf(const struct source *source, struct image *image,
		     struct header *header, struct model *model,
		     struct elf_image *elf, struct error *err)
{
	struct header_options options = source->header;
	struct header_placement map = { "--map", source->map, source->n_map };

	memset(image, 0, sizeof(*image));
	memset(model, 0, sizeof(*model));
	memset(elf, 0, sizeof(*elf));
	elf->file.fd = -1;
	if (source->elf) {
		if (!elf_image_open(elf, source->elf, err))
			return false;
		options.elf = &elf->facts;
		if (elf->placement.n)
			options.placement = &elf->placement;
	}
	/* What the user says outranks what the ELF asked the linker for. */
	if (source->n_map)
		options.placement = &map;
	if (source->core) {
		if (!locate_in_core(source, &options, image, header, err))
			goto fail;
	} else if (!load(source, image, err)) {
		goto fail;
	} else if (!header_locate(image, &options, header, err)) {
		goto fail;
	}
	/* A clang image's profile sections are checked here, so that every
	 * command refuses a damaged one; its gcov model is empty. */
	if (header->format_version == HVCOV_FORMAT_VERSION_LLVM) {
		struct profraw profile;
		bool ok = profraw_build(image, header, &profile, err);

		free(profile.bytes);
		if (!ok)
			goto fail;
	}
	image->lend_counters = source->lend_counters;
	if (!reader_read(image, header, model, err)) {
		model_free(model);
		goto fail;
	}
	return true;
fail:
	image_free(image);
	elf_image_close(elf);
	return false;
}

bool source_read(const struct source *source, struct image *image,
		 struct header *header, struct model *model, struct error *err)
{
	struct elf_image elf;

	if (!source_read_elf(source, image, header, model, &elf, err))
		return false;
	elf_image_close(&elf);
	return true;
}
