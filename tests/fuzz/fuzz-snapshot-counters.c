/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * A snapshot's counters file (snapshot-store.h), which the next snapshot
 * reads as the base of its delta.  The boot id, digest and count it is
 * read against are taken from the input's own header, so that the reader
 * gets past the header checks and into the values; an accepted file is
 * exactly a header and that many values.
 */
#include <stdlib.h>

#include "base/bytes.h"
#include "fuzz.h"
#include "live/snapshot-store.h"

#define MAX_COUNTERS (1u << 16)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *dir = fuzz_scratch_dir();
	uint64_t boot_id = 0, digest = 0, n = 0, *values;
	struct error err = { 0 };
	bool ok;

	if (size >= 40) {
		boot_id = bytes_get64(data + 16, false);
		digest = bytes_get64(data + 24, false);
		n = bytes_get64(data + 32, false);
	}
	if (n > MAX_COUNTERS)
		n = MAX_COUNTERS;
	values = calloc(n ? n : 1, sizeof(*values));
	if (!values)
		return 0;
	fuzz_write_file(dir, STORE_COUNTERS, data, size);
	ok = store_read_counters(dir, boot_id, digest, values, (size_t)n, &err);
	fuzz_check_error(&err, ok);
	if (ok && size != 40 + 8 * n)
		fuzz_violation("a counters file of the wrong size accepted",
			       NULL);
	for (uint64_t i = 0; ok && i < n; i++)
		if (values[i] != bytes_get64(data + 40 + 8 * i, false))
			fuzz_violation("a counter read wrong", NULL);
	free(values);
	return 0;
}
