/* SPDX-License-Identifier: BSD-2-Clause */
/* syncfs(2): one sync per file system for a batch of files (commit()). */
#define _GNU_SOURCE
#include "writer.h"
#include "base/fdio.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/hash.h"
#include "gcov/gcc-layout.h"
#include "gcov/gcda.h"
#include "hostgcov.h"
#include "ledger.h"
#include "outpath.h"

/* Temporary files are named TMP_PREFIX<pid>.<index> beside their final
 * names: nothing from the image is in the name libgcov opens, so neither
 * its GCOV_PREFIX logic nor (GCC 13+) its %p/%q{} expansion can act on it.
 * Any such file found under the directory lock is a left-over of a killed
 * run and is removed. */
#define TMP_PREFIX ".hvcov-tmp."
#define LEDGER_TMP_PREFIX LEDGER_NAME ".tmp."
#define MAX_GCDA_SIZE (1u << 30)

/* One per distinct directory: its descriptor stays open (locked, and the
 * way libgcov reaches it) while the job runs.  Temporary files do not keep
 * descriptors open, so a job needs one per directory, not one per file. */
struct wdir {
	int fd;
	dev_t dev;
	ino_t ino;
	char *display;
	char proc_path[32]; /* /proc/self/fd/<fd> */
	struct ledger ledger;
};

struct target {
	const struct model_object *obj;
	unsigned kinds[GCC_LAYOUT_MAX_COUNTERS]; /* active kinds in order */
	struct outpath path;
	int dir; /* index into job.dirs, -1 while its directory is missing */
	unsigned created;
	uint8_t *old; /* merge: the existing file as validated */
	size_t old_len;
	struct gcda_file old_gcda;
	bool inspected; /* inspect_target() ran, under the directory lock */
	bool exists;    /* the final file exists */
	bool has_old;
	char tmpname[64];
	char libgcov_path[96];
	dev_t tmp_dev; /* the temporary file as created, to recognise it */
	ino_t tmp_ino;
	uint64_t digest; /* ledger_digest() of the verified temporary file */
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
	size_t *order; /* target indices sorted by directory, then name */
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

/* Take ownership of fd, the directory of t; one descriptor and one lock per
 * distinct directory (flock is per open file, so a second descriptor of a
 * directory we already locked would conflict with ourselves). */
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
			return true;
		}
	grown = realloc(job->dirs, (job->n_dirs + 1) * sizeof(*grown));
	if (!grown) {
		close(fd);
		return error_errno(err, "out of memory");
	}
	job->dirs = grown;
	d = &job->dirs[job->n_dirs];
	memset(d, 0, sizeof(*d));
	d->fd = fd;
	d->dev = st.st_dev;
	d->ino = st.st_ino;
	d->display = dir_display(&t->path);
	job->n_dirs++;
	t->dir = (int)(job->n_dirs - 1);
	if (!d->display)
		return error_errno(err, "out of memory");
	quote(d->display, quoted, sizeof(quoted));
	/* libgcov opens temporary files through /proc/self/fd/<fd>: the
	 * directory we walked and locked, whatever happens to its path
	 * meanwhile. */
	snprintf(d->proc_path, sizeof(d->proc_path), "/proc/self/fd/%d", fd);
	if (stat(d->proc_path, &st) != 0 || st.st_dev != d->dev ||
	    st.st_ino != d->ino)
		return error_set(
			err, HVCOV_EXIT_SYSTEM,
			"/proc/self/fd does not lead to %s; hvcov needs /proc mounted to hand libgcov a confined path",
			quoted);
	if (flock(fd, LOCK_EX | LOCK_NB) != 0)
		return errno == EWOULDBLOCK
			       ? error_set(err, HVCOV_EXIT_SYSTEM,
					   "another hvcov is writing into %s",
					   quoted)
			       : error_errno(err, "cannot lock %s", quoted);
	/* A failed hvcov removes the empty directories it made, under their
	 * lock; one removed before we locked it is walked again. */
	if (fstat(fd, &st) != 0)
		return error_errno(err, "cannot stat %s", quoted);
	if (!st.st_nlink) {
		close(fd);
		free(d->display);
		job->n_dirs--;
		t->dir = -1;
		*gone = true;
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
	int dirfd = job->dirs[t->dir].fd, fd;
	char quoted[300];
	struct stat st;

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

/* Inspection of one target and its ledger record, always under the lock
 * of its directory: done in validate() for a directory that exists and in
 * prepare() for one this run made (another hvcov may have made, written
 * and unlocked it in between). */
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

/* The temporary file libgcov will write, reached through the directory's
 * /proc/self/fd path (attach_dir).  Its identity is kept, not its
 * descriptor: verify() reopens it and checks it is still this file. */
static bool make_temp(struct job *job, struct target *t, size_t index,
		      struct error *err)
{
	struct wdir *d = &job->dirs[t->dir];
	char quoted[300];
	struct stat st;
	bool ok;
	int fd;

	snprintf(t->tmpname, sizeof(t->tmpname), TMP_PREFIX "%ld.%zu", job->pid,
		 index);
	snprintf(t->libgcov_path, sizeof(t->libgcov_path), "%s/%s",
		 d->proc_path, t->tmpname);
	fd = openat(d->fd, t->tmpname,
		    O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0666);
	if (fd < 0) {
		t->tmpname[0] = '\0';
		return error_errno(err, "cannot create a temporary file in %s",
				   quote(d->display, quoted, sizeof(quoted)));
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
		return error_errno(err, "cannot write a temporary file in %s",
				   quote(d->display, quoted, sizeof(quoted)));
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
static bool verify(const struct job *job, struct target *t, struct error *err)
{
	const struct model_object *obj = t->obj;
	int dirfd = job->dirs[t->dir].fd, fd;
	struct stat named;
	struct gcda_file g;
	uint8_t *buf;
	size_t len = 0;
	bool ok = false;

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
	dev_t done[8];
	size_t n_done = 0;

	for (size_t i = 0; i < job->n_dirs; i++) {
		const struct wdir *d = &job->dirs[i];
		bool seen = false;

		for (size_t j = 0; j < n_done && !seen; j++)
			seen = done[j] == d->dev;
		if (seen)
			continue;
		if (syncfs(d->fd) != 0) {
			char quoted[300];

			return error_errno(
				err, "cannot sync %s",
				quote(d->display, quoted, sizeof(quoted)));
		}
		/* More file systems than slots: sync again rather than
		 * remember (an output tree spans few mounts). */
		if (n_done < sizeof(done) / sizeof(done[0]))
			done[n_done++] = d->dev;
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
 * locked once), else walked and attached afresh.  create false leaves a
 * missing directory at -1. */
static bool open_dir(struct job *job, size_t k, bool create, struct error *err)
{
	struct target *t = &job->t[job->order[k]];
	const struct target *prev = k ? &job->t[job->order[k - 1]] : NULL;
	int fd;

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

/* One descriptor per distinct directory stays open while the job runs
 * (struct wdir), so the limit is checked, and the soft limit raised
 * towards the hard one, before anything is made: running out halfway
 * failed after directories were made, and left them behind. */
static bool check_descriptors(const struct job *job, struct error *err)
{
	size_t dirs = job->n ? 1 : 0, need;
	struct rlimit limit;

	for (size_t k = 1; k < job->n; k++)
		dirs += strcmp(job->t[job->order[k - 1]].path.rel_dir,
			       job->t[job->order[k]].path.rel_dir) != 0;
	/* The walk of a directory, libgcov's file, a ledger, /proc. */
	need = open_descriptors() + dirs + 16;
	if (getrlimit(RLIMIT_NOFILE, &limit) != 0)
		return error_errno(err, "cannot read the descriptor limit");
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
	if (limit.rlim_cur != RLIM_INFINITY && limit.rlim_cur < need)
		return error_set(
			err, HVCOV_EXIT_SYSTEM,
			"the image's files go into %zu directories and hvcov keeps one descriptor open per directory while it writes: it needs %zu descriptors, the limit is %llu (raise it with ulimit -n)",
			dirs, need, (unsigned long long)limit.rlim_cur);
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

static bool prepare(struct job *job, struct error *err)
{
	size_t *byfile;

	for (size_t k = 0; k < job->n; k++)
		if (job->t[job->order[k]].dir < 0 &&
		    !open_dir(job, k, true, err))
			return false;
	for (size_t i = 0; i < job->n; i++)
		if (!job->t[i].inspected &&
		    !inspect_target(job, &job->t[i], err))
			return false;
	if (job->n_held == job->n)
		return all_held(job, err);
	/* Distinct texts can still name one file (in place, through the
	 * user's own symlinks).  job->order stays the order in which
	 * directories were made, for release(). */
	byfile = malloc(job->n * sizeof(*byfile));
	if (!byfile)
		return error_errno(err, "out of memory");
	memcpy(byfile, job->order, job->n * sizeof(*byfile));
	sort_targets = job->t;
	qsort(byfile, job->n, sizeof(*byfile), by_dir_and_base);
	for (size_t k = 1; k < job->n; k++)
		if (!by_dir_and_base(&byfile[k - 1], &byfile[k])) {
			two_objects(&job->t[byfile[k]], err);
			free(byfile);
			return false;
		}
	free(byfile);
	for (size_t i = 0; i < job->n_dirs; i++)
		clean_stale(job->dirs[i].fd);
	for (size_t i = 0; i < job->n; i++)
		if (!make_temp(job, &job->t[i], i, err))
			return false;
	return true;
}

static bool dump(struct job *job, struct error *err)
{
	const struct model_object **objects = calloc(job->n, sizeof(*objects));
	const char **paths = calloc(job->n, sizeof(*paths));
	bool ok = false;

	if (!objects || !paths) {
		error_errno(err, "out of memory");
		goto out;
	}
	for (size_t i = 0; i < job->n; i++) {
		objects[i] = job->t[i].obj;
		paths[i] = job->t[i].libgcov_path;
	}
	ok = hostgcov_dump_as(job->host_version, objects, paths, job->n, err);
	for (size_t i = 0; ok && i < job->n; i++)
		ok = verify(job, &job->t[i], err);
	if (ok)
		ok = sync_batch(job, err);
out:
	free(objects);
	free(paths);
	return ok;
}

/* Every changed ledger, durably in place: all written, one sync_batch(),
 * all renamed, one sync_batch() (instead of a file and a directory fsync
 * per directory).  Until the second batch returns, the caller relies on
 * none of them.  A failure leaves each ledger old or new, and the staged
 * files of the others are removed by release(). */
static bool store_ledgers(struct job *job, struct error *err)
{
	bool ok = true;

	for (size_t i = 0; ok && i < job->n_dirs; i++)
		ok = ledger_stage(job->dirs[i].fd, job->dirs[i].display,
				  &job->dirs[i].ledger, err);
	ok = ok && sync_batch(job, err);
	for (size_t i = 0; ok && i < job->n_dirs; i++)
		ok = ledger_publish(job->dirs[i].fd, job->dirs[i].display,
				    &job->dirs[i].ledger, err);
	if (ok && !sync_batch(job, err)) {
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
	 * leaves a ledger that can tell which files hold this run. */
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
	for (size_t i = 0; i < job->n; i++) {
		struct target *t = &job->t[i];
		int dirfd = job->dirs[t->dir].fd;

		if (t->holds_run)
			continue;
		if (renameat(dirfd, t->tmpname, dirfd, t->path.base) != 0) {
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

static void release(struct job *job)
{
	if (!job->dirs)
		job->n_dirs = 0;
	for (size_t i = 0; i < job->n; i++) {
		struct target *t = &job->t[i];

		if (t->tmpname[0] && !t->renamed && t->dir >= 0 &&
		    (size_t)t->dir < job->n_dirs)
			unlinkat(job->dirs[t->dir].fd, t->tmpname, 0);
		gcda_free(&t->old_gcda);
		free(t->old);
	}
	/* Unlocked first: outpath_remove_created() removes a directory
	 * only under its lock, never one another hvcov is writing into. */
	for (size_t i = 0; i < job->n_dirs; i++) {
		ledger_unstage(job->dirs[i].fd, &job->dirs[i].ledger);
		close(job->dirs[i].fd);
		ledger_free(&job->dirs[i].ledger);
		free(job->dirs[i].display);
	}
	/* Directories go in the reverse of the order they were made in. */
	for (size_t k = job->n; job->order && k-- > 0;) {
		struct target *t = &job->t[job->order[k]];

		outpath_remove_created(&t->path, t->created);
	}
	for (size_t i = 0; i < job->n; i++)
		outpath_free(&job->t[i].path);
	free(job->dirs);
	free(job->order);
	free(job->t);
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
	job.n = model->n_objects;
	job.t = calloc(job.n, sizeof(*job.t));
	job.order = calloc(job.n, sizeof(*job.order));
	if (!job.t || !job.order) {
		free(job.t);
		free(job.order);
		return error_errno(err, "out of memory");
	}
	for (size_t i = 0; i < job.n; i++) {
		job.t[i].obj = &model->objects[i];
		job.t[i].dir = -1;
	}
	job.pid = (long)getpid();

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
