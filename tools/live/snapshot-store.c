/* SPDX-License-Identifier: BSD-2-Clause */
/* syncfs(2): one sync for a linked snapshot (store_link_snapshot()). */
#define _GNU_SOURCE
#include "snapshot-store.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/bytes.h"
#include "base/fdio.h"
#include "image/header.h"

/* A snapshot is built in BOOT/.hvcov-tmp-<seq>.<pid> and renamed to its
 * final name when complete; a directory of that form is a killed run's. */
#define BUILD_PREFIX ".hvcov-tmp-"
#define COUNTERS_MAGIC "HVCOVCNT"
#define COUNTERS_FORMAT 1
#define COUNTERS_HEADER 40
#define INDEX_HEADER                                                           \
	"# hvcov snapshot index 1\n"                                           \
	"#seq\ttime\tboot_id\tstate\tdir\ttag\tsince\tcounters\tarcs\t"        \
	"arcs_executed\tnew_arcs\tnew_counters\n"

static bool out_of_memory(struct error *err)
{
	return error_errno(err, "cannot hold the snapshot index");
}

static bool add_entry(struct store *store, unsigned long seq, uint64_t boot_id,
		      const char *dir, struct error *err)
{
	struct store_entry *entry;

	if (store->n == store->capacity) {
		size_t capacity = store->capacity ? store->capacity * 2 : 64;
		struct store_entry *grown =
			realloc(store->entries, capacity * sizeof(*grown));

		if (!grown)
			return out_of_memory(err);
		store->entries = grown;
		store->capacity = capacity;
	}
	entry = &store->entries[store->n];
	entry->dir = strdup(dir);
	if (!entry->dir)
		return out_of_memory(err);
	entry->seq = seq;
	entry->boot_id = boot_id;
	store->n++;
	if (seq > store->last_seq)
		store->last_seq = seq;
	return true;
}

/* seq, time, boot_id, state, dir: the fields the store itself needs. */
static bool parse_line(struct store *store, char *line, unsigned number,
		       struct error *err)
{
	char *field[5], *end;
	unsigned long seq;
	unsigned long long boot_id;

	for (int i = 0; i < 5; i++) {
		field[i] = strsep(&line, "\t");
		if (!field[i] || (i < 4 && !line))
			return error_set(err, HVCOV_EXIT_DATA,
					 "%s/" STORE_INDEX
					 " line %u: fewer than 5 fields",
					 store->root, number);
	}
	errno = 0;
	seq = strtoul(field[0], &end, 10);
	if (errno || *end || !seq)
		return error_set(err, HVCOV_EXIT_DATA,
				 "%s/" STORE_INDEX
				 " line %u: bad sequence number",
				 store->root, number);
	boot_id = strtoull(field[2], &end, 16);
	if (errno || *end || !*field[4] || field[4][0] == '/' ||
	    strstr(field[4], ".."))
		return error_set(err, HVCOV_EXIT_DATA,
				 "%s/" STORE_INDEX
				 " line %u: bad boot id or directory",
				 store->root, number);
	return add_entry(store, seq, boot_id, field[4], err);
}

static bool read_index(struct store *store, struct error *err)
{
	FILE *in = fdopen(dup(store->index_fd), "r");
	char *line = NULL;
	size_t cap = 0;
	unsigned number = 0;
	bool ok = true;
	ssize_t len;

	if (!in)
		return error_errno(err, "cannot read %s/" STORE_INDEX,
				   store->root);
	while (ok && (len = getline(&line, &cap, in)) >= 0) {
		number++;
		if (len && line[len - 1] == '\n')
			line[--len] = '\0';
		if (len && line[0] != '#')
			ok = parse_line(store, line, number, err);
	}
	free(line);
	fclose(in);
	return ok;
}

/* Remove name below dirfd and everything in it, never following a
 * symlink (one is removed, not its target). */
static void remove_at(int dirfd, const char *name, unsigned depth)
{
	struct dirent *entry;
	DIR *dir;
	int fd;

	if (unlinkat(dirfd, name, 0) == 0 ||
	    (errno != EISDIR && errno != EPERM) || depth > 64)
		return;
	fd = openat(dirfd, name,
		    O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return;
	dir = fdopendir(fd);
	if (!dir) {
		close(fd);
		return;
	}
	while ((entry = readdir(dir)))
		if (strcmp(entry->d_name, ".") && strcmp(entry->d_name, ".."))
			remove_at(fd, entry->d_name, depth + 1);
	closedir(dir);
	unlinkat(dirfd, name, AT_REMOVEDIR);
}

static void remove_tree(const char *path)
{
	remove_at(AT_FDCWD, path, 0);
}

/* Under the index lock no other hvcov writes the store: a snapshot being
 * built (BOOT/.hvcov-tmp-*) is a killed or failed run's, and goes; so does
 * a snapshot directory numbered past the index's last line (a run killed
 * between its rename and its index line: never a snapshot). */
static void remove_leftovers(const struct store *store)
{
	DIR *top = opendir(store->root);
	struct dirent *boot;

	if (!top)
		return;
	while ((boot = readdir(top))) {
		char path[4096];
		struct dirent *entry;
		DIR *dir;

		if (strncmp(boot->d_name, "boot-", 5) ||
		    (size_t)snprintf(path, sizeof(path), "%s/%s", store->root,
				     boot->d_name) >= sizeof(path))
			continue;
		dir = opendir(path);
		if (!dir)
			continue;
		while ((entry = readdir(dir))) {
			char victim[4096];

			char *end;
			unsigned long seq = strtoul(entry->d_name, &end, 10);
			bool unlisted = entry->d_name[0] >= '0' &&
					entry->d_name[0] <= '9' &&
					(!*end || *end == '-') &&
					seq > store->last_seq;

			if ((unlisted || !strncmp(entry->d_name, BUILD_PREFIX,
						  strlen(BUILD_PREFIX))) &&
			    (size_t)snprintf(victim, sizeof(victim), "%s/%s",
					     path,
					     entry->d_name) < sizeof(victim))
				remove_tree(victim);
		}
		closedir(dir);
	}
	closedir(top);
}

bool store_open(struct store *store, const char *root, struct error *err)
{
	char path[4096];
	struct stat st;

	memset(store, 0, sizeof(*store));
	store->index_fd = -1;
	if (mkdir(root, 0777) < 0 && errno != EEXIST)
		return error_errno(err, "cannot create %s", root);
	store->root = strdup(root);
	if (!store->root)
		return out_of_memory(err);
	if (!store_path(store, STORE_INDEX, NULL, path, sizeof(path), err))
		goto fail;
	/* Never through a symlink, and without blocking on a FIFO: only a
	 * regular file is an index. */
	store->index_fd = open(path,
			       O_RDWR | O_APPEND | O_CREAT | O_CLOEXEC |
				       O_NOFOLLOW | O_NONBLOCK,
			       0666);
	if (store->index_fd < 0) {
		if (errno == ELOOP)
			error_set(err, HVCOV_EXIT_DATA,
				  "refusing %s: it is a symlink", path);
		else
			error_errno(err, "cannot open %s", path);
		goto fail;
	}
	if (fstat(store->index_fd, &st) < 0) {
		error_errno(err, "cannot stat %s", path);
		goto fail;
	}
	if (!S_ISREG(st.st_mode)) {
		error_set(err, HVCOV_EXIT_DATA,
			  "refusing %s: it is not a regular file", path);
		goto fail;
	}
	if (flock(store->index_fd, LOCK_EX | LOCK_NB) < 0) {
		error_errno(err, "%s is in use by another hvcov snapshot",
			    path);
		goto fail;
	}
	if (fstat(store->index_fd, &st) < 0) {
		error_errno(err, "cannot stat %s", path);
		goto fail;
	}
	if (st.st_size == 0 && !fd_write_all(store->index_fd, INDEX_HEADER,
					     sizeof(INDEX_HEADER) - 1)) {
		error_errno(err, "cannot write %s", path);
		goto fail;
	}
	if (read_index(store, err)) {
		remove_leftovers(store);
		return true;
	}
fail:
	store_close(store);
	return false;
}

void store_close(struct store *store)
{
	if (store->index_fd >= 0)
		close(store->index_fd);
	for (size_t i = 0; i < store->n; i++)
		free(store->entries[i].dir);
	free(store->entries);
	free(store->root);
	memset(store, 0, sizeof(*store));
	store->index_fd = -1;
}

const char *store_previous(const struct store *store, uint64_t boot_id)
{
	const struct store_entry *found = NULL;

	for (size_t i = 0; i < store->n; i++)
		if (store->entries[i].boot_id == boot_id &&
		    (!found || store->entries[i].seq > found->seq))
			found = &store->entries[i];
	return found ? found->dir : NULL;
}

bool store_tag_valid(const char *tag)
{
	size_t len = strlen(tag);

	if (!len || len > STORE_MAX_TAG || tag[0] == '.' || tag[0] == '-')
		return false;
	return strspn(tag,
		      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-") ==
	       len;
}

bool store_path(const struct store *store, const char *rel, const char *leaf,
		char *path, size_t size, struct error *err)
{
	int n = snprintf(path, size, "%s/%s%s%s", store->root, rel,
			 leaf ? "/" : "", leaf ? leaf : "");

	if (n < 0 || (size_t)n >= size)
		return error_set(err, HVCOV_EXIT_SYSTEM, "%s: path too long",
				 store->root);
	return true;
}

bool store_make_dir(struct store *store, unsigned long seq, uint64_t boot_id,
		    const char *tag, char *rel, size_t size, char *build,
		    size_t build_size, struct error *err)
{
	char series[32], path[4096];

	snprintf(series, sizeof(series), "boot-%016llx",
		 (unsigned long long)boot_id);
	if (!store_path(store, series, NULL, path, sizeof(path), err))
		return false;
	if (mkdir(path, 0777) < 0 && errno != EEXIST)
		return error_errno(err, "cannot create %s", path);
	if ((size_t)snprintf(rel, size, "%s/%04lu%s%s", series, seq,
			     tag ? "-" : "", tag ? tag : "") >= size ||
	    (size_t)snprintf(build, build_size, "%s/" BUILD_PREFIX "%lu.%ld",
			     series, seq, (long)getpid()) >= build_size)
		return error_set(err, HVCOV_EXIT_SYSTEM,
				 "%s: snapshot name too long", store->root);
	if (!store_path(store, build, NULL, path, sizeof(path), err))
		return false;
	remove_tree(path);
	if (mkdir(path, 0777) < 0)
		return error_errno(err, "cannot create %s", path);
	return true;
}

void store_discard(struct store *store, const char *build)
{
	char path[4096];
	struct error ignored = { 0 };

	if (store_path(store, build, NULL, path, sizeof(path), &ignored))
		remove_tree(path);
}

bool store_publish(struct store *store, const char *build, const char *rel,
		   struct error *err)
{
	char from[4096], to[4096], parent[4096];
	int fd;

	if (!store_path(store, build, NULL, from, sizeof(from), err) ||
	    !store_path(store, rel, NULL, to, sizeof(to), err))
		return false;
	/* A directory of this name is not in the index (its sequence number
	 * is past the last one): a run killed between its rename and its
	 * index line left it, and it is not a snapshot. */
	if (rename(from, to) < 0) {
		if (errno != EEXIST && errno != ENOTEMPTY)
			return error_errno(err, "cannot rename %s to %s", from,
					   to);
		remove_tree(to);
		if (rename(from, to) < 0)
			return error_errno(err, "cannot rename %s to %s", from,
					   to);
	}
	snprintf(parent, sizeof(parent), "%s", to);
	*strrchr(parent, '/') = '\0';
	fd = open(parent, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0 || fsync(fd) < 0) {
		if (fd >= 0)
			close(fd);
		return error_errno(err, "cannot sync %s", parent);
	}
	close(fd);
	return true;
}

/* Hard-link every regular file of the tree at `from` into `to`, making its
 * directories, counting the .gcda files in *gcda; false at anything else
 * (a symlink, a device). */
static bool link_tree(int from, int to, unsigned depth, size_t *gcda)
{
	struct dirent *entry;
	bool ok = true;
	int fd = depth < 64 ? dup(from) : -1;
	DIR *dir = fd >= 0 ? fdopendir(fd) : NULL;

	if (!dir) {
		if (fd >= 0)
			close(fd);
		return false;
	}
	while (ok && (entry = readdir(dir))) {
		const char *name = entry->d_name;
		int sub_from = -1, sub_to = -1;
		struct stat st;

		if (!strcmp(name, ".") || !strcmp(name, ".."))
			continue;
		if (fstatat(from, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
			ok = false;
		else if (S_ISREG(st.st_mode)) {
			size_t len = strlen(name);

			ok = linkat(from, name, to, name, 0) == 0;
			*gcda += len > 5 && !strcmp(name + len - 5, ".gcda");
		} else if (!S_ISDIR(st.st_mode))
			ok = false;
		else
			ok = (sub_from = openat(from, name,
						O_RDONLY | O_DIRECTORY |
							O_NOFOLLOW |
							O_CLOEXEC)) >= 0 &&
			     mkdirat(to, name, 0777) == 0 &&
			     (sub_to = openat(to, name,
					      O_RDONLY | O_DIRECTORY |
						      O_NOFOLLOW |
						      O_CLOEXEC)) >= 0 &&
			     link_tree(sub_from, sub_to, depth + 1, gcda);
		if (sub_from >= 0)
			close(sub_from);
		if (sub_to >= 0)
			close(sub_to);
	}
	closedir(dir);
	return ok;
}

bool store_link_snapshot(const struct store *store, const char *from_rel,
			 const char *to_rel, size_t gcda, struct error *err)
{
	size_t linked = 0;
	char from_path[4096], to_path[4096];
	int from = -1, to = -1;
	bool ok;

	if (!store_path(store, from_rel, NULL, from_path, sizeof(from_path),
			err) ||
	    !store_path(store, to_rel, NULL, to_path, sizeof(to_path), err))
		return false;
	from = open(from_path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	to = open(to_path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	ok = from >= 0 && to >= 0 && link_tree(from, to, 0, &linked);
	if (!ok)
		error_errno(err, "cannot link %s into %s", from_path, to_path);
	/* Something removed files of the previous snapshot: not a copy. */
	else if (linked != gcda ||
		 faccessat(to, STORE_COUNTERS, F_OK, AT_SYMLINK_NOFOLLOW) != 0)
		ok = error_set(
			err, HVCOV_EXIT_DATA,
			"%s holds %zu .gcda files (not %zu) or no counters",
			from_path, linked, gcda);
	/* Durable as the writer's files are: one syncfs for the batch. */
	else if (syncfs(to) != 0)
		ok = error_errno(err, "cannot sync %s", to_path);
	if (from >= 0)
		close(from);
	if (to >= 0)
		close(to);
	return ok;
}

/* Write dir/name through dir/.name.tmp and a rename. */
static bool write_file(const char *dir, const char *name, const void *head,
		       size_t head_len, const void *body, size_t body_len,
		       struct error *err)
{
	char tmp[4096], path[4096];
	bool ok;
	int fd;

	if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, name) >=
		    sizeof(path) ||
	    (size_t)snprintf(tmp, sizeof(tmp), "%s/.%s.tmp", dir, name) >=
		    sizeof(tmp))
		return error_set(err, HVCOV_EXIT_SYSTEM, "%s: path too long",
				 dir);
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
	if (fd < 0)
		return error_errno(err, "cannot create %s", tmp);
	ok = fd_write_all(fd, head, head_len) &&
	     fd_write_all(fd, body, body_len) && fsync(fd) == 0;
	if (!ok)
		error_errno(err, "cannot write %s", tmp);
	if (close(fd) < 0 && ok)
		ok = error_errno(err, "cannot write %s", tmp);
	if (ok && rename(tmp, path) < 0)
		ok = error_errno(err, "cannot rename %s to %s", tmp, path);
	if (!ok)
		unlink(tmp);
	return ok;
}

#define PLACE_MAGIC "hvcov-place 1"

bool store_read_place(const char *root, struct live_place *place)
{
	unsigned long long v[6];
	char path[4096], text[256], tail;

	if ((size_t)snprintf(path, sizeof(path), "%s/%s", root, STORE_PLACE) >=
		    sizeof(path) ||
	    !path_read_text(path, O_NOFOLLOW | O_NONBLOCK, text, sizeof(text)))
		return false;
	if (sscanf(text, PLACE_MAGIC "\t%llu\t%llu\t%llu\t%llu\t%llu\t%llu%c",
		   &v[0], &v[1], &v[2], &v[3], &v[4], &v[5], &tail) != 7 ||
	    tail != '\n')
		return false;
	place->dev = v[0];
	place->ino = v[1];
	place->descriptor = v[2];
	place->link_base = v[3];
	place->image_size = v[4];
	place->descriptor_address = v[5];
	return true;
}

bool store_write_place(const struct store *store,
		       const struct live_place *place, struct error *err)
{
	char text[256];
	int n = snprintf(text, sizeof(text),
			 PLACE_MAGIC "\t%llu\t%llu\t%llu\t%llu\t%llu\t%llu\n",
			 (unsigned long long)place->dev,
			 (unsigned long long)place->ino,
			 (unsigned long long)place->descriptor,
			 (unsigned long long)place->link_base,
			 (unsigned long long)place->image_size,
			 (unsigned long long)place->descriptor_address);

	return write_file(store->root, STORE_PLACE, text, (size_t)n, NULL, 0,
			  err);
}

bool store_write_counters(const char *dir, uint64_t boot_id, uint64_t digest,
			  const uint64_t *values, size_t n, struct error *err)
{
	uint8_t head[COUNTERS_HEADER] = { 0 }, *body;
	bool ok;

	if (n > SIZE_MAX / 8)
		return error_set(err, HVCOV_EXIT_SYSTEM, "too many counters");
	body = malloc(n ? n * 8 : 1);
	if (!body)
		return error_errno(err, "cannot hold %zu counters", n);
	memcpy(head, COUNTERS_MAGIC, 8);
	bytes_put32(head + 8, false, COUNTERS_FORMAT);
	bytes_put64(head + 16, false, boot_id);
	bytes_put64(head + 24, false, digest);
	bytes_put64(head + 32, false, n);
	for (size_t i = 0; i < n; i++)
		bytes_put64(body + i * 8, false, values[i]);
	ok = write_file(dir, STORE_COUNTERS, head, sizeof(head), body, n * 8,
			err);
	free(body);
	return ok;
}

bool store_read_counters(const char *dir, uint64_t boot_id, uint64_t digest,
			 uint64_t *values, size_t n, struct error *err)
{
	uint8_t head[COUNTERS_HEADER], word[8];
	char path[4096];
	bool ok = false;
	FILE *in;

	if ((size_t)snprintf(path, sizeof(path), "%s/" STORE_COUNTERS, dir) >=
	    sizeof(path))
		return error_set(err, HVCOV_EXIT_SYSTEM, "%s: path too long",
				 dir);
	in = fopen(path, "rbe");
	if (!in)
		return error_errno(err, "cannot open %s", path);
	if (fread(head, 1, sizeof(head), in) != sizeof(head) ||
	    memcmp(head, COUNTERS_MAGIC, 8) ||
	    bytes_get32(head + 8, false) != COUNTERS_FORMAT) {
		error_set(err, HVCOV_EXIT_DATA,
			  "%s is not an hvcov counters file (format %u)", path,
			  COUNTERS_FORMAT);
		goto out;
	}
	if (bytes_get64(head + 16, false) != boot_id) {
		error_set(
			err, HVCOV_EXIT_DATA,
			"%s is of boot 0x%016llx, not of the running boot 0x%016llx: counters of different boots cannot be subtracted",
			path, (unsigned long long)bytes_get64(head + 16, false),
			(unsigned long long)boot_id);
		goto out;
	}
	if (bytes_get64(head + 24, false) != digest ||
	    bytes_get64(head + 32, false) != n) {
		error_set(
			err, HVCOV_EXIT_DATA,
			"%s holds the counters of another build or layout (%llu counters, digest 0x%016llx; the image has %zu, 0x%016llx)",
			path, (unsigned long long)bytes_get64(head + 32, false),
			(unsigned long long)bytes_get64(head + 24, false), n,
			(unsigned long long)digest);
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		if (fread(word, 1, 8, in) != 8) {
			error_set(err, HVCOV_EXIT_DATA,
				  "%s ends after %zu of %zu counters", path, i,
				  n);
			goto out;
		}
		values[i] = bytes_get64(word, false);
	}
	if (fgetc(in) != EOF) {
		error_set(err, HVCOV_EXIT_DATA,
			  "%s has bytes after its %zu counters", path, n);
		goto out;
	}
	ok = true;
out:
	fclose(in);
	return ok;
}

bool store_write_kcov(const char *dir, const uint64_t *ids, size_t n,
		      struct error *err)
{
	uint64_t count = n;

	return write_file(dir, "kcov", &count, sizeof(count), ids,
			  n * sizeof(*ids), err);
}

bool store_append(struct store *store, const struct store_record *r,
		  struct error *err)
{
	char line[8192];
	int n = snprintf(
		line, sizeof(line),
		"%lu\t%s\t%016llx\t%s\t%s\t%s\t%s\t%llu\t%llu\t%llu\t%llu\t%llu\n",
		r->seq, r->time, (unsigned long long)r->boot_id,
		header_state_name(r->state), r->dir, r->tag ? r->tag : "-",
		r->since ? r->since : "-", (unsigned long long)r->counters,
		(unsigned long long)r->arcs,
		(unsigned long long)r->arcs_executed,
		(unsigned long long)r->new_arcs,
		(unsigned long long)r->new_counters);

	if (n < 0 || (size_t)n >= sizeof(line) || strchr(r->dir, '\t') ||
	    (r->since && (strchr(r->since, '\t') || strchr(r->since, '\n'))))
		return error_set(
			err, HVCOV_EXIT_SYSTEM,
			"cannot record snapshot %lu in the index: names too long or with tabs",
			r->seq);
	/* One write() of one line with O_APPEND: no torn line. */
	if (!fd_write_all(store->index_fd, line, (size_t)n) ||
	    fsync(store->index_fd) < 0)
		return error_errno(err, "cannot append to %s/" STORE_INDEX,
				   store->root);
	return add_entry(store, r->seq, r->boot_id, r->dir, err);
}
