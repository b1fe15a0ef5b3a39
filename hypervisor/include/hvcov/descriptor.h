/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The hvcov image descriptor: the one structure a hypervisor and the hvcov
 * tool share.  It lives in the hypervisor's writable data, inside the memory
 * image that Linux (or a dump) later exposes.  The tool finds it by its magic,
 * reads it in the byte order it declares and uses it to translate every
 * hypervisor address inside the image.
 *
 * The layout is fixed (explicit widths, natural alignment, no pointers) so
 * that it is byte-for-byte the same on every architecture apart from byte
 * order; the static assertions below pin every offset.  docs/image-format.md
 * is the normative specification.
 */
#ifndef HVCOV_DESCRIPTOR_H
#define HVCOV_DESCRIPTOR_H

#include <stdint.h>

/* The eight magic bytes, not NUL-terminated, independent of byte order. */
#define HVCOV_MAGIC "HVCOVIMG"
#define HVCOV_MAGIC_SIZE 8

/* Incremented on any incompatible change.  Version 2 added the placement
 * checks (check_bss, check_data); readers still accept version 1, which
 * cannot prove where its writable sections are. */
#define HVCOV_FORMAT_VERSION 2

/* Values of hvcov_descriptor.byte_order: the ELF EI_DATA values. */
#define HVCOV_LITTLE_ENDIAN 1
#define HVCOV_BIG_ENDIAN 2

/* Values of hvcov_descriptor.state. */
#define HVCOV_STATE_UNINITIALISED 0 /* static value: hvcov_init() not yet run */
#define HVCOV_STATE_RUNNING 1       /* counters are live and may change */
#define HVCOV_STATE_DISABLED 2      /* hypervisor stopped: counters are final */

/* ELF e_machine values (the ELF gABI's EM_X86_64, EM_ARM, EM_AARCH64) of
 * the architectures hvcov serves.  The only place these numbers are
 * written: the stub and hvcov's architecture table (tools/image/arch.c)
 * both take them from here. */
#define HVCOV_MACHINE_X86_64 62
#define HVCOV_MACHINE_ARM 40
#define HVCOV_MACHINE_AARCH64 183

/* The value hvcov_init() stores at each check address: the complement of
 * boot_id, so that it is never the zero of unwritten memory (unless a
 * hypervisor passes an all-ones boot_id) and differs between boots. */
#define HVCOV_CHECK_VALUE(boot_id) (~(uint64_t)(boot_id))

/* The constant the stub keeps in .rodata at check_rodata. */
#define HVCOV_CHECK_RODATA 0x4f52564f43564801ULL

/*
 * A 64-bit address field that a static initialiser can fill with a pointer
 * on a 32-bit target too (GCC cannot widen an address at link time): the
 * pointer overlays the low half, the other half stays zero.
 */
typedef union {
	uint64_t value;
	struct {
#if __SIZEOF_POINTER__ == 4 && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
		uint32_t high;
#endif
		uintptr_t low;
	} pointer;
} hvcov_address;

struct hvcov_descriptor {
	/* HVCOV_MAGIC.  Static initialiser (build time). */
	char magic[HVCOV_MAGIC_SIZE];
	/* HVCOV_FORMAT_VERSION.  Static initialiser (build time). */
	uint32_t format_version;
	/* sizeof(struct hvcov_descriptor); readers accept larger values from
	 * newer writers and ignore the tail.  Static initialiser. */
	uint32_t descriptor_size;
	/* ELF e_machine of the hypervisor: one of HVCOV_MACHINE_*.  Static
	 * initialiser from the compiler's target macros. */
	uint16_t machine;
	/* Bytes in a hypervisor pointer (4 or 8).  Static initialiser. */
	uint8_t pointer_size;
	/* HVCOV_LITTLE_ENDIAN or HVCOV_BIG_ENDIAN; every multi-byte field of
	 * this descriptor and of the gcov data is stored in this order.
	 * Static initialiser. */
	uint8_t byte_order;
	/* gcov version word of the compiler that built the hypervisor (e.g.
	 * 0x4232322a, "B22*", for GCC 12.2).  Static initialiser from the
	 * compiler's version macros; __gcov_init() overwrites it with the word
	 * the compiler actually put into each gcov_info. */
	uint32_t gcov_version;
	/* Hypervisor address of this descriptor.  Filled by hvcov_init().
	 * Lets a reader locate the image inside a larger dump. */
	uint64_t descriptor_address;
	/* Hypervisor address of the first byte of the image (the address that
	 * image offset 0 has).  Filled by hvcov_init() from its argument. */
	uint64_t link_base;
	/* Bytes in the image, starting at link_base.  Filled by hvcov_init(). */
	uint64_t image_size;
	/* Hypervisor address of the first struct gcov_info, 0 for an empty
	 * list.  Constructor mode: __gcov_init() pushes each unit, so the list
	 * is in reverse constructor order and ends with a 0 next pointer. */
	uint64_t gcov_info_head;
	/* Hypervisor addresses bounding the .gcov_info section: an array of
	 * pointers to struct gcov_info (-fprofile-info-section mode).  Equal
	 * when the section is empty.  Static initialisers (link time); a
	 * version 1 stub filled them in hvcov_init(). */
	hvcov_address info_section_start;
	hvcov_address info_section_end;
	/* Identity of this boot, chosen by the hypervisor (a cycle counter
	 * read at init by default) so that two runs can be told apart.
	 * Filled by hvcov_init(). */
	uint64_t boot_id;
	/* HVCOV_STATE_*.  hvcov_init() sets RUNNING, hvcov_disable() sets
	 * DISABLED with release ordering after the counters' last update. */
	uint32_t state;
	/* Number of __gcov_init() calls: the constructor-mode list length a
	 * reader must find.  Incremented by __gcov_init(). */
	uint32_t registered;
	/* Version 2.  Hypervisor addresses of two 64-bit check words, one in
	 * .bss (where GCC puts the counters) and one in .data (where it puts
	 * gcov_info): static initialisers, so they cost no code.
	 * hvcov_init() stores HVCOV_CHECK_VALUE(boot_id) in both; a reader
	 * that does not find that value at both addresses (and
	 * HVCOV_CHECK_RODATA at check_rodata) is not reading the memory as it
	 * is linked, and must refuse. */
	hvcov_address check_bss;
	hvcov_address check_data;
	/* Version 2.  Hypervisor address of a 64-bit constant,
	 * HVCOV_CHECK_RODATA, in .rodata (where GCC puts the file names and
	 * function records): proves that section's placement, for no code.
	 * Static initialiser. */
	hvcov_address check_rodata;
	/* Zero; room for later fields without moving these. */
	uint64_t reserved[2];
};

#define HVCOV_DESCRIPTOR_SIZE 128

/*
 * Format version 3: the descriptor of a clang image (source-based
 * coverage, -fprofile-instr-generate).  The 128 bytes above keep their
 * meaning, with no gcov data (gcov_version, gcov_info_head, the .gcov_info
 * bounds and registered are zero); the tail says where clang's four loaded
 * profile sections are.  The GCC stub still writes version 2: this is not
 * a newer layout of the same thing but another kind of image, and a reader
 * that knows only versions 1 and 2 must refuse it rather than find no gcov
 * data in it.
 */
#define HVCOV_FORMAT_VERSION_LLVM 3

struct hvcov_llvm_bounds {
	hvcov_address start, end; /* end: just past the last byte */
};

struct hvcov_descriptor_llvm {
	struct hvcov_descriptor
		base; /* format_version 3, descriptor_size 200 */
	/* Static initialisers (link time), from hvcov.lds: the per-function
	 * records, the counters, the MC/DC bitmap bytes and the names. */
	struct hvcov_llvm_bounds prf_data, prf_cnts, prf_bits, prf_names;
	/* The compiler that built the stub, __clang_major__ << 16 |
	 * __clang_minor__ << 8 | __clang_patchlevel__: the raw profile layout
	 * follows from it.  Static initialiser. */
	uint32_t clang_version;
	uint32_t reserved_llvm; /* zero */
};

#define HVCOV_DESCRIPTOR_LLVM_SIZE 200

#define HVCOV_ASSERT_LLVM_OFFSET(field, offset)                                \
	_Static_assert(__builtin_offsetof(struct hvcov_descriptor_llvm,        \
					  field) == (offset),                  \
		       "hvcov_descriptor_llvm." #field " must be at " #offset)

HVCOV_ASSERT_LLVM_OFFSET(prf_data, 128);
HVCOV_ASSERT_LLVM_OFFSET(prf_cnts, 144);
HVCOV_ASSERT_LLVM_OFFSET(prf_bits, 160);
HVCOV_ASSERT_LLVM_OFFSET(prf_names, 176);
HVCOV_ASSERT_LLVM_OFFSET(clang_version, 192);
_Static_assert(sizeof(struct hvcov_descriptor_llvm) ==
		       HVCOV_DESCRIPTOR_LLVM_SIZE,
	       "hvcov_descriptor_llvm must be 200 bytes");

#define HVCOV_ASSERT_OFFSET(field, offset)                                     \
	_Static_assert(__builtin_offsetof(struct hvcov_descriptor, field) ==   \
			       (offset),                                       \
		       "hvcov_descriptor." #field " must be at " #offset)

HVCOV_ASSERT_OFFSET(magic, 0);
HVCOV_ASSERT_OFFSET(format_version, 8);
HVCOV_ASSERT_OFFSET(descriptor_size, 12);
HVCOV_ASSERT_OFFSET(machine, 16);
HVCOV_ASSERT_OFFSET(pointer_size, 18);
HVCOV_ASSERT_OFFSET(byte_order, 19);
HVCOV_ASSERT_OFFSET(gcov_version, 20);
HVCOV_ASSERT_OFFSET(descriptor_address, 24);
HVCOV_ASSERT_OFFSET(link_base, 32);
HVCOV_ASSERT_OFFSET(image_size, 40);
HVCOV_ASSERT_OFFSET(gcov_info_head, 48);
HVCOV_ASSERT_OFFSET(info_section_start, 56);
HVCOV_ASSERT_OFFSET(info_section_end, 64);
HVCOV_ASSERT_OFFSET(boot_id, 72);
HVCOV_ASSERT_OFFSET(state, 80);
HVCOV_ASSERT_OFFSET(registered, 84);
HVCOV_ASSERT_OFFSET(check_bss, 88);
HVCOV_ASSERT_OFFSET(check_data, 96);
HVCOV_ASSERT_OFFSET(check_rodata, 104);
HVCOV_ASSERT_OFFSET(reserved, 112);
_Static_assert(sizeof(struct hvcov_descriptor) == HVCOV_DESCRIPTOR_SIZE,
	       "hvcov_descriptor must be 128 bytes");

#endif
