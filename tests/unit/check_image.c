/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Image sources and views (image/image.c): whole files, windows, files
 * whose size lies, a memory device, address translation at the edges,
 * byte order, strings, placed views.
 */
#include <check.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/error.h"
#include "image/image.h"
#include "lib/test-temp.h"

#define FILE_BYTES 100000

static char temp_path[256];
static uint8_t file_bytes[FILE_BYTES];

/* A file of FILE_BYTES distinct-looking bytes. */
static void make_file(void)
{
	int fd;

	test_temp_template(temp_path, sizeof(temp_path), "image");
	fd = mkstemp(temp_path);
	ck_assert_int_ge(fd, 0);
	for (size_t i = 0; i < FILE_BYTES; i++)
		file_bytes[i] = (uint8_t)(i * 7 + i / 251);
	ck_assert_int_eq(write(fd, file_bytes, FILE_BYTES), FILE_BYTES);
	close(fd);
}

static void remove_file(void)
{
	unlink(temp_path);
}
START_TEST(test_image_load_whole_file)
{
	/* A regular file is read completely and exactly. */
	struct image image;
	struct error err = { 0 };

	ck_assert_msg(image_load_file(&image, temp_path, 0, 0, &err), "%s",
		      err.text);
	ck_assert_uint_eq(image.buffer_size, FILE_BYTES);
	ck_assert(memcmp(image.buffer, file_bytes, FILE_BYTES) == 0);
	image_free(&image);
}
END_TEST

START_TEST(test_image_load_window)
{
	/* --offset with and without a size reads exactly that window. */
	struct image image;
	struct error err = { 0 };

	ck_assert_msg(image_load_file(&image, temp_path, 1000, 5000, &err),
		      "%s", err.text);
	ck_assert_uint_eq(image.buffer_size, 5000);
	ck_assert(memcmp(image.buffer, file_bytes + 1000, 5000) == 0);
	image_free(&image);
	ck_assert_msg(image_load_file(&image, temp_path, 1000, 0, &err), "%s",
		      err.text);
	ck_assert_uint_eq(image.buffer_size, FILE_BYTES - 1000);
	ck_assert(memcmp(image.buffer, file_bytes + 1000, FILE_BYTES - 1000) ==
		  0);
	image_free(&image);
}
END_TEST

START_TEST(test_image_load_short_window)
{
	/* A file that ends inside the requested window is a clear data
	 * error naming where it ended, not a short image. */
	struct image image;
	struct error err = { 0 };

	ck_assert(!image_load_file(&image, temp_path, FILE_BYTES - 100, 5000,
				   &err));
	ck_assert_int_eq(err.status, HVCOV_EXIT_DATA);
	ck_assert_msg(strstr(err.text, "ends at byte 100000"), "%s", err.text);
	ck_assert_ptr_null(image.buffer);
	err = (struct error){ 0 };
	ck_assert(!image_load_file(&image, temp_path, FILE_BYTES, 0, &err));
	ck_assert_int_eq(err.status, HVCOV_EXIT_DATA);
}
END_TEST

START_TEST(test_image_load_size_lies)
{
	/* Like sysfs, /proc reports st_size 0 for a file with content: the
	 * loader must read until EOF rather than trust st_size. */
	struct image image;
	struct error err = { 0 };

	ck_assert_msg(image_load_file(&image, "/proc/self/status", 0, 0, &err),
		      "%s", err.text);
	ck_assert_uint_gt(image.buffer_size, 100);
	ck_assert(memcmp(image.buffer, "Name:", 5) == 0);
	image_free(&image);
}
END_TEST

START_TEST(test_image_load_missing)
{
	/* A missing source is a system error (status 2) naming the path. */
	struct image image;
	struct error err = { 0 };

	ck_assert(
		!image_load_file(&image, "/nonexistent/hvcov.img", 0, 0, &err));
	ck_assert_int_eq(err.status, HVCOV_EXIT_SYSTEM);
	ck_assert_msg(strstr(err.text, "/nonexistent/hvcov.img"), "%s",
		      err.text);
}
END_TEST

START_TEST(test_image_load_phys)
{
	/* The /dev/mem path reads the window at its address with pread; a
	 * device that ends inside the window is refused. */
	struct image image;
	struct error err = { 0 };

	ck_assert_msg(image_load_phys(&image, temp_path, 4096, 1000, &err),
		      "%s", err.text);
	ck_assert_uint_eq(image.buffer_size, 1000);
	ck_assert(memcmp(image.buffer, file_bytes + 4096, 1000) == 0);
	image_free(&image);
	ck_assert(!image_load_phys(&image, temp_path, FILE_BYTES - 10, 1000,
				   &err));
	ck_assert_int_eq(err.status, HVCOV_EXIT_DATA);
	ck_assert_msg(strstr(err.text, "ends at"), "%s", err.text);
	err = (struct error){ 0 };
	ck_assert(!image_load_phys(&image, temp_path, 0, 0, &err));
	ck_assert_int_eq(err.status, HVCOV_EXIT_SYSTEM);
}
END_TEST

START_TEST(test_image_at_bounds)
{
	/* image_at() accepts exactly the ranges inside the view, whatever
	 * wrap-around an address and a length could cause. */
	struct image image;
	struct error err = { 0 };
	uint8_t *buffer = calloc(64, 1);
	const uint64_t base = 0xffffffffffffff00ULL;

	ck_assert_ptr_nonnull(buffer);
	image_adopt(&image, buffer, 64, "mem");
	ck_assert_ptr_null(image_at(&image, 0, 1)); /* no view yet */
	ck_assert(image_set_view(&image, 16, 32, base, false, 8, &err));
	ck_assert_ptr_eq(image_at(&image, base, 32), buffer + 16);
	ck_assert_ptr_eq(image_at(&image, base + 31, 1), buffer + 47);
	ck_assert_ptr_null(image_at(&image, base, 33));
	ck_assert_ptr_null(image_at(&image, base + 31, 2));
	ck_assert_ptr_null(image_at(&image, base - 1, 1));
	ck_assert_ptr_null(image_at(&image, base + 32, 1));
	ck_assert_ptr_null(image_at(&image, UINT64_MAX, 2));
	ck_assert_ptr_null(image_at(&image, base + 1, UINT64_MAX));
	ck_assert_ptr_null(image_at(&image, base + 8, UINT64_MAX - 7));
	image_free(&image);
}
END_TEST

START_TEST(test_image_reads_byte_order)
{
	/* Integers and pointers decode in the view's byte order and width;
	 * a 32-bit pointer is zero-extended. */
	static const uint8_t bytes[16] = { 1,    2, 3, 4,    5, 6, 7, 8,
					   0xf0, 0, 0, 0x80, 0, 0, 0, 0 };
	struct image image;
	struct error err = { 0 };
	uint8_t *buffer = malloc(sizeof(bytes));
	uint64_t u64;
	uint32_t u32;

	ck_assert_ptr_nonnull(buffer);
	memcpy(buffer, bytes, sizeof(bytes));
	image_adopt(&image, buffer, sizeof(bytes), "mem");
	ck_assert(image_set_view(&image, 0, 16, 0x1000, true, 8, &err));
	ck_assert(image_u32(&image, 0x1000, &u32));
	ck_assert_uint_eq(u32, 0x01020304);
	ck_assert(image_u64(&image, 0x1000, &u64));
	ck_assert_uint_eq(u64, 0x0102030405060708ULL);
	ck_assert(!image_u64(&image, 0x1009, &u64));
	ck_assert(image_set_view(&image, 0, 16, 0x1000, false, 4, &err));
	ck_assert(image_pointer(&image, 0x1008, &u64));
	ck_assert_uint_eq(u64, 0x800000f0ULL);
	ck_assert(!image_pointer(&image, 0x100d, &u64));
	image_free(&image);
}
END_TEST

START_TEST(test_image_set_view_refuses_wrap)
{
	/* A view past the buffer, or one whose addresses wrap (64-bit) or
	 * pass 4 GiB (32-bit), is refused. */
	struct image image;
	struct error err = { 0 };
	uint8_t *buffer = calloc(64, 1);

	ck_assert_ptr_nonnull(buffer);
	image_adopt(&image, buffer, 64, "mem");
	ck_assert(!image_set_view(&image, 16, 49, 0x1000, false, 8, &err));
	ck_assert(!image_set_view(&image, 65, 0, 0x1000, false, 8, &err));
	ck_assert(!image_set_view(&image, 0, 32, UINT64_MAX - 10, false, 8,
				  &err));
	ck_assert(!image_set_view(&image, 0, 32, 0xfffffff0, false, 4, &err));
	ck_assert(!image_set_view(&image, 0, 32, 0x1000, false, 2, &err));
	ck_assert(image_set_view(&image, 0, 16, 0xfffffff0, false, 4, &err));
	image_free(&image);
}
END_TEST

START_TEST(test_image_string_ends_inside)
{
	/* A string counts only if its NUL lies inside the image and within
	 * the length limit. */
	struct image image;
	struct error err = { 0 };
	uint8_t *buffer = malloc(16);

	ck_assert_ptr_nonnull(buffer);
	memcpy(buffer, "abc\0defghijklmno", 16);
	image_adopt(&image, buffer, 16, "mem");
	ck_assert(image_set_view(&image, 0, 16, 0x2000, false, 8, &err));
	ck_assert_str_eq(image_string(&image, 0x2000, 64), "abc");
	ck_assert_ptr_null(image_string(&image, 0x2004, 64));
	ck_assert_ptr_null(image_string(&image, 0x2000, 3));
	ck_assert_ptr_nonnull(image_string(&image, 0x2000, 4));
	buffer[15] = '\0';
	ck_assert_str_eq(image_string(&image, 0x2004, 64), "defghijklmn");
	ck_assert_ptr_null(image_string(&image, 0x2010, 64));
	image_free(&image);
}
END_TEST

START_TEST(test_image_placed_view_refuses_overlap)
{
	uint8_t *buffer = calloc(1, 256);
	struct image_segment pieces[2] = { { 0x1000, 64, 0 },
					   { 0x1020, 64, 128 } };
	struct error err = { 0 };
	struct image image;

	ck_assert_ptr_nonnull(buffer);
	image_adopt(&image, buffer, 256, "b");
	ck_assert(!image_set_placed_view(&image, 0x1000, 0x100, false, 8,
					 pieces, 2, &err));
	ck_assert_msg(strstr(err.text, "overlaps"), "%s", err.text);
	pieces[1].address = 0x1040;
	pieces[1].offset = 250; /* runs past the buffer */
	err = (struct error){ 0 };
	ck_assert(!image_set_placed_view(&image, 0x1000, 0x100, false, 8,
					 pieces, 2, &err));
	pieces[1].offset = 128;
	ck_assert(image_set_placed_view(&image, 0x1000, 0x100, false, 8, pieces,
					2, &err));
	ck_assert_ptr_eq(image_at(&image, 0x1040, 64), buffer + 128);
	ck_assert_ptr_null(image_at(&image, 0x1080, 1));
	image_free(&image);
}
END_TEST

Suite *suite_image(void)
{
	Suite *suite = suite_create("image");
	TCase *image = tcase_create("image");

	tcase_add_unchecked_fixture(image, make_file, remove_file);
	tcase_add_test(image, test_image_load_whole_file);
	tcase_add_test(image, test_image_load_window);
	tcase_add_test(image, test_image_load_short_window);
	tcase_add_test(image, test_image_load_size_lies);
	tcase_add_test(image, test_image_load_missing);
	tcase_add_test(image, test_image_load_phys);
	tcase_add_test(image, test_image_at_bounds);
	tcase_add_test(image, test_image_reads_byte_order);
	tcase_add_test(image, test_image_set_view_refuses_wrap);
	tcase_add_test(image, test_image_string_ends_inside);
	tcase_add_test(image, test_image_placed_view_refuses_overlap);
	suite_add_tcase(suite, image);
	return suite;
}
