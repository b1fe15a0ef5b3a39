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
/* Version 3 (ledger.h): "hvcov-ledger 3 <base>\n", then batches. */
#define LEDGER_HEADER_V3 "hvcov-ledger 3 "
#define V3_HEADER_LEN (sizeof(LEDGER_HEADER_V3) - 1 + 17)
/* Past any real ledger, and within size_t on 32-bit hosts. */
#define V3_MAX_SIZE (1ull << 30)
/* "B <S|P> <identity> <rbytes> <mbytes> <hash>\n"; the hash covers the
 * first BATCH_HASHED bytes and the body. */
#define BATCH_LEN (4 + LEDGER_IDENTITY_LEN + 3 * 17 + 1)
#define BATCH_HASHED (BATCH_LEN - 17)
#define BATCH_RBYTES (4 + LEDGER_IDENTITY_LEN + 1)
#define BATCH_MBYTES (BATCH_RBYTES + 17)
/* The identity of a batch that holds no record. */
#define NO_IDENTITY "0000000000000000-0000000000000000"
/* "<R|M> <digest> <identity> " before the name of a P batch record. */
#define P_RECORD_PREFIX (2 + 17 + LEDGER_IDENTITY_LEN + 1)
/* Compaction once the file is twice its last whole size and this much. */
#define COMPACT_SLACK (256u << 10)
/* A torn tail is one write; one larger than this is damage. */
#define TAIL_MAX (64u << 20)
/* The reading window of a version 3 load: its headers and the batches it
 * needs, not the whole file. */
#define READ_WINDOW (64u << 10)
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

bool ledger_reserve(struct ledger *ledger, size_t extra)
{
	struct ledger_entry *grown;

	if (extra <= ledger->cap - ledger->n)
		return true;
	if (extra > SIZE_MAX / sizeof(*grown) - ledger->n)
		return false;
	grown = realloc(ledger->entries, (ledger->n + extra) * sizeof(*grown));
	if (!grown)
		return false;
	ledger->entries = grown;
	ledger->cap = ledger->n + extra;
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

/* Exactly 16 lowercase hex digits. */
static bool hex16(const char *text, uint64_t *value)
{
	*value = 0;
	for (int i = 0; i < 16; i++) {
		char c = text[i];
		unsigned d;

		if (c >= '0' && c <= '9')
			d = (unsigned)(c - '0');
		else if (c >= 'a' && c <= 'f')
			d = (unsigned)(c - 'a' + 10);
		else
			return false;
		*value = *value << 4 | d;
	}
	return true;
}

static char *put_hex16(char *at, uint64_t value)
{
	static const char hex[] = "0123456789abcdef";

	for (int d = 15; d >= 0; d--)
		*at++ = hex[(value >> (4 * d)) & 0xf];
	return at;
}

/* The file read through a window: bytes [at, at + n) with at + n <= size,
 * valid until the next call; NULL with errno set. */
struct reader {
	int fd;
	uint64_t size, base;
	size_t len, cap;
	unsigned char *buf;
};

static const unsigned char *span(struct reader *r, uint64_t at, size_t n)
{
	size_t want, got = 0;

	if (at >= r->base && at - r->base <= r->len &&
	    n <= r->len - (size_t)(at - r->base))
		return r->buf + (at - r->base);
	want = n > READ_WINDOW ? n : READ_WINDOW;
	if (want > r->size - at)
		want = (size_t)(r->size - at);
	if (want > r->cap) {
		unsigned char *grown = realloc(r->buf, want);

		if (!grown)
			return NULL;
		r->buf = grown;
		r->cap = want;
	}
	r->len = 0;
	while (got < want) {
		ssize_t k = pread(r->fd, r->buf + got, want - got,
				  (off_t)(at + got));

		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0) {
			if (!k)
				errno = ENODATA;
			return NULL;
		}
		got += (size_t)k;
	}
	r->base = at;
	r->len = want;
	return r->buf;
}

struct batch {
	uint64_t at, rbytes, mbytes, hash;
	char kind;
	bool intact;
	char identity[LEDGER_IDENTITY_LEN + 1];
};

/* The batch header at p (offset at, size - at >= BATCH_LEN), its body
 * within the file. */
static bool parse_batch(const unsigned char *p, uint64_t at, uint64_t size,
			struct batch *b)
{
	const char *c = (const char *)p;
	uint64_t room = size - at - BATCH_LEN;

	if (c[0] != 'B' || c[1] != ' ' || (c[2] != 'S' && c[2] != 'P') ||
	    c[3] != ' ' || c[BATCH_RBYTES - 1] != ' ' ||
	    c[BATCH_MBYTES - 1] != ' ' || c[BATCH_HASHED - 1] != ' ' ||
	    c[BATCH_LEN - 1] != '\n' ||
	    memchr(c + 4, '\0', LEDGER_IDENTITY_LEN) ||
	    memchr(c + 4, '\n', LEDGER_IDENTITY_LEN) ||
	    !hex16(c + BATCH_RBYTES, &b->rbytes) ||
	    !hex16(c + BATCH_MBYTES, &b->mbytes) ||
	    !hex16(c + BATCH_HASHED, &b->hash) || b->rbytes > room ||
	    b->mbytes > room - b->rbytes)
		return false;
	b->at = at;
	b->kind = c[2];
	b->intact = false;
	memcpy(b->identity, c + 4, LEDGER_IDENTITY_LEN);
	b->identity[LEDGER_IDENTITY_LEN] = '\0';
	return true;
}

/* The hash a batch at p (header and body, len bytes) carries. */
static uint64_t batch_hash(const unsigned char *p, size_t len)
{
	return hash_fnv_bytes(hash_fnv_bytes(HASH_FNV_OFFSET, p, BATCH_HASHED),
			      p + BATCH_LEN, len - BATCH_LEN);
}

/* Whether the bytes from `at` on are one write cut short (no intact batch
 * starts a line in them) rather than damage before intact records. */
static bool torn_tail(struct reader *r, uint64_t at, bool *torn)
{
	size_t n = (size_t)(r->size - at), q = 0;
	const unsigned char *p;

	*torn = false;
	if (r->size - at > TAIL_MAX)
		return true;
	p = span(r, at, n);
	if (!p)
		return false;
	while (q < n) {
		const unsigned char *nl;
		struct batch x;

		if (n - q >= BATCH_LEN &&
		    parse_batch(p + q, at + q, r->size, &x) &&
		    batch_hash(p + q, (size_t)(BATCH_LEN + x.rbytes +
					       x.mbytes)) == x.hash)
			return true;
		nl = memchr(p + q, '\n', n - q);
		if (!nl)
			break;
		q = (size_t)(nl - p) + 1;
	}
	*torn = true;
	return true;
}

/* The records of [text, text + len) of batch b, as entries to settle in
 * file order (S) or pending ones to settle by their files (P). */
static bool replay(struct ledger *ledger, const struct batch *b,
		   const char *text, size_t len, bool replace,
		   const char *dir_display, struct error *err)
{
	const char *end = text + len;

	if (len && end[-1] != '\n')
		return corrupt(err, dir_display, "malformed record");
	for (const char *line = text; line < end;) {
		const char *nl = memchr(line, '\n', (size_t)(end - line));
		const char *identity = b->identity;
		size_t line_len = (size_t)(nl - line);
		uint64_t digest = 0;
		struct ledger_entry *e;

		if (b->kind == 'P') {
			if (line_len <= P_RECORD_PREFIX ||
			    (line[0] != 'R' && line[0] != 'M') ||
			    line[1] != ' ' || !hex16(line + 2, &digest) ||
			    line[18] != ' ' || line[P_RECORD_PREFIX - 1] != ' ')
				return corrupt(err, dir_display,
					       "malformed record");
			replace = line[0] == 'R';
			identity = line + 19;
			line += P_RECORD_PREFIX;
			line_len -= P_RECORD_PREFIX;
		}
		if (!line_len || memchr(line, '\0', line_len) ||
		    memchr(identity, '\0', LEDGER_IDENTITY_LEN))
			return corrupt(err, dir_display, "malformed record");
		if (!add(ledger, identity, line, line_len))
			return error_errno(err, "out of memory");
		e = &ledger->entries[ledger->n - 1];
		e->pending = true;
		e->replace = replace;
		e->digest = digest;
		e->settle = b->kind == 'S';
		e->written = b->kind == 'S';
		line = nl + 1;
	}
	return true;
}

/* A failed span(). */
static bool read_failed(struct error *err, const char *dir_display)
{
	if (errno == ENOMEM)
		return error_errno(err, "out of memory");
	return corrupt(err, dir_display,
		       errno == ENODATA ? "shrank while read"
					: strerror(errno));
}

static bool load_batches(struct reader *r, const char *dir_display,
			 const char *only, struct ledger *ledger,
			 struct batch *b, size_t nb, struct error *err)
{
	for (size_t k = 0; k < nb; k++) {
		const struct batch *x = &b[k];
		bool whole = !only || !strcmp(x->identity, only);
		size_t len = (size_t)(x->rbytes + (whole ? x->mbytes : 0));
		const unsigned char *p;
		const char *body;

		if (x->kind == 'P' && x->mbytes)
			return corrupt(err, dir_display, "malformed record");
		if (x->kind == 'P' && k + 1 < nb)
			continue; /* resolved by the batch after it */
		if (!len)
			continue;
		p = span(r, x->at, BATCH_LEN + len);
		if (!p)
			return read_failed(err, dir_display);
		if (whole && !x->intact &&
		    batch_hash(p, BATCH_LEN + len) != x->hash)
			return corrupt(err, dir_display, "damaged batch");
		body = (const char *)p + BATCH_LEN;
		if (!replay(ledger, x, body, (size_t)x->rbytes, true,
			    dir_display, err) ||
		    !replay(ledger, x, body + x->rbytes,
			    len - (size_t)x->rbytes, false, dir_display, err))
			return false;
		ledger->open_pending = x->kind == 'P';
	}
	return true;
}

/* Version 3 (see ledger.h): every record (only NULL) or those that tell
 * what the run `only` holds, as entries still to settle in file order. */
static bool load_v3(int fd, uint64_t size, const char *dir_display,
		    const char *only, struct ledger *ledger, struct error *err)
{
	struct reader r = { .fd = fd, .size = size };
	struct batch *b = NULL;
	size_t nb = 0, cap = 0;
	uint64_t at = V3_HEADER_LEN, end;
	const unsigned char *p;
	bool ok = false, torn;

	p = span(&r, 0, V3_HEADER_LEN);
	if (!p)
		goto io;
	if (p[V3_HEADER_LEN - 1] != '\n' ||
	    !hex16((const char *)p + V3_HEADER_LEN - 17, &ledger->base)) {
		corrupt(err, dir_display, "bad header");
		goto out;
	}
	while (size - at >= BATCH_LEN) {
		struct batch x;

		p = span(&r, at, BATCH_LEN);
		if (!p)
			goto io;
		if (!parse_batch(p, at, size, &x))
			break;
		if (nb == cap) {
			struct batch *grown;

			cap = cap ? 2 * cap : 64;
			grown = realloc(b, cap * sizeof(*b));
			if (!grown) {
				error_errno(err, "out of memory");
				goto out;
			}
			b = grown;
		}
		b[nb++] = x;
		at += BATCH_LEN + x.rbytes + x.mbytes;
	}
	end = at;
	/* A crash can cut the last write (at most two batches) short. */
	for (size_t k = nb > 2 ? nb - 2 : 0; k < nb; k++) {
		size_t len = (size_t)(BATCH_LEN + b[k].rbytes + b[k].mbytes);

		p = span(&r, b[k].at, len);
		if (!p)
			goto io;
		if (batch_hash(p, len) != b[k].hash) {
			end = b[k].at;
			nb = k;
			break;
		}
		b[k].intact = true;
	}
	if (end < size) {
		if (!torn_tail(&r, end, &torn))
			goto io;
		if (!torn) {
			corrupt(err, dir_display,
				"damaged before intact records");
			goto out;
		}
	}
	ledger->length = end;
	if (only && end > 2 * ledger->base + COMPACT_SLACK) {
		/* Compacted by the next store: which needs every record. */
		only = NULL;
		ledger->rewrite = true;
	}
	ledger->full = !only;
	ok = load_batches(&r, dir_display, only, ledger, b, nb, err);
	goto out;
io:
	read_failed(err, dir_display);
out:
	free(b);
	free(r.buf);
	return ok;
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

		if (!e->pending || e->settle)
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

/* Plain records of one run and name beyond the first say nothing more;
 * version 3 keeps (identity, name) unique (an M record drops its twins),
 * so a version 1 or 2 ledger rewritten as version 3 must too. */
static bool drop_twins(struct ledger *ledger)
{
	for (size_t i = 0; i < ledger->n; i++) {
		struct ledger_entry *e = &ledger->entries[i];

		for (size_t j = ledger->heads[name_bucket(ledger, e->name)];
		     j != SIZE_MAX; j = ledger->entries[j].next) {
			const struct ledger_entry *x = &ledger->entries[j];

			if (j < i && x->name && !strcmp(x->name, e->name) &&
			    !strcmp(x->identity, e->identity)) {
				free(e->name);
				e->name = NULL; /* dropped by resolve() */
				break;
			}
		}
	}
	return resolve(ledger);
}

static bool load_text(int fd, const char *dir_display, struct ledger *ledger,
		      struct error *err)
{
	unsigned char *text = NULL;
	size_t got = 0;
	bool ok = false;

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
out:
	free(text);
	return ok;
}

bool ledger_load_run(int dirfd, const char *dir_display, const char *identity,
		     struct ledger *ledger, struct error *err)
{
	char head[sizeof(LEDGER_HEADER_V3) - 1];
	struct stat st;
	bool ok = false, v3;
	int fd;

	memset(ledger, 0, sizeof(*ledger));
	/* Absent, or not version 3: written whole by the next store. */
	ledger->full = ledger->rewrite = true;
	fd = openat(dirfd, LEDGER_NAME,
		    O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0 && errno == ENOENT)
		return true;
	if (fd < 0) {
		if (errno == ELOOP)
			return corrupt(err, dir_display, "a symlink");
		return corrupt(err, dir_display, strerror(errno));
	}
	if (fstat(fd, &st) != 0) {
		corrupt(err, dir_display, strerror(errno));
		goto out;
	}
	v3 = S_ISREG(st.st_mode) && st.st_size >= (off_t)V3_HEADER_LEN &&
	     pread(fd, head, sizeof(head), 0) == (ssize_t)sizeof(head) &&
	     !memcmp(head, LEDGER_HEADER_V3, sizeof(head));
	if (!v3) {
		ok = load_text(fd, dir_display, ledger, err);
		if (ok &&
		    !(settle_left_over(dirfd, ledger) && drop_twins(ledger)))
			ok = error_errno(err, "out of memory");
		goto out;
	}
	if ((unsigned long long)st.st_size > V3_MAX_SIZE) {
		corrupt(err, dir_display, "not a plausible regular file");
		goto out;
	}
	ledger->rewrite = false;
	if (!load_v3(fd, (uint64_t)st.st_size, dir_display, identity, ledger,
		     err))
		goto out;
	/* The P batch a killed writer left is settled, and its outcome
	 * appended by the next store. */
	ok = settle_left_over(dirfd, ledger);
	if (!ok)
		error_errno(err, "out of memory");
	ledger->dirty = ledger->open_pending;
out:
	close(fd);
	if (!ok)
		ledger_free(ledger);
	return ok;
}

bool ledger_load(int dirfd, const char *dir_display, struct ledger *ledger,
		 struct error *err)
{
	return ledger_load_run(dirfd, dir_display, NULL, ledger, err);
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
	e->written = false;
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
		/* Its P record is in the file; its S record is not. */
		e->settle = true;
		e->written = false;
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

/* Whether entry e goes into the S batches of a store (rewrite: the whole
 * ledger, otherwise what the file does not hold yet). */
static bool to_settled(const struct ledger_entry *e, bool rewrite)
{
	return !e->pending && (rewrite || !e->written);
}

static bool to_pending(const struct ledger_entry *e, bool rewrite)
{
	return e->pending && (rewrite || !e->written);
}

/* A batch header at hdr for the body after it; body_end is where the body
 * ends. */
static void seal_batch(char *hdr, char kind, const char *identity,
		       size_t rbytes, char *body_end)
{
	char *at = hdr;
	size_t len = (size_t)(body_end - hdr);

	at = put(at, "B ", 2);
	*at++ = kind;
	*at++ = ' ';
	at = put(at, identity, LEDGER_IDENTITY_LEN);
	*at++ = ' ';
	at = put_hex16(at, rbytes);
	*at++ = ' ';
	at = put_hex16(at, len - BATCH_LEN - rbytes);
	*at++ = ' ';
	at = put_hex16(at, batch_hash((const unsigned char *)hdr, len));
	*at = '\n';
}

/* The S batches of the records to write, one per stretch of one run: the
 * names its R writes replaced first (in a rewrite every record is plain
 * M: nothing before it is left to drop). */
static char *format_settled(const struct ledger *ledger, bool rewrite, char *at,
			    bool *any)
{
	size_t i = 0, n = ledger->n;

	for (;;) {
		const char *identity;
		/* rbytes is set by part 1; GCC 11 cannot see that (its
		 * -Wmaybe-uninitialized fails the build). */
		size_t k, rbytes = 0;
		char *hdr, *body;

		while (i < n && !to_settled(&ledger->entries[i], rewrite))
			i++;
		if (i == n)
			return at;
		identity = ledger->entries[i].identity;
		for (k = i; k < n; k++)
			if (to_settled(&ledger->entries[k], rewrite) &&
			    strcmp(ledger->entries[k].identity, identity))
				break;
		hdr = at;
		body = at = hdr + BATCH_LEN;
		for (int part = 1; part >= 0; part--) {
			for (size_t j = i; j < k; j++) {
				const struct ledger_entry *e =
					&ledger->entries[j];

				if (!to_settled(e, rewrite) ||
				    (e->replace && !rewrite) != (part == 1))
					continue;
				at = put(at, e->name, strlen(e->name));
				*at++ = '\n';
			}
			if (part == 1)
				rbytes = (size_t)(at - body);
		}
		seal_batch(hdr, 'S', identity, rbytes, at);
		*any = true;
		i = k;
	}
}

/* What a store writes: the whole file (rewrite), or what it appends: S
 * batches of the records settled since (at least an empty one when the
 * file ends in a P batch: that resolves it), then one P batch of the
 * pending ones.  NULL when out of memory. */
static char *format_ledger(const struct ledger *ledger, bool rewrite,
			   size_t *len, bool *pending)
{
	size_t size = V3_HEADER_LEN + 2 * BATCH_LEN;
	bool any = false;
	char *text, *at, *hdr;

	for (size_t i = 0; i < ledger->n; i++)
		size += BATCH_LEN + P_RECORD_PREFIX +
			strlen(ledger->entries[i].name) + 1;
	text = malloc(size);
	if (!text)
		return NULL;
	at = text;
	if (rewrite)
		at += V3_HEADER_LEN; /* its <base> is the length */
	at = format_settled(ledger, rewrite, at, &any);
	if (!rewrite && !any && ledger->open_pending) {
		seal_batch(at, 'S', NO_IDENTITY, 0, at + BATCH_LEN);
		at += BATCH_LEN;
	}
	*pending = false;
	hdr = at;
	at += BATCH_LEN;
	for (size_t i = 0; i < ledger->n; i++) {
		const struct ledger_entry *e = &ledger->entries[i];

		if (!to_pending(e, rewrite))
			continue;
		*at++ = e->replace ? 'R' : 'M';
		*at++ = ' ';
		at = put_hex16(at, e->digest);
		*at++ = ' ';
		at = put(at, e->identity, LEDGER_IDENTITY_LEN);
		*at++ = ' ';
		at = put(at, e->name, strlen(e->name));
		*at++ = '\n';
		*pending = true;
	}
	if (*pending)
		seal_batch(hdr, 'P', NO_IDENTITY,
			   (size_t)(at - hdr - BATCH_LEN), at);
	else
		at = hdr;
	*len = (size_t)(at - text);
	if (rewrite) {
		char *h = put(text, LEDGER_HEADER_V3,
			      sizeof(LEDGER_HEADER_V3) - 1);

		h = put_hex16(h, *len);
		*h = '\n';
	}
	return text;
}

static void temp_name(char *tmp, size_t size)
{
	snprintf(tmp, size, LEDGER_NAME ".tmp.%ld", (long)getpid());
}

/* Appends text to the committed end of the ledger (cutting off a torn or
 * unpublished tail first). */
static bool append(int dirfd, const struct ledger *ledger, const char *text,
		   size_t len)
{
	struct stat st;
	bool ok;
	int fd = openat(dirfd, LEDGER_NAME, O_WRONLY | O_NOFOLLOW | O_CLOEXEC);

	if (fd < 0)
		return false;
	ok = fstat(fd, &st) == 0 && S_ISREG(st.st_mode);
	if (ok && (uint64_t)st.st_size < ledger->length) {
		/* Shorter than what was read: not ours to extend. */
		errno = ESTALE;
		ok = false;
	}
	ok = ok &&
	     ((uint64_t)st.st_size == ledger->length ||
	      ftruncate(fd, (off_t)ledger->length) == 0) &&
	     lseek(fd, (off_t)ledger->length, SEEK_SET) ==
		     (off_t)ledger->length &&
	     fd_write_all(fd, text, len);
	if (close(fd) != 0)
		ok = false;
	return ok;
}

/* Cuts off an append that will not be published.  One left behind is
 * harmless: a P batch is settled by its files, and an S batch is only
 * appended after its renames. */
static void ledger_unstage_append(int dirfd, const struct ledger *ledger)
{
	struct stat st;
	int fd = openat(dirfd, LEDGER_NAME, O_WRONLY | O_NOFOLLOW | O_CLOEXEC);

	if (fd < 0)
		return;
	if (fstat(fd, &st) == 0 && (uint64_t)st.st_size > ledger->length &&
	    ftruncate(fd, (off_t)ledger->length) != 0) {
		/* Left as a tail; see above. */
	}
	close(fd);
}

bool ledger_stage(int dirfd, const char *dir_display, struct ledger *ledger,
		  struct error *err)
{
	char tmp[64], quoted[300], *text;
	size_t len = 0;
	bool ok, pending;
	int fd;

	if (!ledger->dirty)
		return true;
	/* The P batch the file ends in is resolved by what follows: its
	 * records not settled since (their files were not renamed) go. */
	for (size_t i = 0; ledger->open_pending && i < ledger->n; i++) {
		struct ledger_entry *e = &ledger->entries[i];

		if (e->pending && e->written && !e->settle) {
			free(e->name);
			e->name = NULL; /* dropped by resolve() */
		}
	}
	if (!resolve(ledger))
		return error_errno(err, "out of memory");
	text = format_ledger(ledger, ledger->rewrite, &len, &pending);
	if (!text)
		return error_errno(err, "out of memory");
	outpath_quote(dir_display, quoted, sizeof(quoted));
	if (!ledger->rewrite) {
		ok = !len || append(dirfd, ledger, text, len);
		free(text);
		if (!ok) {
			error_errno(err, "cannot update the ledger in %s",
				    quoted);
			ledger_unstage_append(dirfd, ledger);
			return false;
		}
		ledger->staged = true;
		ledger->staged_append = true;
		ledger->staged_open = pending;
		ledger->staged_length = ledger->length + len;
		return true;
	}
	temp_name(tmp, sizeof(tmp));
	fd = openat(dirfd, tmp,
		    O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0666);
	if (fd < 0) {
		free(text);
		return error_errno(err, "cannot create the ledger in %s",
				   quoted);
	}
	ok = fd_write_all(fd, text, len);
	free(text);
	if (close(fd) != 0)
		ok = false;
	if (!ok) {
		error_errno(err, "cannot update the ledger in %s", quoted);
		unlinkat(dirfd, tmp, 0);
		return false;
	}
	ledger->staged = true;
	ledger->staged_append = false;
	ledger->staged_open = pending;
	ledger->staged_length = len;
	return true;
}

bool ledger_publish(int dirfd, const char *dir_display, struct ledger *ledger,
		    struct error *err)
{
	char tmp[64], quoted[300];

	if (!ledger->staged)
		return true;
	if (!ledger->staged_append) {
		temp_name(tmp, sizeof(tmp));
		if (renameat(dirfd, tmp, dirfd, LEDGER_NAME) != 0) {
			error_errno(err, "cannot update the ledger in %s",
				    outpath_quote(dir_display, quoted,
						  sizeof(quoted)));
			ledger_unstage(dirfd, ledger);
			return false;
		}
		ledger->base = ledger->staged_length;
		ledger->rewrite = false;
	}
	ledger->length = ledger->staged_length;
	ledger->open_pending = ledger->staged_open;
	for (size_t i = 0; i < ledger->n; i++)
		ledger->entries[i].written = true;
	ledger->staged = false;
	ledger->dirty = false;
	return true;
}

void ledger_unstage(int dirfd, struct ledger *ledger)
{
	char tmp[64];

	if (!ledger->staged)
		return;
	if (ledger->staged_append) {
		ledger_unstage_append(dirfd, ledger);
	} else {
		temp_name(tmp, sizeof(tmp));
		unlinkat(dirfd, tmp, 0);
	}
	ledger->staged = false;
}

bool ledger_store(int dirfd, const char *dir_display, struct ledger *ledger,
		  struct error *err)
{
	char tmp[64], quoted[300];
	bool appended;
	int fd;

	if (!ledger_stage(dirfd, dir_display, ledger, err))
		return false;
	if (!ledger->staged)
		return true;
	appended = ledger->staged_append;
	temp_name(tmp, sizeof(tmp));
	fd = openat(dirfd, appended ? LEDGER_NAME : tmp,
		    O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
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
	if (!appended && fsync(dirfd) != 0) {
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
