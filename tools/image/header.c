/* SPDX-License-Identifier: BSD-2-Clause */
#include "header.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arch.h"
#include "base/bytes.h"
#include "gcov/gcc-layout.h"
#include "hvcov/descriptor.h"

/* A descriptor field's bytes in the raw buffer d: the offsets are those
 * descriptor.h pins with _Static_assert, never written out here. */
#define D_AT(d, field) ((d) + offsetof(struct hvcov_descriptor, field))

/* Candidates listed in an "several descriptors" message. */
#define LISTED_CANDIDATES 8

#define JAILHOUSE_SIGNATURE "JAILHOUS"
#define JAILHOUSE_SIGNATURE_SIZE 8
#define JAILHOUSE_CORE_SIZE 8

struct jailhouse_arch {
	enum header_arch arch;
	uint16_t machine; /* the architecture table's key (arch.h) */
	uint64_t base;    /* JAILHOUSE_BASE */
};

static const struct jailhouse_arch jailhouse_arches[] = {
	{ HEADER_ARCH_X86_64, HVCOV_MACHINE_X86_64, 0xfffffffff0000000ULL },
	{ HEADER_ARCH_ARM, HVCOV_MACHINE_ARM, 0xf0000000ULL },
	{ HEADER_ARCH_ARM64, HVCOV_MACHINE_AARCH64, 0xffffc0200000ULL },
};

/* Byte offset of gcov_info_head in a Jailhouse header: after signature[8]
 * and four pointer-sized fields (core_size, percpu_size, entry,
 * console_page). */
static unsigned jailhouse_head_offset(const struct jailhouse_arch *arch)
{
	return JAILHOUSE_SIGNATURE_SIZE + 4u * arch_pointer_size(arch->machine);
}

#define N_JAILHOUSE_ARCHES                                                     \
	(sizeof(jailhouse_arches) / sizeof(jailhouse_arches[0]))

bool header_arch_parse(const char *name, enum header_arch *arch)
{
	const struct arch *named = arch_by_name(name);

	for (size_t i = 0; named && i < N_JAILHOUSE_ARCHES; i++)
		if (jailhouse_arches[i].machine == named->machine) {
			*arch = jailhouse_arches[i].arch;
			return true;
		}
	return false;
}

/* Bytes of the raw buffer by offset, before any address view exists. */
static const uint8_t *buffer_at(const struct image *image, uint64_t offset,
				uint64_t length)
{
	if (offset > image->buffer_size || length > image->buffer_size - offset)
		return NULL;
	return image->buffer + offset;
}

static bool has_jailhouse_signature(const struct image *image)
{
	return buffer_at(image, 0, JAILHOUSE_SIGNATURE_SIZE) &&
	       memcmp(image->buffer, JAILHOUSE_SIGNATURE,
		      JAILHOUSE_SIGNATURE_SIZE) == 0;
}

static bool require_jailhouse_signature(const struct image *image,
					struct error *err)
{
	if (has_jailhouse_signature(image))
		return true;
	return error_set(err, HVCOV_EXIT_DATA,
			 "%s: no Jailhouse header (\"%s\") at its start",
			 image->source, JAILHOUSE_SIGNATURE);
}

/* Do the placement's pieces that overlap the image lie at different
 * shifts from their link addresses?  Then the image is not one range of
 * what was read, and is read piece by piece. */
static bool placement_splits(const struct header_placement *placement,
			     uint64_t base, uint64_t size)
{
	uint64_t shift = 0;
	bool seen = false;

	if (!placement)
		return false;
	for (size_t i = 0; i < placement->n; i++) {
		const struct header_piece *p = &placement->pieces[i];

		if (p->size == 0 || p->address - base >= size ||
		    (p->address < base && base - p->address >= p->size))
			continue;
		if (seen && p->physical - p->address != shift)
			return true;
		seen = true;
		shift = p->physical - p->address;
	}
	return false;
}

/*
 * Check the descriptor at buffer offset `at`; on success fill `h`, on
 * failure write the reason (without the offset) into `why`.
 */
static bool check_descriptor(const struct image *image, uint64_t at,
			     const struct header_placement *placement,
			     struct header *h, char *why, size_t why_size)
{
	const uint8_t *d = buffer_at(image, at, HVCOV_DESCRIPTOR_SIZE);
	uint64_t address_limit, descriptor_address, relative, start;
	uint32_t format_version, descriptor_size;
	bool big;

	if (!d) {
		snprintf(why, why_size, "it is cut off by the end of the data");
		return false;
	}
	if (memcmp(d, HVCOV_MAGIC, HVCOV_MAGIC_SIZE) != 0) {
		snprintf(why, why_size, "no \"%s\" magic there", HVCOV_MAGIC);
		return false;
	}
	if (*D_AT(d, byte_order) != HVCOV_LITTLE_ENDIAN &&
	    *D_AT(d, byte_order) != HVCOV_BIG_ENDIAN) {
		snprintf(
			why, why_size,
			"byte_order %u is neither 1 (little) nor 2 (big endian)",
			*D_AT(d, byte_order));
		return false;
	}
	big = *D_AT(d, byte_order) == HVCOV_BIG_ENDIAN;
	format_version = bytes_get32(D_AT(d, format_version), big);
	if (format_version < 1 || format_version > HVCOV_FORMAT_VERSION_LLVM) {
		snprintf(why, why_size,
			 "format_version %u; this hvcov reads versions 1 to %u",
			 format_version, HVCOV_FORMAT_VERSION_LLVM);
		return false;
	}
	descriptor_size = bytes_get32(D_AT(d, descriptor_size), big);
	if (descriptor_size < HVCOV_DESCRIPTOR_SIZE ||
	    (format_version == HVCOV_FORMAT_VERSION_LLVM &&
	     descriptor_size < HVCOV_DESCRIPTOR_LLVM_SIZE)) {
		snprintf(why, why_size, "descriptor_size %u is below %u",
			 descriptor_size,
			 format_version == HVCOV_FORMAT_VERSION_LLVM
				 ? HVCOV_DESCRIPTOR_LLVM_SIZE
				 : HVCOV_DESCRIPTOR_SIZE);
		return false;
	}
	if (format_version == HVCOV_FORMAT_VERSION_LLVM &&
	    !(d = buffer_at(image, at, HVCOV_DESCRIPTOR_LLVM_SIZE))) {
		snprintf(why, why_size, "it is cut off by the end of the data");
		return false;
	}
	memset(h, 0, sizeof(*h));
	h->kind = MODEL_HEADER_HVCOV;
	h->machine = bytes_get16(D_AT(d, machine), big);
	h->pointer_size = *D_AT(d, pointer_size);
	h->big_endian = big;
	if (arch_pointer_size(h->machine) == 0 ||
	    arch_pointer_size(h->machine) != h->pointer_size ||
	    (h->machine == HVCOV_MACHINE_X86_64 && big)) {
		snprintf(
			why, why_size,
			"machine %u with %u-byte pointers and %s-endian data is not x86_64, arm or arm64",
			h->machine, h->pointer_size, big ? "big" : "little");
		return false;
	}
	h->gcov_version = bytes_get32(D_AT(d, gcov_version), big);
	h->header_offset = at;
	h->link_base = bytes_get64(D_AT(d, link_base), big);
	h->image_size = bytes_get64(D_AT(d, image_size), big);
	h->list_head = bytes_get64(D_AT(d, gcov_info_head), big);
	h->section_start = bytes_get64(D_AT(d, info_section_start), big);
	h->section_end = bytes_get64(D_AT(d, info_section_end), big);
	h->boot_id = bytes_get64(D_AT(d, boot_id), big);
	h->state = bytes_get32(D_AT(d, state), big);
	h->registered = bytes_get32(D_AT(d, registered), big);
	h->format_version = format_version;
	if (format_version >= 2) {
		h->check_bss = bytes_get64(D_AT(d, check_bss), big);
		h->check_data = bytes_get64(D_AT(d, check_data), big);
		h->check_rodata = bytes_get64(D_AT(d, check_rodata), big);
	}
	if (format_version == HVCOV_FORMAT_VERSION_LLVM) {
		for (size_t i = 0; i < 8; i++)
			h->llvm_bounds[i] = bytes_get64(
				d +
					offsetof(struct hvcov_descriptor_llvm,
						 prf_data) +
					8 * i,
				big);
		h->clang_version =
			bytes_get32(d + offsetof(struct hvcov_descriptor_llvm,
						 clang_version),
				    big);
		/* A clang image holds no gcov data: anything there is damage. */
		if (h->gcov_version || h->list_head || h->section_start ||
		    h->section_end || h->registered) {
			snprintf(
				why, why_size,
				"a clang image (format_version 3) with gcov fields set");
			return false;
		}
	}
	if (h->state == HVCOV_STATE_UNINITIALISED) {
		snprintf(why, why_size,
			 "state 0: hvcov_init() has not run in this image");
		return false;
	}
	if (h->state > HVCOV_STATE_DISABLED) {
		snprintf(why, why_size, "state %u is unknown", h->state);
		return false;
	}
	address_limit = h->pointer_size == 4 ? (uint64_t)1 << 32 : 0;
	if (h->image_size == 0 ||
	    h->image_size - 1 > UINT64_MAX - h->link_base ||
	    (address_limit && (h->link_base >= address_limit ||
			       h->image_size > address_limit - h->link_base))) {
		snprintf(
			why, why_size,
			"image of %llu bytes at 0x%llx is empty or wraps around the address space",
			(unsigned long long)h->image_size,
			(unsigned long long)h->link_base);
		return false;
	}
	descriptor_address = bytes_get64(D_AT(d, descriptor_address), big);
	h->descriptor_address = descriptor_address;
	relative = descriptor_address - h->link_base;
	if (descriptor_address < h->link_base || relative > h->image_size ||
	    (format_version == HVCOV_FORMAT_VERSION_LLVM
		     ? HVCOV_DESCRIPTOR_LLVM_SIZE
		     : HVCOV_DESCRIPTOR_SIZE) > h->image_size - relative) {
		snprintf(
			why, why_size,
			"descriptor_address 0x%llx is not inside the image 0x%llx + %llu",
			(unsigned long long)descriptor_address,
			(unsigned long long)h->link_base,
			(unsigned long long)h->image_size);
		return false;
	}
	if (placement_splits(placement, h->link_base, h->image_size)) {
		/* The pieces' places are checked when the view is set. */
		h->placed = true;
		return true;
	}
	if (relative > at) {
		snprintf(
			why, why_size,
			"the image would start %llu bytes before the data read",
			(unsigned long long)(relative - at));
		return false;
	}
	start = at - relative;
	if (h->image_size > image->buffer_size - start) {
		snprintf(
			why, why_size,
			"the image is %llu bytes from offset %llu, but only %llu bytes are there: the image is truncated",
			(unsigned long long)h->image_size,
			(unsigned long long)start,
			(unsigned long long)(image->buffer_size - start));
		return false;
	}
	h->buffer_offset = (size_t)start;
	return true;
}

/* With an ELF, the descriptor is the one at hvcov_descriptor's address:
 * a valid-looking copy elsewhere (a stale image in a RAM dump) is not it. */
static bool check_candidate(const struct image *image, uint64_t at,
			    const struct header_options *options,
			    struct header *h, char *why, size_t why_size)
{
	const struct header_elf *elf = options->elf;

	if (!check_descriptor(image, at, options->placement, h, why, why_size))
		return false;
	if (elf && h->descriptor_address != elf->descriptor_address) {
		snprintf(
			why, why_size,
			"descriptor_address 0x%llx is not the address 0x%llx of hvcov_descriptor in %s",
			(unsigned long long)h->descriptor_address,
			(unsigned long long)elf->descriptor_address,
			elf->source);
		return false;
	}
	return true;
}

static bool locate_hvcov_at(struct image *image, uint64_t at,
			    const struct header_options *options,
			    struct header *h, struct error *err)
{
	char why[256];

	if (!check_candidate(image, at, options, h, why, sizeof(why)))
		return error_set(err, HVCOV_EXIT_DATA,
				 "%s: hvcov descriptor at offset %llu: %s",
				 image->source, (unsigned long long)at, why);
	return true;
}

/*
 * Scan at 8-byte alignment (the descriptor holds 64-bit fields, so every
 * compiler places it so).  Returns the number of valid descriptors and
 * stores the first; `first_bad` gets the first invalid one's reason.
 */
static size_t scan_hvcov(const struct image *image,
			 const struct header_options *options,
			 struct header *found, struct header *listed,
			 size_t max_listed, char *first_bad,
			 size_t first_bad_size)
{
	size_t valid = 0;

	first_bad[0] = '\0';
	for (uint64_t at = 0; at + HVCOV_MAGIC_SIZE <= image->buffer_size;
	     at += 8) {
		struct header h;
		char why[256];

		if (image->buffer[at] != HVCOV_MAGIC[0] ||
		    memcmp(image->buffer + at, HVCOV_MAGIC, HVCOV_MAGIC_SIZE))
			continue;
		if (check_candidate(image, at, options, &h, why, sizeof(why))) {
			if (valid == 0)
				*found = h;
			if (valid < max_listed)
				listed[valid] = h;
			valid++;
		} else if (!first_bad[0]) {
			snprintf(first_bad, first_bad_size, "offset %llu: %s",
				 (unsigned long long)at, why);
		}
	}
	return valid;
}

/* The way out is a window holding one image: name where each starts and
 * how long it is, in the terms of --offset and --size. */
static bool several_descriptors(const struct image *image, size_t count,
				const struct header *listed, struct error *err)
{
	char list[200] = "";
	size_t used = 0;

	for (size_t i = 0; i < count && i < LISTED_CANDIDATES; i++) {
		int n = snprintf(list + used, sizeof(list) - used,
				 "%s%zu (%llu bytes)", i ? ", " : "",
				 listed[i].buffer_offset,
				 (unsigned long long)listed[i].image_size);

		if (n < 0 || (size_t)n >= sizeof(list) - used)
			break;
		used += (size_t)n;
	}
	return error_set(
		err, HVCOV_EXIT_DATA,
		"%s: %zu valid hvcov descriptors, for images at bytes %s%s of the data read: give --offset and --size to read one of them",
		image->source, count, list,
		count > LISTED_CANDIDATES ? ", ..." : "");
}

/*
 * Does the Jailhouse header make sense for this architecture?  A wrong
 * pointer size reads core_size from neighbouring fields (too large for the
 * data), and a wrong base does not put gcov_info_head onto a gcov_info.
 */
static bool check_jailhouse(const struct image *image,
			    const struct jailhouse_arch *arch, struct header *h,
			    char *why, size_t why_size)
{
	const uint8_t *d = buffer_at(image, 0,
				     jailhouse_head_offset(arch) +
					     arch_pointer_size(arch->machine));
	uint64_t core_size, head;
	struct image trial;
	uint32_t version;

	if (!d) {
		snprintf(why, why_size, "the header is cut off");
		return false;
	}
	if (arch_pointer_size(arch->machine) == 8) {
		core_size = bytes_get64(d + JAILHOUSE_CORE_SIZE, false);
		head = bytes_get64(d + jailhouse_head_offset(arch), false);
	} else {
		core_size = bytes_get32(d + JAILHOUSE_CORE_SIZE, false);
		head = bytes_get32(d + jailhouse_head_offset(arch), false);
	}
	if (core_size < (uint64_t)jailhouse_head_offset(arch) +
				arch_pointer_size(arch->machine)) {
		snprintf(why, why_size, "core_size %llu is too small",
			 (unsigned long long)core_size);
		return false;
	}
	if (core_size > image->buffer_size) {
		snprintf(
			why, why_size,
			"core_size %llu, but only %zu bytes were read: the image is truncated",
			(unsigned long long)core_size, image->buffer_size);
		return false;
	}
	trial = *image;
	if (!image_set_view(&trial, 0, core_size, arch->base, false,
			    arch_pointer_size(arch->machine),
			    &(struct error){ 0 })) {
		snprintf(why, why_size, "core_size %llu does not fit at 0x%llx",
			 (unsigned long long)core_size,
			 (unsigned long long)arch->base);
		return false;
	}
	/* A release newer than the layout table still identifies the
	 * architecture; the reader then refuses it by name. */
	if (head != 0 && (head % arch_pointer_size(arch->machine) != 0 ||
			  !image_u32(&trial, head, &version) ||
			  (!gcc_layout_for_version(version) &&
			   !gcc_version_is_newer(version)))) {
		snprintf(
			why, why_size,
			"gcov_info_head 0x%llx does not point at a gcov_info of a known GCC inside the image",
			(unsigned long long)head);
		return false;
	}
	memset(h, 0, sizeof(*h));
	h->kind = MODEL_HEADER_JAILHOUSE;
	h->machine = arch->machine;
	h->pointer_size = arch_pointer_size(arch->machine);
	h->big_endian = false;
	h->link_base = arch->base;
	h->image_size = core_size;
	h->list_head = head;
	h->state = HVCOV_STATE_DISABLED;
	return true;
}

static bool locate_jailhouse(struct image *image, enum header_arch wanted,
			     struct header *h, struct error *err)
{
	char why[N_JAILHOUSE_ARCHES][160], fits[64] = "";
	size_t n_fit = 0;
	struct header candidate;

	if (!require_jailhouse_signature(image, err))
		return false;
	for (size_t i = 0; i < N_JAILHOUSE_ARCHES; i++) {
		const struct jailhouse_arch *arch = &jailhouse_arches[i];

		if (wanted != HEADER_ARCH_AUTO && wanted != arch->arch)
			continue;
		if (!check_jailhouse(image, arch, &candidate, why[i],
				     sizeof(why[i]))) {
			if (wanted != HEADER_ARCH_AUTO)
				return error_set(
					err, HVCOV_EXIT_DATA,
					"%s: Jailhouse header for %s: %s",
					image->source, arch_name(arch->machine),
					why[i]);
			continue;
		}
		snprintf(fits + strlen(fits), sizeof(fits) - strlen(fits),
			 "%s%s", n_fit ? ", " : "", arch_name(arch->machine));
		if (n_fit++ == 0)
			*h = candidate;
	}
	if (n_fit > 1)
		return error_set(
			err, HVCOV_EXIT_DATA,
			"%s: the Jailhouse header fits %s: give --arch",
			image->source, fits);
	if (n_fit == 0)
		return error_set(
			err, HVCOV_EXIT_DATA,
			"%s: the Jailhouse header fits no architecture (x86_64: %s; arm: %s; arm64: %s)",
			image->source, why[0], why[1], why[2]);
	return true;
}

/* The piece of the placement holding [address, address + size). */
static const struct header_piece *
piece_holding(const struct header_placement *placement, uint64_t address,
	      uint64_t size)
{
	for (size_t i = 0; i < placement->n; i++) {
		const struct header_piece *p = &placement->pieces[i];

		if (address >= p->address && address - p->address <= p->size &&
		    size <= p->size - (address - p->address))
			return p;
	}
	return NULL;
}

/*
 * The image through a placement that splits it.  Only the descriptor was
 * found in what was read, so everything is placed relative to it: the
 * bytes at physical address P lie at buffer offset header_offset + (P -
 * the descriptor's physical address), what was read being one physical
 * range (a RAM file, a /dev/mem window, a core's region).
 */
static bool set_placed_view(struct image *image, struct header *h,
			    const struct header_placement *placement,
			    struct error *err)
{
	const struct header_piece *own = piece_holding(
		placement, h->descriptor_address, HVCOV_DESCRIPTOR_SIZE);
	uint64_t end = h->link_base + (h->image_size - 1), anchor;
	struct image_segment *list;
	size_t n = 0;
	bool ok;

	if (!own)
		return error_set(
			err, HVCOV_EXIT_DATA,
			"%s: the placement from %s does not hold the descriptor at 0x%llx",
			image->source, placement->source,
			(unsigned long long)h->descriptor_address);
	anchor = own->physical + (h->descriptor_address - own->address);
	list = calloc(placement->n, sizeof(*list));
	if (!list)
		return error_errno(err, "out of memory");
	for (size_t i = 0; i < placement->n; i++) {
		const struct header_piece *p = &placement->pieces[i];
		uint64_t first = p->address, last, physical = p->physical, at;

		if (p->size == 0 || p->address + (p->size - 1) < p->address)
			continue;
		last = p->address + (p->size - 1);
		if (last < h->link_base || first > end)
			continue;
		if (first < h->link_base) {
			physical += h->link_base - first;
			first = h->link_base;
		}
		if (last > end)
			last = end;
		/* Buffer offset: header_offset + physical - anchor, which
		 * must neither wrap nor leave what was read. */
		at = h->header_offset + (physical - anchor);
		if ((physical < anchor &&
		     anchor - physical > h->header_offset) ||
		    at > image->buffer_size ||
		    last - first >= image->buffer_size - at) {
			free(list);
			return error_set(
				err, HVCOV_EXIT_DATA,
				"%s: the window cuts the image: its piece 0x%llx + %llu, physical 0x%llx (from %s), is not in the data read",
				image->source, (unsigned long long)first,
				(unsigned long long)(last - first + 1),
				(unsigned long long)physical,
				placement->source);
		}
		list[n++] = (struct image_segment){ first, last - first + 1,
						    (size_t)at };
	}
	ok = image_set_placed_view(image, h->link_base, h->image_size,
				   h->big_endian, h->pointer_size, list, n,
				   err);
	free(list);
	h->placed_pieces = n;
	return ok;
}

/* The way out of a failed check, named once for every message. */
#define LAYOUT_WAY_OUT                                                         \
	"give the layout with --elf, a paging core (dump-guest-memory -p) or " \
	"--map"

/*
 * Version 2: read back the value hvcov_init() stored in .bss and .data.
 * A wrong value means the bytes at those addresses are not the ones the
 * hypervisor wrote: the sections lie elsewhere physically than the view
 * puts them, or part of the image is from another boot.
 */
static bool check_placement(const struct image *image, struct header *h,
			    struct error *err)
{
	uint64_t want = HVCOV_CHECK_VALUE(h->boot_id);
	const struct {
		const char *section;
		uint64_t address, value;
	} checks[] = { { ".rodata", h->check_rodata, HVCOV_CHECK_RODATA },
		       { ".data", h->check_data, want },
		       { ".bss", h->check_bss, want } };

	if (h->kind != MODEL_HEADER_HVCOV || h->format_version < 2)
		return true;
	if (want == 0)
		return error_set(
			err, HVCOV_EXIT_DATA,
			"%s: boot_id 0x%llx makes the check value 0, which cannot be told from unwritten memory: pass hvcov_init() another boot id",
			image->source, (unsigned long long)h->boot_id);
	for (size_t i = 0; i < sizeof(checks) / sizeof(checks[0]); i++) {
		uint64_t have;

		if (!image_u64(image, checks[i].address, &have))
			return error_set(
				err, HVCOV_EXIT_DATA,
				"%s: the %s check word at 0x%llx is not in the image read (0x%llx + %llu): the window cuts the image or the placement leaves it out",
				image->source, checks[i].section,
				(unsigned long long)checks[i].address,
				(unsigned long long)h->link_base,
				(unsigned long long)h->image_size);
		if (have != checks[i].value)
			return error_set(
				err, HVCOV_EXIT_DATA,
				"%s: the %s check word at 0x%llx reads 0x%llx, not the 0x%llx the stub put there: %s%s%s; %s",
				image->source, checks[i].section,
				(unsigned long long)checks[i].address,
				(unsigned long long)have,
				(unsigned long long)checks[i].value,
				h->placed
					? "the placement given does not match the memory read"
					: "the memory read is not laid out as linked (the physical placement differs from the virtual layout)",
				i > 0 ? ", or is not all from this boot" : "",
				/* .bss alone zero: the hypervisor
					  * may clear it after init. */
				i == 2 && have == 0
					? ", or .bss was cleared after hvcov_init() ran"
					: "",
				LAYOUT_WAY_OUT);
	}
	h->checks_proven = true;
	return true;
}

static bool set_view(struct image *image, struct header *h,
		     const struct header_options *options, struct error *err)
{
	if (h->placed) {
		if (!set_placed_view(image, h, options->placement, err))
			return false;
	} else if (!image_set_view(image, h->buffer_offset, h->image_size,
				   h->link_base, h->big_endian, h->pointer_size,
				   err)) {
		return false;
	}
	return check_placement(image, h, err);
}

/* With an ELF there is no guessing: its machine names the architecture and
 * hypervisor_header's address is the link base. */
static bool locate_jailhouse_elf(struct image *image,
				 const struct header_options *options,
				 struct header *h, struct error *err)
{
	const struct header_elf *elf = options->elf;
	struct jailhouse_arch arch = { 0 };
	bool found = false;
	char why[160];

	for (size_t i = 0; i < N_JAILHOUSE_ARCHES; i++)
		if (jailhouse_arches[i].machine == elf->machine &&
		    arch_pointer_size(elf->machine) == elf->pointer_size) {
			arch = jailhouse_arches[i];
			found = true;
		}
	if (!found || elf->big_endian)
		return error_set(
			err, HVCOV_EXIT_DATA,
			"%s: machine %u (%u-bit %s-endian) is not a Jailhouse architecture",
			elf->source, elf->machine, elf->pointer_size * 8u,
			elf->big_endian ? "big" : "little");
	if (options->arch != HEADER_ARCH_AUTO && options->arch != arch.arch)
		return error_set(err, HVCOV_EXIT_SYSTEM,
				 "--arch contradicts %s, which is for %s",
				 elf->source, arch_name(arch.machine));
	if (!require_jailhouse_signature(image, err))
		return false;
	arch.base = elf->jailhouse_header;
	if (!check_jailhouse(image, &arch, h, why, sizeof(why)))
		return error_set(
			err, HVCOV_EXIT_DATA,
			"%s: Jailhouse header linked at 0x%llx (%s): %s",
			image->source, (unsigned long long)arch.base,
			elf->source, why);
	return true;
}

/* The descriptor names its own architecture; it must be the ELF's. */
static bool agrees_with_elf(const struct image *image, const struct header *h,
			    const struct header_elf *elf, struct error *err)
{
	if (h->machine == elf->machine &&
	    h->pointer_size == elf->pointer_size &&
	    h->big_endian == elf->big_endian)
		return true;
	return error_set(
		err, HVCOV_EXIT_DATA,
		"%s: the descriptor is for machine %u, %u-bit %s-endian, but %s is for machine %u, %u-bit %s-endian",
		image->source, h->machine, h->pointer_size * 8u,
		h->big_endian ? "big" : "little", elf->source, elf->machine,
		elf->pointer_size * 8u, elf->big_endian ? "big" : "little");
}

/* The descriptor at the given offset, or the one valid descriptor the scan
 * finds; failing that, with format AUTO and no ELF, a Jailhouse header. */
static bool locate_hvcov(struct image *image,
			 const struct header_options *options, struct header *h,
			 struct error *err)
{
	struct header listed[LISTED_CANDIDATES];
	bool auto_format =
		options->format == HEADER_FORMAT_AUTO && !options->elf;
	char first_bad[320];
	size_t valid;

	if (options->has_descriptor_offset)
		return locate_hvcov_at(image, options->descriptor_offset,
				       options, h, err);
	valid = scan_hvcov(image, options, h, listed, LISTED_CANDIDATES,
			   first_bad, sizeof(first_bad));
	if (valid > 1)
		return several_descriptors(image, valid, listed, err);
	if (valid == 1)
		return true;
	if (auto_format && has_jailhouse_signature(image))
		return locate_jailhouse(image, options->arch, h, err);
	if (options->elf)
		return error_set(
			err, HVCOV_EXIT_DATA,
			"%s: no valid descriptor at 0x%llx, where %s has hvcov_descriptor: is the image from this build? (%s)",
			image->source,
			(unsigned long long)options->elf->descriptor_address,
			options->elf->source,
			first_bad[0] ? first_bad : "no candidate");
	if (first_bad[0])
		return error_set(err, HVCOV_EXIT_DATA,
				 "%s: no valid hvcov descriptor; the one at %s",
				 image->source, first_bad);
	if (auto_format)
		return error_set(
			err, HVCOV_EXIT_DATA,
			"%s: no hvcov descriptor (\"%s\") and no Jailhouse header (\"%s\") found",
			image->source, HVCOV_MAGIC, JAILHOUSE_SIGNATURE);
	return error_set(err, HVCOV_EXIT_DATA,
			 "%s: no hvcov descriptor (\"%s\") found",
			 image->source, HVCOV_MAGIC);
}

static bool locate_with_elf(struct image *image,
			    const struct header_options *options,
			    struct header *h, struct error *err)
{
	const struct header_elf *elf = options->elf;
	bool hvcov =
		options->format == HEADER_FORMAT_HVCOV ||
		(options->format == HEADER_FORMAT_AUTO && elf->has_descriptor);

	if (hvcov && !elf->has_descriptor)
		return error_set(
			err, HVCOV_EXIT_DATA,
			"%s has no symbol hvcov_descriptor: is it linked with the hvcov stub?",
			elf->source);
	if (hvcov)
		return locate_hvcov(image, options, h, err) &&
		       agrees_with_elf(image, h, elf, err);
	if (!elf->has_jailhouse_header)
		return error_set(
			err, HVCOV_EXIT_DATA,
			"%s has neither hvcov_descriptor nor hypervisor_header (Jailhouse) among its symbols",
			elf->source);
	return locate_jailhouse_elf(image, options, h, err);
}

bool header_locate(struct image *image, const struct header_options *options,
		   struct header *h, struct error *err)
{
	bool found;

	if (options->elf)
		found = locate_with_elf(image, options, h, err);
	else if (options->format == HEADER_FORMAT_JAILHOUSE)
		found = locate_jailhouse(image, options->arch, h, err);
	else
		found = locate_hvcov(image, options, h, err);
	return found && set_view(image, h, options, err);
}

void header_placement_text(const struct header *h, char *buf, size_t size)
{
	if (h->kind != MODEL_HEADER_HVCOV)
		snprintf(buf, size,
			 "not proven: a Jailhouse header has no check words");
	else if (h->format_version < 2)
		snprintf(
			buf, size,
			"not proven: descriptor format version %u has no check words (rebuild with this hvcov's stub)",
			h->format_version);
	else if (h->placed)
		snprintf(
			buf, size,
			"proven: the .bss, .data and .rodata check words read back through %zu placed piece%s",
			h->placed_pieces, h->placed_pieces == 1 ? "" : "s");
	else
		snprintf(
			buf, size,
			"proven: the .bss, .data and .rodata check words read back");
}

const char *header_state_name(uint32_t state)
{
	switch (state) {
	case HVCOV_STATE_UNINITIALISED:
		return "uninitialised";
	case HVCOV_STATE_RUNNING:
		return "running";
	case HVCOV_STATE_DISABLED:
		return "disabled";
	default:
		return "unknown";
	}
}
