/* SPDX-License-Identifier: BSD-2-Clause */
#include "image.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/bytes.h"

static void image_init(struct image *image, const char *source)
{
	memset(image, 0, sizeof(*image));
	snprintf(image->source, sizeof(image->source), "%s", source);
}

void image_adopt(struct image *image, uint8_t *buffer, size_t size,
		 const char *source)
{
	image_init(image, source);
	image->buffer = buffer;
	image->buffer_size = size;
}

void image_free(struct image *image)
{
	free(image->buffer);
	free(image->holes);
	free(image->segments);
	memset(image, 0, sizeof(*image));
}

void image_discard_below(struct image *image, size_t buffer_offset)
{
	uintptr_t page = (uintptr_t)sysconf(_SC_PAGESIZE);
	uintptr_t start = (uintptr_t)image->buffer, from, to;

	if (!image->buffer || page == 0 || (page & (page - 1)))
		return;
	if (buffer_offset > image->buffer_size)
		buffer_offset = image->buffer_size;
	/* Only pages wholly inside the buffer: whatever allocated it may
	 * keep its own data just before or after. */
	from = (start + page - 1) & ~(page - 1);
	if (from < image->discarded)
		from = image->discarded;
	to = (start + buffer_offset) & ~(page - 1);
	if (to <= from)
		return;
	/* Failing only keeps the memory. */
	(void)madvise((void *)from, to - from, MADV_DONTNEED);
	image->discarded = to;
}

/* read() until `want` bytes or EOF; EINTR and short reads just continue.
 * Returns the bytes read, or -1 with errno set. */
static ssize_t read_full(int fd, uint8_t *buffer, size_t want)
{
	size_t done = 0;

	while (done < want) {
		ssize_t got = read(fd, buffer + done, want - done);

		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0)
			return -1;
		if (got == 0)
			break;
		done += (size_t)got;
	}
	return (ssize_t)done;
}

/* The whole rest of the file: sysfs reports a page or zero as st_size, so
 * the size is only a first guess and the buffer grows until EOF. */
static bool read_to_eof(struct image *image, int fd, const char *path,
			uint64_t hint, struct error *err)
{
	size_t capacity =
		hint > 0 && hint < IMAGE_MAX_BYTES ? (size_t)hint + 1 : 1 << 16;
	size_t used = 0;
	uint8_t *buffer = NULL;

	for (;;) {
		uint8_t *grown;
		ssize_t got;

		if (used == capacity) {
			/* One byte past the cap proves the file is larger. */
			if (capacity > IMAGE_MAX_BYTES) {
				free(buffer);
				return error_set(
					err, HVCOV_EXIT_DATA,
					"%s: more than %llu bytes: give --offset and --size to read a window of it",
					path,
					(unsigned long long)IMAGE_MAX_BYTES);
			}
			capacity = capacity > IMAGE_MAX_BYTES / 2
					   ? (size_t)IMAGE_MAX_BYTES + 1
					   : capacity * 2;
		}
		grown = realloc(buffer, capacity);
		if (!grown) {
			free(buffer);
			return error_errno(err, "%s: cannot hold %zu bytes",
					   path, capacity);
		}
		buffer = grown;
		got = read_full(fd, buffer + used, capacity - used);
		if (got < 0) {
			free(buffer);
			return error_errno(err, "%s: read failed", path);
		}
		used += (size_t)got;
		if (used < capacity)
			break;
	}
	image->buffer = buffer;
	image->buffer_size = used;
	return true;
}

static bool read_exactly(struct image *image, int fd, const char *path,
			 uint64_t offset, uint64_t size, struct error *err)
{
	uint8_t *buffer;
	ssize_t got;

	if (size > IMAGE_MAX_BYTES)
		return error_set(
			err, HVCOV_EXIT_SYSTEM,
			"%s: a window of %llu bytes is more than the %llu hvcov reads at once",
			path, (unsigned long long)size,
			(unsigned long long)IMAGE_MAX_BYTES);
	buffer = malloc((size_t)size);
	if (!buffer)
		return error_errno(err, "%s: cannot hold %llu bytes", path,
				   (unsigned long long)size);
	got = read_full(fd, buffer, (size_t)size);
	if (got < 0) {
		free(buffer);
		return error_errno(err, "%s: read failed", path);
	}
	if ((uint64_t)got < size) {
		free(buffer);
		return error_set(
			err, HVCOV_EXIT_DATA,
			"%s: ends at byte %llu, before the %llu bytes asked for from offset %llu",
			path, (unsigned long long)(offset + (uint64_t)got),
			(unsigned long long)size, (unsigned long long)offset);
	}
	image->buffer = buffer;
	image->buffer_size = (size_t)size;
	return true;
}

bool image_load_file(struct image *image, const char *path, uint64_t offset,
		     uint64_t size, struct error *err)
{
	struct stat st;
	uint64_t hint = 0;
	bool ok;
	int fd;

	image_init(image, path);
	if (offset > (uint64_t)INT64_MAX || size > (uint64_t)INT64_MAX - offset)
		return error_set(err, HVCOV_EXIT_SYSTEM,
				 "%s: offset %llu and size %llu are too large",
				 path, (unsigned long long)offset,
				 (unsigned long long)size);
	do
		fd = open(path, O_RDONLY | O_CLOEXEC);
	while (fd < 0 && errno == EINTR);
	if (fd < 0)
		return error_errno(err, "cannot open %s", path);
	if (fstat(fd, &st) < 0) {
		ok = error_errno(err, "cannot stat %s", path);
		goto out;
	}
	if (S_ISDIR(st.st_mode)) {
		ok = error_set(err, HVCOV_EXIT_SYSTEM, "%s is a directory",
			       path);
		goto out;
	}
	if (offset > 0 && lseek(fd, (off_t)offset, SEEK_SET) < 0) {
		ok = error_errno(err, "%s: cannot seek to offset %llu", path,
				 (unsigned long long)offset);
		goto out;
	}
	if (size > 0) {
		ok = read_exactly(image, fd, path, offset, size, err);
		goto out;
	}
	if (S_ISREG(st.st_mode) && (uint64_t)st.st_size > offset)
		hint = (uint64_t)st.st_size - offset;
	/* A regular file says its size: refuse a guest's RAM file of several
	 * GiB before reading any of it, not after the first GiB. */
	if (hint > IMAGE_MAX_BYTES) {
		ok = error_set(
			err, HVCOV_EXIT_DATA,
			"%s: %llu bytes from offset %llu, more than the %llu hvcov reads at once: give --offset and --size of the hypervisor's image in it",
			path, (unsigned long long)hint,
			(unsigned long long)offset,
			(unsigned long long)IMAGE_MAX_BYTES);
		goto out;
	}
	ok = read_to_eof(image, fd, path, hint, err);
	if (ok && image->buffer_size == 0)
		ok = error_set(err, HVCOV_EXIT_DATA,
			       "%s: no data from offset %llu", path,
			       (unsigned long long)offset);
out:
	close(fd);
	if (!ok)
		image_free(image);
	return ok;
}

bool image_load_phys(struct image *image, const char *device, uint64_t address,
		     uint64_t size, struct error *err)
{
	uint8_t *buffer = NULL;
	size_t done = 0;
	bool ok = true;
	int fd;

	image_init(image, device);
	if (size == 0 || size > IMAGE_MAX_BYTES)
		return error_set(err, HVCOV_EXIT_SYSTEM,
				 "--size must be between 1 and %llu bytes",
				 (unsigned long long)IMAGE_MAX_BYTES);
	if (address > (uint64_t)INT64_MAX - size)
		return error_set(
			err, HVCOV_EXIT_SYSTEM,
			"physical window 0x%llx + %llu is out of range",
			(unsigned long long)address, (unsigned long long)size);
	do
		fd = open(device, O_RDONLY | O_CLOEXEC);
	while (fd < 0 && errno == EINTR);
	if (fd < 0)
		return error_errno(err, "cannot open %s", device);
	buffer = malloc((size_t)size);
	if (!buffer) {
		ok = error_errno(err, "cannot hold %llu bytes",
				 (unsigned long long)size);
		goto out;
	}
	while (done < size) {
		ssize_t got = pread(fd, buffer + done, (size_t)size - done,
				    (off_t)(address + done));

		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			ok = error_errno(err, "%s: read at 0x%llx failed",
					 device,
					 (unsigned long long)(address + done));
			goto out;
		}
		if (got == 0) {
			ok = error_set(
				err, HVCOV_EXIT_DATA,
				"%s: ends at 0x%llx, inside the window 0x%llx + %llu",
				device, (unsigned long long)(address + done),
				(unsigned long long)address,
				(unsigned long long)size);
			goto out;
		}
		done += (size_t)got;
	}
	image->buffer = buffer;
	image->buffer_size = (size_t)size;
	buffer = NULL;
out:
	free(buffer);
	close(fd);
	return ok;
}

bool image_set_view(struct image *image, size_t offset, uint64_t size,
		    uint64_t base, bool big_endian, uint8_t pointer_size,
		    struct error *err)
{
	uint64_t address_limit = pointer_size == 4 ? (uint64_t)1 << 32 : 0;

	if (pointer_size != 4 && pointer_size != 8)
		return error_set(err, HVCOV_EXIT_DATA,
				 "pointer size %u is neither 4 nor 8",
				 pointer_size);
	if (offset > image->buffer_size || size > image->buffer_size - offset)
		return error_set(
			err, HVCOV_EXIT_DATA,
			"%s: image of %llu bytes at offset %zu does not fit in the %zu bytes read",
			image->source, (unsigned long long)size, offset,
			image->buffer_size);
	/* The last byte's address must not wrap (nor pass 4 GiB on 32-bit). */
	if (size > 0 && (base + (size - 1) < base ||
			 (address_limit && (base >= address_limit ||
					    size > address_limit - base))))
		return error_set(
			err, HVCOV_EXIT_DATA,
			"image of %llu bytes at 0x%llx wraps around the %u-bit address space",
			(unsigned long long)size, (unsigned long long)base,
			pointer_size * 8);
	for (size_t i = 0; i < image->n_holes; i++) {
		const struct image_range *hole = &image->holes[i];

		if (size > 0 && hole->offset < offset + size &&
		    offset < hole->offset + hole->size)
			return error_set(
				err, HVCOV_EXIT_DATA,
				"%s: the image at 0x%llx + %llu needs bytes 0x%llx + %zu, which the source does not hold",
				image->source,
				(unsigned long long)image->source_address +
					offset,
				(unsigned long long)size,
				(unsigned long long)image->source_address +
					hole->offset,
				hole->size);
	}
	image->has_view = true;
	image->offset = offset;
	image->size = size;
	image->base = base;
	image->big_endian = big_endian;
	image->pointer_size = pointer_size;
	return true;
}

/* The translation: host pointer to `length` bytes at `address`, and in
 * *room the bytes from there to the end of the range or piece holding it. */
static const uint8_t *translate(const struct image *image, uint64_t address,
				uint64_t length, uint64_t *room)
{
	uint64_t base = image->base, size = image->size, at;
	size_t offset = image->offset;

	if (!image->has_view)
		return NULL;
	if (image->n_segments) {
		size_t low = 0, high = image->n_segments;

		/* The last piece starting at or below address. */
		while (high - low > 1) {
			size_t mid = low + (high - low) / 2;

			if (image->segments[mid].address <= address)
				low = mid;
			else
				high = mid;
		}
		base = image->segments[low].address;
		size = image->segments[low].size;
		offset = image->segments[low].offset;
	}
	if (address < base)
		return NULL;
	at = address - base;
	/* Written so that no sum can wrap. */
	if (at > size || length > size - at)
		return NULL;
	*room = size - at;
	return image->buffer + offset + at;
}

const uint8_t *image_at(const struct image *image, uint64_t address,
			uint64_t length)
{
	uint64_t room;

	return translate(image, address, length, &room);
}

static int by_address(const void *a, const void *b)
{
	const struct image_segment *x = a, *y = b;

	return x->address < y->address ? -1 : x->address > y->address;
}

bool image_set_placed_view(struct image *image, uint64_t base, uint64_t size,
			   bool big_endian, uint8_t pointer_size,
			   const struct image_segment *segments, size_t n,
			   struct error *err)
{
	struct image_segment *list;

	if (n == 0)
		return error_set(
			err, HVCOV_EXIT_DATA,
			"%s: the placement maps no part of the image 0x%llx + %llu",
			image->source, (unsigned long long)base,
			(unsigned long long)size);
	list = malloc(n * sizeof(*list));
	if (!list)
		return error_errno(err, "out of memory");
	memcpy(list, segments, n * sizeof(*list));
	qsort(list, n, sizeof(*list), by_address);
	for (size_t i = 0; i < n; i++) {
		const struct image_segment *g = &list[i];
		struct image probe = *image;

		probe.n_segments = 0;
		/* The linear checks (buffer, wrap, holes) for each piece. */
		if (g->size == 0 || g->address < base ||
		    g->address - base > size ||
		    g->size > size - (g->address - base) ||
		    (i > 0 &&
		     list[i - 1].address + list[i - 1].size > g->address)) {
			/* The message first: g points into list. */
			error_set(
				err, HVCOV_EXIT_DATA,
				"%s: placement piece 0x%llx + %llu is empty, overlaps another or leaves the image 0x%llx + %llu",
				image->source, (unsigned long long)g->address,
				(unsigned long long)g->size,
				(unsigned long long)base,
				(unsigned long long)size);
			free(list);
			return false;
		}
		if (!image_set_view(&probe, g->offset, g->size, g->address,
				    big_endian, pointer_size, err)) {
			free(list);
			return false;
		}
	}
	free(image->segments);
	image->segments = list;
	image->n_segments = n;
	image->has_view = true;
	image->offset = 0; /* unused: every access goes through a piece */
	image->size = size;
	image->base = base;
	image->big_endian = big_endian;
	image->pointer_size = pointer_size;
	return true;
}

bool image_u32(const struct image *image, uint64_t address, uint32_t *value)
{
	const uint8_t *p = image_at(image, address, 4);

	if (!p)
		return false;
	*value = bytes_get32(p, image->big_endian);
	return true;
}

bool image_u64(const struct image *image, uint64_t address, uint64_t *value)
{
	const uint8_t *p = image_at(image, address, 8);

	if (!p)
		return false;
	*value = bytes_get64(p, image->big_endian);
	return true;
}

bool image_pointer(const struct image *image, uint64_t address, uint64_t *value)
{
	uint32_t narrow;

	if (image->pointer_size == 8)
		return image_u64(image, address, value);
	if (!image_u32(image, address, &narrow))
		return false;
	*value = narrow;
	return true;
}

const char *image_string(const struct image *image, uint64_t address,
			 size_t max)
{
	const uint8_t *p;
	uint64_t room;

	if (max > IMAGE_MAX_STRING)
		max = IMAGE_MAX_STRING;
	p = translate(image, address, 1, &room);
	if (!p)
		return NULL;
	if (room > max)
		room = max;
	return memchr(p, '\0', (size_t)room) ? (const char *)p : NULL;
}
