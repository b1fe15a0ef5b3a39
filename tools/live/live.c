/* SPDX-License-Identifier: BSD-2-Clause */
#include "live.h"

#include <errno.h>
#include <fcntl.h>
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

static bool map_image(struct live *live, struct error *err)
{
	long page = sysconf(_SC_PAGESIZE);
	uint64_t offset, start;
	const char *path;
	struct stat st;
	bool ok = false;
	void *mapping;
	int fd;

	image_file(live, &path, &offset);
	start = offset - offset % (uint64_t)page;
	if (live->header.image_size > SIZE_MAX - (offset - start))
		return error_set(err, HVCOV_EXIT_SYSTEM,
				 "%s: an image of %llu bytes cannot be mapped",
				 path,
				 (unsigned long long)live->header.image_size);
	live->mapping_size = (size_t)(offset - start + live->header.image_size);
	do
		fd = open(path, O_RDONLY | O_CLOEXEC);
	while (fd < 0 && errno == EINTR);
	if (fd < 0)
		return error_errno(err, "cannot open %s", path);
	if (fstat(fd, &st) < 0) {
		error_errno(err, "cannot stat %s", path);
		goto out;
	}
	/* Touching a mapped page past the end of a file raises SIGBUS. */
	if (S_ISREG(st.st_mode) &&
	    (uint64_t)st.st_size < offset + live->header.image_size) {
		error_set(err, HVCOV_EXIT_DATA,
			  "%s: the image ends at byte %llu, past the file's "
			  "%llu bytes",
			  path,
			  (unsigned long long)(offset +
					       live->header.image_size),
			  (unsigned long long)st.st_size);
		goto out;
	}
	mapping = mmap(NULL, live->mapping_size, PROT_READ, MAP_SHARED, fd,
		       (off_t)start);
	if (mapping == MAP_FAILED) {
		error_errno(err,
			    "cannot map %s read-only at offset %llu (live "
			    "snapshots need a source that can be mapped: a "
			    "RAM file, /dev/mem)",
			    path, (unsigned long long)start);
		goto out;
	}
	live->mapping = mapping;
	live->base = live->mapping + (offset - start);
	live->descriptor = live->base + (live->header.header_offset -
					 live->header.buffer_offset);
	ok = true;
out:
	close(fd);
	return ok;
}

static void read_descriptor(const struct live *live, uint64_t *boot_id,
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
		return error_set(err, HVCOV_EXIT_DATA,
				 "%s: the descriptor is not 8-byte aligned in "
				 "the file, so it cannot be read atomically",
				 live->image.source);
	for (size_t s = 0; s < live->map.n_spans; s++)
		if ((uintptr_t)(live->base + live->map.spans[s].offset) % 4)
			return error_set(err, HVCOV_EXIT_DATA,
					 "%s: counters at image offset 0x%llx "
					 "are not 4-byte aligned in the file, "
					 "so they cannot be read untorn",
					 live->image.source,
					 (unsigned long long)live->map
						 .spans[s]
						 .offset);
	return true;
}

static void release(struct live *live)
{
	if (live->mapping)
		munmap(live->mapping, live->mapping_size);
	live->mapping = NULL;
	counter_map_free(&live->map);
	model_free(&live->model);
	image_free(&live->image);
}

static bool decode(struct live *live, struct error *err)
{
	uint64_t boot_id;
	uint32_t state;

	if (!source_read(&live->source, &live->image, &live->header,
			 &live->model, err))
		return false;
	if (live->header.kind != MODEL_HEADER_HVCOV)
		return error_set(err, HVCOV_EXIT_DATA,
				 "%s: a Jailhouse header has no boot identity "
				 "or state: live snapshots need the hvcov "
				 "descriptor",
				 live->image.source);
	if (live->header.format_version == HVCOV_FORMAT_VERSION_LLVM)
		return error_set(err, HVCOV_EXIT_DATA,
				 "%s: a clang image: live snapshots read gcov "
				 "counters only (use extract for its raw "
				 "profile)",
				 live->image.source);
	/* The counter map addresses counters linearly from image byte 0. */
	if (live->header.placed)
		return error_set(err, HVCOV_EXIT_DATA,
				 "%s: the image is read through a placement "
				 "that splits it; live snapshots read only "
				 "linear images (use extract)",
				 live->image.source);
	if (live->header.state == HVCOV_STATE_UNINITIALISED)
		return error_set(err, HVCOV_EXIT_DATA,
				 "%s: the hypervisor has not run hvcov_init() "
				 "yet",
				 live->image.source);
	if (!counter_map_build(&live->model, &live->map, err) ||
	    !map_image(live, err) || !check_alignment(live, err))
		return false;
	/* The copy was decoded from this boot only if the mapping still
	 * shows it, initialised. */
	read_descriptor(live, &boot_id, &state);
	if (boot_id != live->header.boot_id ||
	    state == HVCOV_STATE_UNINITIALISED)
		return error_set(err, HVCOV_EXIT_DATA,
				 "%s: the hypervisor rebooted while its gcov "
				 "data was being decoded",
				 live->image.source);
	live->boot_id = boot_id;
	return true;
}

bool live_open(struct live *live, const struct source *source,
	       struct error *err)
{
	memset(live, 0, sizeof(*live));
	live->source = *source;
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

		release(live);
		if (decode(live, &attempt))
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

enum live_result live_scan(struct live *live, const uint64_t *prev,
			   uint64_t *cur, struct delta_fresh *fresh,
			   struct live_sample *sample, struct error *err)
{
	for (unsigned attempt = 0; attempt < SCAN_ATTEMPTS; attempt++) {
		struct delta_decrease decrease = { SIZE_MAX, 0, 0 };
		struct error scan_err = { 0 };
		uint64_t boot_before, boot_after;
		uint32_t state_before, state_after;
		bool scanned;

		read_descriptor(live, &boot_before, &state_before);
		if (state_before == HVCOV_STATE_UNINITIALISED) {
			pause_ms(10);
			continue;
		}
		if (boot_before != live->boot_id)
			return LIVE_NEW_BOOT;
		scanned = delta_scan(&live->map, live->base,
				     live->header.big_endian, prev, cur, fresh,
				     &decrease, &scan_err);
		read_descriptor(live, &boot_after, &state_after);
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
			error_set(err, HVCOV_EXIT_DATA,
				  "%s decreased from %llu to %llu within boot "
				  "0x%016llx (counters only grow in one boot: "
				  "is the hypervisor built with "
				  "-fprofile-update=atomic?)",
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
	error_set(err, HVCOV_EXIT_DATA,
		  "%s: the descriptor kept changing (state or boot id) during "
		  "%u scans",
		  live->image.source, SCAN_ATTEMPTS);
	return LIVE_FAILED;
}

void live_close(struct live *live)
{
	release(live);
	memset(live, 0, sizeof(*live));
}
