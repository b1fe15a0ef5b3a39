/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The hvcov descriptor parser: the input is the data read from a source,
 * searched for a descriptor as hvcov does without --offset, then checked at
 * an offset the input's last two bytes choose (as with --offset).  On
 * success the view must lie inside the input.
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "image/header.h"

static void locate(const uint8_t *data, size_t size,
		   const struct header_options *options)
{
	struct header header;
	struct image image;
	bool ok = fuzz_locate(data, size, options, &image, &header);

	if (ok &&
	    (!image.has_view || image.offset > size ||
	     image.size > size - image.offset || header.header_offset > size))
		fuzz_violation("the view lies outside the data", NULL);
	image_free(&image);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct header_options scan = { .format = HEADER_FORMAT_HVCOV };
	struct header_options at = { .format = HEADER_FORMAT_HVCOV,
				     .has_descriptor_offset = true };

	locate(data, size, &scan);
	if (size >= 2) {
		at.descriptor_offset =
			(uint64_t)data[size - 2] << 8 | data[size - 1];
		locate(data, size, &at);
	}
	return 0;
}
