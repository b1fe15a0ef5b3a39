/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The host libgcov as a .gcda writer: model objects laid out as host-native
 * gcov_info structures (host pointers, host byte order, host merge
 * functions), registered with __gcov_init and written by one __gcov_dump.
 *
 * libgcov keeps process-wide state that makes it a one-shot writer: a
 * "dumped" flag that turns every later __gcov_dump into a no-op until
 * __gcov_reset (which zeroes every registered counter), a list of every
 * gcov_info ever registered (never shortened), and a cached error stream.
 * It reports failures only as text.  So the dump runs in a child process:
 * each call starts from a pristine libgcov, nothing registered outlives the
 * call, a crash inside libgcov cannot take hvcov down, and the child's
 * stderr is a pipe whose every byte counts as an error.
 */
#ifndef HVCOV_HOSTGCOV_H
#define HVCOV_HOSTGCOV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "base/error.h"
#include "gcov/gcc-layout.h"
#include "gcov/model.h"

/* The gcov version word of the linked libgcov. */
uint32_t hostgcov_version(void);

/* Whether the linked libgcov has a merge function for kind (and hvcov
 * knows how to hand it counters of that kind); false with a reason. */
bool hostgcov_kind_supported(const struct gcc_layout *host, unsigned kind,
			     const char **why);

/* Write objects[i] to paths[i] (a path libgcov opens as is: no prefix or
 * strip applies).  Objects must carry the host version.  Success means
 * libgcov ran to the end and printed nothing; the caller still checks the
 * files. */
bool hostgcov_dump(const struct model_object *const *objects,
		   const char *const *paths, size_t n, struct error *err);

/* Whether hvcov can write .gcda files of this gcov version: its own
 * libgcov's, or one a per-release helper is installed for. */
bool hostgcov_can_write(uint32_t version);

/* The versions hvcov can write, its own first; returns how many (at most
 * max). */
size_t hostgcov_releases(uint32_t *versions, size_t max);

/* hostgcov_dump() through the libgcov of release version: the linked one,
 * or that release's helper program.  When objects[i] is
 * &owner->objects[i] for every i (owner may be NULL), the linked
 * libgcov's child gives back the model's memory as it lays the objects
 * out (model_release_before()): the child's peak is hvcov's. */
bool hostgcov_dump_as(uint32_t version, const struct model *owner,
		      const struct model_object *const *objects,
		      const char *const *paths, size_t n, struct error *err);

/* The helper's side: read a model from in, dump it through the linked
 * libgcov.  Returns true on success. */
bool hostgcov_serve(FILE *in, struct error *err);

#endif
