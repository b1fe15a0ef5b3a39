/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Raw profiles from a clang image's profile sections.  The layouts are
 * compiler-rt's and LLVM's (include/profile/InstrProfData.inc of each
 * release, INSTR_PROF_RAW_HEADER and INSTR_PROF_DATA): docs/image-format.md
 * lists the evidence per release.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/bytes.h"
#include "base/fdio.h"
#include "base/hash.h"
#include "hvcov/descriptor.h"
#include "profraw.h"

/* Magic numbers: "lprofr" (64-bit) or "lprofR" (32-bit) between 0xff and
 * 0x81. */
#define RAW_MAGIC(r)                                                           \
	((uint64_t)255 << 56 | (uint64_t)'l' << 48 | (uint64_t)'p' << 40 |     \
	 (uint64_t)'r' << 32 | (uint64_t)'o' << 24 | (uint64_t)'f' << 16 |     \
	 (uint64_t)(r) << 8 | 129)

/* The per-function record's fields, by pointer size (index 0: 4 bytes,
 * 1: 8 bytes).  A field at offset 0 other than name_ref is absent. */
struct record_layout {
	size_t size;
	size_t counter_ptr, bitmap_ptr, values, num_counters;
	size_t value_sites, num_bitmap_bytes;
};

struct raw_layout {
	unsigned clang_major;
	unsigned raw_version;
	unsigned value_kinds; /* IPVK_Last + 1: u16 NumValueSites entries */
	bool has_bitmap;      /* the header carries the MC/DC bitmap words */
	/* CounterPtr is relative to its record (raw version 8 on); before,
	 * it is the counters' address and CountersDelta the section's. */
	bool relative_counters;
	struct record_layout record[2];
};

/*
 * clang 13 (raw version 7): the version 8 record and header, but CounterPtr
 * holds the counters' address and CountersDelta the section's.
 * clang 14, 15 and 16 (raw version 8; each release's InstrProfData.inc
 * read separately, the same layout): NameRef, FuncHash, CounterPtr, FunctionPointer,
 * Values, NumCounters, NumValueSites[2]; header of 11 words.
 * clang 19 (raw version 10): NameRef, FuncHash, CounterPtr, BitmapPtr,
 * FunctionPointer, Values, NumCounters, NumValueSites[3], NumBitmapBytes;
 * header of 16 words (bitmap and virtual-table words).
 */
#define RAW_V8_RECORDS                                                         \
	{                                                                      \
		{ 40, 16, 0, 24, 28, 32, 0 },                                  \
		{                                                              \
			48, 16, 0, 32, 40, 44, 0                               \
		}                                                              \
	}

static const struct raw_layout layouts[] = {
	{ 13, 7, 2, false, false, RAW_V8_RECORDS },
	{ 14, 8, 2, false, true, RAW_V8_RECORDS },
	{ 15, 8, 2, false, true, RAW_V8_RECORDS },
	{ 16, 8, 2, false, true, RAW_V8_RECORDS },
	{ 19,
	  10,
	  3,
	  true,
	  true,
	  { { 48, 16, 20, 28, 32, 36, 44 }, { 64, 16, 24, 40, 48, 52, 60 } } },
};

static const struct raw_layout *layout_for(uint32_t clang_version)
{
	for (size_t i = 0; i < sizeof(layouts) / sizeof(layouts[0]); i++)
		if (layouts[i].clang_major == clang_version >> 16)
			return &layouts[i];
	return NULL;
}

unsigned profraw_version_for(uint32_t clang_version)
{
	const struct raw_layout *layout = layout_for(clang_version);

	return layout ? layout->raw_version : 0;
}

struct section {
	const char *name;
	uint64_t start, size;
	const uint8_t *bytes;
};

static bool get_section(const struct image *image, const struct header *h,
			size_t index, const char *name, struct section *s,
			struct error *err)
{
	uint64_t start = h->llvm_bounds[2 * index];
	uint64_t end = h->llvm_bounds[2 * index + 1];

	s->name = name;
	s->start = start;
	if (end < start)
		return error_set(
			err, HVCOV_EXIT_DATA,
			"%s: %s ends at 0x%llx before it starts at 0x%llx",
			image->source, name, (unsigned long long)end,
			(unsigned long long)start);
	s->size = end - start;
	if (s->size == 0) {
		s->bytes = NULL;
		return true;
	}
	s->bytes = image_at(image, start, s->size);
	if (!s->bytes)
		return error_set(
			err, HVCOV_EXIT_DATA,
			"%s: %s at 0x%llx (%llu bytes) is not inside the image",
			image->source, name, (unsigned long long)start,
			(unsigned long long)s->size);
	return true;
}

static uint64_t get_pointer(const uint8_t *p, bool big, unsigned size)
{
	return size == 8 ? bytes_get64(p, big) : bytes_get32(p, big);
}

/* The address a record's relative pointer names: record address plus the
 * signed offset of pointer width, modulo the address space. */
static uint64_t relative(uint64_t record, uint64_t offset, unsigned size)
{
	if (size == 4)
		return (uint32_t)(record + offset);
	return record + offset;
}

/* Does [address, address + length) lie inside the section? */
static bool inside(const struct section *s, uint64_t address, uint64_t length)
{
	return address >= s->start && address - s->start <= s->size &&
	       length <= s->size - (address - s->start);
}

static bool get_uleb(const uint8_t *p, size_t size, size_t *at, uint64_t *value)
{
	*value = 0;
	for (unsigned shift = 0; shift < 64; shift += 7) {
		uint8_t byte;

		if (*at >= size)
			return false;
		byte = p[(*at)++];
		*value |= (uint64_t)(byte & 0x7f) << shift;
		if (!(byte & 0x80))
			return true;
	}
	return false;
}

/*
 * The names section: one block per unit, each an uncompressed length, a
 * compressed length (0: not compressed) and that many bytes.  Uncompressed
 * names are separated by 0x01 and may not be empty or hold a NUL.
 * Compressed blocks are checked for their framing only.
 */
static bool check_names(const struct image *image, const struct section *s,
			struct error *err)
{
	size_t at = 0;

	while (at < s->size) {
		uint64_t plain, packed, length;
		size_t start;

		if (!get_uleb(s->bytes, s->size, &at, &plain) ||
		    !get_uleb(s->bytes, s->size, &at, &packed))
			return error_set(
				err, HVCOV_EXIT_DATA,
				"%s: __llvm_prf_names: a block length at byte %zu is cut off",
				image->source, at);
		length = packed ? packed : plain;
		if (length == 0 || length > s->size - at)
			return error_set(
				err, HVCOV_EXIT_DATA,
				"%s: __llvm_prf_names: a block of %llu bytes at byte %zu does not fit the section's %llu bytes",
				image->source, (unsigned long long)length, at,
				(unsigned long long)s->size);
		start = at;
		at += (size_t)length;
		if (packed)
			continue;
		for (size_t i = start, name = start; i <= at; i++) {
			if (i < at && s->bytes[i] == 0)
				return error_set(
					err, HVCOV_EXIT_DATA,
					"%s: __llvm_prf_names: a NUL byte in a name at byte %zu",
					image->source, i);
			if (i == at || s->bytes[i] == 1) {
				if (i == name)
					return error_set(
						err, HVCOV_EXIT_DATA,
						"%s: __llvm_prf_names: an empty name at byte %zu",
						image->source, i);
				name = i + 1;
			}
		}
	}
	return true;
}

static bool check_records(const struct image *image,
			  const struct raw_layout *layout,
			  const struct record_layout *r, unsigned ptr,
			  const struct section *data,
			  const struct section *cnts,
			  const struct section *bits, bool big,
			  struct profraw *out, struct error *err)
{
	uint64_t n = data->size / r->size;

	for (uint64_t i = 0; i < n; i++) {
		const uint8_t *rec = data->bytes + i * r->size;
		uint64_t address = data->start + i * r->size;
		uint32_t num_counters = bytes_get32(rec + r->num_counters, big);
		uint32_t num_bitmap =
			layout->has_bitmap
				? bytes_get32(rec + r->num_bitmap_bytes, big)
				: 0;
		uint64_t counter_ptr =
			get_pointer(rec + r->counter_ptr, big, ptr);
		uint64_t counters =
			layout->relative_counters
				? relative(address, counter_ptr, ptr)
				: counter_ptr;

		if (get_pointer(rec + r->values, big, ptr) != 0)
			return error_set(
				err, HVCOV_EXIT_DATA,
				"%s: profile record %llu has value profiling data, which coverage builds do not make",
				image->source, (unsigned long long)i);
		for (unsigned k = 0; k < layout->value_kinds; k++)
			if (bytes_get16(rec + r->value_sites + 2 * k, big))
				return error_set(
					err, HVCOV_EXIT_DATA,
					"%s: profile record %llu has value sites, which coverage builds do not make",
					image->source, (unsigned long long)i);
		if (num_counters == 0 ||
		    !inside(cnts, counters, (uint64_t)num_counters * 8) ||
		    (counters - cnts->start) % 8 != 0)
			return error_set(
				err, HVCOV_EXIT_DATA,
				"%s: profile record %llu: %u counters at 0x%llx are not inside __llvm_prf_cnts",
				image->source, (unsigned long long)i,
				num_counters, (unsigned long long)counters);
		if (num_bitmap) {
			uint64_t bitmap = relative(
				address,
				get_pointer(rec + r->bitmap_ptr, big, ptr),
				ptr);

			if (!inside(bits, bitmap, num_bitmap))
				return error_set(
					err, HVCOV_EXIT_DATA,
					"%s: profile record %llu: %u bitmap bytes at 0x%llx are not inside __llvm_prf_bits",
					image->source, (unsigned long long)i,
					num_bitmap, (unsigned long long)bitmap);
		}
		out->counters += num_counters;
		out->bitmap_bytes += num_bitmap;
	}
	out->functions = n;
	return true;
}

static size_t pad8(uint64_t size)
{
	return (size_t)((8 - size % 8) % 8);
}

bool profraw_build(const struct image *image, const struct header *h,
		   struct profraw *out, struct error *err)
{
	const struct raw_layout *layout = layout_for(h->clang_version);
	const unsigned ptr = h->pointer_size;
	const bool big = h->big_endian;
	const struct record_layout *r;
	struct section data = { 0 }, cnts = { 0 }, bits = { 0 }, names = { 0 };
	uint64_t words[16];
	size_t n_words = 0, size, at;

	memset(out, 0, sizeof(*out));
	if (h->format_version != HVCOV_FORMAT_VERSION_LLVM)
		return error_set(err, HVCOV_EXIT_DATA, "%s: not a clang image",
				 image->source);
	if (!layout)
		return error_set(
			err, HVCOV_EXIT_DATA,
			"%s: built by clang %u.%u.%u, whose raw profile layout this hvcov does not know (it knows clang 13, 14, 15, 16 and 19)",
			image->source, h->clang_version >> 16,
			(h->clang_version >> 8) & 0xff,
			h->clang_version & 0xff);
	if (ptr != 4 && ptr != 8)
		return error_set(err, HVCOV_EXIT_DATA, "%s: pointer size %u",
				 image->source, ptr);
	r = &layout->record[ptr == 8];
	if (!get_section(image, h, 0, "__llvm_prf_data", &data, err) ||
	    !get_section(image, h, 1, "__llvm_prf_cnts", &cnts, err) ||
	    !get_section(image, h, 2, "__llvm_prf_bits", &bits, err) ||
	    !get_section(image, h, 3, "__llvm_prf_names", &names, err))
		return false;
	if (data.size == 0 || names.size == 0)
		return error_set(
			err, HVCOV_EXIT_DATA,
			"%s: no profile records: nothing was built with -fprofile-instr-generate",
			image->source);
	if (data.size % r->size || data.start % 8)
		return error_set(
			err, HVCOV_EXIT_DATA,
			"%s: __llvm_prf_data of %llu bytes at 0x%llx is not an array of %zu-byte records of clang %u",
			image->source, (unsigned long long)data.size,
			(unsigned long long)data.start, r->size,
			layout->clang_major);
	if (cnts.size % 8 || cnts.start % 8)
		return error_set(
			err, HVCOV_EXIT_DATA,
			"%s: __llvm_prf_cnts of %llu bytes at 0x%llx is not an array of 64-bit counters",
			image->source, (unsigned long long)cnts.size,
			(unsigned long long)cnts.start);
	if (bits.size && !layout->has_bitmap)
		return error_set(
			err, HVCOV_EXIT_DATA,
			"%s: __llvm_prf_bits is not empty, but clang %u has no MC/DC bitmaps",
			image->source, layout->clang_major);
	if (!check_records(image, layout, r, ptr, &data, &cnts, &bits, big, out,
			   err) ||
	    !check_names(image, &names, err))
		return false;

	/* The header as compiler-rt writes it: the deltas are the counters'
	 * and bitmaps' distance from the records (before version 8 the
	 * counters' address), the names' address. */
	words[n_words++] = ptr == 8 ? RAW_MAGIC('r') : RAW_MAGIC('R');
	words[n_words++] = layout->raw_version;
	words[n_words++] = 0; /* BinaryIdsSize */
	words[n_words++] = data.size / r->size;
	words[n_words++] = 0; /* padding before counters */
	words[n_words++] = cnts.size / 8;
	words[n_words++] = 0; /* padding after counters */
	if (layout->has_bitmap) {
		words[n_words++] = bits.size;
		words[n_words++] = pad8(bits.size);
	}
	words[n_words++] = names.size;
	/* A pointer-width difference, as the runtime's uintptr_t gives it. */
	words[n_words++] = layout->relative_counters
				   ? relative(cnts.start, -data.start, ptr)
				   : cnts.start;
	if (layout->has_bitmap)
		words[n_words++] = relative(bits.start, -data.start, ptr);
	words[n_words++] = names.start;
	if (layout->has_bitmap) {
		words[n_words++] = 0; /* NumVTables */
		words[n_words++] = 0; /* VNamesSize */
	}
	words[n_words++] = layout->value_kinds - 1; /* ValueKindLast */

	size = n_words * 8 + (size_t)data.size + (size_t)cnts.size +
	       (size_t)bits.size + pad8(bits.size) + (size_t)names.size +
	       pad8(names.size);
	out->bytes = calloc(1, size);
	if (!out->bytes)
		return error_set(err, HVCOV_EXIT_SYSTEM,
				 "out of memory for a %zu-byte profile", size);
	for (size_t i = 0; i < n_words; i++)
		bytes_put64(out->bytes + 8 * i, big, words[i]);
	at = n_words * 8;
	memcpy(out->bytes + at, data.bytes, (size_t)data.size);
	at += (size_t)data.size;
	memcpy(out->bytes + at, cnts.bytes, (size_t)cnts.size);
	for (uint64_t i = 0; i < cnts.size / 8; i++)
		out->counters_hit += bytes_get64(cnts.bytes + 8 * i, big) != 0;
	at += (size_t)cnts.size;
	if (bits.size)
		memcpy(out->bytes + at, bits.bytes, (size_t)bits.size);
	at += (size_t)bits.size + pad8(bits.size);
	memcpy(out->bytes + at, names.bytes, (size_t)names.size);
	out->size = size;
	out->raw_version = layout->raw_version;
	return true;
}

static uint64_t counter_id(uint64_t name_ref, uint64_t func_hash,
			   uint32_t index)
{
	uint64_t h = hash_fnv_int(HASH_FNV_OFFSET, name_ref, 8);

	h = hash_fnv_int(h, func_hash, 8);
	return hash_finish(hash_fnv_int(h, index, 4));
}

bool profraw_counter_ids(const struct image *image, const struct header *h,
			 uint64_t *ids, size_t n, struct error *err)
{
	const struct raw_layout *layout = layout_for(h->clang_version);
	const unsigned ptr = h->pointer_size;
	const bool big = h->big_endian;
	const struct record_layout *r;
	struct section data, cnts;

	if (!layout || (ptr != 4 && ptr != 8))
		return error_set(err, HVCOV_EXIT_DATA,
				 "%s: not a clang image this hvcov reads",
				 image->source);
	r = &layout->record[ptr == 8];
	if (!get_section(image, h, 0, "__llvm_prf_data", &data, err) ||
	    !get_section(image, h, 1, "__llvm_prf_cnts", &cnts, err))
		return false;
	if (n != cnts.size / 8)
		return error_set(
			err, HVCOV_EXIT_DATA,
			"%s: __llvm_prf_cnts holds %llu counters, not %zu",
			image->source, (unsigned long long)(cnts.size / 8), n);
	for (size_t i = 0; i < n; i++)
		ids[i] = counter_id(0, 0, (uint32_t)i);
	for (uint64_t i = 0; i < data.size / r->size; i++) {
		const uint8_t *rec = data.bytes + i * r->size;
		uint64_t address = data.start + i * r->size;
		uint32_t num = bytes_get32(rec + r->num_counters, big);
		uint64_t pointer = get_pointer(rec + r->counter_ptr, big, ptr);
		uint64_t counters = layout->relative_counters
					    ? relative(address, pointer, ptr)
					    : pointer;
		uint64_t first;

		/* profraw_build() checked this; a changed image is not
		 * trusted. */
		if (!inside(&cnts, counters, (uint64_t)num * 8) ||
		    (counters - cnts.start) % 8)
			return error_set(
				err, HVCOV_EXIT_DATA,
				"%s: profile record %llu: its counters are not inside __llvm_prf_cnts",
				image->source, (unsigned long long)i);
		first = (counters - cnts.start) / 8;
		for (uint32_t k = 0; k < num; k++)
			ids[first + k] =
				counter_id(bytes_get64(rec, big),
					   bytes_get64(rec + 8, big), k);
	}
	return true;
}

bool profraw_write(const char *dir, uint64_t boot_id,
		   const struct profraw *profile, char *path, size_t path_size,
		   struct error *err)
{
	char temporary[4096];
	int fd, n;

	n = snprintf(path, path_size, "%s/hvcov-%016llx.profraw", dir,
		     (unsigned long long)boot_id);
	if (n < 0 || (size_t)n >= path_size ||
	    snprintf(temporary, sizeof(temporary), "%s.tmp%ld", path,
		     (long)getpid()) >= (int)sizeof(temporary))
		return error_set(err, HVCOV_EXIT_SYSTEM,
				 "the output directory name is too long");
	fd = open(temporary,
		  O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
	if (fd < 0)
		return error_errno(err, "cannot create %s", temporary);
	if (!fd_write_all(fd, profile->bytes, profile->size) ||
	    fsync(fd) != 0) {
		error_errno(err, "cannot write %s", temporary);
		close(fd);
		unlink(temporary);
		return false;
	}
	if (close(fd) != 0 || rename(temporary, path) != 0) {
		error_errno(err, "cannot write %s", path);
		unlink(temporary);
		return false;
	}
	return true;
}
