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
 *     hvcov-ledger 2
 *     <identity> <file name>
 *     pending <digest> <R|M> <identity> <file name>
 * <identity> is 33 characters, "%016x-%016x": the image's boot id and a
 * 64-bit FNV-1a digest of every object's stamp and checksum (and, when the
 * image has no boot id, of every counter value).  The file name is the rest
 * of the line (it may hold spaces; control characters never pass outpath).
 * A default (replacing) write leaves exactly one record for the file, a
 * merge adds one.
 *
 * Crash safety: the .gcda renames of one run cannot be one atomic step, so
 * the ledger is written twice.  Before the first rename each file gets a
 * pending record: <digest> (16 hex digits, ledger_digest() of the bytes
 * about to be renamed into place), R for a replacing or M for a merging
 * write, the run's identity and the name.  After the renames the pending
 * records become plain ones.  A process killed in between leaves pending
 * records; the next ledger_load() settles each one by the file itself: if
 * the file holds exactly the digested bytes the rename happened and the
 * record counts (R drops the name's older records), otherwise it is
 * dropped.  So the ledger always says which runs each file holds, and a
 * --merge after a crash neither loses nor counts a run twice.
 * Version 1 ledgers (no pending records) are read as well.
 *
 * Updates: written to DIR/.hvcov-ledger.tmp.<pid>, fsync'ed, renamed over
 * the ledger, then the directory is fsync'ed.  The writer holds its
 * lease on DIR (DIR/.hvcov-lease, writer.c) meanwhile.
 */
#ifndef HVCOV_LEDGER_H
#define HVCOV_LEDGER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/error.h"

#define LEDGER_NAME ".hvcov-ledger"
#define LEDGER_IDENTITY_LEN 33

struct ledger_entry {
	char identity[LEDGER_IDENTITY_LEN + 1];
	char *name;
	/* A pending record (see above): the digest of the bytes that its
	 * rename puts in place, and whether that write replaces. */
	bool pending;
	bool replace;
	uint64_t digest;
	/* Internal: to be settled by the next pass (ledger_settle), and the
	 * next entry of the same name's hash bucket (SIZE_MAX: none). */
	bool settle;
	size_t next;
};

struct ledger {
	size_t n, cap;
	struct ledger_entry *entries;
	bool dirty;
	/* Entries by name: heads[hash & (n_heads - 1)] starts a chain
	 * through ledger_entry.next.  Loading, lookups and settling are
	 * linear in the ledger, not quadratic. */
	size_t *heads, n_heads;
	/* A new ledger written beside the file, not yet renamed over it
	 * (ledger_stage). */
	bool staged;
};

/* Read DIR/.hvcov-ledger (absent: empty).  dir_display names DIR in
 * messages. */
bool ledger_load(int dirfd, const char *dir_display, struct ledger *ledger,
		 struct error *err);

bool ledger_has(const struct ledger *ledger, const char *identity,
		const char *name);

/* Record, pending, that name is about to hold the bytes with `digest`
 * and with them identity (replace: those bytes hold no older run). */
bool ledger_intend(struct ledger *ledger, const char *identity,
		   const char *name, bool replace, uint64_t digest,
		   struct error *err);

/* Turn the pending record of name into a plain one: its rename is done.
 * Takes effect (older records dropped) by the next ledger_store(). */
bool ledger_settle(struct ledger *ledger, const char *name, struct error *err);

/* The digest pending records carry: 64-bit FNV-1a of the bytes. */
uint64_t ledger_digest(const uint8_t *bytes, size_t length);

/* ledger_store() in steps, for directories synced as one batch (the
 * writer): ledger_stage() writes the changed ledger beside the old one,
 * unsynced; once the caller has made that durable (syncfs), and only
 * then, ledger_publish() renames it into place, which the caller makes
 * durable before relying on it.  ledger_unstage() removes a staged file
 * that will not be published.  Unchanged ledgers stage nothing. */
bool ledger_stage(int dirfd, const char *dir_display, struct ledger *ledger,
		  struct error *err);
bool ledger_publish(int dirfd, const char *dir_display, struct ledger *ledger,
		    struct error *err);
void ledger_unstage(int dirfd, struct ledger *ledger);

/* Atomically and durably replace DIR/.hvcov-ledger when changed. */
bool ledger_store(int dirfd, const char *dir_display, struct ledger *ledger,
		  struct error *err);

void ledger_free(struct ledger *ledger);

#endif
