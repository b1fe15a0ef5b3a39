/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * A live image: a hypervisor whose counters change while hvcov reads them,
 * seen through a read-only shared mapping (a QEMU RAM file, a window of
 * /dev/mem, any file that can be mapped).  hvcov never writes into it.
 *
 * The gcov structures (list, functions, counter addresses) are static once
 * hvcov_init() has run, so they are decoded once per boot, from a private
 * copy, with every check of reader.c.  Only the counters are then read from
 * the mapping, at addresses that copy validated, without tearing (untorn.h).
 *
 * Boot identity: each scan reads the descriptor's boot_id and state before
 * and after the counters (acquire ordering).  A scan during which either
 * changed is repeated; a boot_id other than the decoded one means a new
 * boot, whose structures are decoded afresh (live_reload).
 *
 * The source: only a regular file or a device can be mapped; anything else
 * (a FIFO) is refused before it is read.  Each scan checks that the name
 * still leads to the file mapped (one renamed over it is a new boot) and
 * that the file still holds the image (a shrunk one is an error, and a
 * SIGBUS from a truncation during the scan is caught and reported).
 */
#ifndef HVCOV_LIVE_H
#define HVCOV_LIVE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "base/error.h"
#include "counter-map.h"
#include "delta.h"
#include "gcov/model.h"
#include "image/header.h"
#include "image/image.h"
#include "place.h"
#include "source/source.h"

struct live {
	struct source asked;  /* as given (strings not owned) */
	struct source source; /* as read: asked, or a window of the image */
	/* Where the descriptor was found and how; where to look first at
	 * the next decode (live_reload) when has_hint. */
	struct live_place place;
	enum live_found found;
	struct live_place hint;
	bool has_hint;
	struct image image; /* the private copy decoded at open */
	struct header header;
	struct model model; /* its counter values are not live */
	struct counter_map map;
	uint8_t *mapping; /* read-only shared mapping */
	size_t mapping_size;
	const uint8_t *base;       /* image byte 0 inside the mapping */
	const uint8_t *descriptor; /* the descriptor inside the mapping */
	uint64_t boot_id;          /* the boot the structures belong to */
	bool clang;                /* a clang image: no counter map, read by
				     llvm-snapshot.c */
	int fd;                    /* the source, opened once per decode */
	dev_t dev;                 /* its identity, checked every scan */
	ino_t ino;
};

enum live_result {
	LIVE_SCANNED,  /* cur holds this boot's counters */
	LIVE_NEW_BOOT, /* another boot runs: live_reload, then scan again */
	LIVE_FAILED,   /* err says why (a decrease is status 1) */
};

/* What the descriptor said around a successful scan. */
struct live_sample {
	uint64_t boot_id;
	uint32_t state; /* HVCOV_STATE_*, as read after the counters */
};

/* Decode the structures and map the image.  Refuses Jailhouse images
 * (no boot identity or state) and images whose hypervisor has not run
 * hvcov_init() yet (status 1).  hint: NULL, or where an earlier run found
 * the descriptor (place.h: looked at first, checked, never trusted). */
bool live_open(struct live *live, const struct source *source,
	       const struct live_place *hint, struct error *err);

/* Decode again after LIVE_NEW_BOOT; waits up to wait_ms for the new boot's
 * hvcov_init() to finish. */
bool live_reload(struct live *live, unsigned wait_ms, struct error *err);

/* One consistent scan (delta.h) of every counter into cur, which holds
 * live->map.n_counters values. */
enum live_result live_scan(struct live *live, const uint64_t *prev,
			   uint64_t *cur, struct delta_fresh *fresh,
			   struct live_sample *sample, struct error *err);

void live_close(struct live *live);

/* Before every scan: false (err says why) when the source went away or no
 * longer holds the whole image; *replaced when another file has its name
 * now (a new boot's image renamed over the old). */
bool live_check_source(const struct live *live, bool *replaced,
		       struct error *err);

/* The descriptor's boot id (untorn) and state, with acquire ordering. */
void live_read_descriptor(const struct live *live, uint64_t *boot_id,
			  uint32_t *state);

/* Run read(context) with SIGBUS caught: a file truncated under the mapping
 * raises it on the next touch past its end.  false when that happened
 * (err untouched) or SIGBUS could not be caught (err set). */
bool live_guarded(void (*read)(void *context), void *context,
		  struct error *err);

#endif
