/* SPDX-License-Identifier: BSD-2-Clause */
#include "ledger.h"
#include "fdio.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "outpath.h"

#define LEDGER_HEADER "hvcov-ledger 1\n"
#define LEDGER_MAX_SIZE (64u << 20)

static bool corrupt(struct error *err, const char *dir_display,
		    const char *why)
{
	char quoted[300];

	return error_set(err, HVCOV_EXIT_SYSTEM,
			 "ledger %s/" LEDGER_NAME " is unusable (%s); it "
			 "records which runs were merged, so hvcov will not "
			 "guess: inspect or remove it",
			 outpath_quote(dir_display, quoted, sizeof(quoted)),
			 why);
}

static bool add(struct ledger *ledger, const char *identity, const char *name,
		size_t name_len)
{
	struct ledger_entry *entry;

	if (ledger->n == ledger->cap) {
		size_t cap = ledger->cap ? 2 * ledger->cap : 16;
		struct ledger_entry *grown =
			realloc(ledger->entries, cap * sizeof(*grown));

		if (!grown)
			return false;
		ledger->entries = grown;
		ledger->cap = cap;
	}
	entry = &ledger->entries[ledger->n];
	entry->name = strndup(name, name_len);
	if (!entry->name)
		return false;
	memcpy(entry->identity, identity, LEDGER_IDENTITY_LEN);
	entry->identity[LEDGER_IDENTITY_LEN] = '\0';
	ledger->n++;
	return true;
}

static bool parse(char *text, size_t len, const char *dir_display,
		  struct ledger *ledger, struct error *err)
{
	size_t header = strlen(LEDGER_HEADER);
	char *line, *end = text + len;

	if (len < header || memcmp(text, LEDGER_HEADER, header) != 0)
		return corrupt(err, dir_display, "bad header");
	if (len && text[len - 1] != '\n')
		return corrupt(err, dir_display, "truncated");
	for (line = text + header; line < end; ) {
		char *nl = memchr(line, '\n', (size_t)(end - line));
		size_t line_len = (size_t)(nl - line);

		if (line_len < LEDGER_IDENTITY_LEN + 2 ||
		    line[LEDGER_IDENTITY_LEN] != ' ' ||
		    memchr(line, '\0', line_len))
			return corrupt(err, dir_display, "malformed record");
		if (!add(ledger, line, line + LEDGER_IDENTITY_LEN + 1,
			 line_len - LEDGER_IDENTITY_LEN - 1))
			return error_errno(err, "out of memory");
		line = nl + 1;
	}
	return true;
}

bool ledger_load(int dirfd, const char *dir_display, struct ledger *ledger,
		 struct error *err)
{
	struct stat st;
	char *text = NULL;
	size_t got = 0;
	bool ok = false;
	int fd;

	memset(ledger, 0, sizeof(*ledger));
	fd = openat(dirfd, LEDGER_NAME,
		    O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0 && errno == ENOENT)
		return true;
	if (fd < 0) {
		if (errno == ELOOP)
			return corrupt(err, dir_display, "a symlink");
		return corrupt(err, dir_display, strerror(errno));
	}
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) ||
	    st.st_size > LEDGER_MAX_SIZE) {
		corrupt(err, dir_display, "not a plausible regular file");
		goto out;
	}
	text = malloc((size_t)st.st_size + 1);
	if (!text) {
		error_errno(err, "out of memory");
		goto out;
	}
	while (got < (size_t)st.st_size) {
		ssize_t n = read(fd, text + got, (size_t)st.st_size - got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			corrupt(err, dir_display,
				n ? strerror(errno) : "shrank while read");
			goto out;
		}
		got += (size_t)n;
	}
	ok = parse(text, got, dir_display, ledger, err);
out:
	free(text);
	close(fd);
	if (!ok)
		ledger_free(ledger);
	return ok;
}

bool ledger_has(const struct ledger *ledger, const char *identity,
		const char *name)
{
	for (size_t i = 0; i < ledger->n; i++)
		if (!strcmp(ledger->entries[i].identity, identity) &&
		    !strcmp(ledger->entries[i].name, name))
			return true;
	return false;
}

bool ledger_record(struct ledger *ledger, const char *identity,
		   const char *name, bool replace, struct error *err)
{
	if (replace) {
		size_t kept = 0;

		for (size_t i = 0; i < ledger->n; i++) {
			if (!strcmp(ledger->entries[i].name, name))
				free(ledger->entries[i].name);
			else
				ledger->entries[kept++] = ledger->entries[i];
		}
		ledger->n = kept;
	}
	ledger->dirty = true;
	if (ledger_has(ledger, identity, name))
		return true;
	if (!add(ledger, identity, name, strlen(name)))
		return error_errno(err, "out of memory");
	return true;
}

/* The whole file in one buffer: one write() instead of four per record. */
static char *format_ledger(const struct ledger *ledger, size_t *len)
{
	size_t size = strlen(LEDGER_HEADER) + 1;
	char *text;

	for (size_t i = 0; i < ledger->n; i++)
		size += LEDGER_IDENTITY_LEN + strlen(ledger->entries[i].name) +
			2;
	text = malloc(size);
	if (!text)
		return NULL;
	*len = (size_t)snprintf(text, size, "%s", LEDGER_HEADER);
	for (size_t i = 0; i < ledger->n; i++)
		*len += (size_t)snprintf(text + *len, size - *len, "%s %s\n",
					 ledger->entries[i].identity,
					 ledger->entries[i].name);
	return text;
}

bool ledger_store(int dirfd, const char *dir_display, struct ledger *ledger,
		  struct error *err)
{
	char tmp[64], quoted[300], *text;
	size_t len = 0;
	bool ok;
	int fd;

	if (!ledger->dirty)
		return true;
	snprintf(tmp, sizeof(tmp), LEDGER_NAME ".tmp.%ld", (long)getpid());
	outpath_quote(dir_display, quoted, sizeof(quoted));
	fd = openat(dirfd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW |
		    O_CLOEXEC, 0666);
	if (fd < 0)
		return error_errno(err, "cannot create the ledger in %s",
				   quoted);
	text = format_ledger(ledger, &len);
	ok = text && fd_write_all(fd, text, len) && fsync(fd) == 0;
	free(text);
	if (close(fd) != 0)
		ok = false;
	if (ok && renameat(dirfd, tmp, dirfd, LEDGER_NAME) == 0 &&
	    fsync(dirfd) == 0) {
		ledger->dirty = false;
		return true;
	}
	error_errno(err, "cannot update the ledger in %s", quoted);
	unlinkat(dirfd, tmp, 0);
	return false;
}

void ledger_free(struct ledger *ledger)
{
	for (size_t i = 0; i < ledger->n; i++)
		free(ledger->entries[i].name);
	free(ledger->entries);
	memset(ledger, 0, sizeof(*ledger));
}
