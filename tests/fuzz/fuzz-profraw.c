/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The clang profile reader: locate an hvcov descriptor in the input and, for
 * a clang (version 3) image, check its profile sections and build the raw
 * profile, as `hvcov extract` does.  A built profile must be what the
 * sections make: the header's counts as reported, the records' sizes adding
 * up to the file, the magic first.
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "hvcov/descriptor.h"
#include "image/header.h"
#include "llvm/profraw.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct header_options options = { .format = HEADER_FORMAT_HVCOV };
	struct error err = { 0 };
	struct header header;
	struct image image;
	struct profraw profile;
	bool ok;

	if (!fuzz_locate(data, size, &options, &image, &header) ||
	    header.format_version != HVCOV_FORMAT_VERSION_LLVM) {
		image_free(&image);
		return 0;
	}
	ok = profraw_build(&image, &header, &profile, &err);
	fuzz_check_error(&err, ok);
	if (ok) {
		if (!profile.bytes || profile.size % 8 || profile.size < 88)
			fuzz_violation("a profile of impossible size", NULL);
		if (profile.bytes[header.big_endian ? 0 : 7] != 0xff)
			fuzz_violation("no raw profile magic", NULL);
		if (profile.functions == 0 ||
		    profile.counters < profile.functions ||
		    profile.counters_hit > profile.counters ||
		    profile.counters * 8 > profile.size)
			fuzz_violation("profile totals disagree", NULL);
	} else if (profile.bytes) {
		fuzz_violation("a refused image left a profile", NULL);
	}
	free(profile.bytes);
	image_free(&image);
	return 0;
}
