/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The run loop of hvcov snapshot (snapshot-run.h): per snapshot one
 * consistent scan, then the store's directory, raw counters, .gcda files or
 * kcov buffer and index line, in that order, so that a refused snapshot
 * leaves no index line.
 */
#include "snapshot-run.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "counter-map.h"
#include "delta.h"
#include "hvcov/descriptor.h"
#include "live.h"
#include "llvm-snapshot.h"
#include "snapshot-store.h"
#include "write/writer.h"

/* How long a new boot may take to reach hvcov_init(). */
#define REBOOT_WAIT_MS 10000

/* One series: the counters of the current boot. */
struct run {
	const struct snapshot_options *opt;
	const struct snapshot_observer *observer;
	struct live live;
	struct store store;
	uint64_t *prev; /* previous snapshot of this boot; NULL: none */
	uint64_t *cur;
	uint64_t *since; /* --since values; NULL without */
	uint64_t *scratch;
	struct delta_fresh fresh;
	unsigned long taken;
	/* The last snapshot this run wrote of this boot, when it was plain
	 * (.gcda totals, no tag, no --since); "" otherwise.  last_gcda: the
	 * .gcda files the writer wrote there. */
	char last_dir[256];
	size_t last_gcda;
};

static void format_time(const struct timespec *now, char *buf, size_t size)
{
	struct tm tm;

	gmtime_r(&now->tv_sec, &tm);
	snprintf(buf, size, "%04d-%02d-%02dT%02d:%02d:%02d.%03ldZ",
		 tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
		 tm.tm_min, tm.tm_sec, (now->tv_nsec / 1000000) % 1000);
}

static bool allocate(struct run *run, struct error *err)
{
	size_t n = run->live.map.n_counters ? run->live.map.n_counters : 1;

	free(run->prev);
	free(run->cur);
	free(run->since);
	free(run->scratch);
	run->prev = calloc(n, sizeof(uint64_t));
	run->cur = calloc(n, sizeof(uint64_t));
	run->scratch = calloc(n, sizeof(uint64_t));
	run->since = run->opt->since ? calloc(n, sizeof(uint64_t)) : NULL;
	if (!run->prev || !run->cur || !run->scratch ||
	    (run->opt->since && !run->since))
		return error_errno(err, "cannot hold %zu counters", n);
	return true;
}

/* Load the previous snapshot of the running boot and --since, if any. */
static bool load_bases(struct run *run, bool *has_prev, struct error *err)
{
	const struct live *live = &run->live;
	const char *previous = store_previous(&run->store, live->boot_id);
	char path[4096];

	*has_prev = false;
	if (previous) {
		struct stat st;

		if (!store_path(&run->store, previous, STORE_COUNTERS, path,
				sizeof(path), err))
			return false;
		/* Deltas and monotonicity need it; starting the series
		 * afresh would attribute the whole boot to the next
		 * interval. */
		if (stat(path, &st) < 0 && errno == ENOENT)
			return error_set(
				err, HVCOV_EXIT_DATA,
				"%s, the last snapshot of boot %016llx in %s/" STORE_INDEX
				", is missing: restore it, or take this boot's snapshots into another store",
				path, (unsigned long long)live->boot_id,
				run->store.root);
		if (!store_path(&run->store, previous, NULL, path, sizeof(path),
				err) ||
		    !store_read_counters(path, live->boot_id, live->map.digest,
					 run->prev, live->map.n_counters, err))
			return false;
		*has_prev = true;
	}
	return !run->opt->since ||
	       store_read_counters(run->opt->since, live->boot_id,
				   live->map.digest, run->since,
				   live->map.n_counters, err);
}

static bool write_gcda(struct run *run, const char *dir, const char *leaf,
		       const uint64_t *values, struct error *err)
{
	struct writer_options write = { 0 };
	struct writer_report report;
	char path[4096];

	if (!store_path(&run->store, dir, leaf, path, sizeof(path), err))
		return false;
	write.output_root = path;
	write.strip = run->opt->strip;
	counter_map_fill(&run->live.map, &run->live.model, values);
	if (!writer_write(&run->live.model, &write, &report, err))
		return false;
	run->last_gcda = report.files;
	return true;
}

/* The IDs of the counters in fresh, for the kcov buffer. */
static bool write_kcov(struct run *run, const char *path,
		       const struct delta_fresh *fresh, struct error *err)
{
	uint64_t *ids = malloc((fresh->n ? fresh->n : 1) * sizeof(uint64_t));
	bool ok;

	if (!ids)
		return error_errno(err, "cannot hold %zu IDs", fresh->n);
	for (size_t i = 0; i < fresh->n; i++)
		ids[i] = counter_map_id(&run->live.map, fresh->index[i]);
	ok = store_write_kcov(path, ids, fresh->n, err);
	free(ids);
	return ok;
}

static uint64_t executed_arcs(const struct counter_map *map,
			      const uint64_t *values)
{
	uint64_t executed = 0;

	for (size_t a = 0; a < map->n_arrays; a++) {
		const struct counter_array *array = &map->arrays[a];

		if (!counter_map_is_arc(map, array->first))
			continue;
		for (uint32_t v = 0; v < array->num; v++)
			executed += values[array->first + v] != 0;
	}
	return executed;
}

static void show(struct run *run, const struct store_record *record)
{
	if (run->observer && run->observer->taken)
		run->observer->taken(run->observer->context, run->store.root,
				     record);
}

static uint64_t count_arcs(const struct counter_map *map,
			   const struct delta_fresh *fresh)
{
	uint64_t n = 0;

	for (size_t i = 0; i < fresh->n; i++)
		n += counter_map_is_arc(map, fresh->index[i]);
	return n;
}

/* Everything one snapshot writes, after a successful scan. */
static bool record(struct run *run, const struct live_sample *sample,
		   bool has_prev, const char *tag, struct error *err)
{
	const struct counter_map *map = &run->live.map;
	struct store_record rec = { 0 };
	struct delta_decrease decrease = { SIZE_MAX, 0, 0 };
	struct delta_fresh since_fresh = { 0 };
	const struct delta_fresh *fresh = &run->fresh;
	/* build is empty until a snapshot directory exists: out: removes it. */
	char dir[256], build[256] = "", path[4096], time_text[64];
	struct timespec now;
	bool ok = false, plain, linked = false;

	clock_gettime(CLOCK_REALTIME, &now);
	format_time(&now, time_text, sizeof(time_text));
	/* --since: the base must not exceed this snapshot either. */
	if (run->since &&
	    !delta_compare(map, run->since, run->cur, run->scratch,
			   &since_fresh, &decrease, err)) {
		char name[400];

		if (decrease.index < map->n_counters) {
			struct error named = { 0 };

			error_set(&named, HVCOV_EXIT_DATA,
				  "%s is %llu in %s but %llu now",
				  counter_map_name(map, &run->live.model,
						   decrease.index, name,
						   sizeof(name)),
				  (unsigned long long)decrease.before,
				  run->opt->since,
				  (unsigned long long)decrease.after);
			*err = named;
		}
		goto out;
	}
	if (run->since)
		fresh = &since_fresh;
	rec.seq = run->store.last_seq + 1;
	plain = !tag && !run->since && run->opt->output == SNAPSHOT_GCDA;
	build[0] = '\0';
	if (!store_make_dir(&run->store, rec.seq, sample->boot_id, tag, dir,
			    sizeof(dir), build, sizeof(build), err))
		goto out;
	/* Nothing changed since the last snapshot this run wrote the same
	 * way: every file would be the same bytes (libgcov's output depends
	 * only on the counters and the objects), so it is linked, without
	 * a libgcov child.  Any failure writes it afresh. */
	if (plain && has_prev && run->last_dir[0] &&
	    !memcmp(run->cur, run->prev, map->n_counters * sizeof(*run->cur))) {
		struct error ignored = { 0 };

		linked = store_link_snapshot(&run->store, run->last_dir, build,
					     run->last_gcda, &ignored);
		if (!linked &&
		    !store_make_dir(&run->store, rec.seq, sample->boot_id, tag,
				    dir, sizeof(dir), build, sizeof(build),
				    err))
			goto out;
	}
	if (linked) {
		/* Counters and .gcda files are the previous snapshot's. */
	} else if (!store_path(&run->store, build, NULL, path, sizeof(path),
			       err) ||
		   !store_write_counters(path, sample->boot_id, map->digest,
					 run->cur, map->n_counters, err)) {
		goto out;
	} else if (run->opt->output == SNAPSHOT_KCOV) {
		if (!write_kcov(run, path, fresh, err))
			goto out;
	} else {
		if (!write_gcda(run, build, "gcda",
				run->since ? run->scratch : run->cur, err))
			goto out;
		/* A tagged interval's own counts: this minus the previous
		 * snapshot of the boot (or of nothing, at its first). */
		if (tag &&
		    (!delta_compare(map, has_prev ? run->prev : NULL, run->cur,
				    run->scratch, NULL, &decrease, err) ||
		     !write_gcda(run, build, "interval", run->scratch, err)))
			goto out;
	}
	rec.time = time_text;
	rec.boot_id = sample->boot_id;
	rec.state = sample->state;
	rec.dir = dir;
	rec.tag = tag;
	rec.since = run->opt->since;
	rec.counters = map->n_counters;
	rec.arcs = map->n_arcs;
	rec.arcs_executed = executed_arcs(map, run->cur);
	rec.new_arcs = count_arcs(map, fresh);
	rec.new_counters = fresh->n;
	if (!store_publish(&run->store, build, dir, err))
		goto out;
	build[0] = '\0';
	if (!store_append(&run->store, &rec, err))
		goto out;
	snprintf(run->last_dir, sizeof(run->last_dir), "%s", plain ? dir : "");
	show(run, &rec);
	ok = true;
out:
	if (build[0])
		store_discard(&run->store, build);
	delta_fresh_free(&since_fresh);
	return ok;
}

/* Tell the observer where the descriptor was found and record the place
 * for the next run, unless the record already says it. */
static bool located(struct run *run, const struct live_place *recorded,
		    struct error *err)
{
	const struct live *live = &run->live;

	if (run->observer && run->observer->located)
		run->observer->located(run->observer->context, live->found,
				       live->place.descriptor);
	if (recorded && !memcmp(recorded, &live->place, sizeof(*recorded)))
		return true;
	return store_write_place(&run->store, &live->place, err);
}

static bool new_boot(struct run *run, bool *has_prev, struct error *err)
{
	uint64_t old = run->live.boot_id;
	struct live_place before = run->live.place;

	run->last_dir[0] = '\0';
	if (!live_reload(&run->live, REBOOT_WAIT_MS, err) ||
	    !located(run, &before, err) || !allocate(run, err) ||
	    !load_bases(run, has_prev, err))
		return false;
	if (run->observer && run->observer->new_boot)
		run->observer->new_boot(run->observer->context, old,
					run->live.boot_id);
	return true;
}

static bool stop_requested(const struct snapshot_options *opt)
{
	return opt->stop && *opt->stop;
}

bool snapshot_wait_tick(const struct snapshot_options *opt,
			const struct timespec *start, unsigned long k)
{
	double at = (double)start->tv_sec + (double)start->tv_nsec / 1e9 +
		    opt->interval * (double)k;
	struct timespec when;

	when.tv_sec = (time_t)at;
	when.tv_nsec = (long)((at - (double)when.tv_sec) * 1e9);
	if (when.tv_nsec >= 1000000000L)
		when.tv_nsec = 999999999L;
	while (!stop_requested(opt)) {
		int rc = clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &when,
					 NULL);

		if (rc == 0)
			return !stop_requested(opt);
		if (rc != EINTR)
			return false;
	}
	return false;
}

static bool take_all(struct run *run, struct error *err)
{
	const struct snapshot_options *opt = run->opt;
	struct timespec start;
	bool has_prev;
	char tag[STORE_MAX_TAG + 24];

	if (!allocate(run, err) || !load_bases(run, &has_prev, err))
		return false;
	clock_gettime(CLOCK_MONOTONIC, &start);
	for (unsigned long k = 0; !opt->count || k < opt->count; k++) {
		struct live_sample sample;
		enum live_result result;
		uint64_t *swap;

		if (k && !snapshot_wait_tick(opt, &start, k))
			break;
		while ((result = live_scan(&run->live,
					   has_prev ? run->prev : NULL,
					   run->cur, &run->fresh, &sample,
					   err)) == LIVE_NEW_BOOT) {
			if (opt->since)
				return error_set(
					err, HVCOV_EXIT_DATA,
					"the hypervisor rebooted: --since %s belongs to the previous boot",
					opt->since);
			if (!new_boot(run, &has_prev, err))
				return false;
		}
		if (result == LIVE_FAILED)
			return false;
		if (opt->tag && opt->count != 1)
			snprintf(tag, sizeof(tag), "%s.%lu", opt->tag, k + 1);
		else if (opt->tag)
			snprintf(tag, sizeof(tag), "%s", opt->tag);
		if (!record(run, &sample, has_prev, opt->tag ? tag : NULL, err))
			return false;
		swap = run->prev;
		run->prev = run->cur;
		run->cur = swap;
		has_prev = true;
		run->taken++;
	}
	return true;
}

bool snapshot_run(const struct snapshot_options *options,
		  const struct snapshot_observer *observer,
		  unsigned long *taken, struct error *err)
{
	struct run run = { .opt = options, .observer = observer };
	struct live_place recorded;
	bool has_record, ok;

	run.store.index_fd = -1;
	/* Read before the store is opened (and the source checked), so
	 * that a refused source still leaves the store untouched. */
	has_record = store_read_place(options->store, &recorded);
	ok = live_open(&run.live, &options->source,
		       has_record ? &recorded : NULL, err) &&
	     (!run.live.clang ||
	      llvm_snapshot_check(&run.live, options, err)) &&
	     store_open(&run.store, options->store, err) &&
	     located(&run, has_record ? &recorded : NULL, err);
	/* clang images: their own loop (llvm-snapshot.c). */
	if (ok && run.live.clang)
		ok = llvm_snapshot_take_all(&run.live, &run.store, options,
					    observer, &run.taken, err);
	else if (ok)
		ok = take_all(&run, err);
	*taken = run.taken;
	store_close(&run.store);
	live_close(&run.live);
	delta_fresh_free(&run.fresh);
	free(run.prev);
	free(run.cur);
	free(run.since);
	free(run.scratch);
	return ok;
}
