/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * hvcov snapshot of a clang image (docs/snapshots.md, "clang images"):
 * per snapshot the counters of __llvm_prf_cnts read untorn (untorn.h) and
 * the MC/DC bitmap bytes of __llvm_prf_bits (a byte load is never torn),
 * stored as the counters file (the 64-bit counters, then one value per
 * bitmap byte) and written as raw profiles with the writer extract uses
 * (tools/llvm/profraw.h): profraw/ the cumulative state (or the difference
 * to --since), interval/ (tagged) this minus the previous snapshot of the
 * boot; or, with --output-format kcov, the stable IDs of the counters new
 * in the interval (profraw_counter_ids()).  An interval's bitmap holds the
 * bits set now that were not set before.  A counter that decreased or a
 * bitmap bit that was cleared is an error.
 */
#ifndef HVCOV_LLVM_SNAPSHOT_H
#define HVCOV_LLVM_SNAPSHOT_H

#include <stdbool.h>

#include "base/error.h"
#include "live.h"
#include "snapshot-run.h"
#include "snapshot-store.h"

/* Everything extract checks of the image's profile: before the store is
 * created. */
bool llvm_snapshot_check(const struct live *live,
			 const struct snapshot_options *options,
			 struct error *err);

/* The snapshot run of a clang image, opened by live_open() (live->clang)
 * into store; the same contract as snapshot_run(), except that a reboot
 * of the hypervisor ends the run with an error. */
bool llvm_snapshot_take_all(struct live *live, struct store *store,
			    const struct snapshot_options *options,
			    const struct snapshot_observer *observer,
			    unsigned long *taken, struct error *err);

#endif
