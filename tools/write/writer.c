/* SPDX-License-Identifier: BSD-2-Clause */
/* syncfs(2): one sync per file system for a batch of files (commit()). */
#define _GNU_SOURCE
#include "writer.h"
#include "base/fdio.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "base/hash.h"
#include "gcov/gcc-layout.h"
#include "gcov/gcda.h"
#include "hostgcov.h"
#include "ledger.h"
#include "outpath.h"

/* Temporary files are named TMP_PREFIX<pid>.<index> beside their final
 * names (or in their file system's stage, struct stage): nothing from the
 * image is in the name libgcov opens, so neither its GCOV_PREFIX logic nor
 * (GCC 13+) its %p/%q{} expansion can act on it.  Any such file found in a
 * directory we hold the lease of is a left-over of a killed run and is
 * removed. */
#define TMP_PREFIX ".hvcov-tmp."
#define LEDGER_TMP_PREFIX LEDGER_NAME ".tmp."
#define MAX_GCDA_SIZE (1u << 30)

/* Another hvcov keeps out of a directory while this one holds a lease
 * file in it (take_lease): unlike a lock, a lease needs no descriptor
 * kept open, so the descriptors a job holds do not grow with the number
 * of directories it writes into. */
#define LEASE_NAME OUTPATH_RESERVED_PREFIX "lease"
#define LEASE_FORMAT "hvcov-lease 1 %s %s %ld %llu\n"

/* One per distinct directory.  The first job.keep of them stay open while
 * the job runs; any other is walked again each time it is used (use_dir)
 * and must still be the directory validation saw. */
struct wdir {
	int fd; /* below job.keep; -1 above it (job.current_fd) */
	dev_t dev;
	ino_t ino;
	char *display;
	const struct outpath *path; /* a target's, for walking to it again */
	size_t stage;               /* its file system's, in job.stages */
	bool leased;                /* our lease is in it, this file: */
	dev_t lease_dev;
	ino_t lease_ino;
	struct ledger ledger;
};

/* One per file system the job writes on: the directory (one of the job's)
 * in which libgcov writes every temporary file of that file system,
 * reached through /proc/self/fd/<fd>, so libgcov needs one descriptor per
 * file system, not one per directory.  Verified files are then renamed
 * into their own directories (same file system), and a sync of each
 * stage's file system makes the whole batch durable (sync_batch). */
struct stage {
	int fd;
	dev_t dev;
	size_t dir; /* index into job.dirs */
	char proc_path[32];
};

struct target {
	const struct model_object *obj;
	uint8_t kinds[GCC_LAYOUT_MAX_COUNTERS]; /* active kinds in order */
	struct outpath path;
	int dir; /* index into job.dirs, -1 while its directory is missing */
	unsigned created;
	uint8_t *old; /* merge: the existing file as validated */
	size_t old_len;
	struct gcda_file old_gcda;
	bool inspected; /* inspect_target() ran, under the directory lease */
	bool exists;    /* the final file exists */
	bool has_old;
	char tmpname[64];
	dev_t tmp_dev; /* the temporary file as created, to recognise it */
	ino_t tmp_ino;
	uint64_t digest; /* ledger_digest() of the verified temporary file */
	bool in_dir;     /* the temporary file is in its own directory */
	bool renamed;
	/* --merge after an interrupted run: the file already holds this
	 * run, so it is left alone.  libgcov still writes it (to a temporary
	 * file that is then dropped): each file's summary depends on every
	 * object dumped with it (sum_max adds the largest counter of the
	 * whole run), so only the whole set gives the files an uninterrupted
	 * run would have written. */
	bool holds_run;
};

struct job {
	const struct model *model;
	const struct writer_options *opt;
	const struct gcc_layout *host;
	uint32_t host_version;
	struct target *t;
	size_t n;
	struct wdir *dirs;
	size_t n_dirs;
	size_t keep;    /* directories below this index stay open */
	int current;    /* the directory above it open now, or -1 */
	int current_fd; /* and its descriptor */
	struct stage *stages;
	size_t n_stages;
	size_t *order;     /* target indices sorted by directory, then name */
	size_t *bydir;     /* target indices by job.dirs index, then name */
	char lease[256];   /* what take_lease() writes: LEASE_FORMAT */
	char hostname[96]; /* node name/PID namespace */
	char boot[40];
	unsigned long long start; /* this process's start time */
	long pid;
	size_t n_held; /* targets dropped because they hold the run */
	char identity[LEDGER_IDENTITY_LEN + 1];
};

uint32_t writer_host_version(void)
{
	return hostgcov_version();
}

static const char *quote(const char *text, char *buf, size_t size)
{
	return outpath_quote(text ? text : "(no name)", buf, size);
}

static void version_chars(uint32_t version, char out[5])
{
	for (int i = 0; i < 4; i++) {
		unsigned c = version >> (24 - 8 * i) & 0xff;

		out[i] = c >= 0x20 && c < 0x7f ? (char)c : '?';
	}
	out[4] = '\0';
}

static bool check_version(const struct job *job, const struct model_object *obj,
			  struct error *err)
{
	char name[300], image[32], host[32], ic[5], hc[5];
	unsigned major = 0, minor;

	if (obj->version == job->host_version)
		return true;
	gcc_version_decode(obj->version, &major, &minor);
	gcc_version_text(obj->version, image, sizeof(image));
	gcc_version_text(job->host_version, host, sizeof(host));
	version_chars(obj->version, ic);
	version_chars(job->host_version, hc);
	return error_set(
		err, HVCOV_EXIT_DATA,
		"%s was compiled by GCC %s (gcov version 0x%08x \"%s\") but hvcov writes through the libgcov of GCC %s (0x%08x \"%s\"): install GCC %s and build its libgcov helper (make libgcov-helpers GCC=%u), or rebuild hvcov with GCC %s",
		quote(obj->filename, name, sizeof(name)), image,
		(unsigned)obj->version, ic, host, (unsigned)job->host_version,
		hc, image, major, image);
}

/* The model comes from our own reader, but the writer hands it to code that
 * trusts it completely, so its shape is checked here once more. */
/* Names are quoted only for a message: quoting each one up front was 5 %
 * of a 2,000-object extraction. */
#define QNAME quote(obj->filename, name, sizeof(name))

static bool check_object(const struct job *job, struct target *t,
			 struct error *err)
{
	const struct model_object *obj = t->obj;
	unsigned n = 0;
	char name[300];

	if (!obj->filename)
		return error_set(err, HVCOV_EXIT_DATA,
				 "object at 0x%llx has no file name",
				 (unsigned long long)obj->address);
	/* libgcov's __gcov_init ignores such an object: it would silently
	 * produce no file.  GCC never emits one. */
	if (!obj->n_functions || !obj->functions)
		return error_set(err, HVCOV_EXIT_DATA,
				 "%s: object without functions", QNAME);
	for (unsigned k = 0; k < 32; k++) {
		const char *why;

		if (!(obj->active_kinds & (1u << k)))
			continue;
		if (!hostgcov_kind_supported(job->host, k, &why))
			return error_set(err, HVCOV_EXIT_DATA,
					 "%s: counter kind %u: %s", QNAME, k,
					 why);
		t->kinds[n++] = k;
	}
	if (n != obj->n_active)
		return error_set(err, HVCOV_EXIT_DATA,
				 "%s: %u active counter kinds but %u listed",
				 QNAME, n, obj->n_active);
	for (uint32_t f = 0; f < obj->n_functions; f++) {
		const struct model_function *mf = &obj->functions[f];

		if (!mf->present)
			continue;
		if (n && !mf->counters)
			return error_set(err, HVCOV_EXIT_DATA,
					 "%s: function %u has no counters",
					 QNAME, (unsigned)f);
		for (unsigned c = 0; c < n; c++)
			if (mf->counters[c].kind != t->kinds[c] ||
			    (mf->counters[c].num && !mf->counters[c].values))
				return error_set(
					err, HVCOV_EXIT_DATA,
					"%s: function %u: counters do not match the object's kinds",
					QNAME, (unsigned)f);
	}
	return true;
}

#undef QNAME

/* Identity of the run (see ledger.h). */
static void compute_identity(struct job *job)
{
	const struct model *model = job->model;
	uint64_t hash = HASH_FNV_OFFSET;

	for (size_t i = 0; i < model->n_objects; i++) {
		const struct model_object *obj = &model->objects[i];

		hash = hash_fnv_int(hash, obj->stamp, 4);
		hash = hash_fnv_int(hash, obj->checksum, 4);
		/* Without a boot id two runs of one build differ only in their
		 * counters: the same counters are taken to be the same run. */
		for (uint32_t f = 0; !model->boot_id && f < obj->n_functions;
		     f++) {
			const struct model_function *mf = &obj->functions[f];

			if (!mf->present)
				continue;
			for (unsigned c = 0; c < obj->n_active; c++)
				for (uint32_t v = 0; v < mf->counters[c].num;
				     v++)
					hash = hash_fnv_int(
						hash, mf->counters[c].values[v],
						8);
		}
	}
	snprintf(job->identity, sizeof(job->identity), "%016llx-%016llx",
		 (unsigned long long)model->boot_id, (unsigned long long)hash);
}

static char *dir_display(const struct outpath *path)
{
	size_t len = strlen(path->display) - strlen(path->base);

	if (len > 1)
		len--; /* the slash before the base name */
	return strndup(path->display, len);
}

/* Closes the directory above job->keep that is open, if any. */
static void drop_current(struct job *job)
{
	if (job->current < 0)
		return;
	close(job->current_fd);
	job->current = -1;
	job->current_fd = -1;
}

/* The descriptor of directory i: kept open, or walked to again from the
 * root (closing the last one walked to) and checked to be the directory
 * that was leased.  -1 with err set if it is not. */
static int use_dir(struct job *job, size_t i, struct error *err)
{
	struct wdir *d;
	char quoted[300];
	unsigned created;
	struct stat st;
	int fd;

	if (!job->dirs || i >= job->n_dirs) {
		error_set(err, HVCOV_EXIT_SYSTEM,
			  "hvcov lost track of directory %zu (a bug)", i);
		return -1;
	}
	d = &job->dirs[i];
	if (i < job->keep)
		return d->fd;
	if (job->current == (int)i)
		return job->current_fd;
	drop_current(job);
	if (!outpath_open_dir(d->path, false, &fd, &created, err))
		return -1;
	if (fd < 0 || fstat(fd, &st) != 0 || st.st_dev != d->dev ||
	    st.st_ino != d->ino) {
		if (fd >= 0)
			close(fd);
		error_set(
			err, HVCOV_EXIT_SYSTEM,
			"%s was moved or replaced while hvcov was writing into it",
			quote(d->display, quoted, sizeof(quoted)));
		return -1;
	}
	job->current = (int)i;
	job->current_fd = fd;
	return fd;
}

/* The start time of process pid (field 22 of /proc/PID/stat, after the
 * command name, which may hold spaces and parentheses). */
static bool process_start(long pid, unsigned long long *start)
{
	char path[64], text[1024], *c;

	snprintf(path, sizeof(path), "/proc/%ld/stat", pid);
	if (!path_read_text(path, 0, text, sizeof(text)))
		return false;
	c = strrchr(text, ')');
	for (int field = 2; c && field < 22; field++)
		c = strchr(c + 1, ' ');
	return c && sscanf(c, " %llu", start) == 1;
}

/* Whether the lease in dirfd belongs to no running hvcov, read under the
 * directory's lock (every lease is written under it, so a torn one is one
 * whose writer died).  false with err set when it is held. */
static bool lease_stale(const struct job *job, int dirfd, const char *quoted,
			struct error *err)
{
	char text[256], host[128], boot[64], qhost[200];
	unsigned long long start, theirs;
	struct stat st;
	ssize_t got;
	long pid;
	int fd = openat(dirfd, LEASE_NAME,
			O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);

	if (fd < 0 && errno == ENOENT)
		return true;
	if (fd < 0 || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		if (fd >= 0)
			close(fd);
		return error_set(err, HVCOV_EXIT_SYSTEM,
				 "%s holds a " LEASE_NAME
				 " that is not a lease of hvcov's; remove it",
				 quoted);
	}
	got = read(fd, text, sizeof(text) - 1);
	close(fd);
	text[got > 0 ? got : 0] = '\0';
	if (sscanf(text, "hvcov-lease 1 %127s %63s %ld %llu", host, boot, &pid,
		   &start) != 4)
		return true;
	if (strcmp(host, job->hostname))
		return error_set(
			err, HVCOV_EXIT_SYSTEM,
			"another hvcov (process %ld on host %s) is writing into %s; if it is not running, remove its " LEASE_NAME,
			pid, quote(host, qhost, sizeof(qhost)), quoted);
	/* Every process of an earlier boot is gone; a lease of this very
	 * process is one an earlier write of it failed to remove (a job
	 * never leases a directory twice: attach_dir). */
	if (strcmp(boot, job->boot) || (pid == job->pid && start == job->start))
		return true;
	if (pid > 0 && process_start(pid, &theirs) && theirs == start)
		return error_set(
			err, HVCOV_EXIT_SYSTEM,
			"another hvcov (process %ld) is writing into %s", pid,
			quoted);
	return true;
}

/* The lease of d, taken under a short flock of the directory (which also
 * serialises it with outpath_remove_created() and with breaking a stale
 * lease).  *gone: the directory was removed before we locked it (a failed
 * hvcov removes the empty directories it made); it is walked again. */
static bool take_lease(const struct job *job, struct wdir *d, int dirfd,
		       bool *gone, struct error *err)
{
	char quoted[300];
	struct stat st;
	bool ok = false;

	quote(d->display, quoted, sizeof(quoted));
	if (flock(dirfd, LOCK_EX) != 0)
		return error_errno(err, "cannot lock %s", quoted);
	if (fstat(dirfd, &st) != 0) {
		error_errno(err, "cannot stat %s", quoted);
		goto out;
	}
	if (!st.st_nlink) {
		*gone = ok = true;
		goto out;
	}
	for (int tries = 0; tries < 2; tries++) {
		int fd = openat(dirfd, LEASE_NAME,
				O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW |
					O_CLOEXEC,
				0644);

		if (fd >= 0) {
			ok = fd_write_all(fd, job->lease, strlen(job->lease)) &&
			     fstat(fd, &st) == 0;
			if (close(fd) != 0)
				ok = false;
			if (!ok) {
				error_errno(err, "cannot write a lease in %s",
					    quoted);
				unlinkat(dirfd, LEASE_NAME, 0);
				goto out;
			}
			d->leased = true;
			d->lease_dev = st.st_dev;
			d->lease_ino = st.st_ino;
			goto out;
		}
		if (errno != EEXIST) {
			error_errno(err, "cannot create a lease in %s", quoted);
			goto out;
		}
		if (!lease_stale(job, dirfd, quoted, err))
			goto out;
		if (unlinkat(dirfd, LEASE_NAME, 0) != 0 && errno != ENOENT) {
			error_errno(err, "cannot remove a stale lease in %s",
				    quoted);
			goto out;
		}
	}
	error_set(err, HVCOV_EXIT_SYSTEM, "cannot take the lease of %s",
		  quoted);
out:
	flock(dirfd, LOCK_UN);
	return ok;
}

/* Removes our lease from d (fd), only if it is still the file we made. */
static void drop_lease(struct wdir *d, int fd)
{
	struct stat st;

	if (flock(fd, LOCK_EX) != 0)
		return;
	if (fstatat(fd, LEASE_NAME, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
	    st.st_dev == d->lease_dev && st.st_ino == d->lease_ino)
		unlinkat(fd, LEASE_NAME, 0);
	d->leased = false;
	flock(fd, LOCK_UN);
}

/* Take ownership of fd, the directory of t: one lease per distinct
 * directory (a second lease of a directory we hold would conflict with
 * ourselves). */
static bool attach_dir(struct job *job, struct target *t, int fd, bool *gone,
		       struct error *err)
{
	struct wdir *grown, *d;
	struct stat st;
	char quoted[300];

	if (fstat(fd, &st) != 0) {
		close(fd);
		return error_errno(
			err, "cannot stat the directory of %s",
			quote(t->path.display, quoted, sizeof(quoted)));
	}
	for (size_t i = 0; i < job->n_dirs; i++)
		if (job->dirs[i].dev == st.st_dev &&
		    job->dirs[i].ino == st.st_ino) {
			close(fd);
			t->dir = (int)i;
			return use_dir(job, i, err) >= 0;
		}
	drop_current(job);
	grown = realloc(job->dirs, (job->n_dirs + 1) * sizeof(*grown));
	if (!grown) {
		close(fd);
		return error_errno(err, "out of memory");
	}
	job->dirs = grown;
	d = &job->dirs[job->n_dirs];
	memset(d, 0, sizeof(*d));
	d->fd = -1;
	d->dev = st.st_dev;
	d->ino = st.st_ino;
	d->path = &t->path;
	d->display = dir_display(&t->path);
	job->n_dirs++;
	t->dir = (int)(job->n_dirs - 1);
	if ((size_t)t->dir < job->keep) {
		d->fd = fd;
	} else {
		job->current = t->dir;
		job->current_fd = fd;
	}
	if (!d->display)
		return error_errno(err, "out of memory");
	if (!take_lease(job, d, fd, gone, err))
		return false;
	if (*gone) {
		if (job->current == t->dir)
			job->current = job->current_fd = -1;
		close(fd);
		free(d->display);
		job->n_dirs--;
		t->dir = -1;
		return true;
	}
	return ledger_load_run(fd, d->display, job->identity, &d->ledger, err);
}

static bool read_all(int fd, uint8_t **buf, size_t *len, const char *name,
		     struct error *err)
{
	char quoted[300];

	if (fd_read_file(fd, MAX_GCDA_SIZE, buf, len))
		return true;
	quote(name, quoted, sizeof(quoted));
	if (errno == EINVAL || errno == EFBIG)
		return error_set(err, HVCOV_EXIT_DATA,
				 "%s is not a plausible .gcda file", quoted);
	if (errno == ENOMEM)
		return error_errno(err, "out of memory");
	if (errno == ENODATA)
		return error_set(err, HVCOV_EXIT_SYSTEM,
				 "%s shrank while it was read", quoted);
	return error_errno(err, "cannot read %s", quoted);
}

static bool mismatch(const struct target *t, uint32_t f, struct error *err)
{
	char quoted[300];

	return error_set(
		err, HVCOV_EXIT_DATA,
		"cannot merge into %s: function %u differs from the image's (a different build)",
		quote(t->path.display, quoted, sizeof(quoted)), (unsigned)f);
}

/* libgcov adds counters modulo 2^64: a sum that does not fit would turn
 * an executed arc into a never executed one (2^63 + 2^63 = 0), so it is
 * refused, whatever the image claims. */
static bool check_sums(const struct job *job, const struct target *t,
		       uint32_t f, unsigned c, struct error *err)
{
	const struct model_counters *mc = &t->obj->functions[f].counters[c];
	const struct gcda_counts *old = &t->old_gcda.functions[f].counts[c];
	char quoted[300];

	if (gcc_layout_merge(job->host, t->kinds[c]) != GCOV_MERGE_ADD ||
	    !mc->values)
		return true;
	for (uint32_t i = 0; i < mc->num; i++) {
		uint64_t was = gcda_counter(old, i), sum;

		if (__builtin_add_overflow(was, mc->values[i], &sum))
			return error_set(
				err, HVCOV_EXIT_DATA,
				"cannot merge into %s: counter %u of function %u would overflow (%llu + %llu does not fit in 64 bits)",
				quote(t->path.display, quoted, sizeof(quoted)),
				(unsigned)i, (unsigned)f,
				(unsigned long long)was,
				(unsigned long long)mc->values[i]);
	}
	return true;
}

/* What libgcov would do with the existing file, decided before anything is
 * written: merge it, or (a different build) overwrite it silently, or fail
 * halfway with "Merge mismatch". Only the first is allowed. */
static bool check_mergeable(const struct job *job, const struct target *t,
			    struct error *err)
{
	const struct gcda_file *g = &t->old_gcda;
	const struct model_object *obj = t->obj;
	char quoted[300], old[32], host[32];
	bool by_checksum = gcc_layout_has_checksum(job->host);

	quote(t->path.display, quoted, sizeof(quoted));
	if (g->version != job->host_version)
		return error_set(
			err, HVCOV_EXIT_DATA,
			"cannot merge into %s: it was written by GCC %s (0x%08x), the image is GCC %s (0x%08x)",
			quoted, gcc_version_text(g->version, old, sizeof(old)),
			(unsigned)g->version,
			gcc_version_text(job->host_version, host, sizeof(host)),
			(unsigned)job->host_version);
	if (by_checksum ? g->checksum != obj->checksum : g->stamp != obj->stamp)
		return error_set(
			err, HVCOV_EXIT_DATA,
			"cannot merge into %s: it comes from a different build (%s 0x%08x, image 0x%08x) and libgcov would silently overwrite it; remove it or write without --merge",
			quoted, by_checksum ? "checksum" : "stamp",
			(unsigned)(by_checksum ? g->checksum : g->stamp),
			(unsigned)(by_checksum ? obj->checksum : obj->stamp));
	if (g->n_functions != obj->n_functions)
		return mismatch(t,
				g->n_functions < obj->n_functions
					? g->n_functions
					: obj->n_functions,
				err);
	for (uint32_t f = 0; f < obj->n_functions; f++) {
		const struct gcda_function *e = &g->functions[f];
		const struct model_function *m = &obj->functions[f];

		if (!e->present)
			continue;
		if (m->present && (e->ident != m->ident ||
				   e->lineno_checksum != m->lineno_checksum ||
				   e->cfg_checksum != m->cfg_checksum))
			return mismatch(t, f, err);
		if (e->n_counts != obj->n_active)
			return mismatch(t, f, err);
		for (unsigned c = 0; c < obj->n_active; c++)
			if (e->counts[c].kind != t->kinds[c] ||
			    (m->present &&
			     e->counts[c].num != m->counters[c].num))
				return mismatch(t, f, err);
		for (unsigned c = 0; m->present && c < obj->n_active; c++)
			if (!check_sums(job, t, f, c, err))
				return false;
	}
	return true;
}

/* The existing final file: it must be a regular file (rename would replace
 * a symlink, but a merge would read through it), and with --merge it is
 * read once here and these very bytes seed the temporary file. */
#define QPATH quote(t->path.display, quoted, sizeof(quoted))

static bool inspect_existing(struct job *job, struct target *t,
			     struct error *err)
{
	int dirfd = use_dir(job, (size_t)t->dir, err), fd;
	char quoted[300];
	struct stat st;

	if (dirfd < 0)
		return false;
	if (fstatat(dirfd, t->path.base, &st, AT_SYMLINK_NOFOLLOW) != 0) {
		if (errno == ENOENT)
			return true;
		return error_errno(err, "cannot stat %s", QPATH);
	}
	if (!S_ISREG(st.st_mode))
		return error_set(
			err, HVCOV_EXIT_DATA,
			"refusing %s: it exists and is not a regular file",
			QPATH);
	t->exists = true;
	if (!job->opt->merge)
		return true;
	fd = openat(dirfd, t->path.base,
		    O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return error_errno(err, "cannot open %s", QPATH);
	if (!read_all(fd, &t->old, &t->old_len, t->path.display, err)) {
		close(fd);
		return false;
	}
	close(fd);
	if (!gcda_parse(t->old, t->old_len, t->path.display, &t->old_gcda, err))
		return false;
	t->has_old = true;
	return check_mergeable(job, t, err);
}

#undef QPATH

/* Inspection of one target and its ledger record, always under the lease
 * of its directory: done in validate() for a directory that exists and in
 * prepare() for one this run made (another hvcov may have made, written
 * and released it in between). */
static bool inspect_target(struct job *job, struct target *t, struct error *err)
{
	t->inspected = true;
	if (!inspect_existing(job, t, err))
		return false;
	/* A removed file holds no run, whatever the ledger says. */
	if (job->opt->merge && t->exists &&
	    ledger_has(&job->dirs[t->dir].ledger, job->identity,
		       t->path.base)) {
		t->holds_run = true;
		job->n_held++;
	}
	return true;
}

static bool all_held(const struct job *job, struct error *err)
{
	char quoted[300];

	return error_set(
		err, HVCOV_EXIT_DATA,
		"this run (identity %s) was already merged into %s%s; merging it again would count it twice",
		job->identity,
		quote(job->t[0].path.display, quoted, sizeof(quoted)),
		job->n > 1 ? " and every other file" : "");
}

/* Whether name is exactly prefix followed by fields of digits separated
 * by single dots, as make_temp() and ledger_store() form them: a file that
 * only starts like one is not ours to delete. */
static bool temp_form(const char *name, const char *prefix, unsigned fields)
{
	const char *c = name + strlen(prefix);

	if (strncmp(name, prefix, strlen(prefix)))
		return false;
	for (unsigned f = 0; f < fields; f++) {
		const char *start;

		if (f && *c++ != '.')
			return false;
		start = c;
		while (*c >= '0' && *c <= '9')
			c++;
		if (c == start)
			return false;
	}
	return !*c;
}

static void clean_stale(int dirfd)
{
	int fd = openat(dirfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	struct dirent *entry;
	DIR *dir;

	if (fd < 0)
		return;
	dir = fdopendir(fd);
	if (!dir) {
		close(fd);
		return;
	}
	while ((entry = readdir(dir))) {
		struct stat st;

		if (!temp_form(entry->d_name, TMP_PREFIX, 2) &&
		    !temp_form(entry->d_name, LEDGER_TMP_PREFIX, 1))
			continue;
		/* Ours: a killed hvcov of this user made it. */
		if (fstatat(dirfd, entry->d_name, &st, AT_SYMLINK_NOFOLLOW) ==
			    0 &&
		    S_ISREG(st.st_mode) && st.st_uid == geteuid())
			unlinkat(dirfd, entry->d_name, 0);
	}
	closedir(dir);
}

/* Where the temporary file of t is: its own directory or its stage. */
static int temp_dir(struct job *job, const struct target *t, struct error *err)
{
	if (t->in_dir)
		return use_dir(job, (size_t)t->dir, err);
	return job->stages[job->dirs[t->dir].stage].fd;
}

/* The temporary file libgcov will write: in its own directory, reached
 * through that directory's /proc/self/fd path, if the directory stays
 * open (job->keep), else in the stage of its file system (make_stages),
 * through the stage's.  Its identity is kept, not its descriptor: verify()
 * reopens it and checks it is still this file. */
static bool make_temp(struct job *job, struct target *t, size_t index,
		      struct error *err)
{
	const struct wdir *d = &job->dirs[t->dir];
	const struct stage *stage = &job->stages[d->stage];
	char quoted[300];
	struct stat st;
	bool ok;
	int fd;

	snprintf(t->tmpname, sizeof(t->tmpname), TMP_PREFIX "%ld.%zu", job->pid,
		 index);
	t->in_dir = (size_t)t->dir < job->keep || stage->dir == (size_t)t->dir;
	fd = temp_dir(job, t, err);
	if (fd < 0)
		return false;
	fd = openat(fd, t->tmpname,
		    O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0666);
	if (fd < 0) {
		t->tmpname[0] = '\0';
		return error_errno(
			err, "cannot create a temporary file in %s",
			quote(job->dirs[t->in_dir ? (size_t)t->dir : stage->dir]
				      .display,
			      quoted, sizeof(quoted)));
	}
	/* Replace: an empty file, which libgcov treats as new.  Merge: the
	 * validated old bytes, which libgcov merges into. */
	ok = fstat(fd, &st) == 0 &&
	     (!t->has_old || fd_write_all(fd, t->old, t->old_len));
	t->tmp_dev = st.st_dev;
	t->tmp_ino = st.st_ino;
	if (close(fd) != 0)
		ok = false;
	if (!ok)
		return error_errno(
			err, "cannot write a temporary file in %s",
			quote(job->dirs[t->in_dir ? (size_t)t->dir : stage->dir]
				      .display,
			      quoted, sizeof(quoted)));
	return true;
}

static bool unexpected(const struct target *t, const char *what,
		       struct error *err)
{
	char quoted[300];

	return error_set(
		err, HVCOV_EXIT_SYSTEM,
		"libgcov wrote %s unexpectedly (%s); nothing was written",
		quote(t->path.display, quoted, sizeof(quoted)), what);
}

/* What libgcov must have written for counter i: the model's value, or
 * for a merge its combination with the old one.  false: not predictable
 * here (time profiles merge by a rule of their own). */
static bool expected_value(const struct job *job, const struct target *t,
			   uint32_t f, unsigned c, uint32_t i, uint64_t *value,
			   bool *overflow)
{
	const struct model_counters *mc = &t->obj->functions[f].counters[c];
	const struct gcda_function *old;
	uint64_t was;

	*overflow = false;
	*value = mc->values ? mc->values[i] : 0;
	if (!t->has_old || !t->old_gcda.functions[f].present)
		return true;
	old = &t->old_gcda.functions[f];
	was = gcda_counter(&old->counts[c], i);
	switch (gcc_layout_merge(job->host, t->kinds[c])) {
	case GCOV_MERGE_ADD:
		/* Not the wrapped sum: check_sums() refused an overflow, so
		 * one here means the file cannot be right. */
		*overflow = __builtin_add_overflow(*value, was, value);
		return true;
	case GCOV_MERGE_IOR:
		*value |= was;
		return true;
	default:
		return false;
	}
}

/* Trust nothing libgcov did: the file must be ours, complete, and hold
 * exactly the counters we handed over (or their merge).  A verified file is
 * synced before anything is renamed. */
static bool verify(struct job *job, struct target *t, struct error *err)
{
	const struct model_object *obj = t->obj;
	int dirfd = temp_dir(job, t, err), fd;
	struct stat named;
	struct gcda_file g;
	uint8_t *buf;
	size_t len = 0;
	bool ok = false;

	if (dirfd < 0)
		return false;
	fd = openat(dirfd, t->tmpname,
		    O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &named) != 0 || named.st_ino != t->tmp_ino ||
	    named.st_dev != t->tmp_dev) {
		if (fd >= 0)
			close(fd);
		return unexpected(t, "the temporary file was replaced", err);
	}
	if (!read_all(fd, &buf, &len, t->path.display, err)) {
		free(buf);
		close(fd);
		return false;
	}
	if (!gcda_parse(buf, len, t->path.display, &g, err)) {
		free(buf);
		close(fd);
		err->status = HVCOV_EXIT_SYSTEM;
		return false;
	}
	if (g.version != job->host_version || g.stamp != obj->stamp ||
	    (gcc_layout_has_checksum(job->host) &&
	     g.checksum != obj->checksum)) {
		unexpected(t, "header", err);
		goto out;
	}
	if (!g.has_summary ||
	    g.runs != (t->has_old ? t->old_gcda.runs + 1 : 1)) {
		unexpected(t, "run count", err);
		goto out;
	}
	if (g.n_functions != obj->n_functions) {
		unexpected(t, "number of functions", err);
		goto out;
	}
	for (uint32_t f = 0; f < obj->n_functions; f++) {
		const struct model_function *m = &obj->functions[f];
		const struct gcda_function *w = &g.functions[f];
		bool kept = t->has_old && t->old_gcda.functions[f].present;

		if (w->present != (m->present || kept)) {
			unexpected(t, "function records", err);
			goto out;
		}
		if (!m->present)
			continue;
		if (w->ident != m->ident ||
		    w->lineno_checksum != m->lineno_checksum ||
		    w->cfg_checksum != m->cfg_checksum ||
		    w->n_counts != obj->n_active) {
			unexpected(t, "function record", err);
			goto out;
		}
		for (unsigned c = 0; c < obj->n_active; c++) {
			if (w->counts[c].kind != t->kinds[c] ||
			    w->counts[c].num != m->counters[c].num) {
				unexpected(t, "counter record", err);
				goto out;
			}
			for (uint32_t i = 0; i < m->counters[c].num; i++) {
				uint64_t want;
				bool overflow;

				if (expected_value(job, t, f, c, i, &want,
						   &overflow) &&
				    (overflow ||
				     gcda_counter(&w->counts[c], i) != want)) {
					unexpected(t, "counter value", err);
					goto out;
				}
			}
		}
	}
	t->digest = ledger_digest(buf, len);
	ok = true; /* synced with the whole batch: sync_batch() */
out:
	close(fd);
	gcda_free(&g);
	free(buf);
	return ok;
}

/* Makes durable everything written so far into the job's directories: one
 * syncfs() per file system they lie on instead of one fsync() per file and
 * per directory.  syncfs writes back every dirty file and directory of the
 * file system and, since Linux 5.8, reports a write-back error of any of
 * them that happened since the directory was opened (before anything was
 * written), which is what the per-file fsync() reported.  Called where the
 * per-file syncs were: before the intent is recorded (the temporary files),
 * after the renames (the directories). */
static bool sync_batch(const struct job *job, struct error *err)
{
	/* One stage per file system (st_dev), opened before anything was
	 * written into it. */
	for (size_t i = 0; i < job->n_stages; i++)
		if (syncfs(job->stages[i].fd) != 0) {
			char quoted[300];

			return error_errno(
				err, "cannot sync %s",
				quote(job->dirs[job->stages[i].dir].display,
				      quoted, sizeof(quoted)));
		}
	return true;
}

/* Every target shares the output root, so (directory, name) orders them
 * and puts the files of one directory next to each other. */
static const struct target *sort_targets;

static int by_place(const void *a, const void *b)
{
	const struct outpath *x = &sort_targets[*(const size_t *)a].path;
	const struct outpath *y = &sort_targets[*(const size_t *)b].path;
	int c = strcmp(x->rel_dir, y->rel_dir);

	return c ? c : strcmp(x->base, y->base);
}

static bool two_objects(const struct target *t, struct error *err)
{
	char quoted[300];

	return error_set(err, HVCOV_EXIT_DATA, "two objects would write %s",
			 quote(t->path.display, quoted, sizeof(quoted)));
}

/* The directory of job->t[order[k]]: the same as the previous target's when
 * their directory text is the same (a directory is walked, opened and
 * leased once), else walked and attached afresh.  create false leaves a
 * missing directory at -1. */
static bool open_dir(struct job *job, size_t k, bool create, struct error *err)
{
	struct target *t, *prev;
	int fd;

#ifdef __clang_analyzer__
	/* Never NULL (writer_write); the analyzer loses track of it across
	 * the system calls of the previous target's directory. */
	if (!job->t)
		return false;
#endif
	t = &job->t[job->order[k]];
	prev = k ? &job->t[job->order[k - 1]] : NULL;

	if (prev && !strcmp(prev->path.rel_dir, t->path.rel_dir) &&
	    (prev->dir >= 0 || !create)) {
		t->dir = prev->dir;
		return true;
	}
	for (int tries = 0; tries < 16; tries++) {
		bool gone = false, ok;

		if (!outpath_open_dir(&t->path, create, &fd, &t->created, err))
			return false;
		if (fd < 0)
			return true;
		ok = attach_dir(job, t, fd, &gone, err);
		if (!ok || !gone)
			return ok;
	}
	{
		char quoted[300];

		return error_set(
			err, HVCOV_EXIT_SYSTEM,
			"the directory of %s keeps being removed",
			quote(t->path.display, quoted, sizeof(quoted)));
	}
}

/* Descriptors this process has open now. */
static size_t open_descriptors(void)
{
	DIR *dir = opendir("/proc/self/fd");
	struct dirent *entry;
	size_t n = 0;

	if (!dir)
		return 64; /* a guess on the safe side */
	while ((entry = readdir(dir)))
		n += entry->d_name[0] != '.';
	closedir(dir);
	return n;
}

/* Descriptors a job needs besides the directories it keeps open: a walk
 * (two), the directory walked to last, a file, a ledger, a directory
 * listing, the libgcov child's pipe or the helper's input, and a stage per
 * file system (one or a few), with room to spare. */
#define DESCRIPTOR_RESERVE 16

/* Whether the `want` descriptor numbers just below the soft limit are all
 * free, asked in one poll() (a closed descriptor answers POLLNVAL).  A new
 * descriptor gets the lowest free number and fails only when that is at or
 * above the limit, so with those free at least `want` more can be opened
 * whatever else is open: the count of open descriptors is then not needed.
 * Anything else (a number taken, poll failing) answers false, and the
 * caller counts. */
#define DESCRIPTOR_PROBE 64
static bool top_descriptors_free(const struct rlimit *limit, size_t want)
{
	struct pollfd probe[DESCRIPTOR_PROBE];

	if (limit->rlim_cur == RLIM_INFINITY)
		return true;
	if (want > DESCRIPTOR_PROBE || limit->rlim_cur < want ||
	    limit->rlim_cur > INT_MAX)
		return false;
	for (size_t i = 0; i < want; i++) {
		probe[i].fd = (int)(limit->rlim_cur - want + i);
		probe[i].events = 0;
		probe[i].revents = 0;
	}
	if (poll(probe, want, 0) < 0)
		return false;
	for (size_t i = 0; i < want; i++)
		if (probe[i].revents != POLLNVAL)
			return false;
	return true;
}

/* How many directories stay open (job->keep): all of them if the limit
 * allows, raising the soft limit towards the hard one for that (walking
 * to a directory again costs a few system calls per use), else as many as
 * fit; the others are walked to each time they are used.  So the
 * directory count is bounded by nothing but memory.  Counting the open
 * descriptors (a walk of /proc/self/fd) is needed only when the limit
 * might not suffice: not when the numbers the job needs are free. */
static bool check_descriptors(struct job *job, struct error *err)
{
	size_t dirs = job->n ? 1 : 0, open_now, need;
	struct rlimit limit;

	for (size_t k = 1; k < job->n; k++)
		dirs += strcmp(job->t[job->order[k - 1]].path.rel_dir,
			       job->t[job->order[k]].path.rel_dir) != 0;
	if (getrlimit(RLIMIT_NOFILE, &limit) != 0)
		return error_errno(err, "cannot read the descriptor limit");
	if (top_descriptors_free(&limit, dirs + DESCRIPTOR_RESERVE)) {
		job->keep = dirs;
		return true;
	}
	open_now = open_descriptors();
	need = open_now + dirs + DESCRIPTOR_RESERVE;
	if (limit.rlim_cur != RLIM_INFINITY && limit.rlim_cur < need &&
	    (limit.rlim_max == RLIM_INFINITY ||
	     limit.rlim_max > limit.rlim_cur)) {
		struct rlimit raised = limit;

		raised.rlim_cur =
			limit.rlim_max == RLIM_INFINITY || limit.rlim_max > need
				? need
				: limit.rlim_max;
		if (setrlimit(RLIMIT_NOFILE, &raised) == 0)
			limit = raised;
	}
	job->keep = dirs;
	if (limit.rlim_cur == RLIM_INFINITY || limit.rlim_cur >= need)
		return true;
	if (limit.rlim_cur < open_now + DESCRIPTOR_RESERVE)
		return error_set(
			err, HVCOV_EXIT_SYSTEM,
			"hvcov needs %zu descriptors, the limit is %llu (raise it with ulimit -n)",
			open_now + DESCRIPTOR_RESERVE,
			(unsigned long long)limit.rlim_cur);
	job->keep = limit.rlim_cur - open_now - DESCRIPTOR_RESERVE;
	return true;
}

/* Validation: everything that can refuse, before any file is touched. */
static bool validate(struct job *job, struct error *err)
{
	for (size_t i = 0; i < job->n; i++) {
		struct target *t = &job->t[i];

		if (!check_version(job, t->obj, err) ||
		    !check_object(job, t, err) ||
		    !outpath_resolve(t->obj->filename, job->opt->output_root,
				     job->opt->strip, &t->path, err))
			return false;
		job->order[i] = i;
	}
	sort_targets = job->t;
	qsort(job->order, job->n, sizeof(*job->order), by_place);
	for (size_t k = 1; k < job->n; k++)
		if (!by_place(&job->order[k - 1], &job->order[k]))
			return two_objects(&job->t[job->order[k]], err);
	if (!check_descriptors(job, err))
		return false;
	compute_identity(job);
	for (size_t k = 0; k < job->n; k++) {
		struct target *t = &job->t[job->order[k]];

		if (!open_dir(job, k, false, err))
			return false;
		if (t->dir < 0)
			continue; /* made and inspected in prepare() */
		if (!inspect_target(job, t, err))
			return false;
	}
	if (job->n_held == job->n)
		return all_held(job, err);
	return true;
}

static int by_dir_and_base(const void *a, const void *b)
{
	const struct target *x = &sort_targets[*(const size_t *)a];
	const struct target *y = &sort_targets[*(const size_t *)b];

	if (x->dir != y->dir)
		return x->dir < y->dir ? -1 : 1;
	return strcmp(x->path.base, y->path.base);
}

/* A stage for each file system: the first of the job's directories on it,
 * opened once more for the job (a directory above job->keep closes). */
static bool make_stages(struct job *job, struct error *err)
{
	for (size_t i = 0; i < job->n_dirs; i++) {
		struct wdir *d = &job->dirs[i];
		struct stage *stage, *grown;
		char quoted[300];
		struct stat st;
		size_t s = 0;
		int fd;

		while (s < job->n_stages && job->stages[s].dev != d->dev)
			s++;
		d->stage = s;
		if (s < job->n_stages)
			continue;
		grown = realloc(job->stages, (s + 1) * sizeof(*grown));
		if (!grown)
			return error_errno(err, "out of memory");
		job->stages = grown;
		stage = &job->stages[s];
		stage->fd = -1;
		stage->dev = d->dev;
		stage->dir = i;
		job->n_stages++;
		quote(d->display, quoted, sizeof(quoted));
		fd = use_dir(job, i, err);
		if (fd < 0)
			return false;
		stage->fd = openat(fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (stage->fd < 0)
			return error_errno(err, "cannot open %s", quoted);
		/* libgcov opens the temporary files through /proc/self/fd:
		 * the directory we walked and leased, whatever happens to
		 * its path meanwhile. */
		snprintf(stage->proc_path, sizeof(stage->proc_path),
			 "/proc/self/fd/%d", stage->fd);
		if (stat(stage->proc_path, &st) != 0 || st.st_dev != d->dev ||
		    st.st_ino != d->ino)
			return error_set(
				err, HVCOV_EXIT_SYSTEM,
				"/proc/self/fd does not lead to %s; hvcov needs /proc mounted to hand libgcov a confined path",
				quoted);
	}
	return true;
}

static bool prepare(struct job *job, struct error *err)
{
	for (size_t k = 0; k < job->n; k++)
		if (job->t[job->order[k]].dir < 0 &&
		    !open_dir(job, k, true, err))
			return false;
	for (size_t k = 0; k < job->n; k++)
		if (!job->t[job->order[k]].inspected &&
		    !inspect_target(job, &job->t[job->order[k]], err))
			return false;
	if (job->n_held == job->n)
		return all_held(job, err);
	/* Distinct texts can still name one file (in place, through the
	 * user's own symlinks).  job->order stays the order in which
	 * directories were made, for release(). */
	job->bydir = malloc(job->n * sizeof(*job->bydir));
	if (!job->bydir)
		return error_errno(err, "out of memory");
	memcpy(job->bydir, job->order, job->n * sizeof(*job->bydir));
	sort_targets = job->t;
	qsort(job->bydir, job->n, sizeof(*job->bydir), by_dir_and_base);
	for (size_t k = 1; k < job->n; k++)
		if (!by_dir_and_base(&job->bydir[k - 1], &job->bydir[k]))
			return two_objects(&job->t[job->bydir[k]], err);
	if (!make_stages(job, err))
		return false;
	for (size_t i = 0; i < job->n_dirs; i++) {
		int fd = use_dir(job, i, err);

		if (fd < 0)
			return false;
		clean_stale(fd);
	}
	for (size_t k = 0; k < job->n; k++)
		if (!make_temp(job, &job->t[job->bydir[k]], job->bydir[k], err))
			return false;
	return true;
}

/* Copies a verified temporary file from its stage into its own directory
 * (dirfd), where a rename cannot take it: a bind mount of the same file
 * system.  The copy must hold the digested bytes. */
static bool copy_temp(struct job *job, struct target *t, int stagefd, int dirfd,
		      struct error *err)
{
	char quoted[300];
	uint8_t *buf = NULL;
	size_t len = 0;
	struct stat st;
	bool ok;
	int fd = openat(stagefd, t->tmpname,
			O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);

	quote(job->dirs[t->dir].display, quoted, sizeof(quoted));
	if (fd < 0 || fstat(fd, &st) != 0 || st.st_ino != t->tmp_ino ||
	    st.st_dev != t->tmp_dev) {
		if (fd >= 0)
			close(fd);
		return unexpected(t, "the temporary file was replaced", err);
	}
	ok = read_all(fd, &buf, &len, t->path.display, err);
	close(fd);
	if (ok && ledger_digest(buf, len) != t->digest)
		ok = unexpected(t, "the temporary file changed", err);
	if (!ok) {
		free(buf);
		return false;
	}
	fd = openat(dirfd, t->tmpname,
		    O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0666);
	if (fd < 0) {
		free(buf);
		return error_errno(err, "cannot create a temporary file in %s",
				   quoted);
	}
	ok = fd_write_all(fd, buf, len) && fstat(fd, &st) == 0;
	free(buf);
	if (close(fd) != 0)
		ok = false;
	if (!ok) {
		unlinkat(dirfd, t->tmpname, 0);
		return error_errno(err, "cannot write a temporary file in %s",
				   quoted);
	}
	unlinkat(stagefd, t->tmpname, 0);
	t->tmp_dev = st.st_dev;
	t->tmp_ino = st.st_ino;
	t->in_dir = true;
	return true;
}

/* Verified temporary files go from their stage into their own directory,
 * still under their temporary names: nothing is visible yet. */
static bool move_temps(struct job *job, struct error *err)
{
	for (size_t k = 0; k < job->n; k++) {
		struct target *t = &job->t[job->bydir[k]];
		int stagefd = job->stages[job->dirs[t->dir].stage].fd, fd;

		if (t->in_dir || t->holds_run)
			continue;
		fd = use_dir(job, (size_t)t->dir, err);
		if (fd < 0)
			return false;
		if (renameat(stagefd, t->tmpname, fd, t->tmpname) == 0) {
			t->in_dir = true;
			continue;
		}
		if (errno != EXDEV) {
			char quoted[300];

			return error_errno(
				err, "cannot move a temporary file into %s",
				quote(job->dirs[t->dir].display, quoted,
				      sizeof(quoted)));
		}
		if (!copy_temp(job, t, stagefd, fd, err))
			return false;
	}
	return true;
}

/* Where libgcov writes t's temporary file: through the descriptor of its
 * directory when that stays open, else through its stage's (make_temp()
 * put it there).  The kernel resolves /proc/self/fd/N to the directory
 * that was leased, whatever happened to its path since. */
static int libgcov_path(const struct job *job, const struct target *t,
			char *buf, size_t size)
{
	const struct wdir *d = &job->dirs[t->dir];

	if ((size_t)t->dir < job->keep)
		return snprintf(buf, size, "/proc/self/fd/%d/%s", d->fd,
				t->tmpname);
	return snprintf(buf, size, "%s/%s", job->stages[d->stage].proc_path,
			t->tmpname);
}

static bool dump(struct job *job, struct error *err)
{
	const struct model_object **objects = calloc(job->n, sizeof(*objects));
	const char **paths = calloc(job->n, sizeof(*paths));
	size_t total = 0, at = 0;
	char *text = NULL;
	bool ok = false;

	/* The paths in one block of their own: the child forks without the
	 * targets (alloc_targets()). */
	for (size_t i = 0; i < job->n; i++)
		total += (size_t)libgcov_path(job, &job->t[i], NULL, 0) + 1;
	text = malloc(total ? total : 1);
	if (!objects || !paths || !text) {
		error_errno(err, "out of memory");
		goto out;
	}
	for (size_t i = 0; i < job->n; i++) {
		objects[i] = job->t[i].obj;
		paths[i] = text + at;
		at += (size_t)libgcov_path(job, &job->t[i], text + at,
					   total - at) +
		      1;
	}
	ok = hostgcov_dump_as(job->host_version, job->model, objects, paths,
			      job->n, err);
	for (size_t i = 0; ok && i < job->n; i++)
		ok = verify(job, &job->t[i], err);
	if (ok)
		ok = move_temps(job, err);
	if (ok)
		ok = sync_batch(job, err);
out:
	free(objects);
	free(paths);
	free(text);
	return ok;
}

/* Every changed ledger, durably in place: all written, one sync_batch(),
 * all renamed, one sync_batch() (instead of a file and a directory fsync
 * per directory).  Until the second batch returns, the caller relies on
 * none of them.  A failure leaves each ledger old or new, and the staged
 * files of the others are removed by release().  A batch with nothing in
 * it is not synced: no ledger staged, or (the second) every one appended
 * in place, which the first made durable, and none renamed. */
static bool store_ledgers(struct job *job, struct error *err)
{
	bool ok = true, staged = false, renamed = false;

	for (size_t i = 0; ok && i < job->n_dirs; i++) {
		int fd = use_dir(job, i, err);

		ok = fd >= 0 && ledger_stage(fd, job->dirs[i].display,
					     &job->dirs[i].ledger, err);
		staged |= ok && job->dirs[i].ledger.staged;
	}
	ok = ok && (!staged || sync_batch(job, err));
	for (size_t i = 0; ok && i < job->n_dirs; i++) {
		int fd = use_dir(job, i, err);

		renamed |= job->dirs[i].ledger.staged &&
			   !job->dirs[i].ledger.staged_append;
		ok = fd >= 0 && ledger_publish(fd, job->dirs[i].display,
					       &job->dirs[i].ledger, err);
	}
	if (ok && renamed && !sync_batch(job, err)) {
		/* Renamed but not known durable: stored again if the
		 * caller goes on. */
		for (size_t i = 0; i < job->n_dirs; i++)
			job->dirs[i].ledger.dirty = true;
		ok = false;
	}
	return ok;
}

/* The point of no return.  Each rename is atomic; if one fails the ones
 * before it stay done and are recorded, and the error says so. */
static bool commit(struct job *job, struct writer_report *report,
		   struct error *err)
{
	size_t done = 0;
	bool ok = true;

	/* First the intent, durable, so that a crash among the renames
	 * leaves a ledger that can tell which files hold this run.  Each
	 * ledger grows once by its directory's files (job->bydir keeps them
	 * together), not by doubling: this is hvcov's peak of memory. */
	for (size_t k = 0, run = 0; k < job->n; k++) {
		const struct target *t = &job->t[job->bydir[k]];

		run += !t->holds_run;
		if ((k + 1 == job->n ||
		     job->t[job->bydir[k + 1]].dir != t->dir) &&
		    run) {
			if (!ledger_reserve(&job->dirs[t->dir].ledger, run))
				return error_errno(err, "out of memory");
			run = 0;
		}
	}
	for (size_t i = 0; i < job->n; i++) {
		struct target *t = &job->t[i];

		if (t->holds_run)
			continue;
		if (!ledger_intend(&job->dirs[t->dir].ledger, job->identity,
				   t->path.base, !t->has_old, t->digest, err))
			return false;
	}
	if (!store_ledgers(job, err))
		return false;
	for (size_t k = 0; k < job->n; k++) {
		struct target *t = &job->t[job->bydir[k]];
		int dirfd;

		if (t->holds_run)
			continue;
		dirfd = use_dir(job, (size_t)t->dir, err);
		if (dirfd < 0 ||
		    renameat(dirfd, t->tmpname, dirfd, t->path.base) != 0) {
			char quoted[300];

			ok = error_errno(
				err,
				"cannot rename into %s (%zu of %zu files were written)",
				quote(t->path.display, quoted, sizeof(quoted)),
				done, job->n - job->n_held);
			break;
		}
		t->renamed = true;
		done++;
	}
	/* The first error is the one reported (error_set keeps it). */
	if (!sync_batch(job, err))
		ok = false;
	for (size_t i = 0; i < job->n; i++) {
		struct target *t = &job->t[i];

		if (!t->renamed)
			continue;
		if (!ledger_settle(&job->dirs[t->dir].ledger, t->path.base,
				   err))
			ok = false;
		report->files++;
		report->merged += t->has_old;
		for (uint32_t f = 0; f < t->obj->n_functions; f++) {
			const struct model_function *m = &t->obj->functions[f];

			if (!m->present)
				continue;
			report->functions++;
			for (unsigned c = 0; c < t->obj->n_active; c++)
				report->counters += m->counters[c].num;
		}
	}
	if (!store_ledgers(job, err))
		ok = false;
	return ok;
}

/* The targets are the parent's alone (the libgcov child gets its paths
 * from dump()), so they are not forked into the child: hvcov's peak memory
 * is the fork, and the child, which also lays out libgcov's structures,
 * would otherwise hold them too (about 220 bytes a file).  mmap, not
 * malloc, because MADV_DONTFORK takes whole pages. */
static size_t targets_size(size_t n)
{
	/* mmap refuses a length of 0. */
	return n ? n * sizeof(struct target) : 1;
}

static struct target *alloc_targets(size_t n)
{
	void *t;

	if (n > SIZE_MAX / sizeof(struct target))
		return NULL;
	t = mmap(NULL, targets_size(n), PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (t == MAP_FAILED)
		return NULL;
	/* Failing costs only memory in the child. */
	(void)madvise(t, targets_size(n), MADV_DONTFORK);
	return t;
}

static void free_targets(struct target *t, size_t n)
{
	if (t)
		munmap(t, targets_size(n));
}

static void release(struct job *job)
{
	struct error ignored = { 0 };

	if (!job->dirs)
		job->n_dirs = 0;
	for (size_t k = 0; k < job->n; k++) {
		struct target *t = &job->t[job->bydir ? job->bydir[k] : k];

		if (t->tmpname[0] && !t->renamed && t->dir >= 0 &&
		    (size_t)t->dir < job->n_dirs) {
			int fd = temp_dir(job, t, &ignored);

			if (fd >= 0)
				unlinkat(fd, t->tmpname, 0);
		}
		gcda_free(&t->old_gcda);
		free(t->old);
	}
	for (size_t i = 0; i < job->n_stages; i++)
		if (job->stages[i].fd >= 0)
			close(job->stages[i].fd);
	/* Unleased first: outpath_remove_created() removes only an empty
	 * directory, never one another hvcov holds a lease in. */
	for (size_t i = 0; i < job->n_dirs; i++) {
		struct wdir *d = &job->dirs[i];
		int fd = use_dir(job, i, &ignored);

		if (fd >= 0) {
			ledger_unstage(fd, &d->ledger);
			if (d->leased)
				drop_lease(d, fd);
		}
		ledger_free(&d->ledger);
		free(d->display);
	}
	drop_current(job);
	for (size_t i = 0; i < job->n_dirs; i++)
		if (job->dirs[i].fd >= 0)
			close(job->dirs[i].fd);
	/* Directories go in the reverse of the order they were made in. */
	for (size_t k = job->n; job->order && k-- > 0;) {
		struct target *t = &job->t[job->order[k]];

		outpath_remove_created(&t->path, t->created);
	}
	for (size_t i = 0; i < job->n; i++)
		outpath_free(&job->t[i].path);
	free(job->stages);
	free(job->dirs);
	free(job->bydir);
	free(job->order);
	free_targets(job->t, job->n);
}

/* Who holds a lease (lease_stale): host name, boot and this process's
 * start time, which tell a running hvcov from a killed one whose process
 * number was reused.  Read once per process (a snapshot loop writes
 * hundreds of times a second): the boot, the PID namespace and the start
 * time cannot change while it runs, and every lease it writes names the
 * same host, so its own leases stay recognisable to it (a host renamed
 * meanwhile only makes another hvcov refuse them, as before).  A forked
 * child, another process, reads its own. */
static void lease_identity(struct job *job)
{
	static struct {
		long pid;
		char hostname[sizeof(job->hostname)];
		char boot[sizeof(job->boot)];
		unsigned long long start;
	} cached = { .pid = -1 };
	struct utsname uts;
	struct stat ns;
	ssize_t got = -1;
	int fd;

	if (cached.pid == job->pid) {
		memcpy(job->hostname, cached.hostname, sizeof(job->hostname));
		memcpy(job->boot, cached.boot, sizeof(job->boot));
		job->start = cached.start;
		goto format;
	}
	fd = open("/proc/sys/kernel/random/boot_id", O_RDONLY | O_CLOEXEC);

	if (fd >= 0) {
		got = read(fd, job->boot, sizeof(job->boot) - 1);
		close(fd);
	}
	job->boot[got > 0 ? got : 0] = '\0';
	job->boot[strcspn(job->boot, " \t\n")] = '\0';
	if (!job->boot[0])
		strcpy(job->boot, "unknown");
	if (uname(&uts) != 0 || !uts.nodename[0])
		strcpy(uts.nodename, "unknown");
	/* Process numbers mean something only within one PID namespace: a
	 * lease from another one (a container sharing the tree) is treated
	 * as one from another host. */
	if (stat("/proc/self/ns/pid", &ns) != 0)
		ns.st_ino = 0;
	snprintf(job->hostname, sizeof(job->hostname), "%s/%llu", uts.nodename,
		 (unsigned long long)ns.st_ino);
	for (char *c = job->hostname; *c; c++)
		if (*c <= ' ' || *c > '~')
			*c = '_';
	if (!process_start(job->pid, &job->start))
		job->start = 0;
	cached.pid = job->pid;
	memcpy(cached.hostname, job->hostname, sizeof(job->hostname));
	memcpy(cached.boot, job->boot, sizeof(job->boot));
	cached.start = job->start;
format:
	snprintf(job->lease, sizeof(job->lease), LEASE_FORMAT, job->hostname,
		 job->boot, job->pid, job->start);
}

bool writer_write(const struct model *model,
		  const struct writer_options *options,
		  struct writer_report *report, struct error *err)
{
	struct job job = { 0 };
	bool ok;

	memset(report, 0, sizeof(*report));
	job.model = model;
	job.opt = options;
	job.host_version = hostgcov_version();
	/* Another release's image is written through its helper, if one is
	 * installed; check_version() refuses what is left. */
	if (model->n_objects && model->objects[0].version != job.host_version &&
	    hostgcov_can_write(model->objects[0].version))
		job.host_version = model->objects[0].version;
	job.host = gcc_layout_for_version(job.host_version);
	if (!job.host)
		return error_set(
			err, HVCOV_EXIT_SYSTEM,
			"hvcov was built for an unknown gcov version 0x%08x",
			(unsigned)job.host_version);
	if (!model->n_objects)
		return error_set(err, HVCOV_EXIT_DATA,
				 "the image holds no coverage objects");
	job.pid = (long)getpid();
	job.current = job.current_fd = -1;
	lease_identity(&job);
	job.n = model->n_objects;
	job.t = alloc_targets(job.n);
	job.order = calloc(job.n, sizeof(*job.order));
	if (!job.t || !job.order) {
		free_targets(job.t, job.n);
		free(job.order);
		return error_errno(err, "out of memory");
	}
	for (size_t i = 0; i < job.n; i++) {
		job.t[i].obj = &model->objects[i];
		job.t[i].dir = -1;
	}
	ok = validate(&job, err) && prepare(&job, err) && dump(&job, err) &&
	     commit(&job, report, err);
	report->held = job.n_held;
	/* Directories made for a write that never happened go again; once
	 * files were renamed into them they stay. */
	if (report->files)
		for (size_t i = 0; i < job.n; i++)
			job.t[i].created = 0;
	release(&job);
	return ok;
}
