/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The malformed-image matrix: named ways an image from a misbehaving or
 * compromised hypervisor can be wrong, each made by damaging one good image
 * (tests/image-builder, the host's GCC layout, so that the undamaged image
 * extracts).  tests/check_malformed.c runs every case through the reader
 * (and the writer where the damage only shows there); tests/robustness/malformed-images
 * writes them out for tests/robustness/run-extract-malformed.sh, which runs
 * `hvcov extract` on each.  Both demand one error line naming the problem,
 * exit status 1, no file written, bounded time and memory.
 */
#ifndef HVCOV_MALFORMED_H
#define HVCOV_MALFORMED_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Where the damage must be caught. */
enum malformed_stage {
	MALFORMED_HEADER, /* header_locate */
	MALFORMED_READER, /* reader_read */
	MALFORMED_WRITER, /* writer_write (paths) */
};

struct malformed_case {
	const char *name;
	enum malformed_stage stage;
	/* Plain text the one error line must contain. */
	const char *expect;
	/* What `hvcov extract` says instead, where reading the file already
	 * refuses it (NULL: the same). */
	const char *cli_expect;
};

extern const size_t malformed_count;

/* Case i < malformed_count. */
const struct malformed_case *malformed_case(size_t i);

/* The bytes of case i (malloc'ed; *size may be 0), or NULL when the good
 * image cannot be built.  Case index malformed_count gives the good image. */
uint8_t *malformed_build(size_t i, uint32_t version, size_t *size);

#endif
