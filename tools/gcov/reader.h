/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The reader: walks the foreign gcov_info graph of an image whose header has
 * been located (header_locate) and decodes it into the neutral model.  It
 * trusts nothing in the image: every address goes through image_at(), the
 * list is walked with a cycle and count bound, strings must end inside the
 * image and every count is bounded by the bytes that could hold it.
 */
#ifndef HVCOV_READER_H
#define HVCOV_READER_H

#include <stdbool.h>

#include "base/error.h"
#include "image/header.h"
#include "image/image.h"
#include "model.h"

/* Fill `model` (which it first zeroes) from the constructor list and the
 * .gcov_info section the header names, in that order.  On failure the model
 * is left empty and err names the object, the field and the address. */
bool reader_read(const struct image *image, const struct header *header,
		 struct model *model, struct error *err);

/* The counters the reader lent out of image (image.lend_counters) become
 * the model's own: each array is copied into the model's pool, in the
 * order of their addresses, and the image's pages below the next one are
 * discarded as the copy passes them, so the image and the copies are not
 * held at once.  Arrays the reader copied move into the pool too.  The
 * image must be freed next, unread: the pages it gave back read as zeros.
 * What the image held besides counters (the gcov structures, the
 * hypervisor's code and data of a RAM window) is not kept.  Fails (out
 * of memory) before it changes anything. */
bool reader_take_counters(struct image *image, struct model *model,
			  struct error *err);

#endif
