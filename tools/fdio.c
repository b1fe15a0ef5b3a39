/* SPDX-License-Identifier: BSD-2-Clause */
#include "fdio.h"

#include <errno.h>
#include <unistd.h>

bool fd_write_all(int fd, const void *data, size_t length)
{
	const char *next = data;

	while (length) {
		ssize_t written = write(fd, next, length);

		if (written < 0 && errno == EINTR)
			continue;
		if (written <= 0) {
			if (written == 0)
				errno = EIO;
			return false;
		}
		next += written;
		length -= (size_t)written;
	}
	return true;
}
