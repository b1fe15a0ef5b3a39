/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * A clang image's raw profile.  clang's source-based coverage keeps static
 * per-function records, counters, MC/DC bitmap bytes and names in four
 * sections; the image's version 3 descriptor bounds them.  Only counters and
 * bitmaps change at run time, and the records point at them relative to
 * themselves, so the raw profile the compiler-rt runtime would write is a
 * header followed by the four sections' bytes.  Every record is checked
 * against the sections before anything is built.
 */
#ifndef HVCOV_LLVM_PROFRAW_H
#define HVCOV_LLVM_PROFRAW_H

#include <stddef.h>
#include <stdint.h>

#include "base/error.h"
#include "image/header.h"
#include "image/image.h"

struct profraw {
	uint8_t *bytes; /* the .profraw file; free() it */
	size_t size;
	unsigned raw_version;  /* the raw profile version written */
	uint64_t functions;    /* records */
	uint64_t counters;     /* 64-bit counters */
	uint64_t counters_hit; /* of them, the non-zero ones */
	uint64_t bitmap_bytes; /* MC/DC bitmap bytes */
};

/* The raw profile version of the clang release that clang_version (the
 * descriptor's major << 16 | minor << 8 | patch) names, or 0 for a release
 * whose layout this hvcov does not know. */
unsigned profraw_version_for(uint32_t clang_version);

/* Check the image's profile sections and lay them out as a raw profile.
 * The header must be a version 3 (clang) descriptor with its view set. */
bool profraw_build(const struct image *image, const struct header *header,
		   struct profraw *out, struct error *err);

/* Stable IDs of the image's 64-bit counters, in __llvm_prf_cnts order,
 * into ids[0..n) (n: the section's counters): the same in every build
 * whose function has the same name and structural hash (docs/snapshots.md,
 * "Clang images"):  ID = hash_finish(FNV-1a-64 of NameRef, FuncHash (u64
 * LE each) and the counter's index in its function (u32 LE)).  A counter
 * no record owns gets the ID of NameRef = FuncHash = 0 and its index in
 * the section.  Call after profraw_build() accepted the image. */
bool profraw_counter_ids(const struct image *image, const struct header *header,
			 uint64_t *ids, size_t n, struct error *err);

/* Write the profile as DIR/hvcov-BOOTID.profraw (16 hex digits): one file
 * per boot, so that llvm-profdata merge of a directory counts each run once;
 * extracting the same boot again replaces its file.  Written beside the
 * final name and renamed over it; `path` receives the name. */
bool profraw_write(const char *dir, uint64_t boot_id,
		   const struct profraw *profile, char *path, size_t path_size,
		   struct error *err);

#endif
