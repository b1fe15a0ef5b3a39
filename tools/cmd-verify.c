/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * hvcov verify: is this image from this build?  Compares the image with the
 * hypervisor's ELF (--elf) and each object's stamp with its .gcno, lists
 * what it compared, and writes nothing.
 */
#include <limits.h>
#include <stdio.h>

#include "cli-source.h"
#include "cli-verify.h"
#include "cli.h"

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
	struct verify_options *options = context;
	uint64_t strip;

	switch (option) {
	case 'o':
		options->place.root = value;
		return true;
	case 's':
		if (!parse_u64(value, &strip) || strip > UINT_MAX)
			return error_set(err, HVCOV_EXIT_SYSTEM,
					 "invalid --strip value");
		options->place.strip = (unsigned)strip;
		return true;
	case OPT_REQUIRE_GCNO:
		options->require_gcno = true;
		return true;
	default:
		return error_set(err, HVCOV_EXIT_SYSTEM, "invalid option");
	}
}

int cmd_verify(int argc, char **argv)
{
	static const struct option own[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "strip", required_argument, NULL, 's' },
		{ "require-gcno", no_argument, NULL, OPT_REQUIRE_GCNO },
		{ NULL, 0, NULL, 0 },
	};
	struct verify_options options = { .list = true };
	const struct cli_spec spec = { "verify", "o:s:", own, usage,
				       verify_option, &options };
	struct source source = { 0 };
	struct error err = { 0 };
	struct elf_image elf;
	struct image image;
	struct header header;
	struct model model;
	int status = cli_parse(&spec, argc, argv, &source);

	if (status >= 0)
		return status;
	if (!source_read_elf(&source, &image, &header, &model, &elf, &err))
		return report_error(&err);
	status = verify_build(&options, source.elf ? &elf : NULL, &image,
			      &model);
	elf_image_close(&elf);
	image_free(&image);
	model_free(&model);
	if (fflush(stdout) && !status)
		status = HVCOV_EXIT_SYSTEM;
	return status;
}
