/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Crash safety of `hvcov extract`: kill it with SIGKILL at random moments
 * while it writes a large image's files, then demand that
 *   - every .gcda is byte for byte either its old or its new content,
 *   - a rerun of the same command completes, and afterwards every .gcda
 *     is exactly the new content: with --merge that means the run is in
 *     each file once, never lost and never counted twice.
 * "Old" is the tree an extraction of image A left; "new" is what an
 * uninterrupted extraction of image B (replacing, or with --merge adding
 * B's run) makes of it.  The kill moments are uniform over 1.2 times an
 * uninterrupted run, from a seeded generator whose seed is printed.
 *
 * usage: crash-kill HVCOV WORKDIR VERSION_HEX SEED KILLS [--merge]
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "hvcov/descriptor.h"
#include "lib/image-builder.h"

/* Large enough that a run takes a few hundred milliseconds on a disk (on
 * tmpfs, where the test runs when it can, about a hundred), spread over
 * several directories (each with its own lock and ledger). */
#define N_OBJECTS 300
#define N_DIRS 6
#define N_FUNCTIONS 12
#define N_VALUES 24
#define MAX_FILES N_OBJECTS

struct file {
	char rel[128];
	uint8_t *old, *new;
	size_t old_len, new_len;
};

static struct file files[MAX_FILES];
static const char *hvcov;
static char work[4096];
static uint64_t rng;

static uint64_t next_random(void)
{
	/* splitmix64 */
	uint64_t z = (rng += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static _Noreturn void die(const char *what)
{
	fprintf(stderr, "crash-kill: %s\n", what);
	exit(1);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static bool write_image(const char *path, uint32_t version, uint64_t boot_id,
			uint64_t salt)
{
	static struct ib_function fns[N_OBJECTS][N_FUNCTIONS];
	static struct ib_object objects[N_OBJECTS];
	static uint64_t values[N_OBJECTS][N_FUNCTIONS][N_VALUES];
	static char names[N_OBJECTS][64];
	struct ib_spec spec = { 0 };
	struct ib_image ib;
	FILE *f;
	bool ok;

	for (size_t i = 0; i < N_OBJECTS; i++) {
		snprintf(names[i], sizeof(names[i]),
			 "/build/hv/d%zu/unit%03zu.gcda", i % N_DIRS, i);
		objects[i].filename = names[i];
		objects[i].stamp = 0x5a000000u + (uint32_t)i;
		objects[i].checksum = 0xc0000000u + (uint32_t)i;
		objects[i].active_kinds = 1;
		objects[i].n_functions = N_FUNCTIONS;
		objects[i].functions = fns[i];
		for (uint32_t f = 0; f < N_FUNCTIONS; f++) {
			fns[i][f].kind = IB_FUNCTION_PRESENT;
			fns[i][f].ident = f;
			fns[i][f].lineno_checksum = 0x1000u + f;
			fns[i][f].cfg_checksum = 0x2000u + (uint32_t)i;
			fns[i][f].num[0] = N_VALUES;
			fns[i][f].values[0] = values[i][f];
			for (uint32_t v = 0; v < N_VALUES; v++)
				values[i][f][v] =
					(i * 131 + f * 17 + v) * salt % 1000;
		}
	}
	spec.version = version;
	spec.pointer_size = 8;
	spec.machine = HVCOV_MACHINE_X86_64;
	spec.header = IB_HEADER_HVCOV;
	spec.mode = IB_MODE_LIST;
	spec.link_base = 0xffffffff80000000ULL;
	spec.boot_id = boot_id;
	spec.state = HVCOV_STATE_DISABLED;
	spec.n_objects = N_OBJECTS;
	spec.objects = objects;
	if (!ib_build(&spec, &ib))
		return false;
	f = fopen(path, "wb");
	ok = f && fwrite(ib.buffer, 1, ib.size, f) == ib.size;
	if (f && fclose(f) != 0)
		ok = false;
	ib_free(&ib);
	return ok;
}

static void shell(const char *fmt, const char *a, const char *b)
{
	char cmd[9000];

	snprintf(cmd, sizeof(cmd), fmt, a, b);
	if (system(cmd) != 0)
		die(cmd);
}

/* Run hvcov extract on image into dir; kill it after `delay` seconds
 * (negative: never).  Returns its exit status, or -SIGKILL when killed;
 * every process it started is gone on return. */
static int extract(const char *image, const char *dir, bool merge, double delay,
		   bool quiet)
{
	int status;
	pid_t pid = fork();

	if (pid < 0)
		die("fork");
	if (pid == 0) {
		int null = open("/dev/null", O_WRONLY);

		dup2(null, STDOUT_FILENO);
		if (quiet)
			dup2(null, STDERR_FILENO);
		execl(hvcov, hvcov, "extract", "-q", "--image", image, "-o",
		      dir, merge ? "--merge" : "-q", (char *)NULL);
		_exit(127);
	}
	if (delay >= 0) {
		struct timespec ts = { (time_t)delay,
				       (long)((delay - (time_t)delay) * 1e9) };

		while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
			;
		kill(pid, SIGKILL);
	}
	if (waitpid(pid, &status, 0) != pid)
		die("waitpid");
	/* We are the subreaper: hvcov's libgcov writer, orphaned by the
	 * kill, is reparented here; wait until it is gone too. */
	while (waitpid(-1, NULL, 0) > 0 || errno == EINTR)
		;
	if (WIFSIGNALED(status))
		return -WTERMSIG(status);
	return WEXITSTATUS(status);
}

/* Run hvcov extract and kill it once `renames` .gcda files have been
 * renamed into place below dir (inotify IN_MOVED_TO on every directory). */
static int extract_until(const char *image, const char *dir, bool merge,
			 unsigned renames)
{
	char buf[4096] __attribute__((aligned(8)));
	unsigned seen = 0;
	int status, fd = inotify_init1(IN_CLOEXEC);
	pid_t pid;

	if (fd < 0)
		die("inotify_init1");
	for (unsigned d = 0; d < N_DIRS; d++) {
		char path[4300];

		snprintf(path, sizeof(path), "%s/build/hv/d%u", dir, d);
		if (inotify_add_watch(fd, path, IN_MOVED_TO) < 0)
			die("inotify_add_watch");
	}
	pid = fork();
	if (pid < 0)
		die("fork");
	if (pid == 0) {
		int null = open("/dev/null", O_WRONLY);

		dup2(null, STDOUT_FILENO);
		execl(hvcov, hvcov, "extract", "-q", "--image", image, "-o",
		      dir, merge ? "--merge" : "-q", (char *)NULL);
		_exit(127);
	}
	while (seen < renames) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		ssize_t got;

		/* The run ends without that many renames (or is slow): stop
		 * waiting after 10 s and kill it anyway. */
		if (poll(&p, 1, 10000) <= 0)
			break;
		got = read(fd, buf, sizeof(buf));
		for (ssize_t at = 0; at < got;) {
			const struct inotify_event *e =
				(const void *)(buf + at);
			size_t len = e->len ? strlen(e->name) : 0;

			if (len > 5 && !strcmp(e->name + len - 5, ".gcda"))
				seen++;
			at += (ssize_t)(sizeof(*e) + e->len);
		}
	}
	kill(pid, SIGKILL);
	close(fd);
	if (waitpid(pid, &status, 0) != pid)
		die("waitpid");
	while (waitpid(-1, NULL, 0) > 0 || errno == EINTR)
		;
	return WIFSIGNALED(status) ? -WTERMSIG(status) : WEXITSTATUS(status);
}

static uint8_t *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf = NULL;
	size_t cap = 0;

	*len = 0;
	if (!f)
		return NULL;
	for (;;) {
		size_t got;

		if (*len == cap) {
			cap = cap ? 2 * cap : 4096;
			buf = realloc(buf, cap);
			if (!buf)
				die("out of memory");
		}
		got = fread(buf + *len, 1, cap - *len, f);
		*len += got;
		if (got == 0)
			break;
	}
	fclose(f);
	return buf;
}

/* 0 old, 1 new, -1 neither; absent counts as old when there was none. */
static int state_of(const char *dir, const struct file *file)
{
	char path[8400];
	size_t len;
	uint8_t *bytes;
	int state = -1;

	if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, file->rel) >=
	    sizeof(path))
		die("path too long");
	bytes = slurp(path, &len);
	if (!bytes)
		return file->old ? -1 : 0;
	if (file->old && len == file->old_len && !memcmp(bytes, file->old, len))
		state = 0;
	else if (len == file->new_len && !memcmp(bytes, file->new, len))
		state = 1;
	free(bytes);
	return state;
}

/* Files in dir other than .gcda, ledgers and temporaries a kill left. */
static void check_no_strangers(const char *dir, bool temps_allowed)
{
	DIR *d = opendir(dir);
	struct dirent *e;

	if (!d)
		return;
	while ((e = readdir(d))) {
		char path[8400];
		size_t len = strlen(e->d_name);

		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir,
				     e->d_name) >= sizeof(path))
			die("path too long");
		if (e->d_type == DT_DIR) {
			check_no_strangers(path, temps_allowed);
			continue;
		}
		if ((len > 5 && !strcmp(e->d_name + len - 5, ".gcda")) ||
		    !strcmp(e->d_name, ".hvcov-ledger"))
			continue;
		if (temps_allowed && !strncmp(e->d_name, ".hvcov-", 7))
			continue;
		fprintf(stderr, "crash-kill: stray file %s\n", path);
		exit(1);
	}
	closedir(d);
}

static void load(const char *dir, bool old)
{
	for (size_t i = 0; i < N_OBJECTS; i++) {
		struct file *file = &files[i];
		char path[8400];

		snprintf(file->rel, sizeof(file->rel),
			 "build/hv/d%zu/unit%03zu.gcda", i % N_DIRS, i);
		if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir,
				     file->rel) >= sizeof(path))
			die("path too long");
		if (old)
			file->old = slurp(path, &file->old_len);
		else
			file->new = slurp(path, &file->new_len);
		if (!old && !file->new)
			die("the reference run wrote no file");
	}
}

int main(int argc, char **argv)
{
	char a_img[4200], b_img[4200], old_dir[4200], new_dir[4200], dir[4200];
	unsigned long kills, counts[3] = { 0 }, held_refusals = 0;
	uint32_t version;
	double full, start;
	bool merge;

	if (argc < 6 || argc > 7 || (argc == 7 && strcmp(argv[6], "--merge"))) {
		fprintf(stderr,
			"usage: crash-kill HVCOV WORKDIR VERSION_HEX SEED KILLS [--merge]\n");
		return 2;
	}
	hvcov = argv[1];
	snprintf(work, sizeof(work), "%s", argv[2]);
	version = (uint32_t)strtoul(argv[3], NULL, 16);
	rng = strtoull(argv[4], NULL, 0);
	kills = strtoul(argv[5], NULL, 0);
	merge = argc == 7;
	if (prctl(PR_SET_CHILD_SUBREAPER, 1) != 0)
		die("cannot become a subreaper");

	snprintf(a_img, sizeof(a_img), "%s/a.img", work);
	snprintf(b_img, sizeof(b_img), "%s/b.img", work);
	snprintf(old_dir, sizeof(old_dir), "%s/old", work);
	snprintf(new_dir, sizeof(new_dir), "%s/new", work);
	snprintf(dir, sizeof(dir), "%s/out", work);
	if (!write_image(a_img, version, 0xa, 3) ||
	    !write_image(b_img, version, 0xb, 7))
		die("cannot build the images");
	if (extract(a_img, old_dir, false, -1, false) != 0)
		die("extracting image A failed");
	shell("cp -a '%s' '%s'", old_dir, new_dir);
	start = now();
	if (extract(b_img, new_dir, merge, -1, false) != 0)
		die("the uninterrupted run failed");
	full = now() - start;
	load(old_dir, true);
	load(new_dir, false);
	printf("crash-kill: %s, seed %s, %lu kills over %.0f ms runs of %d files\n",
	       merge ? "--merge" : "replace", argv[4], kills, full * 1000,
	       N_OBJECTS);

	/* Odd kills land at a uniform moment of the run; even ones when the
	 * r-th .gcda has been renamed into place, r uniform in 1..files, so
	 * that the short stretch of renames (and the ledger update after
	 * the last) is hit as often as the long one before it. */
	for (unsigned long k = 0; k < kills; k++) {
		double delay =
			(double)(next_random() % 1000000) / 1e6 * full * 1.2;
		unsigned renames = 1 + (unsigned)(next_random() % N_OBJECTS);
		size_t n_new = 0;
		int status;

		shell("rm -rf '%s'%s", dir, "");
		shell("cp -a '%s' '%s'", old_dir, dir);
		status = k % 2 ? extract(b_img, dir, merge, delay, false)
			       : extract_until(b_img, dir, merge, renames);
		if (k % 2 == 0)
			delay = (double)renames / 1000; /* for messages */
		for (size_t i = 0; i < N_OBJECTS; i++) {
			int s = state_of(dir, &files[i]);

			if (s < 0) {
				fprintf(stderr,
					"crash-kill: kill %lu at %.1f (ms or renames) ms: %s is neither old nor new\n",
					k, delay * 1000, files[i].rel);
				return 1;
			}
			n_new += (size_t)s;
		}
		check_no_strangers(dir, true);
		counts[n_new == 0 ? 0 : n_new == N_OBJECTS ? 2 : 1]++;

		/* Quiet: a rerun's refusal is expected where noted below. */
		status = extract(b_img, dir, merge, -1,
				 merge && n_new == N_OBJECTS);
		/* A --merge that had finished (or had renamed every file)
		 * refuses to add its run again: that is the point. */
		if (status == 1 && merge && n_new == N_OBJECTS)
			held_refusals++;
		else if (status != 0) {
			fprintf(stderr,
				"crash-kill: kill %lu at %.1f (ms or renames): the rerun exited %d\n",
				k, delay * 1000, status);
			return 1;
		}
		for (size_t i = 0; i < N_OBJECTS; i++)
			if (state_of(dir, &files[i]) != 1) {
				fprintf(stderr,
					"crash-kill: kill %lu at %.1f (ms or renames) ms: after the rerun (exit %d, %zu files were new) %s is not the new content\n",
					k, delay * 1000, status, n_new,
					files[i].rel);
				return 1;
			}
		/* Temporaries of the killed run go with the next write, which
		 * a refused rerun does not make. */
		check_no_strangers(dir, status != 0);
	}
	printf("crash-kill: %s: %lu killed before any rename, %lu among the renames, %lu after them or done; every file old or new, every rerun gave exactly the new files (%lu reruns refused a run already merged)\n",
	       merge ? "--merge" : "replace", counts[0], counts[1], counts[2],
	       held_refusals);

	return 0;
}
