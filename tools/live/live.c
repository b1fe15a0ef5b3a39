/* SPDX-License-Identifier: BSD-2-Clause */
#include "live.h"

#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "base/bytes.h"
#include "hvcov/descriptor.h"
#include "untorn.h"

/* A scan that overlapped a boot-id or state change is repeated this many
 * times before hvcov gives up. */
#define SCAN_ATTEMPTS 100

static void pause_ms(unsigned ms)
{
	struct timespec delay = { ms / 1000, (long)(ms % 1000) * 1000000L };

	while (nanosleep(&delay, &delay) < 0 && errno == EINTR)
		;
}

/* The file and the file offset of image byte 0. */
static void image_file(const struct live *live, const char **path,
		       uint64_t *offset)
{
	const struct source *s = &live->source;

	if (s->has_phys) {
		*path = SOURCE_MEMORY_DEVICE;
		*offset = s->phys + live->header.buffer_offset;
	} else {
		*path = s->path ? s->path : SOURCE_DEFAULT_PATH;
		*offset = (s->has_offset ? s->offset : 0) +
			  live->header.buffer_offset;
	}
}

/* Open the source once, before anything reads it: without blocking (a
 * FIFO would block the open, and after its data is read a second open
 * would wait forever for a writer) and only if it can be mapped. */
static bool open_source(struct live *live, struct error *err)
{
	const char *path;
	uint64_t offset;
	struct stat st;

	image_file(live, &path, &offset);
	live->fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (live->fd < 0)
		return error_errno(err, "cannot open %s", path);
	if (fstat(live->fd, &st) < 0)
		return error_errno(err, "cannot stat %s", path);
	if (!S_ISREG(st.st_mode) && !S_ISCHR(st.st_mode) &&
	    !S_ISBLK(st.st_mode))
		return error_set(
			err, HVCOV_EXIT_SYSTEM,
			"%s is not a regular file or a device: live snapshots need a source that can be mapped (a RAM file, /dev/mem)",
			path);
	live->dev = st.st_dev;
	live->ino = st.st_ino;
	return true;
}

static bool map_image(struct live *live, struct error *err)
{
	long page = sysconf(_SC_PAGESIZE);
	uint64_t offset, start;
	const char *path;
	struct stat st;
	void *mapping;
	int fd = live->fd;

	image_file(live, &path, &offset);
	start = offset - offset % (uint64_t)page;
	if (live->header.image_size > SIZE_MAX - (offset - start))
		return error_set(err, HVCOV_EXIT_SYSTEM,
				 "%s: an image of %llu bytes cannot be mapped",
				 path,
				 (unsigned long long)live->header.image_size);
	live->mapping_size = (size_t)(offset - start + live->header.image_size);
	if (fstat(fd, &st) < 0)
		return error_errno(err, "cannot stat %s", path);
	/* Touching a mapped page past the end of a file raises SIGBUS. */
	if (S_ISREG(st.st_mode) &&
	    (uint64_t)st.st_size < offset + live->header.image_size)
		return error_set(
			err, HVCOV_EXIT_DATA,
			"%s: the image ends at byte %llu, past the file's %llu bytes",
			path,
			(unsigned long long)(offset + live->header.image_size),
			(unsigned long long)st.st_size);
	mapping = mmap(NULL, live->mapping_size, PROT_READ, MAP_SHARED, fd,
		       (off_t)start);
	if (mapping == MAP_FAILED)
		return error_errno(
			err,
			"cannot map %s read-only at offset %llu (live snapshots need a source that can be mapped: a RAM file, /dev/mem)",
			path, (unsigned long long)start);
	live->mapping = mapping;
	live->base = live->mapping + (offset - start);
	live->descriptor = live->base + (live->header.header_offset -
					 live->header.buffer_offset);
	return true;
}

/* Whether the source's name still leads to the mapped file and the file
 * still holds the whole image.  false: err says why; *replaced: another
 * file has the name now (a new boot's image, renamed over the old). */
bool live_check_source(const struct live *live, bool *replaced,
		       struct error *err)
{
	const char *path;
	uint64_t offset;
	struct stat st;

	*replaced = false;
	image_file(live, &path, &offset);
	if (stat(path, &st) < 0)
		return error_errno(err, "%s: the source went away", path);
	if (st.st_dev != live->dev || st.st_ino != live->ino) {
		*replaced = true;
		return true;
	}
	if (fstat(live->fd, &st) < 0)
		return error_errno(err, "cannot stat %s", path);
	if (S_ISREG(st.st_mode) &&
	    (uint64_t)st.st_size < offset + live->header.image_size)
		return error_set(
			err, HVCOV_EXIT_DATA,
			"%s shrank to %llu bytes while hvcov read it (the image ends at byte %llu)",
			path, (unsigned long long)st.st_size,
			(unsigned long long)(offset + live->header.image_size));
	return true;
}

/* A file truncated under a mapping raises SIGBUS on the next touch of a
 * page past its end.  While a scan runs, the handler jumps back to it, so
 * that a shrinking source is an error message, not a killed process. */
static sigjmp_buf scan_jump;
static volatile sig_atomic_t scanning;

static void on_sigbus(int sig)
{
	if (scanning) {
		scanning = 0;
		siglongjmp(scan_jump, 1);
	}
	signal(sig, SIG_DFL);
	raise(sig);
}

void live_read_descriptor(const struct live *live, uint64_t *boot_id,
			  uint32_t *state)
{
	bool be = live->header.big_endian;
	uint32_t raw;

	untorn_read(live->descriptor + 72, 1, be, boot_id);
	raw = __atomic_load_n((const uint32_t *)(live->descriptor + 80),
			      __ATOMIC_RELAXED);
	*state = bytes_get32((const uint8_t *)&raw, be);
	__atomic_thread_fence(__ATOMIC_ACQUIRE);
}

static bool check_alignment(const struct live *live, struct error *err)
{
	if ((uintptr_t)live->descriptor % 8)
		return error_set(
			err, HVCOV_EXIT_DATA,
			"%s: the descriptor is not 8-byte aligned in the file, so it cannot be read atomically",
			live->image.source);
	for (size_t s = 0; s < live->map.n_spans; s++)
		if ((uintptr_t)(live->base + live->map.spans[s].offset) % 4)
			return error_set(
				err, HVCOV_EXIT_DATA,
				"%s: counters at image offset 0x%llx are not 4-byte aligned in the file, so they cannot be read untorn",
				live->image.source,
				(unsigned long long)live->map.spans[s].offset);
	return true;
}

static void release(struct live *live)
{
	if (live->mapping)
		munmap(live->mapping, live->mapping_size);
	live->mapping = NULL;
	if (live->fd >= 0)
		close(live->fd);
	live->fd = -1;
	counter_map_free(&live->map);
	model_free(&live->model);
	image_free(&live->image);
}

static bool decode(struct live *live, struct error *err)
{
	uint64_t boot_id;
	uint32_t state;

	/* The header tells where the image lies; the file is checked and
	 * opened before anything reads it, and only the image is read when
	 * it can be found without reading the rest (place.h). */
	live->source = live->asked;
	if (!open_source(live, err) ||
	    !place_read(&live->asked, live->fd,
			live->has_hint ? &live->hint : NULL, &live->source,
			&live->image, &live->header, &live->model, &live->place,
			&live->found, err))
		return false;
	if (live->header.kind != MODEL_HEADER_HVCOV)
		return error_set(
			err, HVCOV_EXIT_DATA,
			"%s: a Jailhouse header has no boot identity or state: live snapshots need the hvcov descriptor",
			live->image.source);
	/* A clang image has no gcov model: its profile sections are read
	 * by llvm-snapshot.c, through the same mapping. */
	live->clang = live->header.format_version == HVCOV_FORMAT_VERSION_LLVM;
	/* The counter map addresses counters linearly from image byte 0. */
	if (live->header.placed)
		return error_set(
			err, HVCOV_EXIT_DATA,
			"%s: the image is read through a placement that splits it; live snapshots read only linear images (use extract)",
			live->image.source);
	if (live->header.state == HVCOV_STATE_UNINITIALISED)
		return error_set(
			err, HVCOV_EXIT_DATA,
			"%s: the hypervisor has not run hvcov_init() yet",
			live->image.source);
	if ((!live->clang &&
	     !counter_map_build(&live->model, &live->map, err)) ||
	    !map_image(live, err) || !check_alignment(live, err))
		return false;
	/* The copy was decoded from this boot only if the mapping still
	 * shows it, initialised. */
	live_read_descriptor(live, &boot_id, &state);
	if (boot_id != live->header.boot_id ||
	    state == HVCOV_STATE_UNINITIALISED)
		return error_set(
			err, HVCOV_EXIT_DATA,
			"%s: the hypervisor rebooted while its gcov data was being decoded",
			live->image.source);
	live->boot_id = boot_id;
	/* A new boot most likely runs where this one did. */
	live->hint = live->place;
	live->has_hint = true;
	return true;
}

bool live_open(struct live *live, const struct source *source,
	       const struct live_place *hint, struct error *err)
{
	memset(live, 0, sizeof(*live));
	live->fd = -1;
	live->asked = *source;
	live->has_hint = hint != NULL;
	if (hint)
		live->hint = *hint;
	if (decode(live, err))
		return true;
	release(live);
	return false;
}

bool live_reload(struct live *live, unsigned wait_ms, struct error *err)
{
	unsigned waited = 0;

	for (;;) {
		struct error attempt = { 0 };
		bool decoded;

		release(live);
		decoded = decode(live, &attempt);
		if (decoded && live->clang) {
			/* Only the gcov loops reload: a clang image has no
			 * counter map, and would read as no counters. */
			error_set(
				err, HVCOV_EXIT_DATA,
				"%s: the new boot is a clang image; this run reads gcov counters",
				live->image.source);
			release(live);
			return false;
		}
		if (decoded)
			return true;
		if (attempt.status != HVCOV_EXIT_DATA || waited >= wait_ms) {
			*err = attempt;
			release(live);
			return false;
		}
		pause_ms(50);
		waited += 50;
	}
}

bool live_guarded(void (*read)(void *context), void *context, struct error *err)
{
	struct sigaction guard, old;
	bool ok = true;

	memset(&guard, 0, sizeof(guard));
	guard.sa_handler = on_sigbus;
	sigemptyset(&guard.sa_mask);
	if (sigaction(SIGBUS, &guard, &old) < 0)
		return error_errno(err, "cannot catch SIGBUS");
	if (sigsetjmp(scan_jump, 1)) {
		ok = false;
		goto out;
	}
	scanning = 1;
	read(context);
	scanning = 0;
out:
	sigaction(SIGBUS, &old, NULL);
	return ok;
}

/* The reads of one live_scan() attempt, run by live_guarded(). */
struct scan_reads {
	struct live *live;
	const uint64_t *prev;
	uint64_t *cur;
	struct delta_fresh *fresh;
	struct delta_decrease *decrease;
	bool *scanned;
	uint64_t *boot_before, *boot_after;
	uint32_t *state_before, *state_after;
	struct error *scan_err;
};

static void scan_reads(void *context)
{
	struct scan_reads *r = context;
	struct live *live = r->live;

	live_read_descriptor(live, r->boot_before, r->state_before);
	*r->scanned =
		*r->state_before != HVCOV_STATE_UNINITIALISED &&
		*r->boot_before == live->boot_id &&
		delta_scan(&live->map, live->base, live->header.big_endian,
			   r->prev, r->cur, r->fresh, r->decrease, r->scan_err);
	live_read_descriptor(live, r->boot_after, r->state_after);
}

/* One attempt of live_scan() with SIGBUS caught. */
static bool guarded_scan(struct live *live, const uint64_t *prev, uint64_t *cur,
			 struct delta_fresh *fresh,
			 struct delta_decrease *decrease, bool *scanned,
			 uint64_t *boot_before, uint32_t *state_before,
			 uint64_t *boot_after, uint32_t *state_after,
			 struct error *scan_err)
{
	struct scan_reads reads = { live,        prev,       cur,
				    fresh,       decrease,   scanned,
				    boot_before, boot_after, state_before,
				    state_after, scan_err };

	return live_guarded(scan_reads, &reads, scan_err);
}

enum live_result live_scan(struct live *live, const uint64_t *prev,
			   uint64_t *cur, struct delta_fresh *fresh,
			   struct live_sample *sample, struct error *err)
{
	bool replaced;

	if (!live_check_source(live, &replaced, err))
		return LIVE_FAILED;
	if (replaced)
		return LIVE_NEW_BOOT;
	for (unsigned attempt = 0; attempt < SCAN_ATTEMPTS; attempt++) {
		struct delta_decrease decrease = { SIZE_MAX, 0, 0 };
		struct error scan_err = { 0 };
		uint64_t boot_before = 0, boot_after = 0;
		uint32_t state_before = 0, state_after = 0;
		bool scanned;

		if (!guarded_scan(live, prev, cur, fresh, &decrease, &scanned,
				  &boot_before, &state_before, &boot_after,
				  &state_after, &scan_err)) {
			const char *path;
			uint64_t offset;

			if (scan_err.status) {
				*err = scan_err;
				return LIVE_FAILED;
			}
			image_file(live, &path, &offset);
			error_set(
				err, HVCOV_EXIT_DATA,
				"%s shrank while hvcov read it (SIGBUS): the image no longer fits in the file",
				path);
			return LIVE_FAILED;
		}
		if (state_before == HVCOV_STATE_UNINITIALISED) {
			pause_ms(10);
			continue;
		}
		if (boot_before != live->boot_id)
			return LIVE_NEW_BOOT;
		if (boot_after != boot_before ||
		    state_after == HVCOV_STATE_UNINITIALISED)
			continue;
		if (!scanned) {
			char name[400];

			if (scan_err.status != HVCOV_EXIT_DATA ||
			    decrease.index >= live->map.n_counters) {
				*err = scan_err;
				return LIVE_FAILED;
			}
			error_set(
				err, HVCOV_EXIT_DATA,
				"%s decreased from %llu to %llu within boot 0x%016llx (counters only grow in one boot: is the hypervisor built with -fprofile-update=atomic?)",
				counter_map_name(&live->map, &live->model,
						 decrease.index, name,
						 sizeof(name)),
				(unsigned long long)decrease.before,
				(unsigned long long)decrease.after,
				(unsigned long long)live->boot_id);
			return LIVE_FAILED;
		}
		sample->boot_id = boot_after;
		sample->state = state_after;
		return LIVE_SCANNED;
	}
	error_set(
		err, HVCOV_EXIT_DATA,
		"%s: the descriptor kept changing (state or boot id) during %u scans",
		live->image.source, SCAN_ATTEMPTS);
	return LIVE_FAILED;
}

void live_close(struct live *live)
{
	release(live);
	memset(live, 0, sizeof(*live));
}
