/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * One run of hvcov snapshot: open the live image (live.h) and the store
 * (snapshot-store.h), take the snapshots, once or every interval, and record
 * each one: its counters, its .gcda files or kcov buffer, its index line.
 * Progress goes to the caller's observer (this code prints nothing);
 * nothing is written into the hypervisor.
 */
#ifndef HVCOV_SNAPSHOT_RUN_H
#define HVCOV_SNAPSHOT_RUN_H

#include <signal.h>
#include <stdbool.h>
#include <time.h>

#include "base/error.h"
#include "place.h"
#include "snapshot-store.h"
#include "source/source.h"

/* What each snapshot directory holds besides its raw counters. */
enum snapshot_output {
	SNAPSHOT_GCDA, /* gcda/ (and interval/ when tagged) */
	SNAPSHOT_KCOV, /* kcov: the IDs of the counters new in the interval */
};

struct snapshot_options {
	struct source source; /* the live image */
	const char *store;    /* the store's directory (created if missing) */
	unsigned strip;       /* leading directories dropped from .gcda paths */
	double interval;      /* seconds between snapshots; 0: one only */
	unsigned long count;  /* snapshots to take; 0: until *stop */
	const char *tag;      /* names the intervals (NAME.k when several);
				 NULL: untagged */
	const char *since;    /* gcda/ holds the difference to this snapshot
				 directory of the same boot; NULL: totals */
	enum snapshot_output output;
	/* Set asynchronously (a signal handler) to end the run before its
	 * next snapshot; NULL: the run ends only after count snapshots. */
	const volatile sig_atomic_t *stop;
};

/* What a run reports as it goes (the command prints it); NULL members and
 * a NULL observer are allowed. */
struct snapshot_observer {
	/* A snapshot was recorded (its index line is written); store is the
	 * store's directory, record->dir relative to it. */
	void (*taken)(void *context, const char *store,
		      const struct store_record *record);
	/* The hypervisor rebooted: a new series starts. */
	void (*new_boot)(void *context, uint64_t old_boot_id,
			 uint64_t new_boot_id);
	/* The descriptor was found at byte `at` of the source (the
	 * physical address, for --phys), as `found` says (place.h). */
	void (*located)(void *context, enum live_found found, uint64_t at);
	void *context;
};

/* Take the snapshots, telling observer (may be NULL) about each.  A new
 * boot of the hypervisor starts a new series (refused with --since, whose
 * base belongs to the old boot).  *taken counts the snapshots recorded,
 * also on failure.  Returns false with err set (status 1 for data such as
 * a counter that decreased, 2 for the system); the snapshots recorded
 * before stay. */
/* Sleep until the k-th interval after start (CLOCK_MONOTONIC); false when
 * the run is asked to stop.  The gcov and the clang loops share it. */
bool snapshot_wait_tick(const struct snapshot_options *opt,
			const struct timespec *start, unsigned long k);

bool snapshot_run(const struct snapshot_options *options,
		  const struct snapshot_observer *observer,
		  unsigned long *taken, struct error *err);

#endif
