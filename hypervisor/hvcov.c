/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The part of hvcov that runs inside the hypervisor: the symbols that
 * gcov-instrumented code references, a list of its gcov_info structures, and
 * the descriptor that tells the host where to find them.  No dump code: the
 * host reads the counters from memory.
 *
 * Freestanding: no libc, no allocation, no locking.  Build it without
 * coverage flags.
 */
#include <stdint.h>

#ifndef HVCOV_ENABLED
#define HVCOV_ENABLED 1
#endif
#include "hvcov/hvcov.h"

#if !defined(__GNUC__)
#error "hvcov: the stub serves GCC's gcov runtime ABI and clang's profile sections"
#endif

#if defined(__x86_64__)
#define HVCOV_MACHINE HVCOV_MACHINE_X86_64
#elif defined(__aarch64__)
#define HVCOV_MACHINE HVCOV_MACHINE_AARCH64
#elif defined(__arm__)
#define HVCOV_MACHINE HVCOV_MACHINE_ARM
#else
#error "hvcov: unsupported architecture (x86_64, arm and arm64 are)"
#endif

/* The version word GCC puts into gcov_info (gcc/gcov-io.h, phase '*' as in
 * a release); __gcov_init() replaces it with the word actually found. */
#if __GNUC__ >= 7
#define HVCOV_GCOV_VERSION                                                     \
	((uint32_t)('A' + __GNUC__ / 10) << 24 |                               \
	 (uint32_t)('0' + __GNUC__ % 10) << 16 |                               \
	 (uint32_t)('0' + __GNUC_MINOR__) << 8 | '*')
#else
#define HVCOV_GCOV_VERSION                                                     \
	((uint32_t)('0' + __GNUC__) << 24 |                                    \
	 (uint32_t)('0' + __GNUC_MINOR__ / 10) << 16 |                         \
	 (uint32_t)('0' + __GNUC_MINOR__ % 10) << 8 | '*')
#endif

/* Only the two leading fields of gcov_info are touched here; every GCC from
 * 4.7 on starts the structure with them. */
struct gcov_info_head {
	uint32_t version;
	struct gcov_info_head *next;
};

typedef void (*hvcov_constructor)(void);

/* The names GCC's instrumentation calls.  Declared here only, since no
 * header of the hypervisor declares them, so that the stub also builds under
 * -Wmissing-prototypes. */
void __gcov_init(struct gcov_info_head *info);
void __gcov_exit(void);

/* Defined by hypervisor/hvcov.lds. */
extern const hvcov_constructor __hvcov_init_array_start[];
extern const hvcov_constructor __hvcov_init_array_end[];
extern const char __hvcov_gcov_info_start[];
extern const char __hvcov_gcov_info_end[];

/* The placement checks (descriptor.h): one word in .bss, one in .data,
 * one constant in .rodata. */
static uint64_t hvcov_check_bss;
static uint64_t hvcov_check_data __attribute__((section(".data")));
static const uint64_t hvcov_check_rodata = HVCOV_CHECK_RODATA;

#if defined(__clang__)
/*
 * clang source-based coverage (-fprofile-instr-generate -fcoverage-mapping):
 * the compiler places static per-function records, counters, MC/DC bitmap
 * bytes and names into four sections, and instrumented code only updates
 * counters and bitmaps in place.  No constructor, no runtime: the descriptor
 * records the sections' bounds as static initialisers and the host builds
 * the raw profile from the memory.
 */

/* Defined by hypervisor/hvcov.lds. */
extern const char __hvcov_prf_data_start[], __hvcov_prf_data_end[];
extern const char __hvcov_prf_cnts_start[], __hvcov_prf_cnts_end[];
extern const char __hvcov_prf_bits_start[], __hvcov_prf_bits_end[];
extern const char __hvcov_prf_names_start[], __hvcov_prf_names_end[];

/* A link line carrying -fprofile-instr-generate asks for this symbol so that
 * the profile runtime gets linked; defining it keeps the runtime out. */
int __llvm_profile_runtime;

#define HVCOV_ADDRESS(symbol)                                                  \
	{                                                                      \
		.pointer = {.low = (uintptr_t)(symbol) }                       \
	}
#define HVCOV_BOUNDS(name)                                                     \
	{                                                                      \
		.start = HVCOV_ADDRESS(__hvcov_prf_##name##_start),            \
		.end = HVCOV_ADDRESS(__hvcov_prf_##name##_end)                 \
	}

struct hvcov_descriptor_llvm hvcov_descriptor = {
	.base = {
		.magic = HVCOV_MAGIC,
		.format_version = HVCOV_FORMAT_VERSION_LLVM,
		.descriptor_size = sizeof(struct hvcov_descriptor_llvm),
		.machine = HVCOV_MACHINE,
		.pointer_size = sizeof(void *),
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
		.byte_order = HVCOV_BIG_ENDIAN,
#else
		.byte_order = HVCOV_LITTLE_ENDIAN,
#endif
		.check_bss = HVCOV_ADDRESS(&hvcov_check_bss),
		.check_data = HVCOV_ADDRESS(&hvcov_check_data),
		.check_rodata = HVCOV_ADDRESS(&hvcov_check_rodata),
	},
	.prf_data = HVCOV_BOUNDS(data),
	.prf_cnts = HVCOV_BOUNDS(cnts),
	.prf_bits = HVCOV_BOUNDS(bits),
	.prf_names = HVCOV_BOUNDS(names),
	.clang_version = (uint32_t)__clang_major__ << 16 |
			 (uint32_t)__clang_minor__ << 8 | __clang_patchlevel__,
};

void hvcov_init(const void *image_start, uintptr_t image_size, uint64_t boot_id)
{
	hvcov_descriptor.base.descriptor_address = (uintptr_t)&hvcov_descriptor;
	hvcov_descriptor.base.link_base = (uintptr_t)image_start;
	hvcov_descriptor.base.image_size = image_size;
	hvcov_descriptor.base.boot_id = boot_id;
	/* As in the GCC path: the check words prove the placement. */
	hvcov_check_bss = hvcov_check_data = HVCOV_CHECK_VALUE(boot_id);
	__atomic_store_n(&hvcov_descriptor.base.state, HVCOV_STATE_RUNNING,
			 __ATOMIC_RELEASE);
}

void hvcov_disable(void)
{
	__atomic_store_n(&hvcov_descriptor.base.state, HVCOV_STATE_DISABLED,
			 __ATOMIC_RELEASE);
}

#if defined(__aarch64__)
/*
 * clang targeting aarch64 Linux outlines atomics (-moutline-atomics) by
 * default: -fprofile-update=atomic then calls libgcc/compiler-rt helpers,
 * __aarch64_ldadd8_relax for the counter add (below, shared with GCC) and
 * this one for the MC/DC bitmap OR.  Relaxed, with exclusives (every
 * ARMv8.0 CPU); weak, so a linked helper library wins.
 */
uint8_t __aarch64_ldset1_relax(uint8_t bits, uint8_t *byte);

__attribute__((weak)) uint8_t __aarch64_ldset1_relax(uint8_t bits,
						     uint8_t *byte)
{
	uint32_t old, set, failed;

	__asm__ volatile("1: ldxrb %w0, [%3]\n"
			 "   orr %w1, %w0, %w4\n"
			 "   stxrb %w2, %w1, [%3]\n"
			 "   cbnz %w2, 1b"
			 : "=&r"(old), "=&r"(set), "=&r"(failed)
			 : "r"(byte), "r"((uint32_t)bits)
			 : "memory");
	return (uint8_t)old;
}
#endif

#else /* GCC: the gcov runtime ABI */

/* The magic is spelled out: from GCC 15, a string literal that leaves no
 * room for its NUL warns (-Wunterminated-string-initialization), and
 * hypervisors build with -Werror.  It must stay equal to HVCOV_MAGIC. */
struct hvcov_descriptor hvcov_descriptor = {
	.magic = { 'H', 'V', 'C', 'O', 'V', 'I', 'M', 'G' },
	.format_version = HVCOV_FORMAT_VERSION,
	.descriptor_size = sizeof(struct hvcov_descriptor),
	.machine = HVCOV_MACHINE,
	.pointer_size = sizeof(void *),
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	.byte_order = HVCOV_BIG_ENDIAN,
#else
	.byte_order = HVCOV_LITTLE_ENDIAN,
#endif
	.gcov_version = HVCOV_GCOV_VERSION,
	/* Link-time addresses as static initialisers cost no code. */
	.info_section_start = { .pointer = { .low = (uintptr_t)
						     __hvcov_gcov_info_start } },
	.info_section_end = { .pointer = { .low = (uintptr_t)
						   __hvcov_gcov_info_end } },
	.check_bss = { .pointer = { .low = (uintptr_t)&hvcov_check_bss } },
	.check_data = { .pointer = { .low = (uintptr_t)&hvcov_check_data } },
	.check_rodata = { .pointer = { .low = (uintptr_t)&hvcov_check_rodata } },
};

/* Called by each unit's constructor.  Runs on the boot CPU before SMP, so a
 * plain push is safe. */
void __gcov_init(struct gcov_info_head *info)
{
	/* libgcov skips version 0 too: it marks a unit without data. */
	if (!info->version)
		return;
	hvcov_descriptor.gcov_version = info->version;
	info->next = (struct gcov_info_head *)(uintptr_t)
			     hvcov_descriptor.gcov_info_head;
	hvcov_descriptor.gcov_info_head = (uintptr_t)info;
	hvcov_descriptor.registered++;
}

/*
 * The compiler stores the address of one merge function per counter kind in
 * each gcov_info and emits destructors calling __gcov_exit.  None of them
 * runs here (the host merges with its own libgcov), so one empty function
 * answers to every name any GCC from 4.7 to 15 can reference.
 */
void __gcov_exit(void)
{
}

#define HVCOV_NEVER_CALLED(name)                                               \
	void name(void) __attribute__((alias("__gcov_exit")))

HVCOV_NEVER_CALLED(__gcov_merge_add);
HVCOV_NEVER_CALLED(__gcov_merge_ior);
HVCOV_NEVER_CALLED(__gcov_merge_single);
HVCOV_NEVER_CALLED(__gcov_merge_delta);
HVCOV_NEVER_CALLED(__gcov_merge_time_profile);
HVCOV_NEVER_CALLED(__gcov_merge_icall_topn);
HVCOV_NEVER_CALLED(__gcov_merge_topn);

#if defined(__aarch64__)
/* -fprofile-update=atomic with GCC's default -moutline-atomics calls
 * __aarch64_ldadd8_relax (below, shared with clang) for the counters and
 * this helper for the bit-set counters of -fcondition-coverage (GCC 14+) and
 * -fpath-coverage (GCC 15+), which GCC updates with an atomic OR. */
uint64_t __aarch64_ldset8_relax(uint64_t value, uint64_t *counter);

__attribute__((weak)) uint64_t __aarch64_ldset8_relax(uint64_t value,
						      uint64_t *counter)
{
	uint64_t old, set;
	uint32_t failed;

	__asm__ volatile("1: ldxr %0, [%3]\n"
			 "   orr %1, %0, %4\n"
			 "   stxr %w2, %1, [%3]\n"
			 "   cbnz %w2, 1b"
			 : "=&r"(old), "=&r"(set), "=&r"(failed)
			 : "r"(counter), "r"(value)
			 : "memory");
	return old;
}
#endif
/* ARMv7-A needs no helper: GCC inlines 64-bit atomics with ldrexd/strexd.
 * x86_64 uses a locked add.  Targets without 64-bit atomics (ARMv6 and
 * older) make GCC fall back to -fprofile-update=single with a warning. */

/*
 * The link-time addresses hvcov_init() needs, as one table.  Code reaches a
 * link-time address through a literal (-mcmodel=large) or an instruction
 * pair; one table address and loads from it keep the stub small under every
 * code model.
 */
static const struct hvcov_links {
	struct hvcov_descriptor *descriptor;
	const hvcov_constructor *init_array_start, *init_array_end;
} hvcov_links = {
	&hvcov_descriptor,
	__hvcov_init_array_start,
	__hvcov_init_array_end,
};

void hvcov_init(const void *image_start, uintptr_t image_size, uint64_t boot_id)
{
	const struct hvcov_links *links = &hvcov_links;
	struct hvcov_descriptor *descriptor;
	const hvcov_constructor *constructor;

	/* Hide the table's contents, or GCC folds the loads back into one
	 * address each. */
	__asm__("" : "+r"(links));
	descriptor = links->descriptor;
	/* Arguments first: nothing but the table has to live across the
	 * constructor calls, which keeps this function small. */
	descriptor->descriptor_address = (uintptr_t)descriptor;
	descriptor->link_base = (uintptr_t)image_start;
	descriptor->image_size = image_size;
	descriptor->boot_id = boot_id;
	/* Written now, so an image whose .bss or .data is not where the
	 * descriptor says (or is from another boot) fails hvcov's check. */
	*(uint64_t *)descriptor->check_bss.pointer.low =
		*(uint64_t *)descriptor->check_data.pointer.low =
			HVCOV_CHECK_VALUE(boot_id);

	for (constructor = links->init_array_start;
	     constructor != links->init_array_end; constructor++)
		(*constructor)();

	__atomic_store_n(&links->descriptor->state, HVCOV_STATE_RUNNING,
			 __ATOMIC_RELEASE);
}

void hvcov_disable(void)
{
	__atomic_store_n(&hvcov_descriptor.state, HVCOV_STATE_DISABLED,
			 __ATOMIC_RELEASE);
}

#endif /* GCC */

#if defined(__aarch64__)
/*
 * -fprofile-update=atomic with the default -moutline-atomics of GCC and of
 * clang's Linux targets turns every counter increment into a call to this
 * libgcc/compiler-rt helper.  HVCOV_CFLAGS adds -mno-outline-atomics where
 * GCC has it (the call clobbers registers that hypervisor code holds
 * hvc/smc results in), so for GCC this is only a fallback for code built
 * with other flags.  A hypervisor links no helper library, so provide it:
 * relaxed 64-bit fetch-and-add with exclusives, which every ARMv8.0 CPU
 * has.  Weak, so a linked library or a faster LSE version wins.
 */
uint64_t __aarch64_ldadd8_relax(uint64_t value, uint64_t *counter);

__attribute__((weak)) uint64_t __aarch64_ldadd8_relax(uint64_t value,
						      uint64_t *counter)
{
	uint64_t old, sum;
	uint32_t failed;

	__asm__ volatile("1: ldxr %0, [%3]\n"
			 "   add %1, %0, %4\n"
			 "   stxr %w2, %1, [%3]\n"
			 "   cbnz %w2, 1b"
			 : "=&r"(old), "=&r"(sum), "=&r"(failed)
			 : "r"(counter), "r"(value)
			 : "memory");
	return old;
}
#endif
