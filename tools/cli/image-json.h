/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The facts that trace a report back to its origin, as JSON, one writer
 * for extract --json, verify --json and report's manifest: the image
 * (source, bytes read and their SHA-256, architecture, compiler, link base,
 * boot id, state, each object's name and stamp) and the ELF (path, SHA-256,
 * verify result).
 */
#ifndef HVCOV_CLI_IMAGE_JSON_H
#define HVCOV_CLI_IMAGE_JSON_H

#include <stdbool.h>
#include <stdio.h>

#include "gcov/model.h"
#include "image/image.h"
#include "source/source.h"

/* The name the source is known by: --core, --image or the default. */
const char *source_name(const struct source *source);

/* One JSON object, no trailing newline. */
void json_image_facts(FILE *out, const struct source *source,
		      const struct image *image, const struct model *model);

/* The ELF's object ("null" without --elf); false when the ELF cannot be
 * read for its digest (errno set), with "sha256": null written. */
bool json_elf_facts(FILE *out, const struct source *source, bool verified);

/* "{\n  \"schema_version\": 1,\n  \"hvcov_version\": \"...\"" - the head
 * every document shares; the caller continues with ",\n  ...". */
void json_document_head(FILE *out, const char *generator);

#endif
