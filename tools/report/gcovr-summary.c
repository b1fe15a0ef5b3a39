/* SPDX-License-Identifier: BSD-2-Clause */
#include "gcovr-summary.h"

#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/fdio.h"
#include "write/outpath.h"

/* gcovr's summary of a big tree is a few MB; a bound keeps a wrong file
 * from filling memory. */
#define SUMMARY_MAX (64u << 20)
#define DEPTH_MAX 64

struct scan {
	const char *p, *end;
};

static void blanks(struct scan *s)
{
	while (s->p < s->end && (*s->p == ' ' || *s->p == '\t' ||
				 *s->p == '\n' || *s->p == '\r'))
		s->p++;
}

static bool take(struct scan *s, char c)
{
	blanks(s);
	if (s->p < s->end && *s->p == c) {
		s->p++;
		return true;
	}
	return false;
}

/* A string; its raw bytes (escapes not decoded) in [*start, *stop). */
static bool string(struct scan *s, const char **start, const char **stop)
{
	if (!take(s, '"'))
		return false;
	*start = s->p;
	while (s->p < s->end && *s->p != '"') {
		if ((unsigned char)*s->p < 0x20)
			return false;
		if (*s->p == '\\' && ++s->p == s->end)
			return false;
		s->p++;
	}
	if (s->p == s->end)
		return false;
	*stop = s->p++;
	return true;
}

static bool value(struct scan *s, int depth);

/* An object or array; *count gets its number of members or elements. */
static bool compound(struct scan *s, char close, int depth, size_t *count)
{
	const char *a, *b;

	*count = 0;
	if (depth > DEPTH_MAX)
		return false;
	if (take(s, close))
		return true;
	do {
		if (close == '}' && (!string(s, &a, &b) || !take(s, ':')))
			return false;
		if (!value(s, depth + 1))
			return false;
		(*count)++;
	} while (take(s, ','));
	return take(s, close);
}

/* Any value: a number, true/false/null, a string, an object, an array. */
static bool value(struct scan *s, int depth)
{
	const char *a, *b;
	size_t count;

	blanks(s);
	if (s->p == s->end)
		return false;
	if (*s->p == '"')
		return string(s, &a, &b);
	if (take(s, '{'))
		return compound(s, '}', depth, &count);
	if (take(s, '['))
		return compound(s, ']', depth, &count);
	a = s->p;
	while (s->p < s->end && strchr("+-.0123456789eEtrufalsn", *s->p))
		s->p++;
	return s->p > a;
}

/* A non-negative integer that fits 63 bits, and nothing else. */
static bool count_value(struct scan *s, uint64_t *out)
{
	uint64_t v = 0;
	const char *start;

	blanks(s);
	start = s->p;
	while (s->p < s->end && *s->p >= '0' && *s->p <= '9') {
		if (v > (UINT64_MAX >> 1) / 10)
			return false;
		v = v * 10 + (uint64_t)(*s->p++ - '0');
	}
	if (s->p == start || (s->p < s->end && strchr(".eE", *s->p)))
		return false;
	*out = v;
	return true;
}

/* The last two only from gcovr 8, which shows MC/DC conditions. */
static const char *const keys[] = { "line_total",      "line_covered",
				    "function_total",  "function_covered",
				    "branch_total",    "branch_covered",
				    "condition_total", "condition_covered" };
enum { KEYS = sizeof(keys) / sizeof(keys[0]), REQUIRED_KEYS = 6 };

bool gcovr_summary_parse(const char *text, size_t len, const char *name,
			 struct trace_totals *totals, struct error *err)
{
	struct scan s = { text, text + len };
	uint64_t got[KEYS];
	bool seen[KEYS] = { false }, files_seen = false;
	size_t files = 0;
	const char *a, *b;

	if (!take(&s, '{'))
		return error_set(err, HVCOV_EXIT_DATA,
				 "%s is not a gcovr JSON summary (no object)",
				 name);
	if (!take(&s, '}')) {
		do {
			size_t k;

			if (!string(&s, &a, &b) || !take(&s, ':'))
				goto malformed;
			for (k = 0; k < KEYS; k++)
				if ((size_t)(b - a) == strlen(keys[k]) &&
				    !memcmp(a, keys[k], (size_t)(b - a)))
					break;
			if (k < KEYS) {
				if (seen[k] || !count_value(&s, &got[k]))
					return error_set(
						err, HVCOV_EXIT_DATA,
						"%s: %s is not one non-negative integer",
						name, keys[k]);
				seen[k] = true;
			} else if (b - a == 5 && !memcmp(a, "files", 5)) {
				if (files_seen || !take(&s, '[') ||
				    !compound(&s, ']', 1, &files))
					goto malformed;
				files_seen = true;
			} else if (!value(&s, 1)) {
				goto malformed;
			}
		} while (take(&s, ','));
		if (!take(&s, '}'))
			goto malformed;
	}
	blanks(&s);
	if (s.p != s.end)
		goto malformed;
	for (size_t k = 0; k < REQUIRED_KEYS; k++)
		if (!seen[k])
			return error_set(
				err, HVCOV_EXIT_DATA,
				"%s lacks gcovr's %s: not a gcovr 5 or later summary",
				name, keys[k]);
	if (!files_seen)
		return error_set(err, HVCOV_EXIT_DATA,
				 "%s lacks gcovr's files list", name);
	if (seen[6] != seen[7])
		return error_set(err, HVCOV_EXIT_DATA,
				 "%s has only one of gcovr's %s and %s", name,
				 keys[6], keys[7]);
	for (size_t k = 0; k < KEYS; k += 2)
		if (seen[k] && got[k + 1] > got[k])
			return error_set(err, HVCOV_EXIT_DATA,
					 "%s: %s %llu exceeds %s %llu", name,
					 keys[k + 1],
					 (unsigned long long)got[k + 1],
					 keys[k], (unsigned long long)got[k]);
	memset(totals, 0, sizeof(*totals));
	totals->lines = got[0];
	totals->lines_hit = got[1];
	totals->functions = got[2];
	totals->functions_hit = got[3];
	totals->branches = got[4];
	totals->branches_hit = got[5];
	totals->files = files;
	if (seen[6]) {
		totals->conditions = got[6];
		totals->conditions_hit = got[7];
		totals->has_conditions = true;
	}
	return true;
malformed:
	return error_set(err, HVCOV_EXIT_DATA,
			 "%s is not well-formed JSON (at byte %zu)", name,
			 (size_t)(s.p - text));
}

bool gcovr_summary_totals(const char *path, const char *name,
			  struct trace_totals *totals, struct error *err)
{
	unsigned char *buf = NULL;
	size_t len = 0;
	char quoted[256];
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	bool ok;

	outpath_quote(path, quoted, sizeof(quoted));
	if (fd < 0)
		return error_errno(err, "cannot open %s", quoted);
	ok = fd_read_file(fd, SUMMARY_MAX, &buf, &len);
	close(fd);
	if (!ok) {
		free(buf);
		return error_errno(err, "cannot read %s", quoted);
	}
	ok = gcovr_summary_parse((const char *)buf, len, name, totals, err);
	free(buf);
	return ok;
}
