/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * A hypervisor memory image: the bytes read from a source (file, sysfs file,
 * /dev/mem window) and, once a header has said so, the view that maps
 * hypervisor addresses onto them.  image_at() is the one place where a
 * foreign address becomes a host pointer; everything that reads image data
 * goes through it.
 */
#ifndef HVCOV_IMAGE_H
#define HVCOV_IMAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/error.h"

/* The most bytes one source may bring into memory; read a window of a larger
 * dump with an offset and a size. */
#define IMAGE_MAX_BYTES ((uint64_t)1 << 30)

/* Longest string (with its NUL) image_string() accepts: the PATH_MAX of
 * Linux, which a .gcda path compiled into the image cannot exceed. */
#define IMAGE_MAX_STRING 4096

/* A range of the buffer, by offset. */
struct image_range {
	size_t offset;
	size_t size;
};

/* One piece of a placed view: `size` bytes of hypervisor addresses from
 * `address` lie at buffer offset `offset`. */
struct image_segment {
	uint64_t address;
	uint64_t size;
	size_t offset;
};

struct image {
	/* What the source delivered, owned by the image. */
	uint8_t *buffer;
	size_t buffer_size;
	char source[256]; /* for messages, e.g. "core.bin" */
	/* Ranges of buffer the source has no data for (zero-filled gaps
	 * between an ELF core's segments), sorted; a view may not cover
	 * any.  Owned by the image. */
	struct image_range *holes;
	size_t n_holes;
	/* Address of buffer byte 0 in the source's own terms (an ELF core's
	 * physical addresses), for messages; 0 for a plain file. */
	uint64_t source_address;

	/* The view (image_set_view): image byte 0 is buffer[offset] and has
	 * hypervisor address base; size bytes from there are the image. */
	bool has_view;
	size_t offset;
	uint64_t size;
	uint64_t base;
	bool big_endian;
	uint8_t pointer_size; /* 4 or 8 */
	/* Set by the caller before reading the model: the reader may point
	 * counter values into buffer (host byte order, aligned) instead of
	 * copying them, and the caller keeps the image as long as the model
	 * (extract: peak RSS was the image plus its counters' copy). */
	bool lend_counters;
	/* image_discard_below(): buffer pages below this address are gone. */
	uintptr_t discarded;
	/* When n_segments > 0 (image_set_placed_view), the view is these
	 * pieces, sorted by address and disjoint, instead of one range:
	 * the image as linked, translated through a physical placement that
	 * differs from it.  base and size still bound every piece.  Owned by
	 * the image. */
	struct image_segment *segments;
	size_t n_segments;
};

/* Read a file from byte `offset` to its end, or exactly `size` bytes when
 * size is non-zero.  Works on regular files and on sysfs files whose
 * st_size is not their length (it reads until EOF). */
bool image_load_file(struct image *image, const char *path, uint64_t offset,
		     uint64_t size, struct error *err);

/* Read `size` bytes of physical memory at `address` from a memory device
 * (normally /dev/mem) with pread. */
bool image_load_phys(struct image *image, const char *device, uint64_t address,
		     uint64_t size, struct error *err);

/* Adopt a malloc'ed buffer (tests, other sources); the image frees it. */
void image_adopt(struct image *image, uint8_t *buffer, size_t size,
		 const char *source);

void image_free(struct image *image);

/* No byte of the buffer below buffer_offset will be read again (the
 * caller frees the image next): the whole pages of that part go back to
 * the system now.  They would read as zeros, never as the image. */
void image_discard_below(struct image *image, size_t buffer_offset);

/* Set the address view; refuses a view that does not lie inside the buffer
 * or whose addresses would wrap. */
bool image_set_view(struct image *image, size_t offset, uint64_t size,
		    uint64_t base, bool big_endian, uint8_t pointer_size,
		    struct error *err);

/* Set a placed view: hypervisor addresses [base, base + size) of which the
 * pieces (copied, sorted here) are present.  Each piece must lie inside the
 * buffer and that range, cover no hole and overlap no other piece. */
bool image_set_placed_view(struct image *image, uint64_t base, uint64_t size,
			   bool big_endian, uint8_t pointer_size,
			   const struct image_segment *segments, size_t n,
			   struct error *err);

/* Host pointer to the `length` bytes at hypervisor `address`, or NULL unless
 * all of [address, address + length) lies inside the image view (inside one
 * piece of a placed view).  The only translation from a hypervisor address
 * to a host pointer. */
const uint8_t *image_at(const struct image *image, uint64_t address,
			uint64_t length);

/* Fixed-width reads at a hypervisor address in the image's byte order;
 * false when the value does not lie wholly inside the image. */
bool image_u32(const struct image *image, uint64_t address, uint32_t *value);
bool image_u64(const struct image *image, uint64_t address, uint64_t *value);
/* A pointer of the image's pointer size, zero-extended. */
bool image_pointer(const struct image *image, uint64_t address,
		   uint64_t *value);

/* The NUL-terminated string at `address`, or NULL unless its NUL lies inside
 * the image and within `max` bytes (max <= IMAGE_MAX_STRING). */
const char *image_string(const struct image *image, uint64_t address,
			 size_t max);

#endif
