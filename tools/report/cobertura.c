/* SPDX-License-Identifier: BSD-2-Clause */
#include "cobertura.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "workdir.h"
#include "write/outpath.h"

struct cline {
	uint64_t number, hits;
	uint64_t branches, taken; /* summed over the line's BRDA records */
	bool is_branch_record;    /* a BRDA entry before merging */
};

struct cfile {
	char *path;
	struct cline *lines;
	size_t n, cap;
	uint64_t lines_valid, lines_hit, branches, branches_hit;
};

struct cdata {
	struct cfile *files;
	size_t n, cap;
};

static bool push_line(struct cfile *file, struct cline line)
{
	if (file->n == file->cap) {
		size_t cap = file->cap ? 2 * file->cap : 64;
		struct cline *more = realloc(file->lines, cap * sizeof(*more));

		if (!more)
			return false;
		file->lines = more;
		file->cap = cap;
	}
	file->lines[file->n++] = line;
	return true;
}

static int by_line(const void *a, const void *b)
{
	const struct cline *x = a, *y = b;

	if (x->number != y->number)
		return x->number < y->number ? -1 : 1;
	/* The DA entry of a line before its branch entries. */
	return (int)x->is_branch_record - (int)y->is_branch_record;
}

/* Sort a file's DA and BRDA entries by line and fold the branches into
 * their line. */
static void merge_file(struct cfile *file)
{
	size_t out = 0;

	qsort(file->lines, file->n, sizeof(*file->lines), by_line);
	for (size_t i = 0; i < file->n; i++) {
		struct cline *line = &file->lines[i];

		if (line->is_branch_record) {
			file->branches += line->branches;
			file->branches_hit += line->taken;
			if (out &&
			    file->lines[out - 1].number == line->number) {
				file->lines[out - 1].branches += line->branches;
				file->lines[out - 1].taken += line->taken;
			}
			/* A branch without a DA line has no line to show. */
			continue;
		}
		if (out && file->lines[out - 1].number == line->number) {
			file->lines[out - 1].hits += line->hits;
			continue;
		}
		file->lines[out++] = *line;
		file->lines_valid++;
		if (line->hits)
			file->lines_hit++;
	}
	file->n = out;
}

static int by_path(const void *a, const void *b)
{
	return strcmp(((const struct cfile *)a)->path,
		      ((const struct cfile *)b)->path);
}

static void free_data(struct cdata *data)
{
	for (size_t i = 0; i < data->n; i++) {
		free(data->files[i].path);
		free(data->files[i].lines);
	}
	free(data->files);
}

static bool read_tracefile(const char *tracefile, struct cdata *data,
			   struct error *err)
{
	FILE *in = fopen(tracefile, "r");
	char *text = NULL, quoted[256];
	size_t cap = 0;
	struct cfile *file = NULL;
	unsigned long number = 0;
	bool ok = true;

	if (!in)
		return error_errno(
			err, "cannot read %s",
			outpath_quote(tracefile, quoted, sizeof(quoted)));
	while (ok && getline(&text, &cap, in) > 0) {
		unsigned long long a, b;
		char taken[24];

		number++;
		text[strcspn(text, "\n")] = '\0';
		if (!strncmp(text, "SF:", 3)) {
			if (data->n == data->cap) {
				size_t more_cap =
					data->cap ? 2 * data->cap : 16;
				struct cfile *more = realloc(
					data->files, more_cap * sizeof(*more));

				if (!more) {
					ok = false;
					break;
				}
				data->files = more;
				data->cap = more_cap;
			}
			file = &data->files[data->n++];
			memset(file, 0, sizeof(*file));
			if (!(file->path = strdup(text + 3)))
				ok = false;
		} else if (!strncmp(text, "DA:", 3)) {
			if (!file || sscanf(text + 3, "%llu,%llu", &a, &b) != 2)
				break;
			ok = push_line(
				file, (struct cline){ .number = a, .hits = b });
		} else if (!strncmp(text, "BRDA:", 5)) {
			/* line,block,branch,taken; lcov 2 writes the block
			 * with a letter ("e0", "f0") and the branch as the
			 * arcs' blocks ("2 -> 3"), so only the line and the
			 * last field are read. */
			const char *last = strrchr(text, ',');

			if (!file || !last ||
			    sscanf(text + 5, "%llu,", &a) != 1 ||
			    sscanf(last + 1, "%23s", taken) != 1)
				break;
			ok = push_line(
				file,
				(struct cline){ .number = a,
						.branches = 1,
						.taken = strcmp(taken, "-") &&
							 strcmp(taken, "0"),
						.is_branch_record = true });
		} else if (!strcmp(text, "end_of_record")) {
			if (file)
				merge_file(file);
			file = NULL;
		}
	}
	free(text);
	if (!ok) {
		fclose(in);
		return error_set(err, HVCOV_EXIT_SYSTEM, "out of memory");
	}
	if (!feof(in) || ferror(in) || file) {
		fclose(in);
		return error_set(
			err, HVCOV_EXIT_DATA,
			"%s line %lu: not a tracefile record lcov writes",
			outpath_quote(tracefile, quoted, sizeof(quoted)),
			number);
	}
	fclose(in);
	if (data->n)
		qsort(data->files, data->n, sizeof(*data->files), by_path);
	return true;
}

/* Attribute text: the five XML escapes; a control character, which XML 1.0
 * cannot carry even as a reference, becomes '?'. */
static void xml_text(FILE *out, const char *text)
{
	for (const unsigned char *c = (const unsigned char *)text; *c; c++) {
		switch (*c) {
		case '&':
			fputs("&amp;", out);
			break;
		case '<':
			fputs("&lt;", out);
			break;
		case '>':
			fputs("&gt;", out);
			break;
		case '"':
			fputs("&quot;", out);
			break;
		case '\'':
			fputs("&apos;", out);
			break;
		default:
			fputc(*c < 0x20 || *c == 0x7f ? '?' : *c, out);
		}
	}
}

static double rate(uint64_t hit, uint64_t total)
{
	return total ? (double)hit / (double)total : 1.0;
}

/* The directory part of a path, as the package name ("." for none). */
static size_t dir_length(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? (size_t)(slash - path) : 0;
}

static bool same_dir(const char *a, const char *b)
{
	size_t la = dir_length(a);

	return la == dir_length(b) && !memcmp(a, b, la);
}

static void write_xml(FILE *out, const struct cdata *data, int64_t timestamp,
		      const char *version)
{
	uint64_t lv = 0, lh = 0, bv = 0, bh = 0;

	for (size_t i = 0; i < data->n; i++) {
		lv += data->files[i].lines_valid;
		lh += data->files[i].lines_hit;
		bv += data->files[i].branches;
		bh += data->files[i].branches_hit;
	}
	fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	      "<!DOCTYPE coverage SYSTEM \"http://cobertura.sourceforge.net/xml/coverage-04.dtd\">\n",
	      out);
	fprintf(out,
		"<coverage line-rate=\"%.4f\" branch-rate=\"%.4f\" lines-covered=\"%" PRIu64
		"\" lines-valid=\"%" PRIu64 "\" branches-covered=\"%" PRIu64
		"\" branches-valid=\"%" PRIu64 "\" complexity=\"0\" version=\"",
		rate(lh, lv), rate(bh, bv), lh, lv, bh, bv);
	xml_text(out, version);
	fprintf(out, "\" timestamp=\"%" PRId64 "\">\n", timestamp);
	fputs("  <sources>\n    <source>/</source>\n  </sources>\n"
	      "  <packages>\n",
	      out);
	for (size_t i = 0; i < data->n;) {
		size_t end = i;
		uint64_t plv = 0, plh = 0, pbv = 0, pbh = 0;
		const char *first = data->files[i].path;

		while (end < data->n &&
		       same_dir(first, data->files[end].path)) {
			plv += data->files[end].lines_valid;
			plh += data->files[end].lines_hit;
			pbv += data->files[end].branches;
			pbh += data->files[end].branches_hit;
			end++;
		}
		fputs("    <package name=\"", out);
		if (dir_length(first)) {
			char *dir = strndup(first, dir_length(first));

			xml_text(out, dir ? dir : ".");
			free(dir);
		} else {
			fputs(".", out);
		}
		fprintf(out,
			"\" line-rate=\"%.4f\" branch-rate=\"%.4f\" complexity=\"0\">\n      <classes>\n",
			rate(plh, plv), rate(pbh, pbv));
		for (; i < end; i++) {
			const struct cfile *file = &data->files[i];
			const char *base = strrchr(file->path, '/');
			const char *relative = file->path;

			while (*relative == '/')
				relative++;
			fputs("        <class name=\"", out);
			xml_text(out, base ? base + 1 : file->path);
			fputs("\" filename=\"", out);
			xml_text(out, relative);
			fprintf(out,
				"\" line-rate=\"%.4f\" branch-rate=\"%.4f\" complexity=\"0\">\n          <methods/>\n"
				"          <lines>\n",
				rate(file->lines_hit, file->lines_valid),
				rate(file->branches_hit, file->branches));
			for (size_t k = 0; k < file->n; k++) {
				const struct cline *line = &file->lines[k];

				fprintf(out,
					"            <line number=\"%" PRIu64
					"\" hits=\"%" PRIu64 "\" branch=\"%s\"",
					line->number, line->hits,
					line->branches ? "true" : "false");
				if (line->branches)
					fprintf(out,
						" condition-coverage=\"%" PRIu64
						"%% (%" PRIu64 "/%" PRIu64
						")\"",
						line->taken * 100 /
							line->branches,
						line->taken, line->branches);
				fputs("/>\n", out);
			}
			fputs("          </lines>\n        </class>\n", out);
		}
		fputs("      </classes>\n    </package>\n", out);
	}
	fputs("  </packages>\n</coverage>\n", out);
}

bool report_cobertura(const char *tracefile, const char *path,
		      int64_t timestamp, const char *version, struct error *err)
{
	struct cdata data = { 0 };
	char *tmp_path = malloc(strlen(path) + 8), quoted[256];
	FILE *out;

	if (!tmp_path)
		return error_set(err, HVCOV_EXIT_SYSTEM, "out of memory");
	sprintf(tmp_path, "%s.tmp", path);
	if (!read_tracefile(tracefile, &data, err)) {
		free_data(&data);
		free(tmp_path);
		return false;
	}
	out = fopen(tmp_path, "w");
	if (out)
		write_xml(out, &data, timestamp, version);
	free_data(&data);
	if (!report_replace_file(out, true, tmp_path, path))
		return error_errno(err, "cannot write %s",
				   outpath_quote(path, quoted, sizeof(quoted)));
	return true;
}
