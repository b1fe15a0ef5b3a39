/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The merge ledger (ledger.h), which --merge reads from the output tree
 * (which may hold anything), with one real file beside it, a.gcda holding
 * "gcda", so that pending records can be settled as well as dropped.  An
 * accepted ledger has no pending record left; a run's own load
 * (ledger_load_run) accepts it too and agrees with the full load about
 * that run; writing it whole and reading it back gives the same records;
 * and the append path of a later run (a P batch, then the S batch, and a
 * P batch left by a "killed" run) reads back as that run's records.
 */
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "fuzz.h"
#include "write/ledger.h"

#define RUN_X "0000000000000009-0000000000000009"
#define RUN_Y "000000000000000a-000000000000000a"

static void load(int fd, const char *dir, const char *identity,
		 struct ledger *ledger, const char *what)
{
	struct error err = { 0 };

	if (!ledger_load_run(fd, dir, identity, ledger, &err))
		fuzz_violation(what, err.text);
}

static void store(int fd, const char *dir, struct ledger *ledger)
{
	struct error err = { 0 };

	if (!ledger_store(fd, dir, ledger, &err))
		fuzz_violation("cannot store an accepted ledger", err.text);
}

/* The run's own load says what the full one says about its records. */
static void check_run(int fd, const char *dir, const struct ledger *full,
		      const char *identity)
{
	struct ledger run;

	load(fd, dir, identity, &run,
	     "a run's load refuses an accepted ledger");
	for (size_t i = 0; i < full->n; i++)
		if (!strcmp(full->entries[i].identity, identity) &&
		    !ledger_has(&run, identity, full->entries[i].name))
			fuzz_violation("a run's load misses its record",
				       full->entries[i].name);
	for (size_t i = 0; i < run.n; i++)
		if (!strcmp(run.entries[i].identity, identity) &&
		    !ledger_has(full, identity, run.entries[i].name))
			fuzz_violation("a run's load has a dropped record",
				       run.entries[i].name);
	ledger_free(&run);
}

/* A later run's two stores, the second one after a "kill" (b.gcda,
 * which does not exist, settled; a.gcda left pending, and it holds the
 * digested bytes). */
static void check_append(int fd, const char *dir)
{
	struct error err = { 0 };
	struct ledger ledger;
	uint64_t digest = ledger_digest((const uint8_t *)"gcda", 4);

	load(fd, dir, RUN_Y, &ledger, "a stored ledger does not load");
	if (!ledger_intend(&ledger, RUN_Y, "b.gcda", false, 1, &err) ||
	    !ledger_intend(&ledger, RUN_X, "a.gcda", false, digest, &err))
		fuzz_violation("cannot intend", err.text);
	store(fd, dir, &ledger);
	ledger_settle(&ledger, "b.gcda", &err);
	ledger_free(&ledger);
	load(fd, dir, RUN_X, &ledger, "an appended ledger does not load");
	if (!ledger_has(&ledger, RUN_X, "a.gcda"))
		fuzz_violation("a pending record of a renamed file is lost",
			       "a.gcda");
	store(fd, dir, &ledger);
	ledger_free(&ledger);
	load(fd, dir, NULL, &ledger, "an appended ledger does not load");
	if (!ledger_has(&ledger, RUN_X, "a.gcda") ||
	    ledger_has(&ledger, RUN_Y, "b.gcda"))
		fuzz_violation("the appended records read back otherwise",
			       NULL);
	check_run(fd, dir, &ledger, RUN_X);
	ledger_free(&ledger);

	load(fd, dir, RUN_Y, &ledger, "an appended ledger does not load");
	if (!ledger_intend(&ledger, RUN_Y, "b.gcda", false, 1, &err))
		fuzz_violation("cannot intend", err.text);
	store(fd, dir, &ledger);
	ledger_settle(&ledger, "b.gcda", &err);
	store(fd, dir, &ledger);
	ledger_free(&ledger);
	load(fd, dir, NULL, &ledger, "an appended ledger does not load");
	if (!ledger_has(&ledger, RUN_Y, "b.gcda") ||
	    !ledger_has(&ledger, RUN_X, "a.gcda"))
		fuzz_violation("a settled record does not read back", "b.gcda");
	ledger_free(&ledger);
}

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
	if (ledger.n)
		check_run(fd, dir, &ledger, ledger.entries[0].identity);
	ledger.dirty = true;
	ledger.rewrite = true;
	store(fd, dir, &ledger);
	load(fd, dir, NULL, &again, "a stored ledger does not load");
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
	check_append(fd, dir);
	close(fd);
	return 0;
}
