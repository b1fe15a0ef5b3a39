/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * hvcov verify: is this image from this build?  Compares the image with the
 * hypervisor's ELF (--elf) and each object's stamp with its .gcno, lists
 * what it compared, and writes nothing.
 */
#include <stdio.h>

#include "source/source.h"
#include "build-checks.h"
#include "options.h"

static void usage(void)
{
	fputs("Usage:\n"
	      " hvcov verify [options] [SOURCE]\n"
	      "\n"
	      "Check that the image comes from the build at hand: its read-only\n"
	      "sections against the hypervisor ELF (--elf) and each object's\n"
	      "stamp against the .gcno of its .gcda path.\n"
	      "\n" SOURCE_USAGE "\n"
	      "Options:\n"
	      " -o, --output DIR    look for .gcno files where 'extract -o DIR'\n"
	      "                     puts the .gcda files, then in the build tree\n"
	      " -s, --strip N       as extract --strip\n"
	      "     --require-gcno  a missing .gcno is an error\n"
	      " -h, --help          display this help\n"
	      " -V, --version       display version\n",
	      stdout);
}

enum { OPT_REQUIRE_GCNO = 0x200 };

static bool verify_option(void *context, int option, const char *value,
			  struct error *err)
{
	bool *require_gcno = context;

	(void)value;
	if (option != OPT_REQUIRE_GCNO)
		return error_set(err, HVCOV_EXIT_SYSTEM, "invalid option");
	*require_gcno = true;
	return true;
}

int cmd_verify(int argc, char **argv)
{
	static const struct option own[] = {
		{ "require-gcno", no_argument, NULL, OPT_REQUIRE_GCNO },
		{ NULL, 0, NULL, 0 },
	};
	struct verify_options options = { .list = true };
	struct cli_output output = { 0 };
	const struct cli_spec spec = { .name = "verify",
				       .short_options = "",
				       .long_options = own,
				       .usage = usage,
				       .option = verify_option,
				       .context = &options.require_gcno,
				       .output = &output };
	struct source source = { 0 };
	struct image image;
	struct model model;
	int status = cli_parse(&spec, argc, argv, &source);

	if (status >= 0)
		return status;
	options.place.root = output.dir;
	options.place.strip = output.strip;
	status = read_verified(&options, &source, true, &image, &model);
	if (status)
		return status;
	image_free(&image);
	model_free(&model);
	return fflush(stdout) ? HVCOV_EXIT_SYSTEM : HVCOV_EXIT_OK;
}
