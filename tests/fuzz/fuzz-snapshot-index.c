/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The snapshot index reader (snapshot-store.h): DIR/index.tsv, which every
 * hvcov snapshot reads to find a boot's previous snapshot.  An accepted
 * index gives every listed boot a previous snapshot, named relative to the
 * store and without "..".
 */
#include <string.h>

#include "fuzz.h"
#include "live/snapshot-store.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *dir = fuzz_scratch_dir();
	struct error err = { 0 };
	struct store store;
	bool ok;

	fuzz_write_file(dir, STORE_INDEX, data, size);
	ok = store_open(&store, dir, &err);
	fuzz_check_error(&err, ok);
	if (!ok)
		return 0;
	for (size_t i = 0; i < store.n; i++) {
		const char *previous =
			store_previous(&store, store.entries[i].boot_id);

		if (!previous)
			fuzz_violation("a listed boot has no previous snapshot",
				       store.entries[i].dir);
		if (previous[0] == '/' || strstr(previous, ".."))
			fuzz_violation("a snapshot outside the store",
				       previous);
		if (store.entries[i].seq > store.last_seq)
			fuzz_violation("a sequence number past the last",
				       store.entries[i].dir);
	}
	store_close(&store);
	return 0;
}
