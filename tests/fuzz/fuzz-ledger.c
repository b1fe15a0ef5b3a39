/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The merge ledger (ledger.h), which --merge reads from the output tree
 * (which may hold anything), with one real file beside it, a.gcda holding
 * "gcda", so that pending records can be settled as well as dropped.  An
 * accepted ledger has no pending record left, and writing it and reading
 * it back gives the same records.
 */
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "fuzz.h"
#include "write/ledger.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *dir = fuzz_scratch_dir();
	struct ledger ledger, again;
	struct error err = { 0 };
	bool ok;
	int fd;

	fuzz_write_file(dir, LEDGER_NAME, data, size);
	fuzz_write_file(dir, "a.gcda", (const uint8_t *)"gcda", 4);
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		fuzz_violation("cannot open the scratch directory", dir);
	ok = ledger_load(fd, dir, &ledger, &err);
	fuzz_check_error(&err, ok);
	if (!ok) {
		close(fd);
		return 0;
	}
	for (size_t i = 0; i < ledger.n; i++) {
		if (ledger.entries[i].pending)
			fuzz_violation("a pending record survived the load",
				       ledger.entries[i].name);
		if (!ledger_has(&ledger, ledger.entries[i].identity,
				ledger.entries[i].name))
			fuzz_violation("a loaded record is not found",
				       ledger.entries[i].name);
	}
	ledger.dirty = true;
	if (!ledger_store(fd, dir, &ledger, &err))
		fuzz_violation("cannot store an accepted ledger", err.text);
	if (!ledger_load(fd, dir, &again, &err))
		fuzz_violation("a stored ledger does not load", err.text);
	if (again.n != ledger.n)
		fuzz_violation("the stored ledger has other records", NULL);
	for (size_t i = 0; i < ledger.n; i++)
		if (strcmp(again.entries[i].name, ledger.entries[i].name) ||
		    strcmp(again.entries[i].identity,
			   ledger.entries[i].identity))
			fuzz_violation("the stored ledger has other records",
				       ledger.entries[i].name);
	ledger_free(&again);
	ledger_free(&ledger);
	close(fd);
	return 0;
}
