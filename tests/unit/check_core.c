/* SPDX-License-Identifier: BSD-2-Clause */
/* ELF cores and ELF files from untrusted hands: hand-made cores with every
 * kind of bad segment must give one data error, never a crash, and a good
 * one must map physical memory exactly, holes included. */
#include <check.h>
#include <elf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "elf/core.h"
#include "elf/elf-image.h"
#include "lib/test-temp.h"

struct seg {
	uint64_t paddr, memsz, filesz;
	uint8_t fill; /* every stored byte */
};

/* Write an ELF64 little-endian core with the segments' bytes after the
 * program headers; `offset_bias` is added to every p_offset (to point
 * past the file).  Returns the file's path. */
static char *write_core(const struct seg *segs, int n, uint16_t type,
			uint64_t offset_bias)
{
	char template[256];
	char *path = strdup(
		test_temp_template(template, sizeof(template), "check-core"));
	Elf64_Ehdr eh = { 0 };
	uint64_t at = sizeof(eh) + (uint64_t)n * sizeof(Elf64_Phdr);
	FILE *f;
	int fd;

	ck_assert_ptr_nonnull(path);
	fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	f = fdopen(fd, "wb");
	ck_assert_ptr_nonnull(f);
	memcpy(eh.e_ident, ELFMAG, SELFMAG);
	eh.e_ident[EI_CLASS] = ELFCLASS64;
	eh.e_ident[EI_DATA] = ELFDATA2LSB;
	eh.e_ident[EI_VERSION] = EV_CURRENT;
	eh.e_type = type;
	eh.e_machine = EM_X86_64;
	eh.e_version = EV_CURRENT;
	eh.e_phoff = n ? sizeof(eh) : 0;
	eh.e_ehsize = sizeof(eh);
	eh.e_phentsize = sizeof(Elf64_Phdr);
	eh.e_phnum = (uint16_t)n;
	fwrite(&eh, sizeof(eh), 1, f);
	for (int i = 0; i < n; i++) {
		Elf64_Phdr ph = { 0 };

		ph.p_type = PT_LOAD;
		ph.p_offset = at + offset_bias;
		ph.p_paddr = segs[i].paddr;
		ph.p_memsz = segs[i].memsz;
		ph.p_filesz = segs[i].filesz;
		fwrite(&ph, sizeof(ph), 1, f);
		at += segs[i].filesz;
	}
	for (int i = 0; i < n; i++)
		for (uint64_t b = 0; b < segs[i].filesz; b++)
			fputc(segs[i].fill, f);
	ck_assert_int_eq(fclose(f), 0);
	return path;
}

static void expect_refused(char *path, const char *words)
{
	struct error err = { 0 };
	struct image image;

	ck_assert(!image_load_core(&image, path, false, 0, 0, &err));
	ck_assert_int_eq(err.status, HVCOV_EXIT_DATA);
	ck_assert_msg(strstr(err.text, words), "'%s' lacks '%s'", err.text,
		      words);
	ck_assert_ptr_null(image.buffer);
	unlink(path);
	free(path);
}

/* Two segments with a gap, the second mapping more memory than it stores:
 * the buffer is physical memory from the first segment, the gap is a hole
 * no view may cover, and the unstored tail reads as zero. */
START_TEST(test_core_maps_segments_and_holes)
{
	const struct seg segs[] = {
		{ 0x1000, 0x100, 0x100, 0xaa },
		{ 0x1200, 0x80, 0x40, 0xbb },
	};
	char *path = write_core(segs, 2, ET_CORE, 0);
	struct error err = { 0 };
	struct image image;

	ck_assert_msg(image_load_core(&image, path, false, 0, 0, &err), "%s",
		      err.text);
	ck_assert_uint_eq(image.buffer_size, 0x280);
	ck_assert_uint_eq(image.source_address, 0x1000);
	ck_assert_uint_eq(image.buffer[0], 0xaa);
	ck_assert_uint_eq(image.buffer[0xff], 0xaa);
	ck_assert_uint_eq(image.buffer[0x200], 0xbb);
	ck_assert_uint_eq(image.buffer[0x23f], 0xbb);
	ck_assert_uint_eq(image.buffer[0x240], 0);
	ck_assert_uint_eq(image.n_holes, 1);
	ck_assert_uint_eq(image.holes[0].offset, 0x100);
	ck_assert_uint_eq(image.holes[0].size, 0x100);
	ck_assert(image_set_view(&image, 0, 0x100, 0x1000, false, 8, &err));
	ck_assert(!image_set_view(&image, 0, 0x101, 0x1000, false, 8, &err));
	ck_assert_int_eq(err.status, HVCOV_EXIT_DATA);
	image_free(&image);

	/* A window: only its part, the rest of the window a hole. */
	err = (struct error){ 0 };
	ck_assert(image_load_core(&image, path, true, 0x1220, 0x100, &err));
	ck_assert_uint_eq(image.buffer_size, 0x100);
	ck_assert_uint_eq(image.buffer[0], 0xbb);
	ck_assert_uint_eq(image.buffer[0x20], 0);
	ck_assert_uint_eq(image.n_holes, 1);
	ck_assert_uint_eq(image.holes[0].offset, 0x60);
	image_free(&image);
	unlink(path);
	free(path);
}
END_TEST

/* Every malformed segment table is one data error naming the problem. */
START_TEST(test_core_refuses_bad_segments)
{
	const struct seg beyond[] = { { 0x1000, 0x100, 0x100, 1 } };
	const struct seg fat[] = { { 0x1000, 0x10, 0x20, 1 } };
	const struct seg overlap[] = { { 0x1000, 0x100, 0x10, 1 },
				       { 0x10f0, 0x100, 0x10, 2 } };
	const struct seg wrap[] = { { UINT64_MAX - 4, 0x10, 0, 1 } };

	expect_refused(write_core(beyond, 1, ET_CORE, 1), "runs past the end");
	expect_refused(write_core(fat, 1, ET_CORE, 0), "stores 32 bytes");
	expect_refused(write_core(overlap, 2, ET_CORE, 0), "overlap");
	expect_refused(write_core(wrap, 1, ET_CORE, 0), "wraps");
	expect_refused(write_core(fat, 0, ET_CORE, 0), "no PT_LOAD");
	expect_refused(write_core(beyond, 1, ET_EXEC, 0), "not a core");
}
END_TEST

/* Regions: segments less than CORE_REGION_GAP apart are one; a PC's ROM
 * near 4 GiB is another. */
START_TEST(test_core_regions_join_small_gaps)
{
	const struct seg segs[] = {
		{ 0x0, 0xa0000, 0x10, 1 },
		{ 0xc0000, 0x40000, 0x10, 2 },
		{ 0xfffc0000, 0x40000, 0x10, 3 },
	};
	char *path = write_core(segs, 3, ET_CORE, 0);
	struct core_region *regions;
	struct error err = { 0 };
	size_t n;

	ck_assert_msg(core_regions(path, &regions, &n, &err), "%s", err.text);
	ck_assert_uint_eq(n, 2);
	ck_assert_uint_eq(regions[0].start, 0);
	ck_assert_uint_eq(regions[0].size, 0x100000);
	ck_assert_uint_eq(regions[1].start, 0xfffc0000);
	ck_assert_uint_eq(regions[1].size, 0x40000);
	free(regions);
	unlink(path);
	free(path);
}
END_TEST

/* Not an ELF at all, or cut short: one data error with the quoted name and
 * libelf's reason, for the core and the --elf reader alike. */
START_TEST(test_elf_readers_refuse_garbage)
{
	const struct seg one[] = { { 0x1000, 0x100, 0x100, 1 } };
	char *path = write_core(one, 1, ET_CORE, 0);
	struct elf_image elf;
	struct error err = { 0 };
	struct image image;

	ck_assert_int_eq(truncate(path, 70), 0);
	ck_assert(!image_load_core(&image, path, false, 0, 0, &err));
	ck_assert_int_eq(err.status, HVCOV_EXIT_DATA);
	ck_assert_msg(strstr(err.text, path), "%s", err.text);
	err = (struct error){ 0 };
	ck_assert_int_eq(truncate(path, 0), 0);
	ck_assert(!elf_image_open(&elf, path, &err));
	ck_assert_int_eq(err.status, HVCOV_EXIT_DATA);
	err = (struct error){ 0 };
	ck_assert(!elf_image_open(&elf, "/nonexistent/x.elf", &err));
	ck_assert_int_eq(err.status, HVCOV_EXIT_SYSTEM);
	unlink(path);
	free(path);
}
END_TEST

Suite *suite_core(void)
{
	Suite *s = suite_create("core");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_core_maps_segments_and_holes);
	tcase_add_test(tc, test_core_refuses_bad_segments);
	tcase_add_test(tc, test_core_regions_join_small_gaps);
	tcase_add_test(tc, test_elf_readers_refuse_garbage);
	suite_add_tcase(s, tc);
	return s;
}
