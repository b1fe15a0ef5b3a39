/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The fuzz targets' one entry point, libFuzzer's.  Each target is built two
 * ways from the same file: with clang's -fsanitize=fuzzer (make fuzz), and
 * with any compiler against tests/fuzz/standalone.c, a main() that feeds it
 * the files named on its command line (make check replays the seed and
 * regression corpora that way; AFL++ runs it as "TARGET @@").
 *
 * A target returns 0 for every input.  What it must never do is crash,
 * hang, leak or read outside the input; where a result can be checked
 * against an invariant, a violation calls fuzz_violation(), which aborts
 * so that both libFuzzer and the replay report it.
 */
#ifndef HVCOV_FUZZ_H
#define HVCOV_FUZZ_H

#include <stddef.h>
#include <stdint.h>

#include "base/error.h"
#include "image/header.h"
#include "image/image.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Print what broke and abort. */
_Noreturn void fuzz_violation(const char *what, const char *detail);

/* A failed call must leave exactly one line of text and a status that is
 * 1 (data) or 2 (system); a successful one no error at all. */
void fuzz_check_error(const struct error *err, _Bool ok);

/* Copy the input into a buffer of its own size (so that ASan catches any
 * read past it), make that the image, locate its header and check the
 * error contract.  The image is the caller's to free, whatever the
 * result. */
_Bool fuzz_locate(const uint8_t *data, size_t size,
		  const struct header_options *options, struct image *image,
		  struct header *header);

/* A directory of this process's own for targets that read files (made on
 * first use, removed at exit), and a file written into it. */
const char *fuzz_scratch_dir(void);
void fuzz_write_file(const char *dir, const char *name, const uint8_t *data,
		     size_t size);

#endif
