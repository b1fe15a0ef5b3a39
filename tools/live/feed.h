/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The coverage feed for in-process consumers, such as a coverage-guided
 * fuzzer that drives the hypervisor: after each input, feed_next() scans
 * the live image (delta.h) and returns the stable IDs (counter-map.h) of
 * the counters that went from zero to non-zero since the previous call.
 * The same IDs `hvcov snapshot --output-format kcov` writes.  Nothing is
 * written into the hypervisor.
 *
 *     struct source source = { .path = "ram.img" };
 *     struct feed feed;
 *     struct error err = { 0 };
 *     if (!feed_open(&feed, &source, true, &err)) ...
 *     for (;;) {
 *             run_one_input();
 *             if (!feed_next(&feed, &ids, &n, &err)) ...
 *             ... n IDs in ids[0..n) are new coverage ...
 *     }
 *     feed_close(&feed);
 */
#ifndef HVCOV_FEED_H
#define HVCOV_FEED_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/error.h"
#include "delta.h"
#include "live.h"
#include "source/source.h"

struct feed {
	struct live live;
	uint64_t *prev, *cur;
	bool has_prev; /* false: the next interval starts from zero */
	struct delta_fresh fresh;
	uint64_t *ids;
	size_t ids_capacity;
	unsigned long boots; /* new boots seen since feed_open */
};

/* Open the live source.  from_now: the first interval starts with the
 * counters as they are now; otherwise it starts from zero (every counter
 * already non-zero is reported by the first feed_next). */
bool feed_open(struct feed *feed, const struct source *source, bool from_now,
	       struct error *err);

/* Scan once; *ids (valid until the next call) gets the *n new IDs.  After
 * a reboot the interval restarts from zero and feed->boots counts it. */
bool feed_next(struct feed *feed, const uint64_t **ids, size_t *n,
	       struct error *err);

void feed_close(struct feed *feed);

#endif
