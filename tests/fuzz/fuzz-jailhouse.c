/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The Jailhouse header parser: the input is a core image, tried with the
 * architecture inferred and with each one forced (--arch).  On success the
 * view must lie inside the input and start at its byte 0.
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "header.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const enum header_arch arches[] = {
		HEADER_ARCH_AUTO, HEADER_ARCH_X86_64, HEADER_ARCH_ARM,
		HEADER_ARCH_ARM64,
	};

	for (size_t i = 0; i < sizeof(arches) / sizeof(arches[0]); i++) {
		struct header_options options = {
			.format = HEADER_FORMAT_JAILHOUSE,
			.arch = arches[i],
		};
		uint8_t *copy = malloc(size ? size : 1);
		struct error err = {0};
		struct header header;
		struct image image;
		bool ok;

		if (!copy)
			return 0;
		memcpy(copy, data, size);
		image_adopt(&image, copy, size, "fuzz");
		ok = header_locate(&image, &options, &header, &err);
		fuzz_check_error(&err, ok);
		if (ok && (image.offset != 0 || image.size > size ||
			   header.kind != MODEL_HEADER_JAILHOUSE))
			fuzz_violation("the Jailhouse view is not the data's "
				       "start", NULL);
		image_free(&image);
	}
	return 0;
}
