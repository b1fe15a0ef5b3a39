/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * hvcov report: the HTML report of a build tree and the .gcda files hvcov
 * extracted, with no data handling in shell.  Each .gcda is paired with
 * its .gcno by path and checked by stamp (report/pairing.c); gcov must be
 * the objects' GCC release; lcov and genhtml run as argument vectors in the
 * C locale, each status checked; the totals come from the tracefile's
 * records.  Every report carries manifest.json (what it was made from and
 * how) and the essentials of it on its index page.
 */
#ifdef HAVE_CONFIG_H
#include <config.h>
#endif

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "base/fdio.h"
#include "base/json.h"
#include "base/sha256.h"
#include "build-checks.h"
#include "gcov/gcc-layout.h"
#include "image-json.h"
#include "image/arch.h"
#include "options.h"
#include "report/cobertura.h"
#include "report/extras.h"
#include "report/gcovr-summary.h"
#include "report/pairing.h"
#include "report/run.h"
#include "report/tracefile.h"
#include "report/tree.h"
#include "report/workdir.h"
#include "write/outpath.h"

static void usage(void)
{
	fputs("Usage:\n"
	      " hvcov report [options] -b BUILD_DIR\n"
	      "\n"
	      "Render the coverage of a build tree and its extracted .gcda\n"
	      "files as an HTML report (lcov and genhtml), with a manifest of\n"
	      "where it came from.\n"
	      "\n"
	      "Options:\n"
	      " -b, --build-dir DIR   the build tree: its .gcno files (required)\n"
	      " -g, --gcda-dir DIR    the .gcda files: a tree written by 'hvcov\n"
	      "                       extract -o', or the build tree (default)\n"
	      " -o, --output DIR      where the report goes (default: hvcov-report)\n"
	      "     --gcov PROGRAM    the gcov of the objects' GCC (default: gcov)\n"
	      "     --gcovr           render with gcovr instead of lcov and genhtml\n"
	      " -t, --title TEXT      the report's title\n"
	      " -i, --image FILE      the image the .gcda files were extracted\n"
	      "                       from (and the other SOURCE options of\n"
	      "                       hvcov extract, --elf among them): its\n"
	      "                       objects must be the .gcda files', and\n"
	      "                       its facts go into the manifest\n"
	      "     --no-baseline     leave out objects that have no .gcda\n"
	      "     --list-prime-paths  render nothing; print each prime path of\n"
	      "                       the paired objects (GCC 15 -fpath-coverage)\n"
	      "                       as a line: covered or uncovered, the .gcno,\n"
	      "                       function ident, name and path id, by tabs\n"
	      "     --exclude PATTERN leave out source files whose absolute path\n"
	      "                       matches the shell PATTERN (lcov --exclude;\n"
	      "                       repeatable); LCOV_EXCL markers are honoured\n"
	      "     --fail-under-line P      exit 1 when line coverage is below P%\n"
	      "     --fail-under-function P  the same for functions\n"
	      "     --fail-under-branch P    the same for branches\n"
	      "     --fail-under-condition P the same for MC/DC conditions (the\n"
	      "                       data must have them)\n"
	      " -q, --quiet           print nothing on success\n"
	      " -v, --verbose         print each command before it runs\n"
	      " -h, --help            display this help\n"
	      " -V, --version         display version\n",
	      stdout);
}

enum {
	OPT_GCOV = 0x300,
	OPT_NO_BASELINE,
	OPT_FAIL_LINE,
	OPT_FAIL_FUNCTION,
	OPT_FAIL_BRANCH,
	OPT_FAIL_CONDITION,
	OPT_EXCLUDE,
	OPT_GCOVR,
	OPT_LIST_PATHS,
};

enum gate { GATE_LINE, GATE_FUNCTION, GATE_BRANCH, GATE_CONDITION, GATES };

static const char *const gate_name[GATES] = { "line", "function", "branch",
					      "condition" };

/* lcov's --exclude patterns one report passes on. */
#define REPORT_MAX_EXCLUDE 32

struct report_options {
	const char *build, *gcda, *output, *gcov, *title;
	const char *exclude[REPORT_MAX_EXCLUDE];
	size_t n_exclude;
	bool no_baseline, quiet, verbose, gcovr, list_paths;
	bool has_source;
	struct source source;
	bool has_gate[GATES];
	uint32_t gate[GATES]; /* hundredths of a percent */
};

/* A percentage as typed: digits, at most two decimals, at most 100; kept
 * in hundredths so that the comparison is exact. */
static bool parse_percent(const char *text, uint32_t *hundredths)
{
	uint32_t whole = 0, fraction = 0, digits = 0;
	const char *c = text;

	if (!*c)
		return false;
	for (; *c >= '0' && *c <= '9'; c++) {
		whole = whole * 10 + (uint32_t)(*c - '0');
		if (whole > 100)
			return false;
	}
	if (c == text)
		return false;
	if (*c == '.') {
		for (c++; *c >= '0' && *c <= '9' && digits < 2; c++, digits++)
			fraction = fraction * 10 + (uint32_t)(*c - '0');
		if (!digits)
			return false;
		if (digits == 1)
			fraction *= 10;
	}
	if (*c)
		return false;
	*hundredths = whole * 100 + fraction;
	return *hundredths <= 10000;
}

/* The commands run, for the manifest: each an argument vector. */
struct command_log {
	char **argv[8];
	size_t n;
};

static void log_command(struct command_log *log, char **argv, bool verbose)
{
	if (log->n < sizeof(log->argv) / sizeof(log->argv[0]))
		log->argv[log->n++] = argv;
	if (verbose) {
		char quoted[512];

		fputs("hvcov: running", stderr);
		for (size_t i = 0; argv[i]; i++)
			fprintf(stderr, " %s",
				outpath_quote(argv[i], quoted, sizeof(quoted)));
		fputc('\n', stderr);
	}
}

/* "12.2" of "gcov (Debian 12.2.0-14) 12.2.0": the last word of the first
 * line, its first two numbers. */
static bool tool_release(const char *text, unsigned *major, unsigned *minor)
{
	const char *end = strchr(text, '\n'), *word;

	if (!end)
		end = text + strlen(text);
	for (word = end; word > text && word[-1] != ' '; word--)
		;
	return sscanf(word, "%u.%u", major, minor) == 2;
}

static void first_line(char *text)
{
	text[strcspn(text, "\n")] = '\0';
}

static char *join(const char *a, const char *b)
{
	char *s = malloc(strlen(a) + strlen(b) + 2);

	if (s)
		sprintf(s, "%s/%s", a, b);
	return s;
}

static bool make_dirs(const char *path, struct error *err)
{
	char *copy = strdup(path);
	char quoted[256];
	bool ok = true;

	if (!copy)
		return error_set(err, HVCOV_EXIT_SYSTEM, "out of memory");
	for (char *p = copy + 1; ok && *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(copy, 0777) != 0 && errno != EEXIST)
			ok = false;
		*p = '/';
	}
	if (ok && mkdir(copy, 0777) != 0 && errno != EEXIST)
		ok = false;
	free(copy);
	if (!ok)
		return error_errno(err, "cannot create %s",
				   outpath_quote(path, quoted, sizeof(quoted)));
	return true;
}

/* What the manifest says about the image and the ELF (-i, --elf). */
struct image_facts {
	char *json, *elf_json; /* json_image_facts, json_elf_facts */
	bool present, elf_verified;
	char sha256[65], elf_sha256[65], compiler[64];
	uint64_t size, link_base, boot_id;
	const char *state, *architecture;
	size_t objects;
};

struct facts {
	struct image_facts image;
	char gcov[256], lcov[256], genhtml[256], gcovr[256], time[32];
	char lcov_rc[64];
	const struct report_pairs *pairs;
	struct command_log commands;
	struct trace_totals totals;
	bool gate_failed[GATES];
	/* MC/DC and prime paths as gcov counts them from the files; mcdc:
	 * lcov and genhtml take --mcdc-coverage (lcov 2.2 and later). */
	struct report_extras extras;
	bool mcdc;
	char not_shown[384]; /* why the renderer shows no conditions */
};

static void json_command(FILE *out, char **argv)
{
	fputc('[', out);
	for (size_t i = 0; argv[i]; i++) {
		if (i)
			fputs(", ", out);
		json_string(out, argv[i]);
	}
	fputc(']', out);
}

static void json_total(FILE *out, const char *name, uint64_t hit,
		       uint64_t total, bool last)
{
	fprintf(out,
		"    \"%s\": {\"hit\": %" PRIu64 ", \"total\": %" PRIu64
		"}%s\n",
		name, hit, total, last ? "" : ",");
}

/* The condition figure the summary line, the manifest and the gate use:
 * the renderer's when it shows conditions, else gcov's count from the
 * files (the report then says that the HTML lacks them). */
static uint64_t condition_hit(const struct facts *f)
{
	return f->totals.has_conditions && f->totals.conditions
		       ? f->totals.conditions_hit
		       : f->extras.conditions_hit;
}

static uint64_t condition_total(const struct facts *f)
{
	return f->totals.has_conditions && f->totals.conditions
		       ? f->totals.conditions
		       : f->extras.conditions;
}

/* conditions or prime_paths in the manifest's totals: null when the
 * objects were not compiled to measure them (never 0 of 0), else the
 * figure, who counted it, whether the HTML shows it, and gcov's own count
 * from the files. */
static void json_extra(FILE *out, const char *name, uint64_t gcov_hit,
		       uint64_t gcov_total, uint64_t hit, uint64_t total,
		       const char *shown_by, const char *not_shown, bool last)
{
	fprintf(out, "    \"%s\": ", name);
	if (!gcov_total) {
		fprintf(out, "null%s\n", last ? "" : ",");
		return;
	}
	fprintf(out,
		"{\"hit\": %" PRIu64 ", \"total\": %" PRIu64
		", \"counted_by\": ",
		hit, total);
	json_string(out, shown_by ? shown_by : "gcov");
	fprintf(out, ", \"in_html\": %s", shown_by ? "true" : "false");
	if (!shown_by) {
		fputs(", \"not_in_html_because\": ", out);
		json_string(out, not_shown);
	}
	fprintf(out,
		", \"gcov_count\": {\"hit\": %" PRIu64 ", \"total\": %" PRIu64
		"}}%s\n",
		gcov_hit, gcov_total, last ? "" : ",");
}

static bool write_manifest(const struct report_options *o,
			   const struct facts *f, const char *path,
			   struct error *err)
{
	char *tmp_path = join(o->output, ".manifest.json.tmp");
	FILE *out;
	char quoted[256];

	if (!tmp_path)
		return error_set(err, HVCOV_EXIT_SYSTEM, "out of memory");
	if (!(out = fopen(tmp_path, "w"))) {
		free(tmp_path);
		return error_errno(err, "cannot write %s",
				   outpath_quote(path, quoted, sizeof(quoted)));
	}
	json_document_head(out, "hvcov report");
	fputs(",\n  \"time\": ", out);
	json_string(out, f->time);
	fputs(",\n  \"build_dir\": ", out);
	json_string(out, o->build);
	fputs(",\n  \"gcda_dir\": ", out);
	json_string(out, o->gcda);
	fputs(",\n  \"image\": ", out);
	fputs(f->image.json ? f->image.json : "null", out);
	fputs(",\n  \"elf\": ", out);
	fputs(f->image.elf_json ? f->image.elf_json : "null", out);
	fputs(",\n  \"tools\": {\n    \"gcov\": ", out);
	json_string(out, f->gcov);
	if (o->gcovr) {
		fputs(",\n    \"gcovr\": ", out);
		json_string(out, f->gcovr);
	} else {
		fputs(",\n    \"lcov\": ", out);
		json_string(out, f->lcov);
		fputs(",\n    \"genhtml\": ", out);
		json_string(out, f->genhtml);
	}
	fputs("\n  },\n  \"commands\": [", out);
	for (size_t i = 0; i < f->commands.n; i++) {
		fputs(i ? ",\n    " : "\n    ", out);
		json_command(out, f->commands.argv[i]);
	}
	fputs("\n  ],\n  \"objects\": [", out);
	for (size_t i = 0; i < f->pairs->n; i++) {
		const struct report_pair *pair = &f->pairs->pair[i];
		char gcc[16];

		fputs(i ? ",\n    {\"gcno\": " : "\n    {\"gcno\": ", out);
		json_string(out, pair->gcno);
		fputs(", \"gcda\": ", out);
		if (pair->gcda)
			json_string(out, pair->gcda);
		else
			fputs("null", out);
		fputs(", \"gcc\": ", out);
		json_string(out,
			    gcc_version_text(pair->version, gcc, sizeof(gcc)));
		fprintf(out, ", \"stamp\": \"0x%08x\", \"stamp_checked\": %s}",
			(unsigned)pair->stamp, pair->gcda ? "true" : "false");
	}
	fprintf(out, "\n  ],\n  \"files\": %" PRIu64 ",\n  \"totals\": {\n",
		f->totals.files);
	json_total(out, "lines", f->totals.lines_hit, f->totals.lines, false);
	json_total(out, "functions", f->totals.functions_hit,
		   f->totals.functions, false);
	json_total(out, "branches", f->totals.branches_hit, f->totals.branches,
		   false);
	json_extra(out, "conditions", f->extras.conditions_hit,
		   f->extras.conditions, condition_hit(f), condition_total(f),
		   f->totals.has_conditions && f->totals.conditions
			   ? (o->gcovr ? "gcovr" : "lcov")
			   : NULL,
		   f->not_shown, false);
	json_extra(
		out, "prime_paths", f->extras.paths_hit, f->extras.paths,
		f->extras.paths_hit, f->extras.paths, NULL,
		"neither lcov (1.16 to 2.5) nor gcovr (5.2 to 8.7) shows prime paths",
		true);
	fputs("  },\n  \"thresholds\": {", out);
	for (int g = 0, first = 1; g < GATES; g++) {
		if (!o->has_gate[g])
			continue;
		fprintf(out,
			"%s\n    \"%s\": {\"percent\": \"%u.%02u\", \"met\": %s}",
			first ? "" : ",", gate_name[g],
			(unsigned)(o->gate[g] / 100),
			(unsigned)(o->gate[g] % 100),
			f->gate_failed[g] ? "false" : "true");
		first = 0;
	}
	fputs("\n  }\n}\n", out);
	if (!report_replace_file(out, true, tmp_path, path))
		return error_errno(err, "cannot write %s",
				   outpath_quote(path, quoted, sizeof(quoted)));
	return true;
}

static void html_text(FILE *out, const char *text)
{
	for (const char *c = text; *c; c++) {
		if (*c == '<')
			fputs("&lt;", out);
		else if (*c == '>')
			fputs("&gt;", out);
		else if (*c == '&')
			fputs("&amp;", out);
		else if (*c == '"')
			fputs("&quot;", out);
		else
			fputc(*c, out);
	}
}

/* The manifest's essentials at the top of genhtml's index page. */
static bool mark_index(const struct report_options *o, const struct facts *f,
		       const char *index, struct error *err)
{
	FILE *in = fopen(index, "r"), *out;
	char *tmp_path = join(o->output, ".index.html.tmp");
	char *line = NULL, quoted[256];
	size_t cap = 0;
	bool done = false, ok;

	if (!in || !tmp_path || !(out = fopen(tmp_path, "w"))) {
		if (in)
			fclose(in);
		free(tmp_path);
		return error_errno(
			err, "cannot rewrite %s",
			outpath_quote(index, quoted, sizeof(quoted)));
	}
	while (getline(&line, &cap, in) > 0) {
		fputs(line, out);
		/* genhtml starts the line with <body, gcovr indents it. */
		if (done || strncmp(line + strspn(line, " \t"), "<body", 5))
			continue;
		fputs("<div class=\"hvcov-provenance\" style=\"font-family: sans-serif; font-size: 90%; margin: 0.5em; padding: 0.5em; border: 1px solid #888\">\n<b>Made by hvcov ",
		      out);
		html_text(out, PACKAGE_VERSION);
		fprintf(out, "</b> at ");
		html_text(out, f->time);
		fputs(" from the .gcda files in <code>", out);
		html_text(out, o->gcda);
		fputs("</code> and the build tree <code>", out);
		html_text(out, o->build);
		fprintf(out,
			"</code>: %zu objects ran, %zu never ran; every .gcda's stamp equals its .gcno's.<br>\n",
			f->pairs->n_paired, f->pairs->n - f->pairs->n_paired);
		if (f->image.present) {
			fputs("Image <code>", out);
			html_text(out, source_name(&o->source));
			fprintf(out,
				"</code>: SHA-256 %s, boot id 0x%016" PRIx64
				", state %s; its objects are these .gcda files'",
				f->image.sha256, f->image.boot_id,
				f->image.state);
			if (o->source.elf) {
				fputs("; ELF <code>", out);
				html_text(out, o->source.elf);
				fprintf(out, "</code> (SHA-256 %s): verify %s",
					f->image.elf_sha256,
					f->image.elf_verified ? "passed"
							      : "not run");
			}
			fputs(".<br>\n", out);
		}
		fputs("Tools: ", out);
		html_text(out, f->gcov);
		fputs("; ", out);
		html_text(out, o->gcovr ? f->gcovr : f->lcov);
		if (!o->gcovr) {
			fputs("; ", out);
			html_text(out, f->genhtml);
		}
		fputs(".", out);
		/* What the pages below cannot show, with gcov's figure. */
		if (f->extras.conditions && f->not_shown[0]) {
			fprintf(out,
				"<br>\nMC/DC conditions: %" PRIu64
				" of %" PRIu64
				" outcomes covered (gcov's count); not shown below: ",
				f->extras.conditions_hit, f->extras.conditions);
			html_text(out, f->not_shown);
			fputs(".", out);
		}
		if (f->extras.paths)
			fprintf(out,
				"<br>\nPrime paths: %" PRIu64 " of %" PRIu64
				" covered (gcov's count); neither lcov nor gcovr shows them.",
				f->extras.paths_hit, f->extras.paths);
		fputs(" The commands, stamps and totals are in <a href=\"manifest.json\">manifest.json</a>.\n</div>\n",
		      out);
		done = true;
	}
	free(line);
	ok = done && !ferror(in);
	fclose(in);
	if (!report_replace_file(out, ok, tmp_path, index))
		return error_set(err, HVCOV_EXIT_DATA,
				 "%s: no <body> to mark with the provenance",
				 outpath_quote(index, quoted, sizeof(quoted)));
	return true;
}

static bool report_option(struct report_options *o, int option,
			  const char *value, struct error *err)
{
	int gate = -1;

	switch (option) {
	case 'b':
		o->build = value;
		return true;
	case 'g':
		o->gcda = value;
		return true;
	case 'o':
		o->output = value;
		return true;
	case 't':
		o->title = value;
		return true;
	case 'q':
		o->quiet = true;
		return true;
	case 'v':
		o->verbose = true;
		return true;
	case OPT_GCOV:
		o->gcov = value;
		return true;
	case OPT_NO_BASELINE:
		o->no_baseline = true;
		return true;
	case OPT_GCOVR:
		o->gcovr = true;
		return true;
	case OPT_LIST_PATHS:
		o->list_paths = true;
		return true;
	case OPT_EXCLUDE:
		if (o->n_exclude == REPORT_MAX_EXCLUDE)
			return error_set(err, HVCOV_EXIT_SYSTEM,
					 "more than %d --exclude patterns",
					 REPORT_MAX_EXCLUDE);
		o->exclude[o->n_exclude++] = value;
		return true;
	case OPT_FAIL_LINE:
		gate = GATE_LINE;
		break;
	case OPT_FAIL_FUNCTION:
		gate = GATE_FUNCTION;
		break;
	case OPT_FAIL_BRANCH:
		gate = GATE_BRANCH;
		break;
	case OPT_FAIL_CONDITION:
		gate = GATE_CONDITION;
		break;
	default:
		return error_set(err, HVCOV_EXIT_SYSTEM, "invalid option");
	}
	if (!parse_percent(value, &o->gate[gate]))
		return error_set(
			err, HVCOV_EXIT_SYSTEM,
			"invalid --fail-under-%s (a percentage, 0 to 100, at most two decimals)",
			gate_name[gate]);
	o->has_gate[gate] = true;
	return true;
}

static int parse(struct report_options *o, int argc, char **argv)
{
	static const struct option options[] = {
		{ "build-dir", required_argument, NULL, 'b' },
		{ "gcda-dir", required_argument, NULL, 'g' },
		{ "output", required_argument, NULL, 'o' },
		{ "title", required_argument, NULL, 't' },
		{ "gcov", required_argument, NULL, OPT_GCOV },
		{ "no-baseline", no_argument, NULL, OPT_NO_BASELINE },
		{ "gcovr", no_argument, NULL, OPT_GCOVR },
		{ "list-prime-paths", no_argument, NULL, OPT_LIST_PATHS },
		{ "exclude", required_argument, NULL, OPT_EXCLUDE },
		{ "fail-under-line", required_argument, NULL, OPT_FAIL_LINE },
		{ "fail-under-function", required_argument, NULL,
		  OPT_FAIL_FUNCTION },
		{ "fail-under-branch", required_argument, NULL,
		  OPT_FAIL_BRANCH },
		{ "fail-under-condition", required_argument, NULL,
		  OPT_FAIL_CONDITION },
		{ "quiet", no_argument, NULL, 'q' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		SOURCE_LONG_OPTIONS,
		{ NULL, 0, NULL, 0 },
	};
	struct error err = { 0 };
	int option;

	while ((option = getopt_long(argc, argv, "b:g:o:t:i:qvhV", options,
				     NULL)) != -1) {
		switch (option) {
		case 'h':
			usage();
			return HVCOV_EXIT_OK;
		case 'V':
			print_version();
			return HVCOV_EXIT_OK;
		case '?':
			return usage_error("report", "invalid option");
		default:
			if (source_is_option(option)) {
				o->has_source = true;
				if (!source_option(&o->source, option, optarg,
						   &err))
					return usage_error("report", err.text);
			} else if (!report_option(o, option, optarg, &err)) {
				return usage_error("report", err.text);
			}
		}
	}
	if (o->has_source && !source_check(&o->source, &err))
		return usage_error("report", err.text);
	if (optind < argc)
		return usage_error(
			"report", "unexpected argument (the build tree is -b)");
	if (!o->build)
		return usage_error("report", "no build tree (-b DIR)");
	if (!*o->build || (o->gcda && !*o->gcda) || !*o->output)
		return usage_error("report", "an empty directory name");
	/* gcovr's --exclude is a regular expression, lcov's a shell
	 * pattern: one option must not mean two things. */
	if (o->gcovr && o->n_exclude)
		return usage_error(
			"report",
			"--exclude is lcov's shell pattern; it is not passed to gcovr, whose filters are regular expressions");
	if (!o->gcda)
		o->gcda = o->build;
	return -1;
}

static double percent(uint64_t hit, uint64_t total)
{
	return total ? 100.0 * (double)hit / (double)total : 0.0;
}

/* The tool's argument vectors; each is logged for the manifest before it
 * runs. */
static bool run_logged(struct facts *f, char **argv, bool verbose,
		       const char *dir, int log_fd, struct error *err)
{
	log_command(&f->commands, argv, verbose);
	return report_run(argv, dir, log_fd, err);
}

/* The image (and ELF) the .gcda files came from: read as extract reads it,
 * verified against the ELF when one is named, its objects matched with
 * the pairs.  Returns the exit status, the error already printed. */
static int read_image(const struct report_options *o,
		      const struct report_pairs *pairs,
		      struct image_facts *facts)
{
	struct verify_options verify = { 0 };
	struct image image;
	struct model model;
	struct error err = { 0 };
	uint32_t version;
	char gcc[16];
	int status = read_verified(&verify, &o->source, false, &image, &model);

	if (status)
		return status;
	facts->present = true;
	facts->elf_verified = o->source.elf != NULL;
	facts->size = image.buffer_size;
	sha256_hex(image.buffer, image.buffer_size, facts->sha256);
	facts->link_base = model.link_base;
	facts->boot_id = model.boot_id;
	facts->state = header_state_name(model.state);
	facts->architecture = arch_name(model.machine);
	facts->objects = model.n_objects;
	version =
		model.n_objects ? model.objects[0].version : model.gcov_version;
	snprintf(facts->compiler, sizeof(facts->compiler), "GCC %s",
		 gcc_version_text(version, gcc, sizeof(gcc)));
	if (o->source.elf && !sha256_file_hex(o->source.elf, facts->elf_sha256))
		error_errno(&err, "cannot read %s", o->source.elf);
	{
		size_t size;
		FILE *out = open_memstream(&facts->json, &size);

		if (out) {
			json_image_facts(out, &o->source, &image, &model);
			fclose(out);
		}
		out = open_memstream(&facts->elf_json, &size);
		if (out) {
			json_elf_facts(out, &o->source, facts->elf_verified);
			fclose(out);
		}
		if (!facts->json || !facts->elf_json)
			error_set(&err, HVCOV_EXIT_SYSTEM, "out of memory");
	}
	if (!err.status)
		report_match_image(&model, pairs, &err);
	image_free(&image);
	model_free(&model);
	return err.status ? report_error(&err) : HVCOV_EXIT_OK;
}

/* Each threshold against the totals. */
static void apply_gates(const struct report_options *o, struct facts *f)
{
	const struct trace_totals *t = &f->totals;
	const uint64_t hit[GATES] = { t->lines_hit, t->functions_hit,
				      t->branches_hit, condition_hit(f) };
	const uint64_t total[GATES] = { t->lines, t->functions, t->branches,
					condition_total(f) };

	for (int g = 0; g < GATES; g++)
		f->gate_failed[g] = o->has_gate[g] &&
				    !trace_meets(hit[g], total[g], o->gate[g]);
}

/* The report replaces what genhtml writes, directories included, so the
 * output must be empty or an earlier report (its manifest.json says so):
 * never a build or source tree whose directories share genhtml's names. */
/* The first line of report.log, which marks it as hvcov's. */
#define REPORT_LOG_HEAD "hvcov report log\n"

/* Is output/report.log one a run of hvcov report wrote? */
static bool log_is_ours(const char *output)
{
	char *path = join(output, "report.log");
	char head[sizeof(REPORT_LOG_HEAD)] = "";
	int fd = path ? open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW) : -1;
	ssize_t got = fd >= 0 ? read(fd, head, sizeof(head) - 1) : -1;

	if (fd >= 0)
		close(fd);
	free(path);
	return got == (ssize_t)strlen(REPORT_LOG_HEAD) &&
	       !memcmp(head, REPORT_LOG_HEAD, (size_t)got);
}

static bool output_is_ours(const char *output, struct error *err)
{
	DIR *d = opendir(output);
	struct dirent *entry;
	bool empty = true, manifest = false;
	char quoted[256];

	if (!d)
		return error_errno(
			err, "cannot read %s",
			outpath_quote(output, quoted, sizeof(quoted)));
	while ((entry = readdir(d))) {
		/* A work directory an interrupted run left is no content. */
		if (!strcmp(entry->d_name, ".") ||
		    !strcmp(entry->d_name, "..") ||
		    !strncmp(entry->d_name, REPORT_WORK_PREFIX,
			     strlen(REPORT_WORK_PREFIX)))
			continue;
		/* Nor is the log a failed run left: the directory stays
		 * usable for the run after the fix. */
		if (!strcmp(entry->d_name, "report.log") && log_is_ours(output))
			continue;
		empty = false;
		if (!strcmp(entry->d_name, "manifest.json"))
			manifest = true;
	}
	closedir(d);
	if (!empty && manifest) {
		char *path = join(output, "manifest.json");
		char head[256] = "";
		FILE *f = path ? fopen(path, "r") : NULL;

		if (f) {
			size_t got = fread(head, 1, sizeof(head) - 1, f);

			head[got] = '\0';
			fclose(f);
		}
		free(path);
		manifest =
			strstr(head, "\"generator\": \"hvcov report\"") != NULL;
	}
	if (!empty && !manifest)
		return error_set(
			err, HVCOV_EXIT_SYSTEM,
			"%s is neither empty nor an earlier hvcov report: choose another -o",
			outpath_quote(output, quoted, sizeof(quoted)));
	return true;
}

/* The new report is complete in the work tree: move everything of the
 * earlier one (output_is_ours made sure the directory holds nothing else)
 * aside into trash, so that no page of a source file no longer reported,
 * or of the other renderer, survives into this report.  The work tree goes
 * with the trash at the end. */
static bool clear_earlier_report(const char *output, const char *trash,
				 struct error *err)
{
	DIR *d = opendir(output);
	struct dirent *entry;
	unsigned long n = 0;
	char quoted[256], name[32];
	bool ok = true;

	if (!d || (mkdir(trash, 0700) != 0 && errno != EEXIST)) {
		if (d)
			closedir(d);
		return error_errno(
			err, "cannot replace the report in %s",
			outpath_quote(output, quoted, sizeof(quoted)));
	}
	while (ok && (entry = readdir(d))) {
		char *from, *to;

		if (!strcmp(entry->d_name, ".") ||
		    !strcmp(entry->d_name, "..") ||
		    !strncmp(entry->d_name, REPORT_WORK_PREFIX,
			     strlen(REPORT_WORK_PREFIX)) ||
		    !strcmp(entry->d_name, "report.log"))
			continue;
		snprintf(name, sizeof(name), "earlier-%lu", n++);
		from = join(output, entry->d_name);
		to = join(trash, name);
		if (!from || !to)
			ok = error_set(err, HVCOV_EXIT_SYSTEM, "out of memory");
		else if (rename(from, to) != 0)
			ok = error_errno(
				err,
				"cannot move the earlier report's %s aside",
				outpath_quote(from, quoted, sizeof(quoted)));
		free(from);
		free(to);
	}
	closedir(d);
	return ok;
}

/* lcov 2.2 and later capture and render MC/DC with --mcdc-coverage, and
 * lcov 1.16 rejects the switch, so asking is the test: the version text is
 * no guide (Debian's lcov 2.3.1 calls itself "2.0-1"). */
static bool takes_mcdc(const char *tool)
{
	char *argv[] = { (char *)tool, "--mcdc-coverage", "--version", NULL };
	char out[256];
	struct error ignored = { 0 };

	return report_capture(argv, out, sizeof(out), &ignored);
}

/* The tool versions, and gcov of the objects' release: another release's
 * gcov misreads or rejects the files. */
static bool check_tools(const struct report_options *o,
			const struct report_pairs *pairs, struct facts *f,
			struct error *err)
{
	char *gcov_v[] = { (char *)o->gcov, "--version", NULL };
	char *lcov_v[] = { "lcov", "--version", NULL };
	char *genhtml_v[] = { "genhtml", "--version", NULL };
	char *gcovr_v[] = { "gcovr", "--version", NULL };
	unsigned want_major = 0, want_minor = 0, major, minor;
	char a[16], b[16], quoted[256];

	for (size_t i = 0; i < pairs->n; i++)
		if (pairs->pair[i].version != pairs->pair[0].version)
			return error_set(
				err, HVCOV_EXIT_DATA,
				"%s is from GCC %s, but %s from GCC %s: one report is of one compiler's objects",
				outpath_quote(pairs->pair[i].gcno, quoted,
					      sizeof(quoted)),
				gcc_version_text(pairs->pair[i].version, a,
						 sizeof(a)),
				pairs->pair[0].gcno,
				gcc_version_text(pairs->pair[0].version, b,
						 sizeof(b)));
	gcc_version_decode(pairs->pair[0].version, &want_major, &want_minor);
	if (!report_capture(gcov_v, f->gcov, sizeof(f->gcov), err))
		return false;
	if (o->gcovr &&
	    !report_capture(gcovr_v, f->gcovr, sizeof(f->gcovr), err))
		return false;
	if (!o->gcovr &&
	    (!report_capture(lcov_v, f->lcov, sizeof(f->lcov), err) ||
	     !report_capture(genhtml_v, f->genhtml, sizeof(f->genhtml), err)))
		return false;
	first_line(f->gcov);
	first_line(f->lcov);
	first_line(f->genhtml);
	first_line(f->gcovr);
	if (!tool_release(f->gcov, &major, &minor) || major != want_major ||
	    minor != want_minor)
		return error_set(
			err, HVCOV_EXIT_DATA,
			"the .gcno files are GCC %s's, but %s says '%s': give --gcov the gcov of GCC %s",
			gcc_version_text(pairs->pair[0].version, a, sizeof(a)),
			outpath_quote(o->gcov, quoted, sizeof(quoted)), f->gcov,
			a);
	/* lcov 2 renamed the branch switch (lcov_branch_coverage is
	 * deprecated there). */
	snprintf(f->lcov_rc, sizeof(f->lcov_rc), "%s=1",
		 tool_release(f->lcov, &major, &minor) && major >= 2
			 ? "branch_coverage"
			 : "lcov_branch_coverage");
	/* Only data with conditions asks for them: the commands of any
	 * other report stay those of every lcov. */
	if (!o->gcovr && f->extras.conditions) {
		f->mcdc = takes_mcdc("lcov") && takes_mcdc("genhtml");
		if (!f->mcdc)
			snprintf(
				f->not_shown, sizeof(f->not_shown),
				"%s has no --mcdc-coverage (lcov 2.2 and later have it)",
				f->lcov);
	}
	return true;
}

static void print_summary(const struct facts *f, const char *index)
{
	char quoted[256];

	printf("hvcov: %s: lines %.1f%% (%" PRIu64 " of %" PRIu64
	       "), functions %.1f%% (%" PRIu64 " of %" PRIu64
	       "), branches %.1f%% (%" PRIu64 " of %" PRIu64 ")",
	       outpath_quote(index, quoted, sizeof(quoted)),
	       percent(f->totals.lines_hit, f->totals.lines),
	       f->totals.lines_hit, f->totals.lines,
	       percent(f->totals.functions_hit, f->totals.functions),
	       f->totals.functions_hit, f->totals.functions,
	       percent(f->totals.branches_hit, f->totals.branches),
	       f->totals.branches_hit, f->totals.branches);
	if (condition_total(f))
		printf(", conditions %.1f%% (%" PRIu64 " of %" PRIu64 "%s)",
		       percent(condition_hit(f), condition_total(f)),
		       condition_hit(f), condition_total(f),
		       f->not_shown[0] ? ", gcov's count, not in the HTML"
				       : "");
	if (f->extras.paths)
		printf(", prime paths %.1f%% (%" PRIu64 " of %" PRIu64
		       ", gcov's count, not in the HTML)",
		       percent(f->extras.paths_hit, f->extras.paths),
		       f->extras.paths_hit, f->extras.paths);
	printf("\n");
}

static int report(struct report_options *o)
{
	struct report_pairs pairs;
	struct facts f = { 0 };
	struct error err = { 0 };
	char quoted[256], *gcov_path = NULL, *build_path = NULL;
	char *work = NULL, *html = NULL, *trash = NULL, *work_info = NULL;
	char *log_path = NULL, *work_log = NULL, *index = NULL,
	     *manifest = NULL;
	int log_fd = -1, lock_fd = -1, status = HVCOV_EXIT_OK;
	size_t stale = 0;
	bool baseline = !o->no_baseline, tool_failed = false;
	time_t now = time(NULL);
	struct tm tm;

	if (!report_pair_trees(o->gcda, o->build, &pairs, &err))
		return report_error(&err);
	f.pairs = &pairs;
	if (!report_extras_count(&pairs, baseline, &f.extras, &err)) {
		report_pairs_free(&pairs);
		return report_error(&err);
	}
	if (o->has_source) {
		status = read_image(o, &pairs, &f.image);
		if (status) {
			free(f.image.json);
			free(f.image.elf_json);
			report_pairs_free(&pairs);
			return status;
		}
	}
	gmtime_r(&now, &tm);
	strftime(f.time, sizeof(f.time), "%Y-%m-%dT%H:%M:%SZ", &tm);
	/* The tools run in the work tree: a gcov named by a relative path
	 * must be made absolute first. */
	if (strchr(o->gcov, '/')) {
		if (!(gcov_path = realpath(o->gcov, NULL))) {
			error_errno(
				&err, "cannot find --gcov %s",
				outpath_quote(o->gcov, quoted, sizeof(quoted)));
			goto fail;
		}
		o->gcov = gcov_path;
	}
	if (o->gcovr && !(build_path = realpath(o->build, NULL))) {
		error_errno(&err, "cannot find the build tree %s",
			    outpath_quote(o->build, quoted, sizeof(quoted)));
		goto fail;
	}
	/* Held until the end: with it, any work tree in the output is one
	 * a killed run left, and no other run is writing there. */
	if (!check_tools(o, &pairs, &f, &err) || !make_dirs(o->output, &err) ||
	    !report_lock_output(o->output, &lock_fd, &err) ||
	    !report_remove_stale_work(o->output, &stale, &err) ||
	    !output_is_ours(o->output, &err))
		goto fail;
	if (stale && o->verbose)
		printf("hvcov: removed %zu work director%s an interrupted report left in %s\n",
		       stale, stale == 1 ? "y" : "ies",
		       outpath_quote(o->output, quoted, sizeof(quoted)));
	work = join(o->output, REPORT_WORK_PREFIX "XXXXXX");
	log_path = join(o->output, "report.log");
	index = join(o->output, "index.html");
	manifest = join(o->output, "manifest.json");
	if (!work || !log_path || !index || !manifest) {
		error_set(&err, HVCOV_EXIT_SYSTEM, "out of memory");
		goto fail;
	}
	/* Inside the output directory: the results move by rename. */
	if (!mkdtemp(work)) {
		free(work);
		work = NULL;
		error_errno(&err, "cannot create a work directory in %s",
			    outpath_quote(o->output, quoted, sizeof(quoted)));
		goto fail;
	}
	html = join(work, "html");
	trash = join(work, "old");
	work_info = join(work, "coverage.info");
	/* The log is written in the work tree and moved out at the end,
	 * success or failure: a killed run leaves nothing but its work
	 * tree, which the next run removes. */
	work_log = join(work, "report.log");
	if (!html || !trash || !work_info || !work_log) {
		error_set(&err, HVCOV_EXIT_SYSTEM, "out of memory");
		goto fail;
	}
	log_fd = open(work_log, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
	if (log_fd < 0) {
		error_errno(&err, "cannot write %s",
			    outpath_quote(work_log, quoted, sizeof(quoted)));
		goto fail;
	}
	if (!fd_write_all(log_fd, REPORT_LOG_HEAD, strlen(REPORT_LOG_HEAD))) {
		error_errno(&err, "cannot write %s",
			    outpath_quote(work_log, quoted, sizeof(quoted)));
		goto fail;
	}
	if (!report_stage_pairs(work, &pairs, baseline, &err))
		goto fail;
	{
		/* Only names hvcov chose, relative to the work tree; the
		 * title is the one user text, and genhtml writes it as
		 * text. */
		char *run_argv[16 + 2 * REPORT_MAX_EXCLUDE] = {
			"lcov",
			"--quiet",
			"--rc",
			f.lcov_rc,
			"--gcov-tool",
			(char *)o->gcov,
			"--capture",
			"--directory",
			"g",
			"--output-file",
			baseline ? "run.info" : "coverage.info"
		};
		char *base_argv[16 + 2 * REPORT_MAX_EXCLUDE] = {
			"lcov",      "--quiet",       "--rc",
			f.lcov_rc,   "--gcov-tool",   (char *)o->gcov,
			"--capture", "--initial",     "--directory",
			"g",         "--output-file", "baseline.info"
		};
		char *add_argv[12] = { "lcov",
				       "--quiet",
				       "--rc",
				       f.lcov_rc,
				       "--add-tracefile",
				       "baseline.info",
				       "--add-tracefile",
				       "run.info",
				       "--output-file",
				       "coverage.info",
				       NULL };
		/* The root is the build tree: gcovr 8.7 files each source
		 * under the root's directories, climbing from the root to
		 * the sources' common directory, and recurses without end
		 * when that is / (its directory "//" never equals a
		 * file's), so the root must share more than / with the
		 * sources.  Every gcovr keeps the files outside the root
		 * that the --filter regular expression matches (5.2 keeps
		 * none under a plain path filter).  gcovr writes Cobertura
		 * itself. */
		char *gcovr_argv[] = { "gcovr",
				       "--root",
				       build_path,
				       "--filter",
				       "/.*",
				       "--gcov-executable",
				       (char *)o->gcov,
				       "--html-details",
				       "html/index.html",
				       "--html-title",
				       (char *)(o->title ? o->title
							 : "hvcov report"),
				       "--json-summary",
				       "summary.json",
				       "--json-summary-pretty",
				       "--xml",
				       "cobertura.xml",
				       "--xml-pretty",
				       "g",
				       NULL };
		char *html_argv[14] = { "genhtml",
					"--quiet",
					"--rc",
					f.lcov_rc,
					"--branch-coverage",
					"--function-coverage",
					"--legend",
					"--title",
					(char *)(o->title ? o->title
							  : "hvcov report"),
					"--output-directory",
					"html",
					"coverage.info",
					NULL };

		size_t n_run = 11, n_base = 12;

		/* GCC 14's condition coverage (-fcondition-coverage): lcov
		 * 2.2 and later capture, merge and render it with
		 * --mcdc-coverage, and the tracefile then has MCF/MCH
		 * records, which the totals read.  Every lcov step needs the
		 * switch, or that step drops the records. */
		if (f.mcdc) {
			run_argv[n_run++] = "--mcdc-coverage";
			base_argv[n_base++] = "--mcdc-coverage";
			add_argv[10] = "--mcdc-coverage";
			html_argv[11] = "--mcdc-coverage";
			html_argv[12] = "coverage.info";
		}
		/* The exclusions go to both captures (lcov matches each
		 * pattern against absolute source paths); the arrays end in
		 * NULL after them. */
		for (size_t i = 0; i < o->n_exclude; i++) {
			run_argv[n_run + 2 * i] = "--exclude";
			run_argv[n_run + 1 + 2 * i] = (char *)o->exclude[i];
			base_argv[n_base + 2 * i] = "--exclude";
			base_argv[n_base + 1 + 2 * i] = (char *)o->exclude[i];
		}
		if (o->gcovr) {
			char *summary = join(work, "summary.json");

			if (!summary || mkdir(html, 0777) != 0) {
				free(summary);
				error_errno(&err, "cannot create %s",
					    outpath_quote(html, quoted,
							  sizeof(quoted)));
				goto fail;
			}
			tool_failed = true;
			if (!run_logged(&f, gcovr_argv, o->verbose, work,
					log_fd, &err)) {
				free(summary);
				goto fail;
			}
			tool_failed = false;
			if (!gcovr_summary_totals(summary,
						  "gcovr's summary.json",
						  &f.totals, &err)) {
				free(summary);
				goto fail;
			}
			free(summary);
			if (f.extras.conditions && !f.totals.has_conditions)
				snprintf(
					f.not_shown, sizeof(f.not_shown),
					"%s shows no conditions (gcovr 8 and later do)",
					f.gcovr);
			if (!f.totals.lines) {
				error_set(
					&err, HVCOV_EXIT_DATA,
					"gcovr found no instrumented line in the objects below %s: no report",
					outpath_quote(o->build, quoted,
						      sizeof(quoted)));
				goto fail;
			}
			if (!clear_earlier_report(o->output, trash, &err))
				goto fail;
			apply_gates(o, &f);
			if (!write_manifest(o, &f, manifest, &err))
				goto fail;
			goto rendered;
		}
		tool_failed = true;
		if (!run_logged(&f, run_argv, o->verbose, work, log_fd, &err) ||
		    (baseline && (!run_logged(&f, base_argv, o->verbose, work,
					      log_fd, &err) ||
				  !run_logged(&f, add_argv, o->verbose, work,
					      log_fd, &err))))
			goto fail;
		tool_failed = false;
		if (!tracefile_totals(work_info, &f.totals, &err))
			goto fail;
		if (f.mcdc && !f.totals.conditions)
			snprintf(f.not_shown, sizeof(f.not_shown),
				 "lcov --mcdc-coverage wrote no MC/DC record");
		if (!f.totals.lines) {
			error_set(
				&err, HVCOV_EXIT_DATA,
				"lcov found no instrumented line in the objects below %s: no report",
				outpath_quote(o->build, quoted,
					      sizeof(quoted)));
			goto fail;
		}
		tool_failed = true;
		if (!run_logged(&f, html_argv, o->verbose, work, log_fd, &err))
			goto fail;
		tool_failed = false;
		if (!clear_earlier_report(o->output, trash, &err))
			goto fail;
		apply_gates(o, &f);
		{
			char *xml = join(o->output, "cobertura.xml");

			if (!xml) {
				error_set(&err, HVCOV_EXIT_SYSTEM,
					  "out of memory");
				goto fail;
			}
			if (!report_cobertura(work_info, xml, (int64_t)now,
					      PACKAGE_VERSION, &err)) {
				free(xml);
				goto fail;
			}
			free(xml);
		}
		/* The manifest's argv arrays live in this block. */
		if (!write_manifest(o, &f, manifest, &err))
			goto fail;
	}
rendered : {
	/* The data files of either renderer that this one wrote in
		 * the work tree (cobertura.xml: gcovr's; report_cobertura
		 * writes straight into the output). */
	static const char *const infos[] = { "coverage.info", "run.info",
					     "baseline.info", "summary.json",
					     "cobertura.xml" };

	for (size_t i = 0; i < sizeof(infos) / sizeof(infos[0]); i++) {
		char *from = join(work, infos[i]);
		char *to = join(o->output, infos[i]);

		if (!from || !to)
			error_set(&err, HVCOV_EXIT_SYSTEM, "out of memory");
		else if (rename(from, to) != 0 && errno != ENOENT)
			error_errno(&err, "cannot move %s", infos[i]);
		free(from);
		free(to);
	}
	if (err.status || !report_move_entries(html, o->output, trash, &err) ||
	    !mark_index(o, &f, index, &err))
		goto fail;
	if (rename(work_log, log_path) != 0) {
		error_errno(&err, "cannot move the log to %s",
			    outpath_quote(log_path, quoted, sizeof(quoted)));
		goto fail;
	}
}
	/* Conditions the HTML lacks are said, once, and their figure is
	 * gcov's: never dropped, never read as 0 of 0. */
	if (f.extras.conditions && f.not_shown[0])
		warning("the objects have %" PRIu64
			" MC/DC condition outcomes (-fcondition-coverage), but the HTML shows none: %s; the conditions figure is gcov's count from the .gcda files",
			f.extras.conditions, f.not_shown);
	if (o->has_gate[GATE_CONDITION] && !condition_total(&f))
		fprintf(stderr,
			"hvcov: --fail-under-condition: the data has no condition (MC/DC) coverage: build with GCC 14 or later's -fcondition-coverage\n");
	for (int g = 0; g < GATES; g++) {
		if (!f.gate_failed[g])
			continue;
		status = HVCOV_EXIT_DATA;
		if (g == GATE_CONDITION && !condition_total(&f))
			continue;
		fprintf(stderr,
			"hvcov: %s coverage is under the --fail-under-%s threshold of %u.%02u%%\n",
			gate_name[g], gate_name[g],
			(unsigned)(o->gate[g] / 100),
			(unsigned)(o->gate[g] % 100));
	}
	if (!o->quiet)
		print_summary(&f, index);
	goto out;
fail:
	if (tool_failed && log_path) {
		/* The tool's own words are in the log; this is the line. */
		struct error first = err;

		err.status = HVCOV_EXIT_OK;
		error_set(&err, first.status, "%s; its messages are in %s",
			  first.text,
			  outpath_quote(log_path, quoted, sizeof(quoted)));
	}
	if (log_fd >= 0 && rename(work_log, log_path) != 0) {
		/* The error names report.log: it must be there. */
		struct error first = err;

		err.status = HVCOV_EXIT_OK;
		error_errno(&err, "%s; and its log could not be moved to %s",
			    first.text,
			    outpath_quote(log_path, quoted, sizeof(quoted)));
		err.status = first.status;
	}
	status = report_error(&err);
out:
	if (log_fd >= 0)
		close(log_fd);
	if (work)
		report_remove_tree(work);
	if (lock_fd >= 0)
		close(lock_fd);
	free(work);
	free(html);
	free(trash);
	free(work_info);
	free(work_log);
	free(log_path);
	free(index);
	free(manifest);
	free(gcov_path);
	free(build_path);
	free(f.image.json);
	free(f.image.elf_json);
	report_pairs_free(&pairs);
	return status;
}

/* A path or name as one field of a tab-separated line: tab, newline and
 * backslash escaped, so that each path is one line and equal lines are
 * the same path. */
static void put_field(const char *text, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		switch (text[i]) {
		case '\\':
			fputs("\\\\", stdout);
			break;
		case '\t':
			fputs("\\t", stdout);
			break;
		case '\n':
			fputs("\\n", stdout);
			break;
		default:
			putchar(text[i]);
		}
	}
}

static bool put_path(void *ctx, const struct report_path *path,
		     struct error *err)
{
	(void)ctx;
	(void)err;
	fputs(path->covered ? "covered\t" : "uncovered\t", stdout);
	put_field(path->gcno, strlen(path->gcno));
	printf("\t%" PRIu32 "\t", path->ident);
	put_field(path->name, path->name_len);
	printf("\t%" PRIu32 "\n", path->index);
	return true;
}

/* --list-prime-paths: the prime paths one line each, for
 * hvcov-report-tests, which takes per test the unions and differences of
 * these sets of lines (sort, comm) as it does of lcov's MCDC records.
 * The pairing is report's own, stamps checked; nothing is rendered. */
static int list_paths(const struct report_options *o)
{
	struct report_pairs pairs;
	struct report_path_visitor visit = { .each = put_path };
	struct error err = { 0 };
	bool ok;

	if (!report_pair_trees(o->gcda, o->build, &pairs, &err))
		return report_error(&err);
	ok = report_extras_paths(&pairs, !o->no_baseline, &visit, &err);
	report_pairs_free(&pairs);
	if (!ok)
		return report_error(&err);
	if (fflush(stdout) || ferror(stdout)) {
		fprintf(stderr,
			"hvcov: report: cannot write the prime paths: %s\n",
			strerror(errno));
		return HVCOV_EXIT_SYSTEM;
	}
	return HVCOV_EXIT_OK;
}

int cmd_report(int argc, char **argv)
{
	struct report_options o = { .output = "hvcov-report", .gcov = "gcov" };
	int status = parse(&o, argc, argv);

	if (status >= 0)
		return status;
	return o.list_paths ? list_paths(&o) : report(&o);
}
