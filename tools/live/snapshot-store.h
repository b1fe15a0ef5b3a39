/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Snapshots on disk (docs/snapshots.md is the normative description):
 *
 *     DIR/index.tsv                       one line per snapshot
 *     DIR/place                           where the last run found the
 *                                         descriptor (a hint, below)
 *     DIR/boot-<boot id>/<seq>[-<tag>]/   one directory per snapshot
 *         counters                        every counter, raw (below)
 *         gcda/...                        .gcda files (cumulative, or minus
 *                                         --since), mirroring build paths
 *         interval/...                    tagged: this minus the previous
 *                                         snapshot of the boot
 *         kcov                            --output-format kcov: new IDs
 *
 * One series per boot: a snapshot's predecessor is the last snapshot in
 * the index with the same boot id.  The counters file lets the next
 * snapshot check monotonicity and compute deltas without a live source:
 *     0  "HVCOVCNT"   8  u32 format (1)   12 u32 zero
 *     16 u64 boot id  24 u64 counter-map digest   32 u64 n
 *     40 n u64 values in flat order (counter-map.h)
 * all little-endian.  A snapshot is built in BOOT/.hvcov-tmp-<seq>.<pid>,
 * renamed into place when complete and then appended to the index, under
 * an exclusive lock on the index (a regular file, never a symlink), which
 * the writer holds while it takes its snapshots; the index line is what
 * makes a snapshot exist.
 */
#ifndef HVCOV_SNAPSHOT_STORE_H
#define HVCOV_SNAPSHOT_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/error.h"
#include "place.h"

#define STORE_INDEX "index.tsv"
#define STORE_PLACE "place"
#define STORE_COUNTERS "counters"
#define STORE_MAX_TAG 64

struct store_entry {
	unsigned long seq;
	uint64_t boot_id;
	char *dir; /* relative to the store */
};

struct store {
	char *root;
	int index_fd; /* locked, O_APPEND */
	unsigned long last_seq;
	size_t n, capacity;
	struct store_entry *entries;
};

/* One snapshot's line in the index. */
struct store_record {
	unsigned long seq;
	const char *time; /* ISO 8601 UTC */
	uint64_t boot_id;
	uint32_t state;
	const char *dir;
	const char *tag;   /* NULL: none */
	const char *since; /* NULL: cumulative */
	uint64_t counters, arcs, arcs_executed, new_arcs, new_counters;
};

/* Create DIR if needed, lock and read its index. */
bool store_open(struct store *store, const char *root, struct error *err);
void store_close(struct store *store);

/* The last snapshot of boot_id (relative dir), or NULL. */
const char *store_previous(const struct store *store, uint64_t boot_id);

/* A tag is 1 to STORE_MAX_TAG characters of [A-Za-z0-9._-], not starting
 * with '.' or '-'. */
bool store_tag_valid(const char *tag);

/* Make the directory snapshot seq is built in (relative name into build)
 * and name its final place (into rel).  A snapshot becomes visible only
 * complete: store_publish() renames it into place, store_discard() removes
 * a failed one, and store_open() removes those of killed runs. */
bool store_make_dir(struct store *store, unsigned long seq, uint64_t boot_id,
		    const char *tag, char *rel, size_t size, char *build,
		    size_t build_size, struct error *err);
bool store_publish(struct store *store, const char *build, const char *rel,
		   struct error *err);
void store_discard(struct store *store, const char *build);

/* Join the store root and a relative name. */
bool store_path(const struct store *store, const char *rel, const char *leaf,
		char *path, size_t size, struct error *err);

bool store_write_counters(const char *dir, uint64_t boot_id, uint64_t digest,
			  const uint64_t *values, size_t n, struct error *err);

/* Read DIR/counters, which must be of boot_id, digest and n counters. */
bool store_read_counters(const char *dir, uint64_t boot_id, uint64_t digest,
			 uint64_t *values, size_t n, struct error *err);

/* Write a kcov buffer (u64 count, then the IDs, host byte order). */
bool store_write_kcov(const char *dir, const uint64_t *ids, size_t n,
		      struct error *err);

/* Hard-link every file of snapshot directory from_rel into the empty
 * build directory to_rel (directories made, the batch synced): a snapshot
 * whose counters equal its predecessor's, taken the same way, has the same
 * bytes in every file.  hvcov replaces files by renaming, never writes one
 * in place, so the linked snapshots stay independent.  from_rel must hold
 * exactly gcda .gcda files (what was written there).  On failure (err
 * set) to_rel may hold part of the tree. */
bool store_link_snapshot(const struct store *store, const char *from_rel,
			 const char *to_rel, size_t gcda, struct error *err);

/* Read root/STORE_PLACE (the store need not be open: it is read before
 * the source is opened); false when it is missing or does not parse. */
bool store_read_place(const char *root, struct live_place *place);

/* Replace it (under the store's lock). */
bool store_write_place(const struct store *store,
		       const struct live_place *place, struct error *err);

bool store_append(struct store *store, const struct store_record *record,
		  struct error *err);

#endif
