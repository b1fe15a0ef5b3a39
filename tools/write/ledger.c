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

static bool corrupt(struct error *err, const char *dir_display, const char *why)
{
	char quoted[300];

	return error_set(
		err, HVCOV_EXIT_SYSTEM,
		"ledger %s/" LEDGER_NAME
		" is unusable (%s); it records which runs were merged, so hvcov will not guess: inspect or remove it",
		outpath_quote(dir_display, quoted, sizeof(quoted)), why);
}

static size_t name_bucket(const struct ledger *ledger, const char *name)
{
	return (size_t)hash_finish(hash_fnv_string(HASH_FNV_OFFSET, name)) &
	       (ledger->n_heads - 1);
}

/* (Re)build the name index for entries [0, n), at least twice as many
 * buckets as entries so chains stay short. */
static bool reindex(struct ledger *ledger, size_t want)
{
	size_t n_heads = 64, *heads;

	while (n_heads < 2 * want)
		n_heads *= 2;
	if (n_heads != ledger->n_heads) {
		heads = realloc(ledger->heads, n_heads * sizeof(*heads));
		if (!heads)
			return false;
		ledger->heads = heads;
		ledger->n_heads = n_heads;
	}
	for (size_t b = 0; b < ledger->n_heads; b++)
		ledger->heads[b] = SIZE_MAX;
	for (size_t i = ledger->n; i-- > 0;) {
		size_t b = name_bucket(ledger, ledger->entries[i].name);

		ledger->entries[i].next = ledger->heads[b];
		ledger->heads[b] = i;
	}
	return true;
}

static bool add(struct ledger *ledger, const char *identity, const char *name,
		size_t name_len)
{
	struct ledger_entry *entry;
	size_t b;

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
	if (2 * ledger->n > ledger->n_heads)
		return reindex(ledger, ledger->n);
	b = name_bucket(ledger, entry->name);
	entry->next = ledger->heads[b];
	ledger->heads[b] = ledger->n - 1;
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
	for (line = text + header; line < end;) {
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

static bool resolve(struct ledger *ledger);

/* Settle the pending records a killed writer left (see ledger.h): one
 * that the file proves is settled, the others dropped. */
static bool settle_left_over(int dirfd, struct ledger *ledger)
{
	for (size_t i = 0; i < ledger->n; i++) {
		struct ledger_entry *e = &ledger->entries[i];
		uint64_t digest;

		if (!e->pending)
			continue;
		ledger->dirty = true;
		if (file_digest(dirfd, e->name, &digest) &&
		    digest == e->digest) {
			e->settle = true;
			continue;
		}
		free(e->name);
		e->name = NULL; /* dropped by resolve() */
	}
	return resolve(ledger);
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
			corrupt(err, dir_display,
				"not a plausible regular file");
		else
			corrupt(err, dir_display,
				errno == ENODATA ? "shrank while read"
						 : strerror(errno));
		goto out;
	}
	ok = parse((char *)text, got, dir_display, ledger, err);
	if (ok && !settle_left_over(dirfd, ledger))
		ok = error_errno(err, "out of memory");
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
	if (!ledger->n)
		return false;
	for (size_t i = ledger->heads[name_bucket(ledger, name)]; i != SIZE_MAX;
	     i = ledger->entries[i].next)
		if (!ledger->entries[i].pending &&
		    !strcmp(ledger->entries[i].identity, identity) &&
		    !strcmp(ledger->entries[i].name, name))
			return true;
	return false;
}

/* The first pending record of name, in file order. */
static struct ledger_entry *find_pending(struct ledger *ledger,
					 const char *name)
{
	size_t found = SIZE_MAX;

	if (!ledger->n)
		return NULL;
	for (size_t i = ledger->heads[name_bucket(ledger, name)]; i != SIZE_MAX;
	     i = ledger->entries[i].next)
		if (ledger->entries[i].pending && i < found &&
		    !strcmp(ledger->entries[i].name, name))
			found = i;
	return found == SIZE_MAX ? NULL : &ledger->entries[found];
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

/* The records marked to settle become plain ones, in file order, each as
 * if alone: a replacing write drops every other plain record of its name,
 * a merging one those of its name and run; dropped (NULL name) records go.
 * Instead of one pass over the ledger per settled record (quadratic), the
 * outcome is decided per record from the last replacing settle of its name
 * and the last merging settle of its name and run, found through a table
 * of the settled records. */
struct settle_slot {
	size_t entry; /* SIZE_MAX: empty */
	size_t last;  /* file position of the last such settle */
};

static uint64_t settle_key(const struct ledger_entry *e, bool replace)
{
	uint64_t h = hash_fnv_string(HASH_FNV_OFFSET, e->name);

	return hash_finish(replace ? h : hash_fnv_string(h, e->identity));
}

static struct settle_slot *settle_find(struct settle_slot *slots,
				       size_t n_slots,
				       const struct ledger *ledger,
				       const struct ledger_entry *e,
				       bool replace)
{
	size_t at = (size_t)settle_key(e, replace) & (n_slots - 1);

	for (;; at = (at + 1) & (n_slots - 1)) {
		const struct ledger_entry *x;

		if (slots[at].entry == SIZE_MAX)
			return &slots[at];
		x = &ledger->entries[slots[at].entry];
		if (x->replace == replace && !strcmp(x->name, e->name) &&
		    (replace || !strcmp(x->identity, e->identity)))
			return &slots[at];
	}
}

static bool resolve(struct ledger *ledger)
{
	size_t n_settle = 0, n_slots = 16, kept = 0;
	struct settle_slot *slots;
	bool *dead;

	for (size_t i = 0; i < ledger->n; i++)
		n_settle +=
			ledger->entries[i].name && ledger->entries[i].settle;
	while (n_slots < 2 * n_settle + 1)
		n_slots *= 2;
	slots = malloc(n_slots * sizeof(*slots));
	dead = calloc(ledger->n ? ledger->n : 1, sizeof(*dead));
	if (!slots || !dead) {
		free(slots);
		free(dead);
		return false;
	}
	for (size_t i = 0; i < n_slots; i++)
		slots[i].entry = SIZE_MAX;
	for (size_t i = 0; i < ledger->n; i++) {
		const struct ledger_entry *e = &ledger->entries[i];
		struct settle_slot *slot;

		if (!e->name || !e->settle)
			continue;
		slot = settle_find(slots, n_slots, ledger, e, e->replace);
		slot->entry = i;
		slot->last = i;
	}
	/* Decided first, for all: the table refers to entries by index,
	 * which the compaction below moves. */
	for (size_t i = 0; i < ledger->n; i++) {
		const struct ledger_entry *e = &ledger->entries[i];
		bool plain = !e->pending;
		/* Killed by a replacing settle of its name, or a merging one
		 * of its name and run, after it (a plain record: anywhere). */
		size_t after = plain ? 0 : i + 1;
		struct settle_slot *r, *m;

		dead[i] = !e->name;
		if (dead[i] || !(plain || e->settle))
			continue;
		r = settle_find(slots, n_slots, ledger, e, true);
		m = settle_find(slots, n_slots, ledger, e, false);
		dead[i] = (r->entry != SIZE_MAX && r->last >= after &&
			   r->last != i) ||
			  (m->entry != SIZE_MAX && m->last >= after &&
			   m->last != i);
	}
	for (size_t i = 0; i < ledger->n; i++) {
		struct ledger_entry *e = &ledger->entries[i];

		if (dead[i]) {
			free(e->name);
			ledger->dirty = true;
			continue;
		}
		if (e->settle) {
			e->settle = false;
			e->pending = false;
			ledger->dirty = true;
		}
		ledger->entries[kept++] = *e;
	}
	free(dead);
	free(slots);
	ledger->n = kept;
	return reindex(ledger, ledger->n);
}

bool ledger_settle(struct ledger *ledger, const char *name, struct error *err)
{
	struct ledger_entry *e = find_pending(ledger, name);

	(void)err;
	if (e) {
		e->settle = true;
		ledger->dirty = true;
	}
	return true;
}

/* Appends text of length len at *at. */
static char *put(char *at, const char *text, size_t len)
{
	memcpy(at, text, len);
	return at + len;
}

/* The whole file in one buffer: one write() instead of four per record,
 * built with memcpy: one snprintf per record was half of a --merge into
 * a ledger of 100 runs. */
static char *format_ledger(const struct ledger *ledger, size_t *len)
{
	static const char hex[] = "0123456789abcdef";
	size_t size = strlen(LEDGER_HEADER) + 1;
	char *text, *at;

	for (size_t i = 0; i < ledger->n; i++)
		size += PENDING_PREFIX_LEN + LEDGER_IDENTITY_LEN +
			strlen(ledger->entries[i].name) + 2;
	text = malloc(size);
	if (!text)
		return NULL;
	at = put(text, LEDGER_HEADER, strlen(LEDGER_HEADER));
	for (size_t i = 0; i < ledger->n; i++) {
		const struct ledger_entry *e = &ledger->entries[i];

		if (e->pending) {
			/* PENDING "%016llx %c " */
			at = put(at, PENDING, strlen(PENDING));
			for (int d = 15; d >= 0; d--)
				*at++ = hex[(e->digest >> (4 * d)) & 0xf];
			*at++ = ' ';
			*at++ = e->replace ? 'R' : 'M';
			*at++ = ' ';
		}
		at = put(at, e->identity, strlen(e->identity));
		*at++ = ' ';
		at = put(at, e->name, strlen(e->name));
		*at++ = '\n';
	}
	*len = (size_t)(at - text);
	return text;
}

static void temp_name(char *tmp, size_t size)
{
	snprintf(tmp, size, LEDGER_NAME ".tmp.%ld", (long)getpid());
}

bool ledger_stage(int dirfd, const char *dir_display, struct ledger *ledger,
		  struct error *err)
{
	char tmp[64], quoted[300], *text;
	size_t len = 0;
	bool ok;
	int fd;

	if (!ledger->dirty)
		return true;
	if (!resolve(ledger))
		return error_errno(err, "out of memory");
	temp_name(tmp, sizeof(tmp));
	outpath_quote(dir_display, quoted, sizeof(quoted));
	fd = openat(dirfd, tmp,
		    O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0666);
	if (fd < 0)
		return error_errno(err, "cannot create the ledger in %s",
				   quoted);
	text = format_ledger(ledger, &len);
	ok = text && fd_write_all(fd, text, len);
	free(text);
	if (close(fd) != 0)
		ok = false;
	if (!ok) {
		error_errno(err, "cannot update the ledger in %s", quoted);
		unlinkat(dirfd, tmp, 0);
		return false;
	}
	ledger->staged = true;
	return true;
}

bool ledger_publish(int dirfd, const char *dir_display, struct ledger *ledger,
		    struct error *err)
{
	char tmp[64], quoted[300];

	if (!ledger->staged)
		return true;
	temp_name(tmp, sizeof(tmp));
	if (renameat(dirfd, tmp, dirfd, LEDGER_NAME) != 0) {
		error_errno(err, "cannot update the ledger in %s",
			    outpath_quote(dir_display, quoted, sizeof(quoted)));
		ledger_unstage(dirfd, ledger);
		return false;
	}
	ledger->staged = false;
	ledger->dirty = false;
	return true;
}

void ledger_unstage(int dirfd, struct ledger *ledger)
{
	char tmp[64];

	if (!ledger->staged)
		return;
	temp_name(tmp, sizeof(tmp));
	unlinkat(dirfd, tmp, 0);
	ledger->staged = false;
}

bool ledger_store(int dirfd, const char *dir_display, struct ledger *ledger,
		  struct error *err)
{
	char tmp[64], quoted[300];
	int fd;

	if (!ledger_stage(dirfd, dir_display, ledger, err))
		return false;
	if (!ledger->staged)
		return true;
	temp_name(tmp, sizeof(tmp));
	fd = openat(dirfd, tmp, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0 || fsync(fd) != 0) {
		error_errno(err, "cannot update the ledger in %s",
			    outpath_quote(dir_display, quoted, sizeof(quoted)));
		if (fd >= 0)
			close(fd);
		ledger_unstage(dirfd, ledger);
		return false;
	}
	close(fd);
	if (!ledger_publish(dirfd, dir_display, ledger, err))
		return false;
	if (fsync(dirfd) != 0) {
		/* Renamed but not known durable: stored again next time. */
		ledger->dirty = true;
		return error_errno(
			err, "cannot update the ledger in %s",
			outpath_quote(dir_display, quoted, sizeof(quoted)));
	}
	return true;
}

void ledger_free(struct ledger *ledger)
{
	for (size_t i = 0; i < ledger->n; i++)
		free(ledger->entries[i].name);
	free(ledger->entries);
	free(ledger->heads);
	memset(ledger, 0, sizeof(*ledger));
}
