/* SPDX-License-Identifier: BSD-2-Clause */
#include "extras.h"

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/fdio.h"
#include "gcov/gcc-layout.h"
#include "gcov/gcda.h"
#include "gcov/gcno-check.h"
#include "write/outpath.h"

/* The .gcno records that say what -fcondition-coverage and -fpath-coverage
 * added to a function (docs/gcov-facts.md): pairs of (block, terms) and
 * the function's number of prime paths. */
#define GCNO_TAG_FUNCTION 0x01000000u
#define GCNO_TAG_CONDITIONS 0x01470000u
#define GCNO_TAG_PATHS 0x01490000u
/* Their counter kinds in the .gcda, in the releases that have them. */
#define KIND_CONDITIONS 8u
#define KIND_PATHS 9u

/* A .gcno or .gcda bigger than this is no compilation unit's. */
#define EXTRAS_FILE_MAX (256u << 20)

struct fn_extras {
	uint32_t ident;
	size_t first_term, n_blocks; /* into terms[] */
	uint32_t paths;
	size_t name_at, name_len; /* into the .gcno; 0 long: none */
};

struct gcno_extras {
	struct fn_extras *fn;
	size_t n_fn, cap_fn;
	uint32_t *terms; /* per condition block, in record order */
	size_t n_terms, cap_terms;
};

static bool read_all(const char *path, unsigned char **buf, size_t *len,
		     struct error *err)
{
	char quoted[256];
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	bool ok;

	if (fd < 0)
		return error_errno(err, "cannot open %s",
				   outpath_quote(path, quoted, sizeof(quoted)));
	ok = fd_read_file(fd, EXTRAS_FILE_MAX, buf, len);
	close(fd);
	if (!ok)
		return error_errno(err, "cannot read %s",
				   outpath_quote(path, quoted, sizeof(quoted)));
	return true;
}

static bool word(const unsigned char *buf, size_t len, size_t *pos, uint32_t *w)
{
	if (len - *pos < 4)
		return false;
	memcpy(w, buf + *pos, 4);
	*pos += 4;
	return true;
}

static bool grow(void **array, size_t *cap, size_t n, size_t size)
{
	void *grown;
	size_t want = *cap ? 2 * *cap : 16;

	if (n < *cap)
		return true;
	if (want > SIZE_MAX / size || !(grown = realloc(*array, want * size)))
		return false;
	*array = grown;
	*cap = want;
	return true;
}

static bool bad_gcno(const char *path, const char *why, size_t pos,
		     struct error *err)
{
	char quoted[256];

	return error_set(err, HVCOV_EXIT_DATA,
			 "%s is not a valid .gcno: %s at byte %zu",
			 outpath_quote(path, quoted, sizeof(quoted)), why, pos);
}

/* The conditions and paths records of a GCC 14+ .gcno, whose lengths are
 * in bytes: magic, version, stamp, checksum, the working directory
 * (length, bytes), the unexecuted-blocks flag, then tag/length records. */
static bool parse_gcno(const char *path, const unsigned char *buf, size_t len,
		       struct gcno_extras *g, struct error *err)
{
	size_t pos = 16;
	uint32_t tag, length;
	struct fn_extras *fn = NULL;

	if (!word(buf, len, &pos, &length) || len - pos < length)
		return bad_gcno(path, "truncated header", pos, err);
	pos += length;
	if (!word(buf, len, &pos, &length))
		return bad_gcno(path, "truncated header", pos, err);
	while (pos < len) {
		size_t start = pos;

		if (!word(buf, len, &pos, &tag) ||
		    !word(buf, len, &pos, &length) || len - pos < length)
			return bad_gcno(path, "truncated record", start, err);
		if (tag == 0)
			break;
		if (tag == GCNO_TAG_FUNCTION) {
			if (length < 4 || !grow((void **)&g->fn, &g->cap_fn,
						g->n_fn, sizeof(*g->fn)))
				return length < 4
					       ? bad_gcno(path, "bad function",
							  start, err)
					       : error_set(err,
							   HVCOV_EXIT_SYSTEM,
							   "out of memory");
			fn = &g->fn[g->n_fn++];
			memset(fn, 0, sizeof(*fn));
			memcpy(&fn->ident, buf + pos, 4);
			fn->first_term = g->n_terms;
			/* ident, two checksums, then the name as a byte
			 * length (with its NUL) and the bytes. */
			if (length >= 16) {
				uint32_t name_len;

				memcpy(&name_len, buf + pos + 12, 4);
				if (name_len > length - 16)
					return bad_gcno(
						path,
						"a function name past its record",
						start, err);
				fn->name_at = pos + 16;
				fn->name_len = name_len ? name_len - 1 : 0;
			}
		} else if (tag == GCNO_TAG_CONDITIONS) {
			if (!fn || length % 8)
				return bad_gcno(path, "misplaced conditions",
						start, err);
			for (size_t at = pos; at < pos + length; at += 8) {
				uint32_t terms;

				memcpy(&terms, buf + at + 4, 4);
				if (!terms || terms > 64)
					return bad_gcno(
						path,
						"a decision of more than 64 terms",
						start, err);
				if (!grow((void **)&g->terms, &g->cap_terms,
					  g->n_terms, sizeof(*g->terms)))
					return error_set(err, HVCOV_EXIT_SYSTEM,
							 "out of memory");
				g->terms[g->n_terms++] = terms;
				fn->n_blocks++;
			}
		} else if (tag == GCNO_TAG_PATHS) {
			if (!fn || length != 4)
				return bad_gcno(path, "misplaced paths", start,
						err);
			memcpy(&fn->paths, buf + pos, 4);
		}
		pos += length;
	}
	return true;
}

static unsigned popcount(uint64_t v)
{
	unsigned n = 0;

	for (; v; v &= v - 1)
		n++;
	return n;
}

static const struct gcda_counts *counts_of(const struct gcda_function *fn,
					   unsigned kind)
{
	for (unsigned i = 0; fn && i < fn->n_counts; i++)
		if (fn->counts[i].kind == kind)
			return &fn->counts[i];
	return NULL;
}

/* One object: its .gcno's totals, and what its .gcda (if any) covered;
 * each prime path handed to visit as well when there is one. */
static bool count_pair(const struct report_pair *pair,
		       struct report_extras *out,
		       const struct report_path_visitor *visit,
		       struct error *err)
{
	const struct gcc_layout *layout = gcc_layout_for_version(pair->version);
	unsigned char *gcno = NULL, *gcda = NULL;
	size_t gcno_len, gcda_len;
	struct gcno_extras g = { 0 };
	struct gcda_file data = { 0 };
	char quoted[256];
	uint32_t magic = 0;
	bool ok = false;

	/* Before GCC 14 there is neither kind (and no byte lengths). */
	if (!layout || gcc_layout_counters(layout) <= KIND_CONDITIONS)
		return true;
	if (!read_all(pair->gcno, &gcno, &gcno_len, err))
		return false;
	if (gcno_len >= 4)
		memcpy(&magic, gcno, 4);
	if (gcno_len < 16 || magic != GCNO_MAGIC) {
		/* pairing.c accepted its words in either byte order; the
		 * counters are read in this host's only. */
		error_set(
			err, HVCOV_EXIT_DATA,
			"%s: conditions and prime paths are counted in this host's byte order only",
			outpath_quote(pair->gcno, quoted, sizeof(quoted)));
		goto out;
	}
	if (!parse_gcno(pair->gcno, gcno, gcno_len, &g, err))
		goto out;
	if (pair->gcda && (!read_all(pair->gcda, &gcda, &gcda_len, err) ||
			   !gcda_parse(gcda, gcda_len, pair->gcda, &data, err)))
		goto out;
	for (size_t i = 0; i < g.n_fn; i++) {
		const struct fn_extras *fn = &g.fn[i];
		const struct gcda_function *run = NULL;
		const struct gcda_counts *c;

		/* parse_gcno pushed each decision's terms before counting
		 * it; said here for the analyzer. */
		if (fn->n_blocks &&
		    (!g.terms || fn->first_term + fn->n_blocks > g.n_terms)) {
			bad_gcno(pair->gcno, "conditions out of order", 0, err);
			goto out;
		}
		for (uint32_t j = 0; j < data.n_functions && !run; j++)
			if (data.functions[j].present &&
			    data.functions[j].ident == fn->ident)
				run = &data.functions[j];
		for (size_t b = 0; b < fn->n_blocks; b++)
			out->conditions +=
				2 * (uint64_t)g.terms[fn->first_term + b];
		out->paths += fn->paths;
		/* Two masks per decision, the outcomes seen true and false;
		 * a bit past the decision's terms covers nothing. */
		if ((c = counts_of(run, KIND_CONDITIONS)) && c->values) {
			if (c->num != 2 * fn->n_blocks) {
				error_set(
					err, HVCOV_EXIT_DATA,
					"%s: %u condition counters where its .gcno has %zu decisions",
					outpath_quote(pair->gcda, quoted,
						      sizeof(quoted)),
					(unsigned)c->num, fn->n_blocks);
				goto out;
			}
			for (size_t b = 0; b < fn->n_blocks; b++) {
				uint32_t terms = g.terms[fn->first_term + b];
				uint64_t mask =
					terms == 64
						? UINT64_MAX
						: ((uint64_t)1 << terms) - 1;

				out->conditions_hit +=
					popcount(gcda_counter(c,
							      2 * (uint32_t)b) &
						 mask) +
					popcount(gcda_counter(c,
							      2 * (uint32_t)b +
								      1) &
						 mask);
			}
		}
		/* One bit per prime path, 64 to a counter. */
		c = counts_of(run, KIND_PATHS);
		if (c && c->values) {
			if ((uint64_t)c->num * 64 < fn->paths) {
				error_set(
					err, HVCOV_EXIT_DATA,
					"%s: %u path counters for %u prime paths",
					outpath_quote(pair->gcda, quoted,
						      sizeof(quoted)),
					(unsigned)c->num, (unsigned)fn->paths);
				goto out;
			}
			for (uint32_t w = 0; (uint64_t)w * 64 < fn->paths;
			     w++) {
				uint32_t left = fn->paths - w * 64;

				out->paths_hit += popcount(
					gcda_counter(c, w) &
					(left >= 64
						 ? UINT64_MAX
						 : ((uint64_t)1 << left) - 1));
			}
		}
		/* Path i is bit i % 64 of counter i / 64, as gcov numbers
		 * them (its JSON's prime_path_coverage ids). */
		for (uint32_t p = 0; visit && p < fn->paths; p++) {
			struct report_path path = {
				.gcno = pair->gcno,
				.ident = fn->ident,
				.name = (const char *)gcno + fn->name_at,
				.name_len = fn->name_len,
				.index = p,
				.covered =
					c && c->values &&
					(gcda_counter(c, p / 64) >> (p % 64) &
					 1),
			};

			if (!visit->each(visit->ctx, &path, err))
				goto out;
		}
	}
	ok = true;
out:
	gcda_free(&data);
	free(g.fn);
	free(g.terms);
	free(gcno);
	free(gcda);
	return ok;
}

bool report_extras_count(const struct report_pairs *pairs, bool baseline,
			 struct report_extras *out, struct error *err)
{
	memset(out, 0, sizeof(*out));
	for (size_t i = 0; i < pairs->n; i++)
		if ((pairs->pair[i].gcda || baseline) &&
		    !count_pair(&pairs->pair[i], out, NULL, err))
			return false;
	return true;
}

bool report_extras_paths(const struct report_pairs *pairs, bool baseline,
			 const struct report_path_visitor *visit,
			 struct error *err)
{
	struct report_extras out;

	memset(&out, 0, sizeof(out));
	for (size_t i = 0; i < pairs->n; i++)
		if ((pairs->pair[i].gcda || baseline) &&
		    !count_pair(&pairs->pair[i], &out, visit, err))
			return false;
	return true;
}
