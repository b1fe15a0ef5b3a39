/* SPDX-License-Identifier: BSD-2-Clause */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "hostgcov.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "outpath.h"

/* configure measures the version word of the GCC whose libgcov it links.
 * A GCC building hvcov without configure gets its own word by GCC's
 * formula; any other compiler cannot know which libgcov it links. */
#ifndef HVCOV_HOST_GCOV_VERSION
#if defined(__clang__) || !defined(__GNUC__)
#error "define HVCOV_HOST_GCOV_VERSION (configure does) to the libgcov's word"
#elif __GNUC__ >= 7
#define HVCOV_HOST_GCOV_VERSION                                                \
	(('A' + __GNUC__ / 10) << 24 | ('0' + __GNUC__ % 10) << 16 |           \
	 ('0' + __GNUC_MINOR__) << 8 | '*')
#else
#define HVCOV_HOST_GCOV_VERSION                                                \
	(('0' + __GNUC__) << 24 | ('0' + __GNUC_MINOR__ / 10) << 16 |          \
	 ('0' + __GNUC_MINOR__ % 10) << 8 | '*')
#endif
#endif

/* Which __gcov_merge_* the linked libgcov has, by its release: referencing
 * a missing one would not link.  */
#define HOST_B0 ((HVCOV_HOST_GCOV_VERSION >> 24) & 0xff)
#define HOST_B1 ((HVCOV_HOST_GCOV_VERSION >> 16) & 0xff)
#define HOST_B2 ((HVCOV_HOST_GCOV_VERSION >> 8) & 0xff)
#if HOST_B0 >= 'A'
#define HOST_GCC                                                               \
	((((HOST_B0 - 'A') * 10 + HOST_B1 - '0')) * 100 + HOST_B2 - '0')
#else
#define HOST_GCC ((HOST_B0 - '0') * 100 + (HOST_B1 - '0') * 10 + HOST_B2 - '0')
#endif

typedef void (*merge_fn)(int64_t *counters, unsigned n_counters);

void __gcov_init(void *info);
void __gcov_dump(void);
void __gcov_merge_add(int64_t *counters, unsigned n_counters);
void __gcov_merge_ior(int64_t *counters, unsigned n_counters);
#if HOST_GCC >= 409
void __gcov_merge_time_profile(int64_t *counters, unsigned n_counters);
#endif

uint32_t hostgcov_version(void)
{
	return (uint32_t)HVCOV_HOST_GCOV_VERSION;
}

static merge_fn merge_for(enum gcov_merge merge)
{
	switch (merge) {
	case GCOV_MERGE_ADD:
		return __gcov_merge_add;
	case GCOV_MERGE_IOR:
		return __gcov_merge_ior;
#if HOST_GCC >= 409
	case GCOV_MERGE_TIME_PROFILE:
		return __gcov_merge_time_profile;
#endif
	default:
		return NULL;
	}
}

bool hostgcov_kind_supported(const struct gcc_layout *host, unsigned kind,
			     const char **why)
{
	if (kind >= gcc_layout_counters(host)) {
		*why = "no such counter kind in the host's GCC";
		return false;
	}
	/* Value-profiling kinds (single, delta, topn, indirect calls) keep
	 * pointers to key/value lists in memory, not the counters a model
	 * holds; only -fprofile-generate emits them, never --coverage. */
	if (!merge_for(gcc_layout_merge(host, kind))) {
		*why = "value-profiling counters are not supported";
		return false;
	}
	return true;
}

/* Every host structure of one dump lives in one zeroed arena: one
 * allocation instead of one per function, and in the child, where
 * __gcov_init writes each gcov_info's next field, the copy-on-write faults
 * touch a few dense pages instead of one page per object. */
struct laid_out {
	uint8_t *arena;
	size_t used, size;
};

/* The strictest member of a host gcov structure: a pointer or a 64-bit
 * gcov_type. */
#define ARENA_ALIGN 8

static size_t arena_round(size_t size)
{
	return (size + ARENA_ALIGN - 1) / ARENA_ALIGN * ARENA_ALIGN;
}

static void *block(struct laid_out *lo, size_t size)
{
	size_t need = arena_round(size ? size : 1);
	void *p;

	if (need > lo->size - lo->used)
		return NULL; /* arena_size() undercounted: a bug, not data */
	p = lo->arena + lo->used;
	lo->used += need;
	return p;
}

static size_t function_size(const struct model_object *obj,
			    const struct gcc_offsets *off)
{
	return off->fn_ctrs +
	       (obj->n_active ? obj->n_active : 1) * off->ctr_size;
}

/* What lay_out() takes from the arena for obj, at most. */
static size_t arena_size(const struct model_object *obj,
			 const struct gcc_offsets *off)
{
	return arena_round(off->info_size) +
	       arena_round(obj->n_functions * sizeof(void *)) +
	       (1 + (size_t)obj->n_functions) *
		       arena_round(function_size(obj, off));
}

static void put32(uint8_t *base, size_t offset, uint32_t value)
{
	memcpy(base + offset, &value, sizeof(value));
}

static void put_ptr(uint8_t *base, size_t offset, const void *ptr)
{
	memcpy(base + offset, &ptr, sizeof(ptr));
}

/* One gcov_info and its function records in host layout.  Counter values
 * are the model's own arrays: libgcov merges into them only in the child,
 * whose memory is a copy. */
static void *lay_out(const struct model_object *obj, const char *path,
		     const struct gcc_layout *host,
		     const struct gcc_offsets *off, struct laid_out *lo)
{
	uint8_t *info = block(lo, off->info_size), *placeholder;
	size_t fn_size = function_size(obj, off);
	uint8_t **functions = block(lo, obj->n_functions * sizeof(void *));

	/* A COMDAT copy that the linker dropped from this object: libgcov
	 * writes an empty function record for any entry whose key is not
	 * this gcov_info, exactly what GCC's output holds (there the entry
	 * points at the kept copy in another object).  It must not be NULL:
	 * libgcov 12's run_max loop reads ctrs[0] of every entry, so the
	 * placeholder has zero-length counter arrays. */
	placeholder = block(lo, fn_size);
	if (!info || !functions || !placeholder)
		return NULL;

	put32(info, off->info_version, obj->version);
	put32(info, off->info_stamp, obj->stamp);
	if (gcc_layout_has_checksum(host))
		put32(info, off->info_checksum, obj->checksum);
	put_ptr(info, off->info_filename, path);
	for (unsigned k = 0; k < gcc_layout_counters(host); k++) {
		merge_fn fn;

		if (!(obj->active_kinds & (1u << k)))
			continue;
		fn = merge_for(gcc_layout_merge(host, k));
		memcpy(info + off->info_merge + k * off->pointer_size, &fn,
		       sizeof(fn));
	}
	put32(info, off->info_n_functions, obj->n_functions);
	put_ptr(info, off->info_functions, functions);

	for (uint32_t f = 0; f < obj->n_functions; f++) {
		const struct model_function *mf = &obj->functions[f];
		uint8_t *fn;

		if (!mf->present) {
			functions[f] = placeholder;
			continue;
		}
		fn = block(lo, fn_size);
		if (!fn)
			return NULL;
		put_ptr(fn, off->fn_key, info);
		put32(fn, off->fn_ident, mf->ident);
		put32(fn, off->fn_lineno_checksum, mf->lineno_checksum);
		put32(fn, off->fn_cfg_checksum, mf->cfg_checksum);
		for (unsigned c = 0; c < obj->n_active; c++) {
			uint8_t *ctr = fn + off->fn_ctrs + c * off->ctr_size;

			put32(ctr, off->ctr_num, mf->counters[c].num);
			put_ptr(ctr, off->ctr_values, mf->counters[c].values);
		}
		functions[f] = fn;
	}
	return info;
}

/* Read fd to its end, keeping the first size - 1 bytes NUL-terminated in
 * text (the rest is read and dropped, so the writer never blocks on a full
 * pipe); returns the bytes kept. */
static size_t read_text(int fd, char *text, size_t size)
{
	size_t got = 0;

	for (;;) {
		char sink[256];
		ssize_t r =
			read(fd, got < size - 1 ? text + got : sink,
			     got < size - 1 ? size - 1 - got : sizeof(sink));

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		if (got < size - 1)
			got += (size_t)r;
	}
	text[got] = '\0';
	return got;
}

/* What the child lays out and dumps. */
struct dump_job {
	struct model *owner; /* of objects, in order; or NULL */
	const struct model_object *const *objects;
	const char *const *paths;
	size_t n;
	const struct gcc_layout *host;
	struct gcc_offsets off;
	size_t arena_size;
};

/* The child: a fresh libgcov that prints only into the pipe.  It lays out
 * the host structures itself, so that they never take memory in the
 * parent, which at that moment holds the image, the model and the
 * writer's state: hvcov's peak is the fork, and the arena (about 60 bytes
 * a function) would add to it.  What the child adds is its own. */
static void child(const struct dump_job *job, int errfd)
{
	struct laid_out lo = { 0 };
	size_t i = 0;

	/* These would move the files (GCOV_PREFIX*), end the child at the
	 * first error (GCOV_EXIT_AT_ERROR) or hide the messages in some
	 * other file (GCOV_ERROR_FILE; libgcov 12 opens it for its
	 * "libgcov profiling error:" lines but still prints its
	 * "profiling:...:Cannot open" lines on stderr). */
	unsetenv("GCOV_PREFIX");
	unsetenv("GCOV_PREFIX_STRIP");
	unsetenv("GCOV_EXIT_AT_ERROR");
	unsetenv("GCOV_ERROR_FILE");
	if (dup2(errfd, STDERR_FILENO) < 0)
		_exit(127);
	lo.size = job->arena_size;
	lo.arena = calloc(1, lo.size ? lo.size : 1);
	while (lo.arena && i < job->n) {
		void *info = lay_out(job->objects[i], job->paths[i], job->host,
				     &job->off, &lo);

		if (!info)
			break;
		__gcov_init(info);
		i++;
		/* This copy of the model is the child's and dies with it. */
		if (job->owner)
			model_release_before(job->owner, i);
	}
	if (i < job->n) {
		/* Nothing dumped; the parent reports this line. */
		static const char msg[] =
			"out of memory for the host gcov structures\n";

		ssize_t unused = write(errfd, msg, sizeof(msg) - 1);

		(void)unused;
		_exit(125);
	}
	__gcov_dump();
	/* _exit: no atexit handler, no stdio flush of the parent's buffers,
	 * no second dump by an instrumented destructor. */
	_exit(0);
}

static bool run_child(const struct dump_job *job, struct error *err)
{
	char text[512], quoted[300];
	size_t got;
	int pipefd[2], status;
	pid_t pid;

	pid_t parent = getpid();

	if (pipe(pipefd) != 0)
		return error_errno(err, "cannot create a pipe for libgcov");
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		close(pipefd[0]);
		close(pipefd[1]);
		return error_errno(err, "cannot fork the libgcov writer");
	}
	if (pid == 0) {
		/* The child writes into the directories the parent holds
		 * leases on: if hvcov is killed, its writer must not outlive
		 * it and write on while the next hvcov, finding the leases
		 * stale, writes there.  (Nothing it wrote counts without the
		 * parent's renames.) */
		if (prctl(PR_SET_PDEATHSIG, SIGKILL) != 0 ||
		    getppid() != parent)
			_exit(126);
		close(pipefd[0]);
		child(job, pipefd[1]);
	}
	close(pipefd[1]);
	got = read_text(pipefd[0], text, sizeof(text));
	close(pipefd[0]);
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return error_errno(err, "cannot wait for libgcov");

	if (got) {
		char *nl = strchr(text, '\n');

		if (nl)
			*nl = '\0';
		return error_set(
			err, HVCOV_EXIT_SYSTEM,
			"libgcov reported an error, nothing was written: %s",
			outpath_quote(text, quoted, sizeof(quoted)));
	}
	if (WIFSIGNALED(status))
		return error_set(
			err, HVCOV_EXIT_SYSTEM,
			"libgcov died of signal %d, nothing was written",
			WTERMSIG(status));
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		return error_set(
			err, HVCOV_EXIT_SYSTEM,
			"the libgcov writer failed (status %d), nothing was written",
			WIFEXITED(status) ? WEXITSTATUS(status) : -1);
	return true;
}

static bool dump_with(struct model *owner,
		      const struct model_object *const *objects,
		      const char *const *paths, size_t n, struct error *err)
{
	struct dump_job job = { owner, objects, paths, n, NULL, { 0 }, 0 };

	job.host = gcc_layout_for_version(hostgcov_version());
	if (!job.host)
		return error_set(
			err, HVCOV_EXIT_SYSTEM,
			"hvcov was built for an unknown gcov version 0x%08x",
			(unsigned)hostgcov_version());
	gcc_layout_offsets(job.host, sizeof(void *), &job.off);
	for (size_t i = 0; i < n; i++) {
		job.arena_size += arena_size(objects[i], &job.off);
		if (owner &&
		    (i >= owner->n_objects || objects[i] != &owner->objects[i]))
			job.owner = NULL;
	}
	return run_child(&job, err);
}

bool hostgcov_dump(const struct model_object *const *objects,
		   const char *const *paths, size_t n, struct error *err)
{
	return dump_with(NULL, objects, paths, n, err);
}

/*
 * Writing through another release's libgcov.  A libgcov writes the version
 * word of its own release, so an image of release R is written only by R's
 * libgcov.  hvcov links one; for the others, a helper program built per
 * release (tools/hvcov-libgcov.c, statically linked against that release's
 * libgcov) receives the checked model on stdin and runs the same dump.
 * Helpers are found as DIR/hvcov-libgcov-<version word in hex>, DIR being
 * $HVCOV_LIBGCOV_DIR or the installed pkglibexecdir.
 */
#define HELPER_PREFIX "hvcov-libgcov-"
#define WIRE_MAGIC 0x48564c31u /* "HVL1" */

static const char *helper_dir(void)
{
	const char *dir = getenv("HVCOV_LIBGCOV_DIR");

	if (dir && *dir)
		return dir;
#ifdef HVCOV_LIBGCOV_HELPER_DIR
	return HVCOV_LIBGCOV_HELPER_DIR;
#else
	return NULL;
#endif
}

static bool helper_path(uint32_t version, char *buf, size_t size)
{
	const char *dir = helper_dir();
	int n;

	if (!dir)
		return false;
	n = snprintf(buf, size, "%s/" HELPER_PREFIX "%08x", dir,
		     (unsigned)version);
	return n > 0 && (size_t)n < size && access(buf, X_OK) == 0;
}

bool hostgcov_can_write(uint32_t version)
{
	char path[PATH_MAX];

	return version == hostgcov_version() ||
	       helper_path(version, path, sizeof(path));
}

size_t hostgcov_releases(uint32_t *versions, size_t max)
{
	const char *dir = helper_dir();
	size_t n = 0;
	DIR *d;
	struct dirent *e;

	if (max)
		versions[n++] = hostgcov_version();
	if (!dir || !(d = opendir(dir)))
		return n;
	while (n < max && (e = readdir(d))) {
		const char *hex = e->d_name + strlen(HELPER_PREFIX);
		char *end, path[PATH_MAX];
		unsigned long word;

		if (strncmp(e->d_name, HELPER_PREFIX, strlen(HELPER_PREFIX)) ||
		    strlen(hex) != 8)
			continue;
		word = strtoul(hex, &end, 16);
		if (*end || word == hostgcov_version() ||
		    !helper_path((uint32_t)word, path, sizeof(path)))
			continue;
		versions[n++] = (uint32_t)word;
	}
	closedir(d);
	/* Helpers in release order (the words sort as the releases do). */
	for (size_t i = 2; i < n; i++)
		for (size_t j = i; j > 1 && versions[j - 1] > versions[j];
		     j--) {
			uint32_t swap = versions[j];

			versions[j] = versions[j - 1];
			versions[j - 1] = swap;
		}
	return n;
}

static void wire_put(FILE *f, const void *data, size_t size, bool *ok)
{
	if (*ok && size && fwrite(data, 1, size, f) != size)
		*ok = false;
}

static void wire_u32(FILE *f, uint32_t value, bool *ok)
{
	wire_put(f, &value, sizeof(value), ok);
}

/* The model as the helper reads it: host byte order, one machine. */
static bool wire_write(FILE *f, uint32_t version,
		       const struct model_object *const *objects,
		       const char *const *paths, size_t n)
{
	bool ok = true;
	uint64_t count = n;

	wire_u32(f, WIRE_MAGIC, &ok);
	wire_u32(f, version, &ok);
	wire_put(f, &count, sizeof(count), &ok);
	for (size_t i = 0; i < n; i++) {
		const struct model_object *obj = objects[i];
		uint32_t len = (uint32_t)strlen(paths[i]);

		wire_u32(f, obj->version, &ok);
		wire_u32(f, obj->stamp, &ok);
		wire_u32(f, obj->checksum, &ok);
		wire_u32(f, obj->active_kinds, &ok);
		wire_u32(f, obj->n_active, &ok);
		wire_u32(f, obj->n_functions, &ok);
		wire_u32(f, len, &ok);
		wire_put(f, paths[i], len, &ok);
		for (uint32_t fi = 0; fi < obj->n_functions; fi++) {
			const struct model_function *mf = &obj->functions[fi];

			wire_u32(f, mf->present, &ok);
			if (!mf->present)
				continue;
			wire_u32(f, mf->ident, &ok);
			wire_u32(f, mf->lineno_checksum, &ok);
			wire_u32(f, mf->cfg_checksum, &ok);
			for (unsigned c = 0; c < obj->n_active; c++) {
				const struct model_counters *mc =
					&mf->counters[c];

				wire_u32(f, mc->kind, &ok);
				wire_u32(f, mc->num, &ok);
				wire_put(f, mc->values,
					 (size_t)mc->num * sizeof(uint64_t),
					 &ok);
			}
		}
	}
	return ok && fflush(f) == 0;
}

/* The writer names each file through its directory's descriptor
 * (/proc/self/fd/N/name), opened close-on-exec: in the helper those
 * descriptors must stay open, at the same numbers. */
static void keep_directories_open(void)
{
	long max = sysconf(_SC_OPEN_MAX);

	if (max < 0 || max > 65536)
		max = 65536;
	for (int fd = STDERR_FILENO + 1; fd < max; fd++) {
		struct stat st;
		int flags;

		if (fstat(fd, &st) != 0 || !S_ISDIR(st.st_mode))
			continue;
		flags = fcntl(fd, F_GETFD);
		if (flags >= 0)
			fcntl(fd, F_SETFD, flags & ~FD_CLOEXEC);
	}
}

static bool run_helper(const char *helper, uint32_t version,
		       const struct model_object *const *objects,
		       const char *const *paths, size_t n, struct error *err)
{
	char text[512], quoted[300], name[300];
	size_t got;
	int errpipe[2], status;
	pid_t pid, parent = getpid();
	FILE *input = tmpfile();

	outpath_quote(helper, name, sizeof(name));
	if (!input)
		return error_errno(err, "cannot create the input of %s", name);
	if (!wire_write(input, version, objects, paths, n) ||
	    fseek(input, 0, SEEK_SET) != 0) {
		fclose(input);
		return error_errno(err, "cannot write the input of %s", name);
	}
	if (pipe(errpipe) != 0) {
		fclose(input);
		return error_errno(err, "cannot create a pipe for %s", name);
	}
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		fclose(input);
		close(errpipe[0]);
		close(errpipe[1]);
		return error_errno(err, "cannot start %s", name);
	}
	if (pid == 0) {
		/* As the in-process writer: it dies with hvcov. */
		if (prctl(PR_SET_PDEATHSIG, SIGKILL) != 0 ||
		    getppid() != parent)
			_exit(126);
		close(errpipe[0]);
		if (dup2(fileno(input), STDIN_FILENO) < 0 ||
		    dup2(errpipe[1], STDERR_FILENO) < 0)
			_exit(127);
		keep_directories_open();
		execl(helper, helper, (char *)NULL);
		_exit(127);
	}
	fclose(input);
	close(errpipe[1]);
	got = read_text(errpipe[0], text, sizeof(text));
	close(errpipe[0]);
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return error_errno(err, "cannot wait for %s", name);
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0 && !got)
		return true;
	if (strchr(text, '\n'))
		*strchr(text, '\n') = '\0';
	if (WIFSIGNALED(status))
		return error_set(err, HVCOV_EXIT_SYSTEM,
				 "%s died of signal %d, nothing was written",
				 name, WTERMSIG(status));
	return error_set(err,
			 WIFEXITED(status) && WEXITSTATUS(status) == 1
				 ? HVCOV_EXIT_DATA
				 : HVCOV_EXIT_SYSTEM,
			 "%s failed (status %d), nothing was written: %s", name,
			 WIFEXITED(status) ? WEXITSTATUS(status) : -1,
			 got ? outpath_quote(text, quoted, sizeof(quoted))
			     : "no message");
}

bool hostgcov_dump_as(uint32_t version, const struct model *owner,
		      const struct model_object *const *objects,
		      const char *const *paths, size_t n, struct error *err)
{
	char helper[PATH_MAX];

	/* Only the child changes the model, in its own copy of memory. */
	if (version == hostgcov_version())
		return dump_with((struct model *)(uintptr_t)owner, objects,
				 paths, n, err);
	if (!helper_path(version, helper, sizeof(helper)))
		return error_set(err, HVCOV_EXIT_SYSTEM,
				 "no libgcov helper for gcov version 0x%08x",
				 (unsigned)version);
	return run_helper(helper, version, objects, paths, n, err);
}

static bool wire_get(FILE *f, void *data, size_t size)
{
	return !size || fread(data, 1, size, f) == size;
}

/* At most this many objects, functions per object and counters per
 * array: far beyond any image, and it bounds what a bad stream allocates. */
#define WIRE_MAX (1u << 26)

bool hostgcov_serve(FILE *in, struct error *err)
{
	uint32_t magic, version;
	uint64_t count;
	struct model_object *objs = NULL;
	const struct model_object **objects = NULL;
	char **paths = NULL;
	bool ok = false;

	if (!wire_get(in, &magic, 4) || magic != WIRE_MAGIC ||
	    !wire_get(in, &version, 4) || !wire_get(in, &count, 8) ||
	    count > WIRE_MAX) {
		error_set(err, HVCOV_EXIT_SYSTEM, "malformed input on stdin");
		return 0;
	}
	if (version != hostgcov_version()) {
		error_set(
			err, HVCOV_EXIT_SYSTEM,
			"asked to write gcov version 0x%08x, but this helper links the libgcov of 0x%08x",
			(unsigned)version, (unsigned)hostgcov_version());
		return 0;
	}
	objs = calloc(count ? count : 1, sizeof(*objs));
	objects = calloc(count ? count : 1, sizeof(*objects));
	paths = calloc(count ? count : 1, sizeof(*paths));
	if (!objs || !objects || !paths) {
		error_errno(err, "out of memory");
		goto out;
	}
	for (uint64_t i = 0; i < count; i++) {
		struct model_object *obj = &objs[i];
		uint32_t len;

		objects[i] = obj;
		if (!wire_get(in, &obj->version, 4) ||
		    !wire_get(in, &obj->stamp, 4) ||
		    !wire_get(in, &obj->checksum, 4) ||
		    !wire_get(in, &obj->active_kinds, 4) ||
		    !wire_get(in, &obj->n_active, 4) ||
		    !wire_get(in, &obj->n_functions, 4) ||
		    !wire_get(in, &len, 4) || len > PATH_MAX ||
		    obj->n_functions > WIRE_MAX ||
		    obj->n_active > GCC_LAYOUT_MAX_COUNTERS ||
		    obj->version != version)
			goto malformed;
		paths[i] = calloc(1, (size_t)len + 1);
		obj->functions = calloc(obj->n_functions ? obj->n_functions : 1,
					sizeof(*obj->functions));
		if (!paths[i] || !obj->functions) {
			error_errno(err, "out of memory");
			goto out;
		}
		if (!wire_get(in, paths[i], len))
			goto malformed;
		for (uint32_t fi = 0; fi < obj->n_functions; fi++) {
			struct model_function *mf = &obj->functions[fi];
			uint32_t present;

			if (!wire_get(in, &present, 4))
				goto malformed;
			mf->present = present != 0;
			if (!mf->present)
				continue;
			mf->counters = calloc(obj->n_active ? obj->n_active : 1,
					      sizeof(*mf->counters));
			if (!mf->counters) {
				error_errno(err, "out of memory");
				goto out;
			}
			if (!wire_get(in, &mf->ident, 4) ||
			    !wire_get(in, &mf->lineno_checksum, 4) ||
			    !wire_get(in, &mf->cfg_checksum, 4))
				goto malformed;
			for (unsigned c = 0; c < obj->n_active; c++) {
				struct model_counters *mc = &mf->counters[c];

				if (!wire_get(in, &mc->kind, 4) ||
				    !wire_get(in, &mc->num, 4) ||
				    mc->num > WIRE_MAX)
					goto malformed;
				mc->values = calloc(mc->num ? mc->num : 1,
						    sizeof(uint64_t));
				if (!mc->values) {
					error_errno(err, "out of memory");
					goto out;
				}
				if (!wire_get(in, mc->values,
					      (size_t)mc->num * 8))
					goto malformed;
			}
		}
	}
	ok = hostgcov_dump(objects, (const char *const *)paths, count, err);
	goto out;
malformed:
	error_set(err, HVCOV_EXIT_SYSTEM, "malformed input on stdin");
out:
	for (uint64_t i = 0; objs && i < count; i++) {
		for (uint32_t fi = 0;
		     objs[i].functions && fi < objs[i].n_functions; fi++) {
			struct model_function *mf = &objs[i].functions[fi];

			for (unsigned c = 0;
			     mf->counters && c < objs[i].n_active; c++)
				free(mf->counters[c].values);
			free(mf->counters);
		}
		free(objs[i].functions);
		if (paths)
			free(paths[i]);
	}
	free(objs);
	free(objects);
	free(paths);
	return ok;
}
