/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The image producer: a user-space stand-in for a hypervisor.  It links the
 * hvcov stub instead of libgcov, runs the gcov constructors through
 * hvcov_init() (or none, in -fprofile-info-section mode), runs the workload,
 * checks the descriptor against what it knows about itself, marks the
 * counters final and writes its own memory image [image_start, image_end) to
 * a file, exactly the bytes a hypervisor's sysfs image would hold.
 *
 * usage: producer OUTFILE SEED BOOT_ID_HEX
 * exit:  0 image written and self-check passed, 1 self-check failed,
 *        2 usage or I/O error
 */
#include <stddef.h>
#include <stdint.h>

#include "hvcov/hvcov.h"
#include "sys.h"
#include "workload.h"

#ifndef PRODUCER_UNITS
#error "PRODUCER_UNITS: the number of instrumented workload units"
#endif

/* Defined by producer.ld around everything the program loads. */
extern char producer_image_start[];
extern char producer_image_end[];
extern const char __hvcov_gcov_info_start[];
extern const char __hvcov_gcov_info_end[];

struct gcov_info_prefix {
	uint32_t version;
	struct gcov_info_prefix *next;
};

static unsigned failures;

static __attribute__((noreturn)) void sys_exit(int status)
{
	for (;;)
		sys_call4(SYS_EXIT_GROUP, status, 0, 0, 0);
}

static size_t text_length(const char *text)
{
	size_t length = 0;

	while (text[length])
		length++;
	return length;
}

static void say(const char *text)
{
	sys_call4(SYS_WRITE, 1, (long)text, (long)text_length(text), 0);
}

static void check(int ok, const char *what)
{
	say(ok ? "ok: " : "FAIL: ");
	say(what);
	say("\n");
	if (!ok)
		failures++;
}

static int parse_unsigned(const char *text, unsigned base, uint64_t *value)
{
	uint64_t result = 0;

	if (!*text)
		return -1;
	for (; *text; text++) {
		unsigned digit;

		if (*text >= '0' && *text <= '9')
			digit = (unsigned)(*text - '0');
		else if (*text >= 'a' && *text <= 'f')
			digit = (unsigned)(*text - 'a' + 10);
		else
			return -1;
		if (digit >= base)
			return -1;
		result = result * base + digit;
	}
	*value = result;
	return 0;
}

static unsigned expected_machine(void)
{
#if defined(__x86_64__)
	return HVCOV_MACHINE_X86_64;
#elif defined(__aarch64__)
	return HVCOV_MACHINE_AARCH64;
#else
	return HVCOV_MACHINE_ARM;
#endif
}

/* The list (constructor mode) or the section (info-section mode) must hold
 * exactly the instrumented units, each with the descriptor's version. */
static void check_registration(const struct hvcov_descriptor *d)
{
	const struct gcov_info_prefix *info;
	const struct gcov_info_prefix *const *entry;
	unsigned listed = 0, in_section = 0, versions_ok = 1;

	for (info = (const void *)(uintptr_t)d->gcov_info_head;
	     info && listed <= PRODUCER_UNITS; info = info->next) {
		listed++;
		versions_ok &= info->version == d->gcov_version;
	}
	for (entry = (const void *)(uintptr_t)d->info_section_start.value;
	     entry < (const struct gcov_info_prefix *const *)(uintptr_t)
			     d->info_section_end.value;
	     entry++) {
		in_section++;
		versions_ok &= (*entry)->version == d->gcov_version;
	}
#ifdef PRODUCER_MODE_SECTION
	check(listed == 0 && d->registered == 0,
	      "section mode: no constructor registered anything");
	check(in_section == PRODUCER_UNITS,
	      "section mode: .gcov_info holds every unit");
#else
	check(listed == PRODUCER_UNITS, "list holds every unit");
	check(d->registered == PRODUCER_UNITS, "registered counts every unit");
	check(in_section == 0, "constructor mode: .gcov_info is empty");
#endif
	check(versions_ok, "every gcov_info has the descriptor's version");
}

static void check_descriptor(const struct hvcov_descriptor *d, uint64_t boot_id)
{
	const char magic[] = HVCOV_MAGIC;
	int magic_ok = 1;

	for (unsigned i = 0; i < HVCOV_MAGIC_SIZE; i++)
		magic_ok &= d->magic[i] == magic[i];
	check(magic_ok, "magic");
	check(d->format_version == HVCOV_FORMAT_VERSION, "format version");
	check(d->descriptor_size == HVCOV_DESCRIPTOR_SIZE, "descriptor size");
	check(d->machine == expected_machine(), "machine");
	check(d->pointer_size == sizeof(void *), "pointer size");
	check(d->byte_order == HVCOV_LITTLE_ENDIAN, "byte order");
	check((d->gcov_version >> 24) >= '4', "gcov version word");
	check(d->descriptor_address == (uintptr_t)d, "descriptor address");
	check(d->link_base == (uintptr_t)producer_image_start, "link base");
	check(d->image_size ==
		      (uintptr_t)(producer_image_end - producer_image_start),
	      "image size");
	check(d->info_section_start.value ==
			      (uintptr_t)__hvcov_gcov_info_start &&
		      d->info_section_end.value ==
			      (uintptr_t)__hvcov_gcov_info_end,
	      "section bounds");
	check(d->boot_id == boot_id, "boot id");
	check(d->state == HVCOV_STATE_RUNNING, "state running after init");
	check(*(const uint64_t *)(uintptr_t)d->check_bss.value ==
			      HVCOV_CHECK_VALUE(boot_id) &&
		      *(const uint64_t *)(uintptr_t)d->check_data.value ==
			      HVCOV_CHECK_VALUE(boot_id) &&
		      *(const uint64_t *)(uintptr_t)d->check_rodata.value ==
			      HVCOV_CHECK_RODATA,
	      "check words hold their values");
	check(d->check_bss.value >= (uintptr_t)producer_image_start &&
		      d->check_rodata.value < (uintptr_t)producer_image_end,
	      "check words inside the image");
	check_registration(d);
}

static int write_image(const char *path)
{
	const char *next = producer_image_start;
	long fd = sys_call4(SYS_OPENAT, PRODUCER_AT_FDCWD, (long)path,
			    PRODUCER_O_WRONLY_CREAT_TRUNC, 0644);

	if (fd < 0)
		return -1;
	while (next < producer_image_end) {
		long done = sys_call4(SYS_WRITE, fd, (long)next,
				      producer_image_end - next, 0);

		if (done <= 0)
			return -1;
		next += done;
	}
	return sys_call4(SYS_CLOSE, fd, 0, 0, 0) < 0 ? -1 : 0;
}

void producer_main(long *stack)
{
	long argc = stack[0];
	char **argv = (char **)(stack + 1);
	uint64_t seed = 0, boot_id = 0;

	if (argc != 4 || parse_unsigned(argv[2], 10, &seed) ||
	    parse_unsigned(argv[3], 16, &boot_id)) {
		say("usage: producer OUTFILE SEED BOOT_ID_HEX\n");
		sys_exit(2);
	}

	hvcov_init(producer_image_start,
		   (uintptr_t)(producer_image_end - producer_image_start),
		   boot_id);
	check_descriptor(&hvcov_descriptor, boot_id);
	workload_run((uint32_t)seed);
	hvcov_disable();
	check(hvcov_descriptor.state == HVCOV_STATE_DISABLED,
	      "state disabled after hvcov_disable");

	if (write_image(argv[1])) {
		say("producer: cannot write the image\n");
		sys_exit(2);
	}
	sys_exit(failures ? 1 : 0);
}
