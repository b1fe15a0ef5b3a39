/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * hvcov verify: is this image from this build?  Compares the image with the
 * hypervisor's ELF (--elf) and each object's stamp with its .gcno, lists
 * what it compared, and writes nothing.
 */
#include <stdio.h>
#include <stdlib.h>

#include "build-checks.h"
#include "image-json.h"
#include "options.h"
#include "source/source.h"

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
	      " -q, --quiet         print nothing on success\n"
	      " -v, --verbose       list every check (the default)\n"
	      " -j, --json          print the result, each section's and each\n"
	      "                     object's check and the image's and ELF's\n"
	      "                     facts as JSON (mismatches stay on stderr)\n"
	      " -h, --help          display this help\n"
	      " -V, --version       display version\n",
	      stdout);
}

enum { OPT_REQUIRE_GCNO = 0x200 };

struct verify_cli {
	struct verify_options options;
	bool json, quiet, verbose;
};

static bool verify_option(void *context, int option, const char *value,
			  struct error *err)
{
	struct verify_cli *cli = context;

	(void)value;
	switch (option) {
	case 'j':
		cli->json = true;
		/* JSON alone on stdout: no listing. */
		cli->options.list = false;
		return true;
	case 'q':
		cli->quiet = true;
		cli->options.list = false;
		return true;
	case 'v':
		cli->verbose = true;
		return true;
	case OPT_REQUIRE_GCNO:
		cli->options.require_gcno = true;
		return true;
	default:
		return error_set(err, HVCOV_EXIT_SYSTEM, "invalid option");
	}
}

int cmd_verify(int argc, char **argv)
{
	static const struct option own[] = {
		{ "require-gcno", no_argument, NULL, OPT_REQUIRE_GCNO },
		{ "json", no_argument, NULL, 'j' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "verbose", no_argument, NULL, 'v' },
		{ NULL, 0, NULL, 0 },
	};
	struct verify_cli cli = { .options = { .list = true } };
	struct cli_output output = { 0 };
	const struct cli_spec spec = { .name = "verify",
				       .short_options = "jqv",
				       .long_options = own,
				       .usage = usage,
				       .option = verify_option,
				       .context = &cli,
				       .output = &output };
	struct source source = { 0 };
	struct image image;
	struct model model;
	int status = cli_parse(&spec, argc, argv, &source);

	if (status >= 0)
		return status;
	if (cli.quiet + cli.verbose + cli.json > 1)
		return usage_error("verify",
				   "-q, -v and --json exclude each other");
	cli.options.place.root = output.dir;
	cli.options.place.strip = output.strip;
	/* The checks' results are known before the document's head may be
	 * written (it says whether verify passed): collect them. */
	char *sections = NULL, *objects = NULL;
	size_t sections_size = 0, objects_size = 0;
	if (cli.json) {
		cli.options.sections_json =
			open_memstream(&sections, &sections_size);
		cli.options.objects_json =
			open_memstream(&objects, &objects_size);
		if (!cli.options.sections_json || !cli.options.objects_json) {
			perror("hvcov: verify --json");
			if (cli.options.sections_json)
				fclose(cli.options.sections_json);
			if (cli.options.objects_json)
				fclose(cli.options.objects_json);
			free(sections);
			free(objects);
			return HVCOV_EXIT_SYSTEM;
		}
	}
	status = read_verified(&cli.options, &source, true, &image, &model);
	if (cli.json) {
		/* Both closed, whatever the first gives. */
		bool sections_ok = fclose(cli.options.sections_json) == 0;
		bool objects_ok = fclose(cli.options.objects_json) == 0;
		bool collected = sections_ok && objects_ok;

		if (!collected) {
			free(sections);
			free(objects);
			perror("hvcov: verify --json");
			if (!status) {
				image_free(&image);
				model_free(&model);
			}
			return HVCOV_EXIT_SYSTEM;
		}
		/* A document either way, so a script always has one to read;
		 * the image's facts only when it was read and checked. */
		json_document_head(stdout, "hvcov verify");
		printf(",\n  \"verify\": \"%s\",\n  \"exit_status\": %d",
		       status ? "failed" : "passed", status);
		/* null: that check did not run (no --elf, or an earlier
		 * error). */
		printf(",\n  \"sections\": %s,\n  \"objects\": %s",
		       sections_size ? sections : "null",
		       objects_size ? objects : "null");
		free(sections);
		free(objects);
		if (!status) {
			fputs(",\n  \"image\": ", stdout);
			json_image_facts(stdout, &source, &image, &model);
			fputs(",\n  \"elf\": ", stdout);
			json_elf_facts(stdout, &source, true);
		}
		fputs("\n}\n", stdout);
	}
	if (status)
		return status;
	image_free(&image);
	model_free(&model);
	return fflush(stdout) ? HVCOV_EXIT_SYSTEM : HVCOV_EXIT_OK;
}
