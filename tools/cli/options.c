/* SPDX-License-Identifier: BSD-2-Clause */
#ifdef HAVE_CONFIG_H
#include <config.h>
#endif

#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>

#include "gcov/gcc-layout.h"
#include "options.h"
#include "write/hostgcov.h"
#include "write/outpath.h"

void print_version(void)
{
	uint32_t versions[32];
	size_t n = hostgcov_releases(versions, 32);
	char text[32];

	printf("hvcov %s (gcov version word 0x%08x)\n", PACKAGE_VERSION,
	       (unsigned)HVCOV_HOST_GCOV_VERSION);
	/* The releases whose images it can write: its own libgcov, then
	 * the per-release helpers found. */
	printf("writes .gcda files of:");
	for (size_t i = 0; i < n; i++)
		printf(" GCC %s (0x%08x%s)%s",
		       gcc_version_text(versions[i], text, sizeof(text)),
		       (unsigned)versions[i], i ? ", helper" : ", linked",
		       i + 1 < n ? "," : "");
	printf("\n");
}

void warning(const char *format, ...)
{
	va_list args;

	fputs("hvcov: warning: ", stderr);
	va_start(args, format);
	vfprintf(stderr, format, args);
	va_end(args);
	fputc('\n', stderr);
}

int report_error(const struct error *err)
{
	fprintf(stderr, "hvcov: %s\n", err->text);
	return err->status == HVCOV_EXIT_OK ? HVCOV_EXIT_SYSTEM : err->status;
}

int usage_error(const char *command, const char *message)
{
	fprintf(stderr, "hvcov: %s\n", message);
	fprintf(stderr, "Try 'hvcov %s --help' for more information.\n",
		command);
	return HVCOV_EXIT_SYSTEM;
}

/* Room for the shared and the command's own long options. */
#define CLI_MAX_LONG_OPTIONS 32

static const struct option shared_options[] = {
	SOURCE_LONG_OPTIONS,
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
};

static const struct option output_options[] = {
	{ "output", required_argument, NULL, 'o' },
	{ "strip", required_argument, NULL, 's' },
};

static bool output_option(struct cli_output *output, int option,
			  const char *value, struct error *err)
{
	uint64_t strip;

	if (option == 'o') {
		output->dir = value;
		return true;
	}
	if (!parse_decimal_u64(value, &strip) || strip > UINT_MAX)
		return error_set(err, HVCOV_EXIT_SYSTEM,
				 "invalid --strip value");
	output->strip = (unsigned)strip;
	return true;
}

/* Hand one option's value to the part that owns the option. */
static bool take_option(const struct cli_spec *spec, struct source *source,
			int option, const char *value, struct error *err)
{
	if (source_is_option(option))
		return source_option(source, option, value, err);
	if (spec->output && (option == 'o' || option == 's'))
		return output_option(spec->output, option, value, err);
	return spec->option(spec->context, option, value, err);
}

static bool add_options(struct option *options, size_t *n,
			const struct option *more, size_t count)
{
	for (size_t i = 0; i < count; i++) {
		if (*n == CLI_MAX_LONG_OPTIONS)
			return false;
		options[(*n)++] = more[i];
	}
	return true;
}

int cli_parse(const struct cli_spec *spec, int argc, char **argv,
	      struct source *source)
{
	struct option options[CLI_MAX_LONG_OPTIONS + 1] = { { 0 } };
	char short_options[64];
	struct error err = { 0 };
	size_t n = 0, own = 0;
	int option, length;

	while (spec->long_options && spec->long_options[own].name)
		own++;
	length = snprintf(short_options, sizeof(short_options), "i:%s%shV",
			  spec->output ? "o:s:" : "", spec->short_options);
	/* A table too large for the arrays is a bug in the command. */
	if (!add_options(options, &n, shared_options,
			 sizeof(shared_options) / sizeof(shared_options[0])) ||
	    (spec->output && !add_options(options, &n, output_options,
					  sizeof(output_options) /
						  sizeof(output_options[0]))) ||
	    !add_options(options, &n, spec->long_options, own) || length < 0 ||
	    (size_t)length >= sizeof(short_options))
		return usage_error(spec->name, "too many options (a bug)");
	while ((option = getopt_long(argc, argv, short_options, options,
				     NULL)) != -1) {
		switch (option) {
		case 'h':
			spec->usage();
			return HVCOV_EXIT_OK;
		case 'V':
			print_version();
			return HVCOV_EXIT_OK;
		case '?':
			return usage_error(spec->name, "invalid option");
		default:
			if (!take_option(spec, source, option, optarg, &err))
				return usage_error(spec->name, err.text);
		}
	}
	/* 'hvcov info ram.img': a single operand names the image, as -i
	 * does, when no other option named the source. */
	if (argc - optind == 1 && !source->path && !source->core &&
	    !source->has_phys) {
		if (!source_option(source, SOURCE_OPT_IMAGE, argv[optind],
				   &err))
			return usage_error(spec->name, err.text);
		optind++;
	}
	if (optind < argc) {
		char quoted[256];

		/* With no source named, the first operand would be the
		 * image: the second is the one too many. */
		if (argc - optind > 1 && !source->path && !source->core &&
		    !source->has_phys)
			optind++;
		outpath_quote(argv[optind], quoted, sizeof(quoted));
		snprintf(err.text, sizeof(err.text),
			 "unexpected argument %s (the source is named once)",
			 quoted);
		return usage_error(spec->name, err.text);
	}
	if (!source_check(source, &err))
		return usage_error(spec->name, err.text);
	return -1;
}
