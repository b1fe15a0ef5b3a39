/* SPDX-License-Identifier: BSD-2-Clause */
#include "fdio.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
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

bool fd_read_file(int fd, size_t max, unsigned char **buf, size_t *len)
{
	struct stat st;
	size_t size, got = 0;
	int saved;

	*buf = NULL;
	if (fstat(fd, &st) != 0)
		return false;
	if (!S_ISREG(st.st_mode)) {
		errno = EINVAL;
		return false;
	}
	if (st.st_size < 0 || (unsigned long long)st.st_size > max) {
		errno = EFBIG;
		return false;
	}
	size = (size_t)st.st_size;
	*buf = malloc(size + 1);
	if (!*buf)
		return false;
	while (got < size) {
		ssize_t n = read(fd, *buf + got, size - got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			saved = n ? errno : ENODATA;
			free(*buf);
			*buf = NULL;
			errno = saved;
			return false;
		}
		got += (size_t)n;
	}
	*len = got;
	return true;
}

bool path_read_text(const char *path, int flags, char *text, size_t size)
{
	int fd = open(path, flags | O_RDONLY | O_CLOEXEC);
	ssize_t got;

	if (fd < 0 || size < 2) {
		if (fd >= 0)
			close(fd);
		return false;
	}
	got = read(fd, text, size - 1);
	close(fd);
	if (got <= 0)
		return false;
	text[got] = '\0';
	return true;
}
