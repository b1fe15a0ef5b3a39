/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * hvcov extract: decode an image and have the host libgcov write its .gcda
 * files.  All checks happen before the first file is written: a refused
 * image leaves the output tree untouched.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/json.h"
#include "build-checks.h"
#include "gcov/reader.h"
#include "hvcov/descriptor.h"
#include "image-json.h"
#include "options.h"
#include "source/source.h"
#include "write/writer.h"
#include "llvm/profraw.h"

static void usage(void)
{
	fputs("Usage:\n"
	      " hvcov extract [options] [SOURCE]\n"
	      "\n"
	      "Write the image's gcov counters as .gcda files, through the\n"
	      "host's libgcov, at the paths compiled into the image.\n"
	      "\n" SOURCE_USAGE "\n"
	      "Options:\n"
	      " -o, --output DIR    write below DIR, mirroring each absolute\n"
	      "                     path (default: in place, in the build tree)\n"
	      " -s, --strip N       drop N leading directories of each path\n"
	      " -m, --merge         add to existing .gcda files instead of\n"
	      "                     replacing them; the same run is refused twice\n"
	      "     --allow-running extract from a hypervisor that is still\n"
	      "                     running (a warning; by default an error)\n"
	      " -q, --quiet         print nothing on success\n"
	      " -v, --verbose       first list what was checked, as hvcov\n"
	      "                     verify does (each section with --elf, each\n"
	      "                     object's .gcno)\n"
	      " -j, --json          on success, print what was read and written\n"
	      "                     as JSON (the facts of hvcov report's\n"
	      "                     manifest)\n"
	      "\n"
	      "A clang image (source-based coverage) gives one raw profile per\n"
	      "boot, DIR/hvcov-BOOTID.profraw (DIR: -o, default .), for\n"
	      "llvm-profdata merge; --merge and --strip do not apply to it.\n"
	      "\n"
	      "With --elf, nothing is written unless the image's read-only\n"
	      "sections equal the ELF's and every object's stamp equals its\n"
	      ".gcno's (see hvcov verify):\n"
	      "     --force         warn about a mismatch and extract anyway\n"
	      "     --require-gcno  a missing .gcno is an error\n"
	      " -h, --help          display this help\n"
	      " -V, --version       display version\n",
	      stdout);
}

/* The image's facts (its size and SHA-256 among them) as JSON text, taken
 * while the image's bytes are still held; NULL when memory is short. */
static char *image_facts(const struct source *source, const struct image *image,
			 const struct model *model)
{
	char *text = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&text, &len);

	if (!out)
		return NULL;
	json_image_facts(out, source, image, model);
	if (fclose(out) != 0) {
		free(text);
		return NULL;
	}
	return text;
}

static void print_json(const struct source *source, const char *image,
		       const struct cli_output *output,
		       const struct writer_report *report)
{
	json_document_head(stdout, "hvcov extract");
	fputs(",\n  \"image\": ", stdout);
	fputs(image, stdout);
	fputs(",\n  \"elf\": ", stdout);
	/* With --elf, nothing is written unless verify's checks passed. */
	json_elf_facts(stdout, source, true);
	fputs(",\n  \"destination\": ", stdout);
	if (output->dir)
		json_string(stdout, output->dir);
	else
		fputs("null", stdout);
	printf(",\n  \"strip\": %u,\n  \"files\": %zu,\n  \"merged\": %zu,\n"
	       "  \"held\": %zu,\n  \"functions\": %" PRIu64
	       ",\n  \"counters\": %" PRIu64 "\n}\n",
	       output->strip, report->files, report->merged, report->held,
	       report->functions, report->counters);
}

enum { OPT_FORCE = 0x200, OPT_REQUIRE_GCNO, OPT_ALLOW_RUNNING };

struct extract_options {
	struct writer_options write;
	struct verify_options verify;
	bool quiet;
	bool verbose;
	bool json;
	bool allow_running;
};

static bool extract_option(void *context, int option, const char *value,
			   struct error *err)
{
	struct extract_options *options = context;

	(void)value;
	switch (option) {
	case 'm':
		options->write.merge = true;
		return true;
	case 'q':
		options->quiet = true;
		return true;
	case 'v':
		options->verbose = true;
		return true;
	case 'j':
		options->json = true;
		return true;
	case OPT_FORCE:
		options->verify.force = true;
		return true;
	case OPT_REQUIRE_GCNO:
		options->verify.require_gcno = true;
		return true;
	case OPT_ALLOW_RUNNING:
		options->allow_running = true;
		return true;
	default:
		return error_set(err, HVCOV_EXIT_SYSTEM, "invalid option");
	}
}

/* A clang image: its profile sections as one .profraw for this boot. */
static int extract_profraw(const struct extract_options *options,
			   const struct cli_output *output,
			   const struct image *image,
			   const struct header *header)
{
	struct profraw profile;
	struct error err = { 0 };
	char path[4096];

	if (options->write.merge || output->strip)
		return usage_error(
			"extract",
			"--merge and --strip do not apply to a clang image: it gives one .profraw per boot, for llvm-profdata merge");
	if (header->state == HVCOV_STATE_RUNNING)
		fprintf(stderr,
			"hvcov: warning: %s: the hypervisor is still running; counters may change while they are read\n",
			image->source);
	if (!profraw_build(image, header, &profile, &err) ||
	    !profraw_write(output->dir ? output->dir : ".", header->boot_id,
			   &profile, path, sizeof(path), &err)) {
		free(profile.bytes);
		return report_error(&err);
	}
	free(profile.bytes);
	if (!options->quiet)
		printf("hvcov: wrote %s (raw profile version %u: %" PRIu64
		       " functions, %" PRIu64 " counters, %" PRIu64
		       " MC/DC bitmap bytes) from %s\n",
		       path, profile.raw_version, profile.functions,
		       profile.counters, profile.bitmap_bytes, image->source);
	return HVCOV_EXIT_OK;
}

int cmd_extract(int argc, char **argv)
{
	static const struct option own[] = {
		{ "merge", no_argument, NULL, 'm' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "json", no_argument, NULL, 'j' },
		{ "force", no_argument, NULL, OPT_FORCE },
		{ "require-gcno", no_argument, NULL, OPT_REQUIRE_GCNO },
		{ "allow-running", no_argument, NULL, OPT_ALLOW_RUNNING },
		{ NULL, 0, NULL, 0 },
	};
	struct extract_options options = { 0 };
	struct cli_output output = { 0 };
	const struct cli_spec spec = { .name = "extract",
				       .short_options = "mqvj",
				       .long_options = own,
				       .usage = usage,
				       .option = extract_option,
				       .context = &options,
				       .output = &output };
	struct writer_report report = { 0 };
	struct source source = { 0 };
	struct error err = { 0 };
	struct header header;
	struct image image;
	struct model model;
	char name[sizeof(image.source)], *facts = NULL;
	int status = cli_parse(&spec, argc, argv, &source);

	if (status >= 0)
		return status;
	if ((options.verify.force || options.verify.require_gcno) &&
	    !source.elf)
		return usage_error(
			"extract",
			"--force and --require-gcno apply to the --elf checks");
	if (options.quiet + options.verbose + options.json > 1)
		return usage_error("extract",
				   "-q, -v and --json exclude each other");
	options.verify.list = options.verbose;
	options.write.output_root = output.dir;
	options.write.strip = output.strip;
	options.verify.place.root = output.dir;
	options.verify.place.strip = output.strip;
	/* The stamps are compared with the .gcno files that exist even
	 * without --elf: a .gcda of another build beside this build's .gcno
	 * is one gcov ignores, a report silently without those runs.  Only
	 * --elf makes a missing .gcno worth a warning. */
	options.verify.stamps_only = !source.elf;
	/* The model's counters are the image's own bytes where they can be
	 * (host byte order): no second copy of every counter. */
	source.lend_counters = true;
	status = read_verified_header(&options.verify, &source, true, &image,
				      &model, &header);
	if (status)
		return status;
	if (header.format_version == HVCOV_FORMAT_VERSION_LLVM) {
		status = extract_profraw(&options, &output, &image, &header);
		image_free(&image);
		model_free(&model);
		return status;
	}

	if (model.state == HVCOV_STATE_UNINITIALISED) {
		error_set(
			&err, HVCOV_EXIT_DATA,
			"%s: the hypervisor has not run hvcov_init(): no counters to extract",
			image.source);
	} else if (model.state == HVCOV_STATE_RUNNING &&
		   !options.allow_running) {
		/* Counters read while they tick are no evidence: a warning
		 * with exit 0 goes unseen in a CI log.  hvcov snapshot is
		 * the tool for a running hypervisor (untorn reads). */
		error_set(
			&err, HVCOV_EXIT_DATA,
			"%s: the hypervisor is still running (run hvcov_disable() first, use hvcov snapshot, or pass --allow-running)",
			image.source);
	} else {
		/* A core is a copy made at one moment: nothing moves while
		 * it is read, but the counts need not be final. */
		if (model.state == HVCOV_STATE_RUNNING && source.core)
			warning("%s: the hypervisor was running when the core was taken; the counts are those of that moment, not final ones",
				image.source);
		else if (model.state == HVCOV_STATE_RUNNING)
			warning("%s: the hypervisor is still running; counters may change while they are read",
				image.source);
		/* The image goes before the libgcov child is forked, so
		 * that neither process carries both it and the model (issue
		 * 18: peak RSS).  The counters the reader lent out of it
		 * become the model's own first, the image's pages given
		 * back as the copy passes them: of the image, only the
		 * counters are kept, not the gcov structures the model
		 * already holds decoded nor, in a RAM window, the rest of
		 * the hypervisor. */
		if (options.json &&
		    !(facts = image_facts(&source, &image, &model)))
			error_errno(&err, "cannot hold the image's facts");
		if (!err.status && model.lent_size)
			reader_take_counters(&image, &model, &err);
		if (!model.lent_size) {
			memcpy(name, image.source, sizeof(name));
			image_free(&image);
			memcpy(image.source, name, sizeof(name));
		}
		if (!err.status)
			writer_write(&model, &options.write, &report, &err);
	}
	status = err.status ? report_error(&err) : HVCOV_EXIT_OK;
	if (!status && options.json)
		print_json(&source, facts, &output, &report);
	else if (!status && !options.quiet)
		printf("hvcov: wrote %zu .gcda file%s (%zu merged, %" PRIu64
		       " functions, %" PRIu64 " counters) from %s %s%s\n",
		       report.files, report.files == 1 ? "" : "s",
		       report.merged, report.functions, report.counters,
		       image.source,
		       output.dir
			       ? "below "
			       : "in place, at the paths compiled into the image",
		       output.dir ? output.dir : "");
	if (!status && !options.quiet && !options.json && report.held)
		printf("hvcov: left %zu .gcda file%s alone: %s already held this run (an interrupted earlier --merge)\n",
		       report.held, report.held == 1 ? "" : "s",
		       report.held == 1 ? "it" : "they");
	free(facts);
	image_free(&image);
	model_free(&model);
	return status;
}
