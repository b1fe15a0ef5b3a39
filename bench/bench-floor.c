/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * bench-floor: the floor extraction is measured against, i.e. what it costs
 * just to put the same bytes into the same files with plain system calls.
 *
 *   bench-floor [--no-sync] replace SRC DST
 *   bench-floor [--no-sync] merge SRC DST
 *
 * Both first read every *.gcda below SRC (a tree hvcov wrote) into memory,
 * untimed, then time one phase and print "<seconds> <fsync seconds>": the
 * wall-clock seconds of the phase and of its fsyncs alone (0 with
 * --no-sync):
 *
 *   replace  DST must not exist: create DST and SRC's directory tree below
 *            it, then create each file (O_EXCL), write its bytes, close it;
 *            then fsync every file and finally every directory, so that the
 *            files are as durable as hvcov makes them, synced in the same
 *            pattern (hvcov too writes every file before syncing any).
 *   merge    DST holds files at the same relative paths (an earlier
 *            replace): open each, read it whole, write SRC's bytes over it
 *            in place, truncate to length, close; then fsync every file.
 *            In-place rewriting changes no directory entry, so no directory
 *            is synced.
 *
 * --no-sync leaves out every fsync (to measure what syncing costs).
 * hvcov's own ledger files are not part of the floor: they are overhead.
 *
 * Exit status: 0 measured, 2 usage or I/O error.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "base/fdio.h"

struct entry {
	char *rel; /* path relative to the root */
	bool is_dir;
	uint8_t *data;
	size_t size;
};

struct tree {
	struct entry *e;
	size_t n, cap;
};

static bool sync_files = true;
static double sync_seconds; /* in sync_all() */

static void die(const char *what, const char *path)
{
	fprintf(stderr, "bench-floor: %s %s: %s\n", what, path,
		strerror(errno));
	exit(2);
}

static struct entry *add(struct tree *tree, const char *rel, bool is_dir)
{
	if (tree->n == tree->cap) {
		tree->cap = tree->cap ? 2 * tree->cap : 256;
		tree->e = realloc(tree->e, tree->cap * sizeof(*tree->e));
		if (!tree->e)
			die("out of memory at", rel);
	}
	memset(&tree->e[tree->n], 0, sizeof(tree->e[0]));
	tree->e[tree->n].rel = strdup(rel);
	tree->e[tree->n].is_dir = is_dir;
	if (!tree->e[tree->n].rel)
		die("out of memory at", rel);
	return &tree->e[tree->n++];
}

static void load_file(const char *path, struct entry *entry)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	struct stat st;
	size_t got = 0;

	if (fd < 0 || fstat(fd, &st) != 0)
		die("cannot open", path);
	entry->size = (size_t)st.st_size;
	entry->data = malloc(entry->size ? entry->size : 1);
	if (!entry->data)
		die("out of memory for", path);
	while (got < entry->size) {
		ssize_t n = read(fd, entry->data + got, entry->size - got);

		if (n <= 0)
			die("cannot read", path);
		got += (size_t)n;
	}
	close(fd);
}

static bool is_gcda(const char *name)
{
	size_t len = strlen(name);

	return len > 5 && !strcmp(name + len - 5, ".gcda");
}

static int by_name(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

/* Pre-order: a directory comes before everything inside it. */
static void load(const char *root, const char *rel, struct tree *tree)
{
	struct dirent **names;
	char path[4096], child[4096];
	int n;

	snprintf(path, sizeof(path), "%s%s%s", root, *rel ? "/" : "", rel);
	n = scandir(path, &names, NULL, by_name);
	if (n < 0)
		die("cannot list", path);
	for (int i = 0; i < n; i++) {
		const char *name = names[i]->d_name;
		struct stat st;
		char full[8192];

		if (!strcmp(name, ".") || !strcmp(name, "..")) {
			free(names[i]);
			continue;
		}
		snprintf(child, sizeof(child), "%s%s%s", rel, *rel ? "/" : "",
			 name);
		snprintf(full, sizeof(full), "%s/%s", root, child);
		if (lstat(full, &st) != 0)
			die("cannot stat", full);
		if (S_ISDIR(st.st_mode)) {
			add(tree, child, true);
			load(root, child, tree);
		} else if (S_ISREG(st.st_mode) && is_gcda(name)) {
			load_file(full, add(tree, child, false));
		}
		free(names[i]);
	}
	free(names);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* fsync every file, or (dirs) every directory; entry n is the root. */
static void sync_all(int root, const struct tree *tree, bool dirs)
{
	double start = now();

	for (size_t i = 0; sync_files && i <= tree->n; i++) {
		const char *rel = i < tree->n ? tree->e[i].rel : ".";
		bool is_dir = i == tree->n || tree->e[i].is_dir;
		int fd;

		if (is_dir != dirs)
			continue;
		fd = openat(root, rel, O_RDONLY | O_CLOEXEC);
		if (fd < 0 || fsync(fd) != 0)
			die("cannot sync", rel);
		close(fd);
	}
	sync_seconds += now() - start;
}

static void replace(const char *dst, const struct tree *tree)
{
	int root;

	if (mkdir(dst, 0777) != 0)
		die("cannot create", dst);
	root = open(dst, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (root < 0)
		die("cannot open", dst);
	for (size_t i = 0; i < tree->n; i++) {
		const struct entry *e = &tree->e[i];
		int fd;

		if (e->is_dir) {
			if (mkdirat(root, e->rel, 0777) != 0)
				die("cannot create", e->rel);
			continue;
		}
		fd = openat(root, e->rel,
			    O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
		if (fd < 0 || !fd_write_all(fd, e->data, e->size))
			die("cannot write", e->rel);
		if (close(fd) != 0)
			die("cannot close", e->rel);
	}
	sync_all(root, tree, false);
	sync_all(root, tree, true);
	close(root);
}

static void merge(const char *dst, const struct tree *tree)
{
	int root = open(dst, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (root < 0)
		die("cannot open", dst);
	for (size_t i = 0; i < tree->n; i++) {
		const struct entry *e = &tree->e[i];
		struct stat st;
		uint8_t *old;
		size_t got = 0;
		int fd;

		if (e->is_dir)
			continue;
		fd = openat(root, e->rel, O_RDWR | O_CLOEXEC);
		if (fd < 0 || fstat(fd, &st) != 0)
			die("cannot open", e->rel);
		old = malloc((size_t)st.st_size + 1);
		if (!old)
			die("out of memory for", e->rel);
		while (got < (size_t)st.st_size) {
			ssize_t n = pread(fd, old + got,
					  (size_t)st.st_size - got, (off_t)got);

			if (n <= 0)
				die("cannot read", e->rel);
			got += (size_t)n;
		}
		free(old);
		if (lseek(fd, 0, SEEK_SET) != 0 ||
		    !fd_write_all(fd, e->data, e->size) ||
		    ftruncate(fd, (off_t)e->size) != 0)
			die("cannot rewrite", e->rel);
		if (close(fd) != 0)
			die("cannot close", e->rel);
	}
	sync_all(root, tree, false);
	close(root);
}

int main(int argc, char **argv)
{
	struct tree tree = { 0 };
	double start;
	int arg = 1;

	if (argc > arg && !strcmp(argv[arg], "--no-sync")) {
		sync_files = false;
		arg++;
	}
	if (argc - arg != 3 ||
	    (strcmp(argv[arg], "replace") && strcmp(argv[arg], "merge"))) {
		fputs("Usage: bench-floor [--no-sync] replace|merge SRC DST\n",
		      stderr);
		return 2;
	}
	load(argv[arg + 1], "", &tree);
	start = now();
	if (!strcmp(argv[arg], "replace"))
		replace(argv[arg + 2], &tree);
	else
		merge(argv[arg + 2], &tree);
	printf("%.6f %.6f\n", now() - start, sync_seconds);
	for (size_t i = 0; i < tree.n; i++) {
		free(tree.e[i].rel);
		free(tree.e[i].data);
	}
	free(tree.e);
	return 0;
}
