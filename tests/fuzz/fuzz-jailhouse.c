/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The Jailhouse header parser: the input is a core image, tried with the
 * architecture inferred and with each one forced (--arch).  On success the
 * view must lie inside the input and start at its byte 0.
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "image/header.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const enum header_arch arches[] = {
		HEADER_ARCH_AUTO,
		HEADER_ARCH_X86_64,
		HEADER_ARCH_ARM,
		HEADER_ARCH_ARM64,
	};

	for (size_t i = 0; i < sizeof(arches) / sizeof(arches[0]); i++) {
		struct header_options options = {
			.format = HEADER_FORMAT_JAILHOUSE,
			.arch = arches[i],
		};
		struct header header;
		struct image image;
		bool ok = fuzz_locate(data, size, &options, &image, &header);

		if (ok && (image.offset != 0 || image.size > size ||
			   header.kind != MODEL_HEADER_JAILHOUSE))
			fuzz_violation(
				"the Jailhouse view is not the data's start",
				NULL);
		image_free(&image);
	}
	return 0;
}
