/* SPDX-License-Identifier: BSD-2-Clause */
#ifdef HAVE_CONFIG_H
#include <config.h>
#endif

#include <stdio.h>

#include "cli.h"

void print_version(void)
{
	printf("hvcov %s (gcov version word 0x%08x)\n", PACKAGE_VERSION,
	       (unsigned)HVCOV_HOST_GCOV_VERSION);
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

/* Room for the command's own long options besides the shared ones. */
#define CLI_MAX_LONG_OPTIONS 32

int cli_parse(const struct cli_spec *spec, int argc, char **argv,
	      struct source *source)
{
	static const struct option shared[] = {
		SOURCE_LONG_OPTIONS,
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
	};
	struct option options[CLI_MAX_LONG_OPTIONS + 1] = { { 0 } };
	char short_options[64];
	struct error err = { 0 };
	size_t n = 0;
	int option;

	for (size_t i = 0; i < sizeof(shared) / sizeof(shared[0]); i++)
		options[n++] = shared[i];
	for (const struct option *o = spec->long_options; o && o->name; o++)
		if (n < CLI_MAX_LONG_OPTIONS)
			options[n++] = *o;
	snprintf(short_options, sizeof(short_options), "i:%shV",
		 spec->short_options);
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
			if (source_is_option(option) ?
				    !source_option(source, option, optarg,
						   &err) :
				    !spec->option(spec->context, option,
						  optarg, &err))
				return usage_error(spec->name, err.text);
		}
	}
	if (optind < argc)
		return usage_error(spec->name, "unexpected argument");
	if (!source_check(source, &err))
		return usage_error(spec->name, err.text);
	return -1;
}
