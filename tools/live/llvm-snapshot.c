/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Snapshots of a clang image (llvm-snapshot.h).  The profile's records and
 * names never change at run time; only the counters and bitmap bytes are
 * read from the live mapping, then laid into the private copy of the image
 * that live_open() decoded, so that profraw_build() checks and lays out
 * exactly what extract would.
 */
#include "llvm-snapshot.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "base/bytes.h"
#include "base/hash.h"
#include "hvcov/descriptor.h"
#include "snapshot-run.h"
#include "untorn.h"
#include "llvm/profraw.h"

struct clang_run {
	struct live *live;
	struct store *store;
	const struct snapshot_options *opt;
	const struct snapshot_observer *observer;
	size_t cnts_at, n_cnts; /* image offset and number of counters */
	size_t bits_at, n_bits; /* image offset and number of bitmap bytes */
	size_t n;               /* values: counters, then bitmap bytes */
	uint64_t digest;
	uint64_t *prev, *cur, *since, *scratch;
	uint64_t *ids; /* --output-format kcov: each counter's stable ID */
	bool has_prev;
};

/* The image offset of one of the descriptor's profile sections. */
static bool section_at(const struct live *live, size_t index, const char *name,
		       size_t *at, size_t *size, struct error *err)
{
	uint64_t start = live->header.llvm_bounds[2 * index];
	uint64_t end = live->header.llvm_bounds[2 * index + 1];
	const uint8_t *p;

	*at = 0;
	*size = 0;
	if (end <= start)
		return true; /* empty, or refused by profraw_build */
	p = image_at(&live->image, start, end - start);
	if (!p || p < live->image.buffer + live->header.buffer_offset ||
	    (uint64_t)(p - live->image.buffer) - live->header.buffer_offset >
		    live->header.image_size - (end - start))
		return error_set(err, HVCOV_EXIT_DATA,
				 "%s: %s at 0x%llx is not inside the image",
				 live->image.source, name,
				 (unsigned long long)start);
	*at = (size_t)(p - live->image.buffer) - live->header.buffer_offset;
	*size = (size_t)(end - start);
	return true;
}

/* Identifies the profile's layout in the counters file: the records and
 * names (which hold every function's structural hash) and the sizes. */
static uint64_t layout_digest(const struct live *live, size_t n_cnts,
			      size_t n_bits)
{
	uint64_t digest = hash_fnv_int(HASH_FNV_OFFSET, n_cnts, 8);

	digest = hash_fnv_int(digest, n_bits, 8);
	for (size_t s = 0; s < 4; s += 3) {
		uint64_t start = live->header.llvm_bounds[2 * s];
		uint64_t end = live->header.llvm_bounds[2 * s + 1];
		const uint8_t *p =
			end > start ? image_at(&live->image, start, end - start)
				    : NULL;

		if (p)
			digest = hash_fnv_bytes(digest, p,
						(size_t)(end - start));
	}
	return digest;
}

bool llvm_snapshot_check(const struct live *live,
			 const struct snapshot_options *options,
			 struct error *err)
{
	struct profraw check;

	if (!profraw_build(&live->image, &live->header, &check, err))
		return false;
	free(check.bytes);
	(void)options; /* every option applies to clang images too */
	return true;
}

static bool setup(struct clang_run *run, struct error *err)
{
	struct live *live = run->live;
	size_t n;

	if (!section_at(live, 1, "__llvm_prf_cnts", &run->cnts_at, &n, err))
		return false;
	run->n_cnts = n / 8;
	if (!section_at(live, 2, "__llvm_prf_bits", &run->bits_at, &run->n_bits,
			err))
		return false;
	if ((uintptr_t)(live->base + run->cnts_at) % 4)
		return error_set(
			err, HVCOV_EXIT_DATA,
			"%s: __llvm_prf_cnts is not 4-byte aligned in the file, so it cannot be read untorn",
			live->image.source);
	run->n = run->n_cnts + run->n_bits;
	run->digest = layout_digest(live, run->n_cnts, run->n_bits);
	n = run->n ? run->n : 1;
	run->prev = calloc(n, sizeof(uint64_t));
	run->cur = calloc(n, sizeof(uint64_t));
	run->scratch = calloc(n, sizeof(uint64_t));
	run->since = run->opt->since ? calloc(n, sizeof(uint64_t)) : NULL;
	if (!run->prev || !run->cur || !run->scratch ||
	    (run->opt->since && !run->since))
		return error_errno(err, "cannot hold %zu values", n);
	if (run->opt->output == SNAPSHOT_KCOV) {
		run->ids =
			calloc(run->n_cnts ? run->n_cnts : 1, sizeof(uint64_t));
		if (!run->ids)
			return error_errno(err, "cannot hold %zu IDs",
					   run->n_cnts);
		return profraw_counter_ids(&live->image, &live->header,
					   run->ids, run->n_cnts, err);
	}
	return true;
}

static bool load_bases(struct clang_run *run, struct error *err)
{
	const char *previous = store_previous(run->store, run->live->boot_id);
	char path[4096];

	run->has_prev = false;
	if (previous) {
		struct stat st;

		if (!store_path(run->store, previous, STORE_COUNTERS, path,
				sizeof(path), err))
			return false;
		if (stat(path, &st) < 0 && errno == ENOENT)
			return error_set(
				err, HVCOV_EXIT_DATA,
				"%s, the last snapshot of boot %016llx in %s/" STORE_INDEX
				", is missing: restore it, or take this boot's snapshots into another store",
				path, (unsigned long long)run->live->boot_id,
				run->store->root);
		if (!store_path(run->store, previous, NULL, path, sizeof(path),
				err) ||
		    !store_read_counters(path, run->live->boot_id, run->digest,
					 run->prev, run->n, err))
			return false;
		run->has_prev = true;
	}
	return !run->opt->since ||
	       store_read_counters(run->opt->since, run->live->boot_id,
				   run->digest, run->since, run->n, err);
}

/* The reads of one scan, run by live_guarded(). */
struct clang_reads {
	struct clang_run *run;
	uint64_t *boot_before, *boot_after;
	uint32_t *state_before, *state_after;
	bool *untorn;
};

static void clang_reads(void *context)
{
	struct clang_reads *r = context;
	struct clang_run *run = r->run;
	const struct live *live = run->live;

	live_read_descriptor(live, r->boot_before, r->state_before);
	*r->untorn = !run->n_cnts ||
		     untorn_read(live->base + run->cnts_at, run->n_cnts,
				 live->header.big_endian, run->cur);
	for (size_t i = 0; i < run->n_bits; i++)
		run->cur[run->n_cnts + i] = __atomic_load_n(
			live->base + run->bits_at + i, __ATOMIC_RELAXED);
	__atomic_thread_fence(__ATOMIC_ACQUIRE);
	live_read_descriptor(live, r->boot_after, r->state_after);
}

/* Before every scan: the name must still lead to the mapped file (a new
 * boot's image renamed over it would otherwise leave the run reading the
 * old boot's last state), and a regular file must still hold the image. */
static bool check_source(const struct live *live, struct error *err)
{
	bool replaced;

	if (!live_check_source(live, &replaced, err))
		return false;
	if (replaced)
		return error_set(
			err, HVCOV_EXIT_DATA,
			"%s was replaced by another file (a new boot?): snapshots of a clang image follow one boot per run",
			live->image.source);
	return true;
}

/* One read of every counter and bitmap byte, inside one boot. */
static bool scan(struct clang_run *run, uint32_t *state, struct error *err)
{
	const struct live *live = run->live;
	uint64_t boot_before, boot_after;
	uint32_t state_before;
	bool untorn;
	struct clang_reads reads = { .run = run,
				     .boot_before = &boot_before,
				     .boot_after = &boot_after,
				     .state_before = &state_before,
				     .state_after = state,
				     .untorn = &untorn };

	if (!check_source(live, err))
		return false;
	if (!live_guarded(clang_reads, &reads, err))
		return err->status
			       ? false
			       : error_set(
					 err, HVCOV_EXIT_DATA,
					 "%s: the source shrank while hvcov read it (SIGBUS)",
					 live->image.source);
	if (!untorn)
		return error_set(
			err, HVCOV_EXIT_DATA,
			"%s: a counter kept changing while it was read",
			live->image.source);
	if (boot_before != live->boot_id || boot_after != live->boot_id ||
	    state_before == HVCOV_STATE_UNINITIALISED ||
	    *state == HVCOV_STATE_UNINITIALISED)
		return error_set(
			err, HVCOV_EXIT_DATA,
			"%s: the hypervisor rebooted (boot %016llx became %016llx): snapshots of a clang image follow one boot per run",
			live->image.source, (unsigned long long)live->boot_id,
			(unsigned long long)boot_after);
	return true;
}

/* difference = cur - base per counter, and per bitmap byte the bits cur
 * has that base has not.  *fresh_cnts counts counters that went from zero
 * to non-zero, *fresh counts those and the bitmap bytes that gained a bit.
 * A counter that went down or a bitmap bit that was cleared is an error. */
static bool compare(const struct clang_run *run, const uint64_t *base,
		    const char *base_name, uint64_t *difference,
		    uint64_t *fresh_cnts, uint64_t *fresh, struct error *err)
{
	*fresh_cnts = 0;
	for (size_t i = 0; i < run->n_cnts; i++) {
		uint64_t before = base ? base[i] : 0;

		if (run->cur[i] < before)
			return error_set(
				err, HVCOV_EXIT_DATA,
				"%s: counter %zu of __llvm_prf_cnts is %llu in %s but %llu now",
				run->live->image.source, i,
				(unsigned long long)before, base_name,
				(unsigned long long)run->cur[i]);
		difference[i] = run->cur[i] - before;
		*fresh_cnts += before == 0 && run->cur[i] != 0;
	}
	*fresh = *fresh_cnts;
	for (size_t i = run->n_cnts; i < run->n; i++) {
		uint64_t before = base ? base[i] : 0;

		/* With -fprofile-update=atomic no bit is ever cleared; a
		 * cleared one means racy updates (single on SMP), a reset
		 * or memory that is not the bitmap, as a decrease does. */
		if (before & ~run->cur[i])
			return error_set(
				err, HVCOV_EXIT_DATA,
				"%s: MC/DC bitmap byte %zu of __llvm_prf_bits is 0x%02llx in %s but 0x%02llx now: a bit was cleared",
				run->live->image.source, i - run->n_cnts,
				(unsigned long long)before, base_name,
				(unsigned long long)run->cur[i]);
		difference[i] = run->cur[i] & ~before;
		*fresh += difference[i] != 0;
	}
	return true;
}

/* DIR/LEAF/hvcov-BOOT.profraw of these values. */
static bool write_profile(struct clang_run *run, const char *dir,
			  const char *leaf, const uint64_t *values,
			  struct error *err)
{
	struct live *live = run->live;
	uint8_t *image = live->image.buffer + live->header.buffer_offset;
	struct profraw profile;
	char path[4096], file[4200];
	bool ok;

	for (size_t i = 0; i < run->n_cnts; i++)
		bytes_put64(image + run->cnts_at + 8 * i,
			    live->header.big_endian, values[i]);
	for (size_t i = 0; i < run->n_bits; i++)
		image[run->bits_at + i] = (uint8_t)values[run->n_cnts + i];
	if (!store_path(run->store, dir, leaf, path, sizeof(path), err))
		return false;
	if (mkdir(path, 0755) < 0)
		return error_errno(err, "cannot create %s", path);
	if (!profraw_build(&live->image, &live->header, &profile, err))
		return false;
	ok = profraw_write(path, live->boot_id, &profile, file, sizeof(file),
			   err);
	free(profile.bytes);
	return ok;
}

/* The kcov buffer: the IDs of the counters that went from zero (in base,
 * NULL: all zero) to non-zero, in section order. */
static bool write_kcov(struct clang_run *run, const char *path,
		       const uint64_t *base, struct error *err)
{
	uint64_t *fresh =
		malloc((run->n_cnts ? run->n_cnts : 1) * sizeof(uint64_t));
	size_t n = 0;
	bool ok;

	if (!fresh)
		return error_errno(err, "cannot hold %zu IDs", run->n_cnts);
	if (!run->ids) { /* setup() makes them for kcov output */
		free(fresh);
		return error_set(err, HVCOV_EXIT_SYSTEM,
				 "no counter IDs for the kcov buffer");
	}
	for (size_t i = 0; i < run->n_cnts; i++)
		if ((!base || base[i] == 0) && run->cur[i] != 0)
			fresh[n++] = run->ids[i];
	ok = store_write_kcov(path, fresh, n, err);
	free(fresh);
	return ok;
}

static bool record(struct clang_run *run, uint32_t state, const char *tag,
		   struct error *err)
{
	struct live *live = run->live;
	struct store_record rec = { 0 };
	char dir[256], build[256], path[4096], time_text[64];
	uint64_t executed = 0;
	struct timespec now;
	struct tm tm;
	bool ok = false;

	/* Monotonicity against the previous snapshot of the boot, and its
	 * interval (kept in scratch only when tagged). */
	if (!compare(run, run->has_prev ? run->prev : NULL,
		     "the previous snapshot", run->scratch, &rec.new_arcs,
		     &rec.new_counters, err))
		return false;
	clock_gettime(CLOCK_REALTIME, &now);
	gmtime_r(&now.tv_sec, &tm);
	snprintf(time_text, sizeof(time_text),
		 "%04d-%02d-%02dT%02d:%02d:%02d.%03ldZ", tm.tm_year + 1900,
		 tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
		 (now.tv_nsec / 1000000) % 1000);
	rec.seq = run->store->last_seq + 1;
	build[0] = '\0';
	if (!store_make_dir(run->store, rec.seq, live->boot_id, tag, dir,
			    sizeof(dir), build, sizeof(build), err) ||
	    !store_path(run->store, build, NULL, path, sizeof(path), err) ||
	    !store_write_counters(path, live->boot_id, run->digest, run->cur,
				  run->n, err))
		goto out;
	/* A tagged interval, from scratch before --since reuses it. */
	if (tag && run->opt->output != SNAPSHOT_KCOV &&
	    !write_profile(run, build, "interval", run->scratch, err))
		goto out;
	/* --since: the base must not exceed this snapshot either; the
	 * index counts what is new since it, and scratch holds the
	 * difference. */
	if (run->since &&
	    !compare(run, run->since, run->opt->since, run->scratch,
		     &rec.new_arcs, &rec.new_counters, err))
		goto out;
	if (run->opt->output == SNAPSHOT_KCOV) {
		/* kcov instead of profiles, as for gcov images. */
		if (!write_kcov(run, path,
				run->since      ? run->since
				: run->has_prev ? run->prev
						: NULL,
				err))
			goto out;
	} else if (!write_profile(run, build, "profraw",
				  run->since ? run->scratch : run->cur, err)) {
		goto out;
	}
	for (size_t i = 0; i < run->n_cnts; i++)
		executed += run->cur[i] != 0;
	rec.time = time_text;
	rec.boot_id = live->boot_id;
	rec.state = state;
	rec.dir = dir;
	rec.tag = tag;
	rec.since = run->opt->since;
	rec.counters = run->n;
	rec.arcs = run->n_cnts;
	rec.arcs_executed = executed;
	if (!store_publish(run->store, build, dir, err))
		goto out;
	build[0] = '\0';
	if (!store_append(run->store, &rec, err))
		goto out;
	if (run->observer && run->observer->taken)
		run->observer->taken(run->observer->context, run->store->root,
				     &rec);
	ok = true;
out:
	if (build[0])
		store_discard(run->store, build);
	return ok;
}

bool llvm_snapshot_take_all(struct live *live, struct store *store,
			    const struct snapshot_options *opt,
			    const struct snapshot_observer *observer,
			    unsigned long *taken, struct error *err)
{
	struct clang_run run = {
		.live = live, .store = store, .opt = opt, .observer = observer
	};
	char tag[STORE_MAX_TAG + 24];
	struct timespec start;
	bool ok = setup(&run, err) && load_bases(&run, err);

	clock_gettime(CLOCK_MONOTONIC, &start);
	for (unsigned long k = 0; ok && (!opt->count || k < opt->count); k++) {
		uint32_t state;
		uint64_t *swap;

		if (k && !snapshot_wait_tick(opt, &start, k))
			break;
		if (opt->tag && opt->count != 1)
			snprintf(tag, sizeof(tag), "%s.%lu", opt->tag, k + 1);
		else if (opt->tag)
			snprintf(tag, sizeof(tag), "%s", opt->tag);
		ok = scan(&run, &state, err) &&
		     record(&run, state, opt->tag ? tag : NULL, err);
		if (!ok)
			break;
		swap = run.prev;
		run.prev = run.cur;
		run.cur = swap;
		run.has_prev = true;
		(*taken)++;
	}
	free(run.prev);
	free(run.cur);
	free(run.since);
	free(run.scratch);
	free(run.ids);
	return ok;
}
