/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Finding and checking the header that says where an image's gcov data is:
 * hvcov's own descriptor (hypervisor/include/hvcov/descriptor.h), found by
 * its magic anywhere in what was read, or Jailhouse's "JAILHOUS" header at
 * the start of its core image.  On success the image's address view is set.
 */
#ifndef HVCOV_HEADER_H
#define HVCOV_HEADER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/error.h"
#include "gcov/model.h"
#include "image.h"

/* Jailhouse architectures; each has its own JAILHOUSE_BASE. */
enum header_arch {
	HEADER_ARCH_AUTO, /* infer from the image */
	HEADER_ARCH_X86_64,
	HEADER_ARCH_ARM,
	HEADER_ARCH_ARM64,
};

enum header_format {
	HEADER_FORMAT_AUTO, /* hvcov descriptor if any, else Jailhouse */
	HEADER_FORMAT_HVCOV,
	HEADER_FORMAT_JAILHOUSE,
};

/* What the hypervisor's ELF (--elf) says about its image, so that nothing
 * has to be guessed: the header is the one at the symbol's address, and
 * the architecture is the ELF's. */
struct header_elf {
	const char *source;   /* the ELF's name, quoted, for messages */
	uint16_t machine;     /* e_machine */
	uint8_t pointer_size; /* 4 (ELFCLASS32) or 8 (ELFCLASS64) */
	bool big_endian;      /* EI_DATA */
	/* Address of the symbol hvcov_descriptor, the stub's descriptor. */
	bool has_descriptor;
	uint64_t descriptor_address;
	/* Address of the symbol hypervisor_header, Jailhouse's header: image
	 * byte 0, so it is the link base. */
	bool has_jailhouse_header;
	uint64_t jailhouse_header;
};

/* One piece of a physical placement: the `size` bytes of hypervisor
 * addresses from `address` are at physical address `physical` (a
 * PT_LOAD's p_vaddr, p_paddr and p_memsz, or a --map entry). */
struct header_piece {
	uint64_t address, physical, size;
};

/* Where the hypervisor's pieces lie physically, when that is not simply
 * its virtual layout shifted: --map, the ELF's program headers, or a
 * paging core's segments.  Only pieces overlapping the image matter; if
 * they all share one shift the image is read linearly as without it. */
struct header_placement {
	const char *source; /* for messages: "--map", the ELF, the core */
	const struct header_piece *pieces;
	size_t n;
};

struct header_options {
	enum header_format format;
	/* hvcov: where the descriptor lies in the bytes read; without it the
	 * bytes are scanned for the magic at 8-byte alignment. */
	bool has_descriptor_offset;
	uint64_t descriptor_offset;
	/* Jailhouse: the architecture, or AUTO to infer it. */
	enum header_arch arch;
	/* NULL, or the ELF facts every candidate header must agree with. */
	const struct header_elf *elf;
	/* NULL, or the physical placement to translate through. */
	const struct header_placement *placement;
};

struct header {
	enum model_header kind;
	uint16_t machine;     /* ELF e_machine */
	uint8_t pointer_size; /* 4 or 8 */
	bool big_endian;
	uint32_t gcov_version; /* descriptor's word; 0 for Jailhouse */
	uint64_t link_base;    /* hypervisor address of image byte 0 */
	uint64_t image_size;
	size_t buffer_offset;   /* where image byte 0 lies in what was read */
	uint64_t header_offset; /* where the header lies in what was read */
	uint64_t descriptor_address; /* hvcov: the descriptor's own field */
	uint64_t list_head;          /* first gcov_info, 0 for none */
	/* .gcov_info section bounds (hvcov only; equal when empty). */
	uint64_t section_start, section_end;
	uint64_t boot_id; /* 0 for Jailhouse */
	uint32_t state;   /* HVCOV_STATE_*; DISABLED for Jailhouse */
	/* __gcov_init() calls the list must match; 0: no count (Jailhouse or
	 * section mode). */
	uint32_t registered;
	uint32_t format_version; /* hvcov descriptor; 0 for Jailhouse */
	/* Version 2: where hvcov_init() wrote its check value, which
	 * header_locate() has read back (checks_proven). */
	uint64_t check_bss, check_data, check_rodata;
	bool checks_proven;
	/* Version 3 (HVCOV_FORMAT_VERSION_LLVM), a clang image: the bounds
	 * [start, end) of __llvm_prf_data, _cnts, _bits and _names, in that
	 * order, and the clang version word; no gcov data. */
	uint64_t llvm_bounds[8];
	uint32_t clang_version;
	/* The image is read through a placement (header_options.placement)
	 * that splits it: its pieces lie at different shifts. */
	bool placed;
	size_t placed_pieces;
};

/* "uninitialised", "running", "disabled" (HVCOV_STATE_*), or "unknown". */
const char *header_state_name(uint32_t state);

/* One line saying whether and how the image's placement was proven (for
 * info and verify): the check words read back, or why there are none. */
void header_placement_text(const struct header *header, char *buf, size_t size);

/* "x86_64", "arm", "arm64" → arch; false for any other name. */
bool header_arch_parse(const char *name, enum header_arch *arch);

/* Locate and validate the header in image->buffer and set the image view.
 * Exactly one valid header must be found: several hvcov descriptors, or a
 * Jailhouse image whose architecture cannot be told, are data errors that
 * name the way out (--offset, --arch).  A version 2 descriptor's check
 * words must read back through the view, or the image is refused: it is not
 * laid out as the hypervisor wrote it. */
bool header_locate(struct image *image, const struct header_options *options,
		   struct header *header, struct error *err);

#endif
