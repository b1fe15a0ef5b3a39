/* SPDX-License-Identifier: BSD-2-Clause */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "hostgcov.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
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
#define HVCOV_HOST_GCOV_VERSION \
	(('A' + __GNUC__ / 10) << 24 | ('0' + __GNUC__ % 10) << 16 | \
	 ('0' + __GNUC_MINOR__) << 8 | '*')
#else
#define HVCOV_HOST_GCOV_VERSION \
	(('0' + __GNUC__) << 24 | ('0' + __GNUC_MINOR__ / 10) << 16 | \
	 ('0' + __GNUC_MINOR__ % 10) << 8 | '*')
#endif
#endif

/* Which __gcov_merge_* the linked libgcov has, by its release: referencing
 * a missing one would not link.  */
#define HOST_B0 ((HVCOV_HOST_GCOV_VERSION >> 24) & 0xff)
#define HOST_B1 ((HVCOV_HOST_GCOV_VERSION >> 16) & 0xff)
#define HOST_B2 ((HVCOV_HOST_GCOV_VERSION >> 8) & 0xff)
#if HOST_B0 >= 'A'
#define HOST_GCC ((((HOST_B0 - 'A') * 10 + HOST_B1 - '0')) * 100 + \
		  HOST_B2 - '0')
#else
#define HOST_GCC ((HOST_B0 - '0') * 100 + (HOST_B1 - '0') * 10 + \
		  HOST_B2 - '0')
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

#define ARENA_ALIGN 16

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
	return off->fn_ctrs + (obj->n_active ? obj->n_active : 1) *
				      off->ctr_size;
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

/* The child: a fresh libgcov that prints only into the pipe. */
static void child(void *const *infos, size_t n, int errfd)
{
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
	for (size_t i = 0; i < n; i++)
		__gcov_init(infos[i]);
	__gcov_dump();
	/* _exit: no atexit handler, no stdio flush of the parent's buffers,
	 * no second dump by an instrumented destructor. */
	_exit(0);
}

static bool run_child(void *const *infos, size_t n, struct error *err)
{
	char text[512], quoted[300];
	size_t got = 0;
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
		/* The child shares the parent's directory locks: if hvcov is
		 * killed, its writer must not outlive it and keep the next
		 * hvcov out of those directories.  (Nothing it wrote counts
		 * without the parent's renames.) */
		if (prctl(PR_SET_PDEATHSIG, SIGKILL) != 0 ||
		    getppid() != parent)
			_exit(126);
		close(pipefd[0]);
		child(infos, n, pipefd[1]);
	}
	close(pipefd[1]);
	for (;;) {
		char sink[256];
		ssize_t r = read(pipefd[0], got < sizeof(text) - 1 ?
				 text + got : sink,
				 got < sizeof(text) - 1 ?
				 sizeof(text) - 1 - got : sizeof(sink));

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		if (got < sizeof(text) - 1)
			got += (size_t)r;
	}
	close(pipefd[0]);
	text[got] = '\0';
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return error_errno(err, "cannot wait for libgcov");

	if (got) {
		char *nl = strchr(text, '\n');

		if (nl)
			*nl = '\0';
		return error_set(err, HVCOV_EXIT_SYSTEM,
				 "libgcov reported an error, nothing was "
				 "written: %s",
				 outpath_quote(text, quoted, sizeof(quoted)));
	}
	if (WIFSIGNALED(status))
		return error_set(err, HVCOV_EXIT_SYSTEM,
				 "libgcov died of signal %d, nothing was "
				 "written", WTERMSIG(status));
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		return error_set(err, HVCOV_EXIT_SYSTEM,
				 "the libgcov writer failed (status %d), "
				 "nothing was written",
				 WIFEXITED(status) ? WEXITSTATUS(status) : -1);
	return true;
}

bool hostgcov_dump(const struct model_object *const *objects,
		   const char *const *paths, size_t n, struct error *err)
{
	const struct gcc_layout *host =
		gcc_layout_for_version(hostgcov_version());
	struct gcc_offsets off;
	struct laid_out lo = {0};
	void **infos;
	bool ok = false;

	if (!host)
		return error_set(err, HVCOV_EXIT_SYSTEM,
				 "hvcov was built for an unknown gcov "
				 "version 0x%08x",
				 (unsigned)hostgcov_version());
	gcc_layout_offsets(host, sizeof(void *), &off);
	for (size_t i = 0; i < n; i++)
		lo.size += arena_size(objects[i], &off);
	infos = calloc(n ? n : 1, sizeof(*infos));
	lo.arena = calloc(1, lo.size ? lo.size : 1);
	if (!infos || !lo.arena) {
		error_errno(err, "out of memory");
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		infos[i] = lay_out(objects[i], paths[i], host, &off, &lo);
		if (!infos[i]) {
			error_errno(err, "out of memory");
			goto out;
		}
	}
	ok = run_child(infos, n, err);
out:
	free(lo.arena);
	free(infos);
	return ok;
}
