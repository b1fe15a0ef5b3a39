/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * An ELF core dump of a machine's memory (QEMU's dump-guest-memory, kdump's
 * vmcore) as an image source.  Its PT_LOAD segments map physical address
 * ranges to file ranges; the image buffer becomes physical memory from the
 * lowest segment (or from --phys) on, gaps zero-filled and recorded as
 * holes that no image view may cover.
 */
#ifndef HVCOV_CORE_H
#define HVCOV_CORE_H

#include <stdbool.h>
#include <stdint.h>

#include "base/error.h"
#include "image/header.h"
#include "image/image.h"

/* Load the physical memory a core holds: the window [phys, phys + size)
 * when has_window, else everything from its lowest to its highest
 * segment.  A segment that lies outside the file, overlaps another or
 * wraps, or a window beyond IMAGE_MAX_BYTES, is refused. */
bool image_load_core(struct image *image, const char *path, bool has_window,
		     uint64_t phys, uint64_t size, struct error *err);

/* Segments closer than this are one region (the legacy VGA hole of a PC
 * must not split its low RAM). */
#define CORE_REGION_GAP ((uint64_t)1 << 20)

/* A physical range of a core worth searching for a header. */
struct core_region {
	uint64_t start, size;
};

/* The core's memory as regions: segments less than CORE_REGION_GAP apart
 * joined, in address order.  A machine's memory is rarely one range (a
 * PC's ROM sits just below 4 GiB), and the hypervisor lies in one of
 * them.  Regions larger than IMAGE_MAX_BYTES are left out. */
bool core_regions(const char *path, struct core_region **regions, size_t *n,
		  struct error *err);

/* A paging core's segments (those with a virtual address) as placement
 * pieces, malloc'ed; *n is 0 for a core without virtual addresses. */
bool core_placement(const char *path, struct header_piece **pieces, size_t *n,
		    struct error *err);

#endif
