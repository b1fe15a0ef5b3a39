/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The build-identity checks `hvcov verify` runs alone and `hvcov extract
 * --elf` runs before writing: the image's read-only sections against the
 * hypervisor ELF, each object's stamp against its .gcno.
 */
#ifndef HVCOV_CLI_VERIFY_H
#define HVCOV_CLI_VERIFY_H

#include <stdbool.h>
#include <stdio.h>

#include "elf/elf-image.h"
#include "gcov/gcno-check.h"
#include "gcov/model.h"
#include "image/image.h"
#include "source/source.h"

struct verify_options {
	struct gcno_place place; /* where the .gcda files go */
	bool force;              /* a mismatch is a warning (extract --force) */
	bool require_gcno; /* a missing .gcno is an error, not a warning */
	bool list;         /* print every section and object on stdout */
	/* extract without --elf: only a stamp that differs from an existing
	 * .gcno counts; no warning for a missing one. */
	bool stamps_only;
	/* verify --json: each section's and each object's result, one JSON
	 * object per check, comma-separated (NULL: not wanted). */
	FILE *sections_json, *objects_json;
};

/* Run the checks (the section check only with an ELF); mismatches are one
 * error line on stderr, missing .gcno files warnings.  Returns the exit
 * status: HVCOV_EXIT_DATA for a mismatch unless forced. */
int verify_build(const struct verify_options *options,
		 const struct elf_image *elf, const struct image *image,
		 const struct header *header, const struct model *model);

/* Read the source and run verify_build() on it: with the source's --elf,
 * or without one when always is set (verify's .gcno checks); the ELF is
 * closed again.  Returns the exit status, after reporting any error; on
 * success image and model are the caller's to release (image_free,
 * model_free), on failure they are released. */
int read_verified(const struct verify_options *options,
		  const struct source *source, bool always, struct image *image,
		  struct model *model);

/* read_verified() that also hands back the header (a clang image's profile
 * sections are read from it, not from the model). */
int read_verified_header(const struct verify_options *options,
			 const struct source *source, bool always,
			 struct image *image, struct model *model,
			 struct header *header);

#endif
