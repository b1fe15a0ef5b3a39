/* SPDX-License-Identifier: BSD-2-Clause */
#include "core.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "elf-file.h"

/* One PT_LOAD: p_memsz bytes of memory from paddr, of which the first
 * p_filesz are stored at file offset `offset`; the rest reads as zero. */
struct segment {
	size_t index; /* program header number, for messages */
	uint64_t paddr, memsz;
	uint64_t offset, filesz;
};

static int by_paddr(const void *a, const void *b)
{
	const struct segment *x = a, *y = b;

	return x->paddr < y->paddr ? -1 : x->paddr > y->paddr;
}

static bool check_segment(const struct elf_file *file, const GElf_Phdr *ph,
			  size_t index, uint64_t file_size, struct error *err)
{
	if (ph->p_filesz > ph->p_memsz)
		return error_set(
			err, HVCOV_EXIT_DATA,
			"%s: segment %zu stores %llu bytes for %llu bytes of memory",
			file->quoted, index, (unsigned long long)ph->p_filesz,
			(unsigned long long)ph->p_memsz);
	if (ph->p_offset > file_size || ph->p_filesz > file_size - ph->p_offset)
		return error_set(
			err, HVCOV_EXIT_DATA,
			"%s: segment %zu, %llu bytes at file offset %llu, runs past the end of the %llu-byte file",
			file->quoted, index, (unsigned long long)ph->p_filesz,
			(unsigned long long)ph->p_offset,
			(unsigned long long)file_size);
	if (ph->p_memsz > 0 && ph->p_memsz - 1 > UINT64_MAX - ph->p_paddr)
		return error_set(
			err, HVCOV_EXIT_DATA,
			"%s: segment %zu at physical 0x%llx wraps around the address space",
			file->quoted, index, (unsigned long long)ph->p_paddr);
	return true;
}

/*
 * A paging core (dump-guest-memory -p) has one segment per virtual
 * mapping, so memory mapped twice (an identity map and the hypervisor's
 * own) appears in several segments, which QEMU points at the same file
 * bytes.  Drop a segment that lies inside the one before it and stores
 * the same bytes (fully stored, same file offset for each address); any
 * other overlap stays, to be refused.  `list` is sorted by address.
 */
static size_t drop_aliases(struct segment *list, size_t n)
{
	size_t kept = 0;

	for (size_t i = 0; i < n; i++) {
		const struct segment *k = kept ? &list[kept - 1] : NULL;
		const struct segment *s = &list[i];

		if (k && s->paddr - k->paddr < k->memsz &&
		    s->memsz <= k->memsz - (s->paddr - k->paddr) &&
		    s->filesz == s->memsz && k->filesz == k->memsz &&
		    s->offset - k->offset == s->paddr - k->paddr)
			continue;
		list[kept++] = *s;
	}
	return kept;
}

/* The PT_LOAD segments with memory, sorted by address, none overlapping. */
static bool read_segments(const struct elf_file *file, uint64_t file_size,
			  struct segment **out, size_t *n_out,
			  struct error *err)
{
	struct segment *list;
	size_t n_phdrs, n = 0;

	if (elf_getphdrnum(file->elf, &n_phdrs) != 0)
		return elf_file_error(file, "cannot count the program headers",
				      err);
	list = calloc(n_phdrs ? n_phdrs : 1, sizeof(*list));
	if (!list)
		return error_errno(err, "out of memory");
	for (size_t i = 0; i < n_phdrs; i++) {
		GElf_Phdr ph;

		if (!gelf_getphdr(file->elf, (int)i, &ph)) {
			elf_file_error(file, "cannot read a program header",
				       err);
			goto fail;
		}
		if (ph.p_type != PT_LOAD || ph.p_memsz == 0)
			continue;
		if (!check_segment(file, &ph, i, file_size, err))
			goto fail;
		list[n++] = (struct segment){ i, ph.p_paddr, ph.p_memsz,
					      ph.p_offset, ph.p_filesz };
	}
	if (n == 0) {
		error_set(err, HVCOV_EXIT_DATA,
			  "%s: no PT_LOAD segment: the core holds no memory",
			  file->quoted);
		goto fail;
	}
	qsort(list, n, sizeof(*list), by_paddr);
	n = drop_aliases(list, n);
	for (size_t i = 1; i < n; i++)
		if (list[i].paddr - list[i - 1].paddr < list[i - 1].memsz) {
			error_set(
				err, HVCOV_EXIT_DATA,
				"%s: segments %zu and %zu overlap at physical 0x%llx",
				file->quoted, list[i - 1].index, list[i].index,
				(unsigned long long)list[i].paddr);
			goto fail;
		}
	*out = list;
	*n_out = n;
	return true;
fail:
	free(list);
	return false;
}

static bool add_hole(struct image *image, uint64_t from, uint64_t to,
		     struct error *err)
{
	struct image_range *grown;

	if (from >= to)
		return true;
	grown = realloc(image->holes,
			(image->n_holes + 1) * sizeof(*image->holes));
	if (!grown)
		return error_errno(err, "out of memory");
	image->holes = grown;
	image->holes[image->n_holes++] =
		(struct image_range){ (size_t)from, (size_t)(to - from) };
	return true;
}

/* pread() exactly `size` bytes at `offset`; EINTR and short reads
 * continue. */
static bool read_at(int fd, uint8_t *buffer, size_t size, uint64_t offset,
		    const char *source, struct error *err)
{
	while (size > 0) {
		ssize_t got = pread(fd, buffer, size, (off_t)offset);

		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0)
			return error_errno(err, "%s: read failed", source);
		if (got == 0)
			return error_set(err, HVCOV_EXIT_DATA,
					 "%s: ends before byte %llu", source,
					 (unsigned long long)offset);
		buffer += got;
		size -= (size_t)got;
		offset += (uint64_t)got;
	}
	return true;
}

/* Copy each segment's part of [start, start + size) into the buffer and
 * record what no segment covers.  Offsets are relative to start. */
static bool fill_window(struct image *image, int fd, const struct segment *segs,
			size_t n, uint64_t start, uint64_t size,
			struct error *err)
{
	uint64_t covered = 0; /* window bytes below this are accounted for */

	for (size_t i = 0; i < n; i++) {
		const struct segment *s = &segs[i];
		uint64_t last = s->paddr + (s->memsz - 1);
		uint64_t from, to, skip;

		if (last < start ||
		    (s->paddr > start && s->paddr - start >= size))
			continue;
		from = s->paddr > start ? s->paddr - start : 0;
		to = last - start >= size ? size : last - start + 1;
		if (!add_hole(image, covered, from, err))
			return false;
		/* Bytes of this segment before the window. */
		skip = start > s->paddr ? start - s->paddr : 0;
		if (skip < s->filesz) {
			uint64_t stored = s->filesz - skip;

			if (stored > to - from)
				stored = to - from;
			if (!read_at(fd, image->buffer + from, (size_t)stored,
				     s->offset + skip, image->source, err))
				return false;
		}
		covered = to;
	}
	if (covered == 0)
		return error_set(
			err, HVCOV_EXIT_DATA,
			"%s: the core holds no memory in physical 0x%llx + %llu",
			image->source, (unsigned long long)start,
			(unsigned long long)size);
	return add_hole(image, covered, size, err);
}

static bool window_of(const struct elf_file *file, const struct segment *segs,
		      size_t n, bool has_window, uint64_t *start,
		      uint64_t *size, struct error *err)
{
	uint64_t end_last;

	if (has_window) {
		if (*size == 0 || *size - 1 > UINT64_MAX - *start)
			return error_set(
				err, HVCOV_EXIT_SYSTEM,
				"physical window 0x%llx + %llu is out of range",
				(unsigned long long)*start,
				(unsigned long long)*size);
	} else {
		*start = segs[0].paddr;
		end_last = segs[n - 1].paddr + (segs[n - 1].memsz - 1);
		if (end_last - *start >= IMAGE_MAX_BYTES)
			return error_set(
				err, HVCOV_EXIT_DATA,
				"%s: its memory spans physical 0x%llx to 0x%llx, more than hvcov reads at once: give --phys and --size",
				file->quoted, (unsigned long long)*start,
				(unsigned long long)end_last);
		*size = end_last - *start + 1;
	}
	if (*size > IMAGE_MAX_BYTES)
		return error_set(err, HVCOV_EXIT_SYSTEM,
				 "--size must be at most %llu bytes",
				 (unsigned long long)IMAGE_MAX_BYTES);
	return true;
}

/* Open an ELF core; *file_size: the size of the file.  Only the headers
 * and the window are read (a core of a guest with several GiB of RAM is
 * never mapped or read whole, which a 32-bit host could not do). */
static bool open_core(struct elf_file *file, const char *path,
		      uint64_t *file_size, struct error *err)
{
	struct stat st;

	if (!elf_file_open(file, path, err))
		return false;
	if (file->ehdr.e_type != ET_CORE) {
		error_set(err, HVCOV_EXIT_DATA,
			  "%s: ELF type %u is not a core dump", file->quoted,
			  file->ehdr.e_type);
		elf_file_close(file);
		return false;
	}
	if (fstat(file->fd, &st) < 0) {
		error_errno(err, "cannot stat %s", file->quoted);
		elf_file_close(file);
		return false;
	}
	*file_size = (uint64_t)st.st_size;
	return true;
}

bool image_load_core(struct image *image, const char *path, bool has_window,
		     uint64_t phys, uint64_t size, struct error *err)
{
	struct segment *segs = NULL;
	struct elf_file file;
	uint64_t file_size;
	size_t n = 0;
	uint8_t *buffer;
	bool ok = false;

	image_adopt(image, NULL, 0, path);
	if (!open_core(&file, path, &file_size, err))
		return false;
	if (!read_segments(&file, file_size, &segs, &n, err) ||
	    !window_of(&file, segs, n, has_window, &phys, &size, err))
		goto out;
	buffer = calloc(1, (size_t)size);
	if (!buffer) {
		error_errno(err, "%s: cannot hold %llu bytes", file.quoted,
			    (unsigned long long)size);
		goto out;
	}
	image_adopt(image, buffer, (size_t)size, path);
	image->source_address = phys;
	ok = fill_window(image, file.fd, segs, n, phys, size, err);
	if (!ok)
		image_free(image);
out:
	free(segs);
	elf_file_close(&file);
	return ok;
}

bool core_regions(const char *path, struct core_region **regions, size_t *n,
		  struct error *err)
{
	struct core_region *list = NULL;
	struct segment *segs = NULL;
	struct elf_file file;
	uint64_t file_size;
	size_t n_segs = 0, count = 0;
	bool ok = false;

	*regions = NULL;
	*n = 0;
	if (!open_core(&file, path, &file_size, err))
		return false;
	if (!read_segments(&file, file_size, &segs, &n_segs, err))
		goto out;
	list = calloc(n_segs, sizeof(*list));
	if (!list) {
		error_errno(err, "out of memory");
		goto out;
	}
	for (size_t i = 0; i < n_segs; i++) {
		struct core_region *last = count ? &list[count - 1] : NULL;
		uint64_t end = last ? last->start + last->size : 0;

		if (last && segs[i].paddr - end < CORE_REGION_GAP &&
		    segs[i].paddr + segs[i].memsz - last->start > last->size)
			last->size =
				segs[i].paddr + segs[i].memsz - last->start;
		else
			list[count++] = (struct core_region){ segs[i].paddr,
							      segs[i].memsz };
	}
	*n = 0;
	for (size_t i = 0; i < count; i++)
		if (list[i].size <= IMAGE_MAX_BYTES)
			list[(*n)++] = list[i];
	if (*n == 0 && count > 0) {
		/* Nothing was moved: list[0] is still the first region. */
		error_set(
			err, HVCOV_EXIT_DATA,
			"%s: every memory region is larger than the %llu bytes hvcov reads at once (the first: %llu bytes at physical 0x%llx): give --phys with the hypervisor's load address and --size with its image size",
			file.quoted, (unsigned long long)IMAGE_MAX_BYTES,
			(unsigned long long)list[0].size,
			(unsigned long long)list[0].start);
		goto out;
	}
	if (*n == 0) {
		error_set(err, HVCOV_EXIT_DATA, "%s: the core holds no memory",
			  file.quoted);
		goto out;
	}
	*regions = list;
	list = NULL;
	ok = true;
out:
	free(list);
	free(segs);
	elf_file_close(&file);
	return ok;
}

bool core_placement(const char *path, struct header_piece **pieces, size_t *n,
		    struct error *err)
{
	struct elf_file file;
	size_t n_phdrs, count = 0;
	uint64_t file_size;
	struct header_piece *list;
	bool ok = false;

	*pieces = NULL;
	*n = 0;
	if (!open_core(&file, path, &file_size, err))
		return false;
	if (elf_getphdrnum(file.elf, &n_phdrs) != 0) {
		elf_file_error(&file, "cannot count the program headers", err);
		goto out;
	}
	list = calloc(n_phdrs ? n_phdrs : 1, sizeof(*list));
	if (!list) {
		error_errno(err, "out of memory");
		goto out;
	}
	for (size_t i = 0; i < n_phdrs; i++) {
		GElf_Phdr ph;

		if (!gelf_getphdr(file.elf, (int)i, &ph)) {
			elf_file_error(&file, "cannot read a program header",
				       err);
			free(list);
			goto out;
		}
		/* A core without paging leaves p_vaddr 0. */
		if (ph.p_type == PT_LOAD && ph.p_memsz && ph.p_vaddr)
			list[count++] =
				(struct header_piece){ ph.p_vaddr, ph.p_paddr,
						       ph.p_memsz };
	}
	*pieces = list;
	*n = count;
	ok = true;
out:
	elf_file_close(&file);
	return ok;
}
