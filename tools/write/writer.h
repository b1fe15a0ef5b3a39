/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The writer: a decoded model becomes .gcda files, written by the host's own
 * libgcov from host-native gcov_info copies (design.md decisions 1, 3, 4).
 *
 * All or nothing: every path, version and merge condition is checked before
 * anything is written; libgcov then writes temporary files beside the final
 * names (or in a stage directory of the same file system, moved beside them
 * once verified) in a child process, each is verified, and only then
 * renamed over the final names.  Other hvcov runs keep out of every
 * directory written into (a lease file in it, writer.c), and the open
 * descriptors do not grow with the number of directories.  A failure before the renames leaves every previous
 * .gcda byte-identical and no temporary file behind.
 */
#ifndef HVCOV_WRITER_H
#define HVCOV_WRITER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/error.h"
#include "gcov/model.h"

struct writer_options {
	const char *output_root; /* -o DIR; NULL writes in place */
	unsigned strip;          /* --strip N */
	bool merge;              /* --merge: accumulate into existing files */
};

struct writer_report {
	size_t files;  /* .gcda files written */
	size_t merged; /* of which merged into an existing file */
	/* --merge: files left alone because they already hold this run (an
	 * earlier, interrupted extraction of it got that far). */
	size_t held;
	uint64_t functions; /* function records with data */
	uint64_t counters;  /* counter values handed to libgcov */
};

/* The gcov version word of the libgcov hvcov is linked with. */
uint32_t writer_host_version(void);

/* Write every object of model; fills report on success. */
bool writer_write(const struct model *model,
		  const struct writer_options *options,
		  struct writer_report *report, struct error *err);

#endif
