/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Where a .gcda named by an image may be written (design.md decision 3).
 * The name comes from untrusted memory, so it is checked as text first
 * (outpath_resolve, no file system access) and its directory is then opened
 * one component at a time relative to directory descriptors
 * (outpath_open_dir), never through a symlink below the output root.
 */
#ifndef HVCOV_OUTPATH_H
#define HVCOV_OUTPATH_H

#include <stdbool.h>
#include <stddef.h>

#include "base/error.h"

/* Names of hvcov's own files in an output directory (ledger, temporary
 * files) start with this; no image may name a .gcda so. */
#define OUTPATH_RESERVED_PREFIX ".hvcov-"

struct outpath {
	/* Where the walk starts: the -o DIR as given, "." for --strip
	 * without -o (GCOV_PREFIX_STRIP without GCOV_PREFIX is relative to
	 * the working directory, as in libgcov) or "/" in place. */
	char *root;
	/* Directory components below root, '/'-separated, "" for none. */
	char *rel_dir;
	char *base;    /* file name, ends in ".gcda" */
	char *display; /* root/rel_dir/base, for messages */
	/* In place, the directories are the user's own build tree: follow
	 * its symlinks, but never create directories an image names. */
	bool in_place;
};

/* Check image_path as text (absolute, valid UTF-8, no control character,
 * no empty, "." or ".." component, none longer than NAME_MAX, NAME.gcda
 * not starting with OUTPATH_RESERVED_PREFIX) and map it below root (NULL:
 * in place) after dropping strip leading directories.  Refusals are
 * HVCOV_EXIT_DATA and quote the path. */
bool outpath_resolve(const char *image_path, const char *root, unsigned strip,
		     struct outpath *out, struct error *err);

/* Open the directory the file goes in (O_DIRECTORY, close-on-exec).  With
 * create false a missing component is not an error: *dirfd is -1.  With
 * create true missing components are made (not in place) and *created
 * counts them, root included, for outpath_remove_created. */
bool outpath_open_dir(const struct outpath *path, bool create, int *dirfd,
		      unsigned *created, struct error *err);

/* Remove the last `created` directories outpath_open_dir made, if they are
 * empty; used when a write is abandoned. */
void outpath_remove_created(const struct outpath *path, unsigned created);

void outpath_free(struct outpath *path);

/* text in double quotes with '"', '\\' and every byte outside printable
 * ASCII escaped, truncated to fit buf; returns buf. */
const char *outpath_quote(const char *text, char *buf, size_t size);

#endif
