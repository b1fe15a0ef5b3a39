/* SPDX-License-Identifier: BSD-2-Clause */
#include "place.h"

#include <errno.h>
#include <linux/magic.h>
#include <stddef.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#include "base/bytes.h"
#include "elf/elf-image.h"
#include "hvcov/descriptor.h"

/* Bytes of the source one scan step holds; a multiple of 8, so that no
 * 8-byte aligned magic straddles two steps. */
#define SCAN_CHUNK ((size_t)1 << 20)
/* More magic strings than this: leave it to the whole read (and its
 * message naming the images). */
#define MAX_CANDIDATES 16

/* What can be read piecewise: the bytes source_read() would read, from
 * byte start of the file (or physical address) on. */
struct region {
	int fd;
	bool phys;
	uint64_t start, length;
	uint64_t dev, ino;
};

static bool region_of(const struct source *s, int fd, struct region *r)
{
	struct statfs fs;
	struct stat st;

	/* A core, a placement or a Jailhouse header: read as before. */
	if (s->core || s->n_map || s->header.has_descriptor_offset ||
	    s->header.format == HEADER_FORMAT_JAILHOUSE || fstat(fd, &st) < 0)
		return false;
	r->fd = fd;
	r->phys = s->has_phys;
	r->dev = (uint64_t)st.st_dev;
	r->ino = (uint64_t)st.st_ino;
	r->start = s->has_phys ? s->phys : s->has_offset ? s->offset : 0;
	if (s->has_size) {
		r->length = s->size;
	} else {
		/* sysfs and procfs files give a size that is not their
		 * length: only a read to the end tells it. */
		if (!S_ISREG(st.st_mode) || fstatfs(fd, &fs) < 0 ||
		    fs.f_type == SYSFS_MAGIC || fs.f_type == PROC_SUPER_MAGIC ||
		    (uint64_t)st.st_size <= r->start)
			return false;
		r->length = (uint64_t)st.st_size - r->start;
	}
	/* Too large, or a file that ends inside the window: the whole read
	 * refuses it with its own message. */
	return r->length <= IMAGE_MAX_BYTES &&
	       r->start <= INT64_MAX - r->length &&
	       (!S_ISREG(st.st_mode) ||
		(uint64_t)st.st_size >= r->start + r->length);
}

static bool read_at(const struct region *r, uint8_t *buf, size_t size,
		    uint64_t at)
{
	size_t done = 0;

	while (done < size) {
		ssize_t got = pread(r->fd, buf + done, size - done,
				    (off_t)(r->start + at + done));

		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0)
			return false;
		done += (size_t)got;
	}
	return true;
}

/* Decode the image whose descriptor lies at byte `at` of the region, from
 * the image's own bytes only: source_read() on a window of them, with
 * the descriptor's offset given, so that every check it makes is made.
 * false (image and model empty) when there is no valid image there. */
static bool try_at(const struct source *s, const struct region *r, uint64_t at,
		   struct source *read, struct image *image,
		   struct header *header, struct model *model)
{
	uint8_t d[HVCOV_DESCRIPTOR_SIZE];
	uint64_t link_base, image_size, address, relative, start, length;
	struct error ignored = { 0 };
	bool big;

	if (at > r->length || r->length - at < sizeof(d) ||
	    !read_at(r, d, sizeof(d), at) ||
	    memcmp(d, HVCOV_MAGIC, HVCOV_MAGIC_SIZE) != 0)
		return false;
	big = d[offsetof(struct hvcov_descriptor, byte_order)] ==
	      HVCOV_BIG_ENDIAN;
	link_base = bytes_get64(
		d + offsetof(struct hvcov_descriptor, link_base), big);
	image_size = bytes_get64(
		d + offsetof(struct hvcov_descriptor, image_size), big);
	address = bytes_get64(
		d + offsetof(struct hvcov_descriptor, descriptor_address), big);
	relative = address - link_base;
	if (address < link_base || relative > at || image_size == 0 ||
	    image_size > IMAGE_MAX_BYTES)
		return false;
	start = at - relative;
	length =
		r->length - start < image_size ? r->length - start : image_size;
	*read = *s;
	if (r->phys) {
		read->phys = r->start + start;
		read->size = length;
	} else {
		read->has_offset = true;
		read->offset = r->start + start;
		read->has_size = true;
		read->size = length;
	}
	read->header.has_descriptor_offset = true;
	read->header.descriptor_offset = relative;
	if (!source_read(read, image, header, model, &ignored))
		return false;
	/* A placement that splits the image is read from physical
	 * addresses, not from this window: the whole read says what it
	 * makes of it. */
	if (header->placed) {
		model_free(model);
		image_free(image);
		return false;
	}
	return true;
}

static void drop(struct image *image, struct model *model)
{
	model_free(model);
	image_free(image);
}

/* The physical address of hvcov_descriptor by --elf's program headers
 * (its link address where they place nothing else). */
static bool elf_place(const struct source *s, uint64_t *physical)
{
	struct error ignored = { 0 };
	struct elf_image elf;
	bool ok;

	if (!elf_image_open(&elf, s->elf, &ignored))
		return false;
	ok = elf.facts.has_descriptor;
	*physical = elf.facts.descriptor_address;
	for (size_t i = 0; ok && i < elf.placement.n; i++) {
		const struct header_piece *p = &elf.placement.pieces[i];

		if (*physical >= p->address &&
		    *physical - p->address < p->size) {
			*physical = p->physical + (*physical - p->address);
			break;
		}
	}
	elf_image_close(&elf);
	return ok;
}

/* The 8-byte aligned offsets in the region that hold the magic, at most
 * max; false when the region cannot be read or holds more. */
static bool scan(const struct region *r, uint64_t *hits, size_t max, size_t *n)
{
	/* Mapped, not malloc'ed: freeing a block this large would raise
	 * malloc's mmap threshold and keep later large blocks on the heap. */
	void *mapped = mmap(NULL, SCAN_CHUNK, PROT_READ | PROT_WRITE,
			    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	uint8_t *buf = mapped == MAP_FAILED ? NULL : mapped;
	uint64_t magic;
	bool ok = buf != NULL;

	memcpy(&magic, HVCOV_MAGIC, sizeof(magic));
	*n = 0;
	for (uint64_t off = 0; ok && off < r->length; off += SCAN_CHUNK) {
		size_t want = r->length - off < SCAN_CHUNK
				      ? (size_t)(r->length - off)
				      : SCAN_CHUNK;

		ok = read_at(r, buf, want, off);
		for (size_t i = 0; ok && i + sizeof(magic) <= want; i += 8) {
			uint64_t word;

			memcpy(&word, buf + i, sizeof(word));
			if (word != magic)
				continue;
			if (*n == max)
				ok = false;
			else
				hits[(*n)++] = off + i;
		}
	}
	if (buf)
		munmap(buf, SCAN_CHUNK);
	return ok;
}

static void set_place(const struct region *r, uint64_t at,
		      const struct header *header, struct live_place *place)
{
	place->dev = r->dev;
	place->ino = r->ino;
	place->descriptor = r->start + at;
	place->link_base = header->link_base;
	place->image_size = header->image_size;
	place->descriptor_address = header->descriptor_address;
}

static bool same_image(const struct live_place *a, const struct live_place *b)
{
	return a->dev == b->dev && a->ino == b->ino &&
	       a->descriptor == b->descriptor && a->link_base == b->link_base &&
	       a->image_size == b->image_size &&
	       a->descriptor_address == b->descriptor_address;
}

/* The candidates in order: the recorded place, --elf's, the scan's. */
static bool find(const struct source *s, const struct region *r,
		 const struct live_place *hint, struct source *read,
		 struct image *image, struct header *header,
		 struct model *model, struct live_place *place,
		 enum live_found *found)
{
	uint64_t hits[MAX_CANDIDATES], physical;
	size_t n, valid = 0;

	if (hint && hint->dev == r->dev && hint->ino == r->ino &&
	    hint->descriptor >= r->start &&
	    try_at(s, r, hint->descriptor - r->start, read, image, header,
		   model)) {
		set_place(r, hint->descriptor - r->start, header, place);
		/* The same descriptor at the same place, describing the
		 * same image; anything else is looked for afresh. */
		if (same_image(place, hint)) {
			*found = LIVE_FOUND_RECORD;
			return true;
		}
		drop(image, model);
	}
	if (s->elf && elf_place(s, &physical) && physical >= r->start &&
	    try_at(s, r, physical - r->start, read, image, header, model)) {
		set_place(r, physical - r->start, header, place);
		*found = LIVE_FOUND_ELF;
		return true;
	}
	if (!scan(r, hits, MAX_CANDIDATES, &n))
		return false;
	for (size_t i = 0; i < n; i++) {
		struct source other_read;
		struct header other_header;
		struct image other;
		struct model other_model;

		if (!try_at(s, r, hits[i], valid ? &other_read : read,
			    valid ? &other : image,
			    valid ? &other_header : header,
			    valid ? &other_model : model))
			continue;
		if (valid++) {
			/* Several: the whole read names them all. */
			drop(&other, &other_model);
			drop(image, model);
			return false;
		}
		set_place(r, hits[i], header, place);
	}
	*found = LIVE_FOUND_SCAN;
	return valid == 1;
}

bool place_read(const struct source *source, int fd,
		const struct live_place *hint, struct source *read,
		struct image *image, struct header *header, struct model *model,
		struct live_place *place, enum live_found *found,
		struct error *err)
{
	struct region r;
	struct stat st;

	memset(place, 0, sizeof(*place));
	if (region_of(source, fd, &r) &&
	    find(source, &r, hint, read, image, header, model, place, found))
		return true;
	*read = *source;
	*found = LIVE_FOUND_READ;
	if (!source_read(source, image, header, model, err))
		return false;
	/* Recorded too, so that the next run need not read it all. */
	if (!source->core && fstat(fd, &st) == 0) {
		r.dev = (uint64_t)st.st_dev;
		r.ino = (uint64_t)st.st_ino;
		r.start = source->has_phys     ? source->phys
			  : source->has_offset ? source->offset
					       : 0;
		set_place(&r, header->header_offset, header, place);
	}
	return true;
}

const char *place_found_text(enum live_found found)
{
	switch (found) {
	case LIVE_FOUND_RECORD:
		return "the place the store's last run recorded, checked again";
	case LIVE_FOUND_ELF:
		return "the physical address of hvcov_descriptor in --elf";
	case LIVE_FOUND_SCAN:
		return "found by a scan for its magic";
	case LIVE_FOUND_READ:
		return "found by reading the whole source";
	}
	return "?";
}
