/* SPDX-License-Identifier: BSD-2-Clause */
#include "ledger.h"
#include "base/fdio.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/hash.h"
#include "outpath.h"

#define LEDGER_HEADER "hvcov-ledger 2\n"
#define LEDGER_HEADER_V1 "hvcov-ledger 1\n"
#define LEDGER_MAX_SIZE (64u << 20)
#define PENDING "pending "
/* "pending " <16 hex digits> ' ' <R|M> ' ' */
#define PENDING_PREFIX_LEN (sizeof(PENDING) - 1 + 16 + 3)
/* The largest .gcda a pending record is checked against (the writer's
 * own limit). */
#define DIGEST_MAX_SIZE (1u << 30)

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
	memset(entry, 0, sizeof(*entry));
	entry->name = strndup(name, name_len);
	if (!entry->name)
		return false;
	memcpy(entry->identity, identity, LEDGER_IDENTITY_LEN);
	entry->identity[LEDGER_IDENTITY_LEN] = '\0';
	ledger->n++;
	return true;
}

/* "pending <digest> <R|M> " at the start of a record: its fields, and
 * the plain record that follows. */
static bool parse_pending(char **line, size_t *line_len, uint64_t *digest,
			  bool *replace)
{
	char hex[17], *end;

	if (*line_len < PENDING_PREFIX_LEN ||
	    memcmp(*line, PENDING, sizeof(PENDING) - 1))
		return false;
	memcpy(hex, *line + sizeof(PENDING) - 1, 16);
	hex[16] = '\0';
	*digest = strtoull(hex, &end, 16);
	if (end != hex + 16 || (*line)[PENDING_PREFIX_LEN - 3] != ' ' ||
	    ((*line)[PENDING_PREFIX_LEN - 2] != 'R' &&
	     (*line)[PENDING_PREFIX_LEN - 2] != 'M') ||
	    (*line)[PENDING_PREFIX_LEN - 1] != ' ')
		return false;
	*replace = (*line)[PENDING_PREFIX_LEN - 2] == 'R';
	*line += PENDING_PREFIX_LEN;
	*line_len -= PENDING_PREFIX_LEN;
	return true;
}

static bool parse(char *text, size_t len, const char *dir_display,
		  struct ledger *ledger, struct error *err)
{
	size_t header = strlen(LEDGER_HEADER);
	char *line, *end = text + len;
	bool v1;

	if (len < header || (memcmp(text, LEDGER_HEADER, header) != 0 &&
			     memcmp(text, LEDGER_HEADER_V1, header) != 0))
		return corrupt(err, dir_display, "bad header");
	v1 = memcmp(text, LEDGER_HEADER_V1, header) == 0;
	if (len && text[len - 1] != '\n')
		return corrupt(err, dir_display, "truncated");
	for (line = text + header; line < end; ) {
		char *nl = memchr(line, '\n', (size_t)(end - line));
		size_t line_len = (size_t)(nl - line);
		bool pending, replace = false;
		uint64_t digest = 0;

		pending = !v1 &&
			  parse_pending(&line, &line_len, &digest, &replace);
		if (line_len < LEDGER_IDENTITY_LEN + 2 ||
		    line[LEDGER_IDENTITY_LEN] != ' ' ||
		    memchr(line, '\0', line_len))
			return corrupt(err, dir_display, "malformed record");
		if (!add(ledger, line, line + LEDGER_IDENTITY_LEN + 1,
			 line_len - LEDGER_IDENTITY_LEN - 1))
			return error_errno(err, "out of memory");
		ledger->entries[ledger->n - 1].pending = pending;
		ledger->entries[ledger->n - 1].replace = replace;
		ledger->entries[ledger->n - 1].digest = digest;
		line = nl + 1;
	}
	return true;
}

uint64_t ledger_digest(const uint8_t *bytes, size_t length)
{
	return hash_fnv_bytes(HASH_FNV_OFFSET, bytes, length);
}

/* The digest of DIR/name, false when it is not a readable regular file. */
static bool file_digest(int dirfd, const char *name, uint64_t *digest)
{
	unsigned char *bytes;
	size_t len;
	bool ok;
	int fd = openat(dirfd, name,
			O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);

	if (fd < 0)
		return false;
	ok = fd_read_file(fd, DIGEST_MAX_SIZE, &bytes, &len);
	if (ok)
		*digest = ledger_digest(bytes, len);
	free(bytes);
	close(fd);
	return ok;
}

static void settle_at(struct ledger *ledger, size_t at);

/* Settle the pending records a killed writer left (see ledger.h). */
static bool settle_left_over(int dirfd, struct ledger *ledger,
			     struct error *err)
{
	size_t i = 0;

	(void)err;
	while (i < ledger->n) {
		struct ledger_entry *e = &ledger->entries[i];
		uint64_t digest;

		if (!e->pending) {
			i++;
			continue;
		}
		ledger->dirty = true;
		if (file_digest(dirfd, e->name, &digest) &&
		    digest == e->digest) {
			settle_at(ledger, i);
			i = 0; /* settling may drop entries before i */
			continue;
		}
		free(e->name);
		memmove(e, e + 1, (ledger->n - i - 1) * sizeof(*e));
		ledger->n--;
	}
	return true;
}

bool ledger_load(int dirfd, const char *dir_display, struct ledger *ledger,
		 struct error *err)
{
	unsigned char *text = NULL;
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
	if (!fd_read_file(fd, LEDGER_MAX_SIZE, &text, &got)) {
		if (errno == ENOMEM)
			error_errno(err, "out of memory");
		else if (errno == EINVAL || errno == EFBIG)
			corrupt(err, dir_display, "not a plausible regular file");
		else
			corrupt(err, dir_display,
				errno == ENODATA ? "shrank while read"
						 : strerror(errno));
		goto out;
	}
	ok = parse((char *)text, got, dir_display, ledger, err) &&
	     settle_left_over(dirfd, ledger, err);
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
		if (!ledger->entries[i].pending &&
		    !strcmp(ledger->entries[i].identity, identity) &&
		    !strcmp(ledger->entries[i].name, name))
			return true;
	return false;
}

static struct ledger_entry *find_pending(struct ledger *ledger,
					 const char *name)
{
	for (size_t i = 0; i < ledger->n; i++)
		if (ledger->entries[i].pending &&
		    !strcmp(ledger->entries[i].name, name))
			return &ledger->entries[i];
	return NULL;
}

bool ledger_intend(struct ledger *ledger, const char *identity,
		   const char *name, bool replace, uint64_t digest,
		   struct error *err)
{
	struct ledger_entry *e = find_pending(ledger, name);

	if (!e) {
		if (!add(ledger, identity, name, strlen(name)))
			return error_errno(err, "out of memory");
		e = &ledger->entries[ledger->n - 1];
	}
	memcpy(e->identity, identity, LEDGER_IDENTITY_LEN);
	e->pending = true;
	e->replace = replace;
	e->digest = digest;
	ledger->dirty = true;
	return true;
}

/* The pending record at index `at` becomes a plain one: a replacing write
 * drops the older records of its name, and a run recorded twice once. */
static void settle_at(struct ledger *ledger, size_t at)
{
	struct ledger_entry settled = ledger->entries[at];
	size_t kept = 0;

	settled.pending = false;
	for (size_t i = 0; i < ledger->n; i++) {
		struct ledger_entry *x = &ledger->entries[i];

		if (i == at) {
			ledger->entries[kept++] = settled;
			continue;
		}
		if (!x->pending && !strcmp(x->name, settled.name) &&
		    (settled.replace ||
		     !strcmp(x->identity, settled.identity))) {
			free(x->name);
			continue;
		}
		ledger->entries[kept++] = *x;
	}
	ledger->n = kept;
	ledger->dirty = true;
}

bool ledger_settle(struct ledger *ledger, const char *name,
		   struct error *err)
{
	struct ledger_entry *e = find_pending(ledger, name);

	(void)err;
	if (e)
		settle_at(ledger, (size_t)(e - ledger->entries));
	return true;
}

/* The whole file in one buffer: one write() instead of four per record. */
static char *format_ledger(const struct ledger *ledger, size_t *len)
{
	size_t size = strlen(LEDGER_HEADER) + 1;
	char *text;

	for (size_t i = 0; i < ledger->n; i++)
		size += PENDING_PREFIX_LEN + LEDGER_IDENTITY_LEN +
			strlen(ledger->entries[i].name) + 2;
	text = malloc(size);
	if (!text)
		return NULL;
	*len = (size_t)snprintf(text, size, "%s", LEDGER_HEADER);
	for (size_t i = 0; i < ledger->n; i++) {
		const struct ledger_entry *e = &ledger->entries[i];

		if (e->pending)
			*len += (size_t)snprintf(text + *len, size - *len,
						 PENDING "%016llx %c ",
						 (unsigned long long)e->digest,
						 e->replace ? 'R' : 'M');
		*len += (size_t)snprintf(text + *len, size - *len, "%s %s\n",
					 e->identity, e->name);
	}
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
