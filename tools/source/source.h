/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The SOURCE options every reading command shares (--image, --offset,
 * --size, --phys, --arch, --format) and the one routine that turns them into
 * a decoded model: load the bytes, locate the header, read the gcov data.
 */
#ifndef HVCOV_CLI_SOURCE_H
#define HVCOV_CLI_SOURCE_H

#include <getopt.h>
#include <stdbool.h>
#include <stdint.h>

#include "base/error.h"
#include "elf/elf-image.h"
#include "gcov/model.h"
#include "image/header.h"
#include "image/image.h"

/* Where the image is read from when no source is named. */
#define SOURCE_DEFAULT_PATH "/sys/devices/jailhouse/core"
#define SOURCE_MEMORY_DEVICE "/dev/mem"

enum source_option {
	SOURCE_OPT_IMAGE = 'i',
	SOURCE_OPT_OFFSET = 0x100,
	SOURCE_OPT_SIZE,
	SOURCE_OPT_PHYS,
	SOURCE_OPT_ARCH,
	SOURCE_OPT_FORMAT,
	SOURCE_OPT_ELF,
	SOURCE_OPT_CORE,
	SOURCE_OPT_MAP,
	SOURCE_OPT_END, /* options below it and SOURCE_OPT_IMAGE are ours */
};

#define SOURCE_LONG_OPTIONS                                                    \
	{ "image", required_argument, NULL, SOURCE_OPT_IMAGE },                \
		{ "offset", required_argument, NULL, SOURCE_OPT_OFFSET },      \
		{ "size", required_argument, NULL, SOURCE_OPT_SIZE },          \
		{ "phys", required_argument, NULL, SOURCE_OPT_PHYS },          \
		{ "arch", required_argument, NULL, SOURCE_OPT_ARCH },          \
		{ "format", required_argument, NULL, SOURCE_OPT_FORMAT },      \
		{ "elf", required_argument, NULL, SOURCE_OPT_ELF },            \
		{ "map", required_argument, NULL, SOURCE_OPT_MAP },            \
	{                                                                      \
		"core", required_argument, NULL, SOURCE_OPT_CORE               \
	}

/* Usage text for the options above, shared by the commands' --help. */
#define SOURCE_USAGE                                                                      \
	"Source (default: " SOURCE_DEFAULT_PATH "):\n"                                    \
	" -i, --image FILE    the image: a sysfs file, raw dump or RAM file\n"            \
	"     FILE            the same, as the one operand\n"                             \
	"     --core FILE     the machine's memory as an ELF core dump; "                 \
	"--phys\n"                                                                        \
	"                     and --size select a physical window of it\n"                \
	"     --offset N      the image starts at byte N of FILE\n"                       \
	"     --size N        read only N bytes (default: to the end)\n"                  \
	"     --phys ADDR     read physical memory at ADDR through " SOURCE_MEMORY_DEVICE \
	" (needs --size)\n"                                                               \
	"     --format F      header: auto (default), hvcov or jailhouse\n"               \
	"     --arch A        Jailhouse image architecture: x86_64, arm or "              \
	"arm64\n"                                                                         \
	"     --elf FILE      the hypervisor's linked ELF: find the header by\n"          \
	"                     its symbol and take the architecture from it\n"             \
	"     --map V:P:S[,..] the S bytes linked at V lie at physical P\n"               \
	"                     (where the placement differs from the link)\n"

/* Most --map pieces one command takes. */
#define SOURCE_MAX_MAP 32

struct source {
	const char *path; /* NULL: SOURCE_DEFAULT_PATH */
	const char *core; /* --core: an ELF core instead of path */
	const char *elf;  /* --elf: the hypervisor's ELF, or NULL */
	bool has_offset, has_size, has_phys;
	uint64_t offset, size, phys;
	struct header_options header;
	/* --map: the physical placement, before --elf's or a core's. */
	struct header_piece map[SOURCE_MAX_MAP];
	size_t n_map;
	/* Not an option: source_read_elf() sets image.lend_counters. */
	bool lend_counters;
};

/* Is this getopt result one of the options above? */
bool source_is_option(int option);

/* Take one getopt result; returns false (with err set) for a bad value and
 * for options that are not SOURCE options (the caller handles those). */
bool source_option(struct source *source, int option, const char *value,
		   struct error *err);

/* Check the combination of options once all are parsed. */
bool source_check(const struct source *source, struct error *err);

/* Load, locate and decode.  On success image, header and model are filled
 * and must be released with image_free() and model_free(). */
bool source_read(const struct source *source, struct image *image,
		 struct header *header, struct model *model, struct error *err);

/* source_read() that also hands back the --elf file, open (close it with
 * elf_image_close()), for the checks that compare it with the image; elf
 * is left closed when there is no --elf. */
bool source_read_elf(const struct source *source, struct image *image,
		     struct header *header, struct model *model,
		     struct elf_image *elf, struct error *err);

/* A number in decimal or 0x-hex, the whole string, no sign; a leading
 * zero is decimal (never octal). */
bool parse_u64(const char *text, uint64_t *value);
/* A number in decimal digits only (a count, --strip). */
bool parse_decimal_u64(const char *text, uint64_t *value);

#endif
