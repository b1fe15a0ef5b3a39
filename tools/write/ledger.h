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
 * Identity: 33 characters, "%016x-%016x": the image's boot id and a
 * 64-bit FNV-1a digest of every object's stamp and checksum (and, when the
 * image has no boot id, of every counter value).  A default (replacing,
 * R) write leaves exactly one run for the file, a merging (M) one adds one.
 *
 * Format, version 3 (append-only, so that a store costs what it adds, not
 * what the ledger already holds: a --merge into a tree of 100 runs costs
 * what one into a tree of 2 does):
 *     "hvcov-ledger 3 <base>\n"                   (32 bytes)
 *     batches, each "B <S|P> <identity> <rbytes> <mbytes> <hash>\n"
 *     (89 bytes) and a body of rbytes + mbytes bytes, one record a line
 * Numbers are 16 lowercase hex digits; <hash> is FNV-1a 64 of the header's
 * first 72 bytes and the body; <base> the file's size when it was last
 * written whole.  An S batch holds settled records of one run: its first
 * rbytes are the names its R writes replaced, the rest the names it
 * merged into.  A P batch (rbytes only) holds pending records,
 * "<R|M> <digest> <identity> <name>\n".  The file name is the rest of the
 * line (it may hold spaces; control characters never pass outpath).
 * Replayed in order, an R record drops every earlier record of its name, an
 * M record the earlier ones of its name and run.  A loader for one run
 * (ledger_load_run) reads only the headers, that run's batches and the R
 * parts of the others (the names they replaced) and skips the rest.
 *
 * Crash safety: the .gcda renames of one run cannot be one atomic step, so
 * the ledger is written twice.  Before the first rename a P batch is
 * appended and made durable, one record per file: <digest> (ledger_digest()
 * of the bytes about to be renamed into place), R for a replacing or M for
 * a merging write, the run's identity and the name.  After the renames an
 * S batch with the renamed ones follows; a P batch followed by any batch is
 * resolved.  A process killed in between leaves a P batch last; the next
 * load settles each record by the file itself: if the file holds exactly
 * the digested bytes the rename happened and the record counts, otherwise
 * it is dropped, and the next store appends that outcome as an S batch
 * before anything else.  So the ledger always says which runs each file
 * holds, and a --merge after a crash neither loses nor counts a run twice.
 * A crash can also cut an append short: a tail that is not a whole batch
 * (a bad header, a body past the end, or a failed hash in one of the last
 * two batches) is ignored and cut off by the next store, but only when no
 * intact batch follows it, which would be damage, refused.
 *
 * Compaction: when the file has grown past twice its <base> plus 256 KiB,
 * the next load reads it whole and the next store writes the surviving
 * records to DIR/.hvcov-ledger.tmp.<pid>, which (after the caller's sync)
 * is renamed over the ledger: amortised, a store stays linear in what it
 * adds.  A missing ledger is created the same way.
 *
 * Versions 1 and 2 (text, "<identity> <name>" lines, version 2 also
 * "pending <digest> <R|M> <identity> <name>" lines) are read as well and
 * rewritten as version 3 by the next store.
 *
 * The writer holds its lease on DIR (DIR/.hvcov-lease, writer.c) while it
 * loads and stores.
 */
#ifndef HVCOV_LEDGER_H
#define HVCOV_LEDGER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/error.h"

#define LEDGER_NAME ".hvcov-ledger"
#define LEDGER_IDENTITY_LEN 33

/* The flags sit beside the identity, in what would be its padding: an
 * entry takes 64 bytes, not 80, and a run holds one per file it wrote. */
struct ledger_entry {
	char identity[LEDGER_IDENTITY_LEN + 1];
	/* A pending record (see above): whether that write replaces, and
	 * (digest) the digest of the bytes that its rename puts in place. */
	bool pending;
	bool replace;
	/* Internal: to be settled by the next pass (ledger_settle), in the
	 * file as it is now (a store appends the others), and (next) the
	 * next entry of the same name's hash bucket (SIZE_MAX: none). */
	bool settle;
	bool written;
	char *name;
	uint64_t digest;
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
	/* A new ledger written beside the file, not yet renamed over it, or
	 * an append (ledger_stage) that makes it staged_length long. */
	bool staged, staged_append, staged_open;
	uint64_t staged_length;
	/* Internal, version 3: the committed length of the file (what follows
	 * is a torn tail), its <base>, whether its last batch is a P batch,
	 * whether every record was read, and whether the next store writes
	 * the ledger whole rather than appending. */
	uint64_t length, base;
	bool open_pending, full, rewrite;
};

/* Read DIR/.hvcov-ledger (absent: empty), every record.  dir_display
 * names DIR in messages. */
bool ledger_load(int dirfd, const char *dir_display, struct ledger *ledger,
		 struct error *err);

/* The same for a writer of the run `identity`: ledger_has() then answers
 * for that identity only (records of other runs are skipped where the
 * format allows), and stores append to the file. */
bool ledger_load_run(int dirfd, const char *dir_display, const char *identity,
		     struct ledger *ledger, struct error *err);

bool ledger_has(const struct ledger *ledger, const char *identity,
		const char *name);

/* Room for extra more entries in one allocation (what ledger_intend()
 * will add for a run's files), instead of doubling past them.  false:
 * out of memory, and nothing changed. */
bool ledger_reserve(struct ledger *ledger, size_t extra);

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
 * writer): ledger_stage() appends what changed to the ledger, or writes the
 * whole ledger beside the old one (see Compaction), unsynced; once the
 * caller has made that durable (syncfs), and only then, ledger_publish()
 * takes it as stored (renaming a whole one into place), which the caller
 * makes durable before relying on it.  ledger_unstage() cuts off an append
 * or removes a staged file that will not be published.  Unchanged ledgers
 * stage nothing. */
bool ledger_stage(int dirfd, const char *dir_display, struct ledger *ledger,
		  struct error *err);
bool ledger_publish(int dirfd, const char *dir_display, struct ledger *ledger,
		    struct error *err);
void ledger_unstage(int dirfd, struct ledger *ledger);

/* Atomically and durably update DIR/.hvcov-ledger when changed. */
bool ledger_store(int dirfd, const char *dir_display, struct ledger *ledger,
		  struct error *err);

void ledger_free(struct ledger *ledger);

#endif
