/* SPDX-License-Identifier: BSD-2-Clause */
/* Writing a whole buffer to a descriptor, and reading a whole regular file,
 * despite EINTR and short transfers. */
#ifndef HVCOV_FDIO_H
#define HVCOV_FDIO_H

#include <stdbool.h>
#include <stddef.h>

/* false with errno set (EIO for a write that made no progress). */
bool fd_write_all(int fd, const void *data, size_t length);

/* Read the regular file open on fd (from its current offset, normally 0)
 * into a new buffer of its size plus one spare byte (for a terminator);
 * the caller frees *buf.  false with *buf NULL and errno set: EINVAL not a
 * regular file, EFBIG larger than max bytes, ENODATA shorter than its size
 * said (it shrank while read), ENOMEM, or the error of fstat or read. */
bool fd_read_file(int fd, size_t max, unsigned char **buf, size_t *len);

/* The first size - 1 bytes of the small file at path (a /proc entry, a
 * one-line record), in one read(2), NUL-terminated in text.  open(2) gets
 * flags | O_RDONLY | O_CLOEXEC.  false when it cannot be opened or read or
 * is empty: the callers treat all three as "no such record". */
bool path_read_text(const char *path, int flags, char *text, size_t size);

#endif
