/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The merge ledger: which runs each .gcda of a directory already contains,
 * so that `--merge` never adds the same run twice (design.md decision 4).
 *
 * Where: one file per directory that holds hvcov-written .gcda files,
 * DIR/.hvcov-ledger, beside the files it describes.  That works the same
 * with -o DIR and in place (where the .gcda files are scattered over the
 * build tree and there is no single root to keep a ledger in), and it moves
 * and is deleted together with the files.  Records of a file that no
 * longer exists are ignored (it holds no run) and dropped at its next
 * write.
 *
 * Format (text, one record a line, '\n' terminated):
 *     hvcov-ledger 1
 *     <identity> <file name>
 * <identity> is 33 characters, "%016x-%016x": the image's boot id and a
 * 64-bit FNV-1a digest of every object's stamp and checksum (and, when the
 * image has no boot id, of every counter value).  The file name is the rest
 * of the line (it may hold spaces; control characters never pass outpath).
 * A default (replacing) write leaves exactly one record for the file, a
 * merge adds one.
 *
 * Updates: written to DIR/.hvcov-ledger.tmp.<pid>, fsync'ed, renamed over
 * the ledger, then the directory is fsync'ed; only after the .gcda renames
 * succeeded.  The writer holds flock(LOCK_EX) on DIR meanwhile.
 */
#ifndef HVCOV_LEDGER_H
#define HVCOV_LEDGER_H

#include <stdbool.h>
#include <stddef.h>

#include "error.h"

#define LEDGER_NAME ".hvcov-ledger"
#define LEDGER_IDENTITY_LEN 33

struct ledger_entry {
	char identity[LEDGER_IDENTITY_LEN + 1];
	char *name;
};

struct ledger {
	size_t n, cap;
	struct ledger_entry *entries;
	bool dirty;
};

/* Read DIR/.hvcov-ledger (absent: empty).  dir_display names DIR in
 * messages. */
bool ledger_load(int dirfd, const char *dir_display, struct ledger *ledger,
		 struct error *err);

bool ledger_has(const struct ledger *ledger, const char *identity,
		const char *name);

/* Record that name now holds identity; replace drops its older records. */
bool ledger_record(struct ledger *ledger, const char *identity,
		   const char *name, bool replace, struct error *err);

/* Atomically replace DIR/.hvcov-ledger when changed. */
bool ledger_store(int dirfd, const char *dir_display,
		  struct ledger *ledger, struct error *err);

void ledger_free(struct ledger *ledger);

#endif
