/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * hvcov extract: decode an image and have the host libgcov write its .gcda
 * files.  All checks happen before the first file is written: a refused
 * image leaves the output tree untouched.
 */
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>

#include "cli-source.h"
#include "cli.h"
#include "hvcov/descriptor.h"
#include "writer.h"

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
	      " -q, --quiet         print nothing on success\n"
	      " -h, --help          display this help\n"
	      " -V, --version       display version\n",
	      stdout);
}

int cmd_extract(int argc, char **argv)
{
	static const struct option options[] = {
		SOURCE_LONG_OPTIONS,
		{ "output", required_argument, NULL, 'o' },
		{ "strip", required_argument, NULL, 's' },
		{ "merge", no_argument, NULL, 'm' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	struct writer_options write = { 0 };
	struct writer_report report = { 0 };
	struct source source = { 0 };
	struct error err = { 0 };
	struct image image;
	struct header header;
	struct model model;
	bool quiet = false;
	uint64_t strip;
	int option, status;

	while ((option = getopt_long(argc, argv, "i:o:s:mqhV", options,
				     NULL)) != -1) {
		switch (option) {
		case 'o':
			write.output_root = optarg;
			break;
		case 's':
			if (!parse_u64(optarg, &strip) || strip > UINT_MAX)
				return usage_error("extract",
						   "invalid --strip value");
			write.strip = (unsigned)strip;
			break;
		case 'm':
			write.merge = true;
			break;
		case 'q':
			quiet = true;
			break;
		case 'h':
			usage();
			return HVCOV_EXIT_OK;
		case 'V':
			print_version();
			return HVCOV_EXIT_OK;
		case '?':
			return usage_error("extract", "invalid option");
		default:
			if (!source_option(&source, option, optarg, &err))
				return usage_error("extract", err.text);
		}
	}
	if (optind < argc)
		return usage_error("extract", "unexpected argument");
	if (!source_check(&source, &err))
		return usage_error("extract", err.text);
	if (!source_read(&source, &image, &header, &model, &err))
		return report_error(&err);

	if (model.state == HVCOV_STATE_UNINITIALISED) {
		error_set(&err, HVCOV_EXIT_DATA,
			  "%s: the hypervisor has not run hvcov_init(): "
			  "no counters to extract",
			  image.source);
	} else {
		if (model.state == HVCOV_STATE_RUNNING)
			fprintf(stderr,
				"hvcov: warning: %s: the hypervisor is still "
				"running; counters may change while they are "
				"read\n",
				image.source);
		writer_write(&model, &write, &report, &err);
	}
	status = err.status ? report_error(&err) : HVCOV_EXIT_OK;
	if (!status && !quiet)
		printf("hvcov: wrote %zu .gcda file%s (%zu merged, %" PRIu64
		       " functions, %" PRIu64 " counters) from %s\n",
		       report.files, report.files == 1 ? "" : "s",
		       report.merged, report.functions, report.counters,
		       image.source);
	if (!status && !quiet && report.held)
		printf("hvcov: left %zu .gcda file%s alone: %s already held "
		       "this run (an interrupted earlier --merge)\n",
		       report.held, report.held == 1 ? "" : "s",
		       report.held == 1 ? "it" : "they");
	image_free(&image);
	model_free(&model);
	return status;
}
