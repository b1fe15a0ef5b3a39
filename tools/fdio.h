/* SPDX-License-Identifier: BSD-2-Clause */
/* Writing a whole buffer to a descriptor despite EINTR and short writes. */
#ifndef HVCOV_FDIO_H
#define HVCOV_FDIO_H

#include <stdbool.h>
#include <stddef.h>

/* false with errno set (EIO for a write that made no progress). */
bool fd_write_all(int fd, const void *data, size_t length);

#endif
