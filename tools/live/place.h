/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Where a live image lies in its source, found without reading all of the
 * source: a guest's RAM file is tens of MiB (or more), the hypervisor's
 * image a small part of it.  The descriptor is looked for first where
 * something says it is (the place a previous run found it, kept by the
 * snapshot store; the physical address of hvcov_descriptor in --elf), then
 * by a scan of the window (or the file) that holds at most one chunk of it
 * in memory.  Each candidate is then read and decoded like any image
 * (source_read() on just the image's bytes, with every check), so a place
 * that is wrong or stale is refused, never trusted; when none is found
 * exactly once the whole source is read as before, so that every error
 * (several descriptors, none, a damaged one) is the one source_read()
 * gives.
 */
#ifndef HVCOV_PLACE_H
#define HVCOV_PLACE_H

#include <stdbool.h>
#include <stdint.h>

#include "base/error.h"
#include "gcov/model.h"
#include "image/header.h"
#include "image/image.h"
#include "source/source.h"

/* Where the descriptor was found: the source's identity, the byte of the
 * file (the physical address, for --phys) where the descriptor lies, and
 * what the descriptor said about the image, which must be the same when
 * a later run looks there. */
struct live_place {
	uint64_t dev, ino;
	uint64_t descriptor;
	uint64_t link_base, image_size, descriptor_address;
};

enum live_found {
	LIVE_FOUND_RECORD, /* at the place a previous run recorded */
	LIVE_FOUND_ELF,    /* at hvcov_descriptor's physical address */
	LIVE_FOUND_SCAN,   /* the one valid descriptor a chunked scan found */
	LIVE_FOUND_READ,   /* by reading the whole source (source_read) */
};

/* Read the image that source names (fd: the source, open) as
 * source_read() does, but only its bytes when they can be found without
 * reading the rest.  hint: NULL, or where an earlier run found it.  On
 * success read gets the source as read (a window of just the image, or
 * a copy of source), place and found where and how it was found. */
bool place_read(const struct source *source, int fd,
		const struct live_place *hint, struct source *read,
		struct image *image, struct header *header, struct model *model,
		struct live_place *place, enum live_found *found,
		struct error *err);

/* How the descriptor was found, for messages: "found by a scan for its
 * magic", ... */
const char *place_found_text(enum live_found found);

#endif
