/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * hvcov info: what an image holds, for a person (a table) or a script
 * (--json).  Read-only: it writes nothing but its report.
 */
#ifdef HAVE_CONFIG_H
#include <config.h>
#endif

#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/json.h"
#include "base/sha256.h"
#include "gcov/coverage-stats.h"
#include "gcov/gcc-layout.h"
#include "hvcov/descriptor.h"
#include "image/arch.h"
#include "options.h"
#include "source/source.h"
#include "write/outpath.h"
#include "llvm/profraw.h"

static const char *state_meaning(uint32_t state)
{
	switch (state) {
	case HVCOV_STATE_UNINITIALISED:
		return "hvcov_init() has not run";
	case HVCOV_STATE_RUNNING:
		return "counters may still change";
	case HVCOV_STATE_DISABLED:
		return "counters are final";
	default:
		return "not a state hvcov defines";
	}
}

/* "GCC 12.2 (0x4232322a)"; the word alone if it is not a GCC version. */
static void version_text(uint32_t version, char *buf, size_t size)
{
	char gcc[16];

	if (gcc_version_decode(version, &(unsigned){ 0 }, &(unsigned){ 0 }))
		snprintf(buf, size, "GCC %s (0x%08" PRIx32 ")",
			 gcc_version_text(version, gcc, sizeof(gcc)), version);
	else
		snprintf(buf, size, "0x%08" PRIx32, version);
}

static uint32_t model_version(const struct model *model)
{
	return model->n_objects ? model->objects[0].version
				: model->gcov_version;
}

/* A name from the image as the table shows it:
 * as is when it is plain printable ASCII, else quoted with every other byte
 * escaped (outpath_quote, as in error messages), so that no escape sequence or newline reaches the terminal and
 * no name can forge a row. */
static void print_name(const char *name)
{
	size_t len;
	char *quoted;

	if (!name)
		name = "(no name)";
	len = strlen(name);
	if (!name[strcspn(name, "\"")]) {
		bool plain = true;

		for (const unsigned char *c = (const unsigned char *)name; *c;
		     c++)
			plain = plain && *c >= 0x20 && *c < 0x7f;
		if (plain) {
			fputs(name, stdout);
			return;
		}
	}
	quoted = malloc(4 * len + 3);
	if (!quoted) {
		fputs("(name not shown: out of memory)", stdout);
		return;
	}
	fputs(outpath_quote(name, quoted, 4 * len + 3), stdout);
	free(quoted);
}

static void print_table(const char *source, const struct header *header,
			const struct model *model, const struct profraw *llvm)
{
	struct coverage_stats total = { 0 };
	char version[128], placement[160];

	if (llvm)
		snprintf(
			version, sizeof(version),
			"clang %u.%u.%u, source-based coverage (raw profile version %u)",
			header->clang_version >> 16,
			(header->clang_version >> 8) & 0xff,
			header->clang_version & 0xff, llvm->raw_version);
	else
		version_text(model_version(model), version, sizeof(version));
	printf("Source:        %s\n", source);
	if (model->header == MODEL_HEADER_HVCOV)
		printf("Header:        hvcov descriptor at offset 0x%" PRIx64
		       "\n",
		       header->header_offset);
	else
		printf("Header:        Jailhouse at offset 0x%" PRIx64 "\n",
		       header->header_offset);
	printf("Architecture:  %s (ELF machine %u), %u-bit %s-endian\n",
	       arch_name(model->machine), model->machine,
	       model->pointer_size * 8u, model->big_endian ? "big" : "little");
	printf("Compiler:      %s\n", version);
	printf("Link base:     0x%" PRIx64 "\n", model->link_base);
	printf("Image size:    %" PRIu64 " bytes\n", model->image_size);
	if (model->header == MODEL_HEADER_HVCOV)
		printf("Boot id:       0x%" PRIx64 "\n", model->boot_id);
	printf("State:         %s (%s)\n", header_state_name(model->state),
	       state_meaning(model->state));
	header_placement_text(header, placement, sizeof(placement));
	printf("Placement:     %s\n", placement);
	if (llvm) {
		printf("Profile:       %" PRIu64 " functions, %" PRIu64
		       " counters (%" PRIu64 " non-zero), %" PRIu64
		       " MC/DC bitmap bytes\n",
		       llvm->functions, llvm->counters, llvm->counters_hit,
		       llvm->bitmap_bytes);
		return;
	}
	printf("Objects:       %zu found\n", model->n_objects);
	if (model->header == MODEL_HEADER_HVCOV && header->list_head == 0 &&
	    header->section_start != header->section_end)
		printf("Registered:    %" PRIu32
		       " (info-section mode: the objects come from .gcov_info, no constructor registers them)\n",
		       header->registered);
	else if (model->header == MODEL_HEADER_HVCOV)
		printf("Registered:    %" PRIu32
		       " (__gcov_init() calls at hvcov_init())\n",
		       header->registered);
	putchar('\n');

	printf("%9s %9s %9s %15s  %s\n", "functions", "counters", "arcs",
	       "arcs executed", "object");
	for (size_t i = 0; i < model->n_objects; i++) {
		struct coverage_stats stats;

		coverage_stats_object(&model->objects[i], &stats);
		coverage_stats_add(&total, &stats);
		printf("%9" PRIu64 " %9" PRIu64 " %9" PRIu64 " %14.2f%%  ",
		       stats.functions, stats.counters, stats.arcs,
		       coverage_stats_percent(&stats));
		print_name(model->objects[i].filename);
		putchar('\n');
	}
	printf("%9" PRIu64 " %9" PRIu64 " %9" PRIu64
	       " %14.2f%%  total (%" PRIu64 " of %" PRIu64 " arcs executed)\n",
	       total.functions, total.counters, total.arcs,
	       coverage_stats_percent(&total), total.arcs_executed, total.arcs);
}

static void print_json(const char *source, const struct header *header,
		       const struct model *model, const struct profraw *llvm)
{
	struct coverage_stats total = { 0 };
	char version[64];

	version_text(model_version(model), version, sizeof(version));
	printf("{\n  \"schema_version\": %d,\n  \"hvcov_version\": ",
	       HVCOV_JSON_SCHEMA);
	json_string(stdout, PACKAGE_VERSION);
	printf(",\n  \"source\": ");
	json_string(stdout, source);
	printf(",\n  \"header\": \"%s\",\n  \"header_offset\": %" PRIu64 ",\n",
	       model->header == MODEL_HEADER_HVCOV ? "hvcov" : "jailhouse",
	       header->header_offset);
	printf("  \"architecture\": \"%s\",\n  \"machine\": %u,\n",
	       arch_name(model->machine), model->machine);
	printf("  \"pointer_size\": %u,\n  \"byte_order\": \"%s\",\n",
	       model->pointer_size, model->big_endian ? "big" : "little");
	printf("  \"gcov_version\": %" PRIu32 ",\n  \"compiler\": ",
	       model_version(model));
	json_string(stdout, version);
	printf(",\n  \"link_base\": ");
	json_hex64(stdout, model->link_base);
	printf(",\n  \"image_size\": %" PRIu64 ",\n  \"boot_id\": ",
	       model->image_size);
	json_hex64(stdout, model->boot_id);
	printf(",\n  \"state\": \"%s\",\n", header_state_name(model->state));
	printf("  \"format_version\": %" PRIu32
	       ",\n  \"placement_proven\": %s,\n",
	       header->format_version,
	       header->checks_proven ? "true" : "false");
	/* A Jailhouse header keeps no count of registrations. */
	if (model->header == MODEL_HEADER_HVCOV)
		printf("  \"registered\": %" PRIu32 ",\n", header->registered);
	else
		printf("  \"registered\": null,\n");
	if (llvm)
		printf("  \"clang_version\": \"%u.%u.%u\",\n"
		       "  \"raw_profile_version\": %u,\n"
		       "  \"profile\": {\"functions\": %" PRIu64
		       ", \"counters\": %" PRIu64
		       ", \"counters_nonzero\": %" PRIu64
		       ", \"bitmap_bytes\": %" PRIu64 "},\n",
		       header->clang_version >> 16,
		       (header->clang_version >> 8) & 0xff,
		       header->clang_version & 0xff, llvm->raw_version,
		       llvm->functions, llvm->counters, llvm->counters_hit,
		       llvm->bitmap_bytes);
	printf("  \"objects\": [");
	for (size_t i = 0; i < model->n_objects; i++) {
		const struct model_object *object = &model->objects[i];
		struct coverage_stats stats;

		coverage_stats_object(object, &stats);
		coverage_stats_add(&total, &stats);
		printf("%s\n    {\"filename\": ", i ? "," : "");
		json_string(stdout, object->filename);
		printf(", \"stamp\": %" PRIu32 ", \"checksum\": %" PRIu32
		       ", \"functions\": %" PRIu64
		       ", \"placeholders\": %" PRIu64 ", \"counters\": %" PRIu64
		       ", \"arcs\": %" PRIu64 ", \"arcs_executed\": %" PRIu64
		       "}",
		       object->stamp, object->checksum, stats.functions,
		       stats.placeholders, stats.counters, stats.arcs,
		       stats.arcs_executed);
	}
	printf("\n  ],\n  \"total\": {\"objects\": %zu, \"functions\": %" PRIu64
	       ", \"counters\": %" PRIu64 ", \"arcs\": %" PRIu64
	       ", \"arcs_executed\": %" PRIu64 ", \"arcs_percent\": %.2f}\n}\n",
	       model->n_objects, total.functions, total.counters, total.arcs,
	       total.arcs_executed, coverage_stats_percent(&total));
}

static void usage(void)
{
	fputs("Usage:\n"
	      " hvcov info [options] [SOURCE]\n"
	      "\n"
	      "Show an image's header, architecture, compiler, objects and\n"
	      "how many of their arcs were executed.\n"
	      "\n" SOURCE_USAGE "\n"
	      "Options:\n"
	      " -j, --json          machine-readable output\n"
	      " -q, --quiet         print nothing: the exit status says whether\n"
	      "                     the image is valid (warnings stay)\n"
	      " -v, --verbose       also the bytes read and their SHA-256\n"
	      " -h, --help          display this help\n"
	      " -V, --version       display version\n",
	      stdout);
}

struct info_cli {
	bool json, quiet, verbose;
};

static bool info_option(void *context, int option, const char *value,
			struct error *err)
{
	struct info_cli *cli = context;

	(void)value;
	switch (option) {
	case 'j':
		cli->json = true;
		return true;
	case 'q':
		cli->quiet = true;
		return true;
	case 'v':
		cli->verbose = true;
		return true;
	default:
		return error_set(err, HVCOV_EXIT_SYSTEM, "invalid option");
	}
}

int cmd_info(int argc, char **argv)
{
	static const struct option own[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "verbose", no_argument, NULL, 'v' },
		{ NULL, 0, NULL, 0 },
	};
	struct source source = { 0 };
	struct error err = { 0 };
	struct image image;
	struct header header;
	struct model model;
	struct profraw profile = { 0 };
	struct info_cli cli = { 0 };
	const struct cli_spec spec = { .name = "info",
				       .short_options = "jqv",
				       .long_options = own,
				       .usage = usage,
				       .option = info_option,
				       .context = &cli };
	int status = cli_parse(&spec, argc, argv, &source);

	if (status >= 0)
		return status;
	if (cli.quiet + cli.verbose + cli.json > 1)
		return usage_error("info",
				   "-q, -v and --json exclude each other");
	if (!source_read(&source, &image, &header, &model, &err))
		return report_error(&err);

	if (header.format_version == HVCOV_FORMAT_VERSION_LLVM &&
	    !profraw_build(&image, &header, &profile, &err)) {
		image_free(&image);
		model_free(&model);
		return report_error(&err);
	}
	if (cli.json)
		print_json(image.source, &header, &model,
			   profile.bytes ? &profile : NULL);
	else if (!cli.quiet)
		print_table(image.source, &header, &model,
			    profile.bytes ? &profile : NULL);
	free(profile.bytes);
	if (cli.verbose) {
		char sha[65];

		sha256_hex(image.buffer, image.buffer_size, sha);
		printf("\nBytes read:    %zu, SHA-256 %s\n", image.buffer_size,
		       sha);
	}
	/* The most common integration mistakes end here, with an image that
	 * is valid and empty. */
	if (model.header == MODEL_HEADER_HVCOV && !profile.bytes &&
	    model.state != HVCOV_STATE_UNINITIALISED && model.n_objects == 0)
		warning("%s: hvcov_init() ran but registered no object: no unit was compiled with HVCOV_CFLAGS (count the build's .gcno files with hvcov-check-build; an 'override CFLAGS' ignores 'CFLAGS +='), or the linker script collects .init_array before hvcov.lds, so hvcov_init() found no constructor",
			image.source);
	image_free(&image);
	model_free(&model);
	return fflush(stdout) ? HVCOV_EXIT_SYSTEM : HVCOV_EXIT_OK;
}
