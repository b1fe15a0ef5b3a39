/* SPDX-License-Identifier: BSD-2-Clause */
#include "feed.h"

#include <stdlib.h>
#include <string.h>

/* How long a new boot may take to reach hvcov_init(). */
#define FEED_REBOOT_WAIT_MS 10000

static bool allocate(struct feed *feed, struct error *err)
{
	size_t n = feed->live.map.n_counters ? feed->live.map.n_counters : 1;

	free(feed->prev);
	free(feed->cur);
	feed->prev = calloc(n, sizeof(uint64_t));
	feed->cur = calloc(n, sizeof(uint64_t));
	feed->has_prev = false;
	if (!feed->prev || !feed->cur)
		return error_errno(err, "cannot hold %zu counters", n);
	return true;
}

static enum live_result scan(struct feed *feed, struct error *err)
{
	struct live_sample sample;
	enum live_result result;

	while ((result = live_scan(&feed->live,
				   feed->has_prev ? feed->prev : NULL,
				   feed->cur, &feed->fresh, &sample, err)) ==
	       LIVE_NEW_BOOT) {
		if (!live_reload(&feed->live, FEED_REBOOT_WAIT_MS, err) ||
		    !allocate(feed, err))
			return LIVE_FAILED;
		feed->boots++;
	}
	if (result == LIVE_SCANNED) {
		uint64_t *swap = feed->prev;

		feed->prev = feed->cur;
		feed->cur = swap;
		feed->has_prev = true;
	}
	return result;
}

bool feed_open(struct feed *feed, const struct source *source, bool from_now,
	       struct error *err)
{
	memset(feed, 0, sizeof(*feed));
	if (!live_open(&feed->live, source, NULL, err))
		return false;
	if (feed->live.clang) {
		/* No counter map: it would feed nothing, never an error. */
		error_set(
			err, HVCOV_EXIT_DATA,
			"%s: a clang image: the feed reads gcov counters only",
			feed->live.image.source);
		live_close(&feed->live);
		return false;
	}
	if (allocate(feed, err) &&
	    (!from_now || scan(feed, err) == LIVE_SCANNED))
		return true;
	feed_close(feed);
	return false;
}

bool feed_next(struct feed *feed, const uint64_t **ids, size_t *n,
	       struct error *err)
{
	if (scan(feed, err) != LIVE_SCANNED)
		return false;
	if (feed->fresh.n > feed->ids_capacity) {
		uint64_t *grown =
			realloc(feed->ids, feed->fresh.n * sizeof(uint64_t));

		if (!grown)
			return error_errno(err, "cannot hold %zu IDs",
					   feed->fresh.n);
		feed->ids = grown;
		feed->ids_capacity = feed->fresh.n;
	}
	for (size_t i = 0; i < feed->fresh.n; i++)
		feed->ids[i] =
			counter_map_id(&feed->live.map, feed->fresh.index[i]);
	*ids = feed->ids;
	*n = feed->fresh.n;
	return true;
}

void feed_close(struct feed *feed)
{
	live_close(&feed->live);
	delta_fresh_free(&feed->fresh);
	free(feed->prev);
	free(feed->cur);
	free(feed->ids);
	memset(feed, 0, sizeof(*feed));
}
