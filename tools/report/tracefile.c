/* SPDX-License-Identifier: BSD-2-Clause */
#include "tracefile.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "write/outpath.h"

static bool field(const char *line, const char *key, uint64_t *sum, bool *bad)
{
	size_t n = strlen(key);
	char *end;
	unsigned long long value;

	if (strncmp(line, key, n))
		return false;
	errno = 0;
	value = strtoull(line + n, &end, 10);
	if (errno || end == line + n || (*end && *end != '\n') ||
	    line[n] == '-' || *sum + value < *sum)
		*bad = true;
	else
		*sum += value;
	return true;
}

bool tracefile_totals(const char *path, struct trace_totals *totals,
		      struct error *err)
{
	FILE *f = fopen(path, "r");
	char *line = NULL;
	size_t cap = 0;
	bool bad = false;
	unsigned long number = 0;
	char quoted[256];

	memset(totals, 0, sizeof(*totals));
	if (!f)
		return error_errno(err, "cannot read %s",
				   outpath_quote(path, quoted, sizeof(quoted)));
	while (!bad && getline(&line, &cap, f) > 0) {
		number++;
		if (!strncmp(line, "SF:", 3))
			totals->files++;
		else if (!field(line, "LF:", &totals->lines, &bad) &&
			 !field(line, "LH:", &totals->lines_hit, &bad) &&
			 !field(line, "FNF:", &totals->functions, &bad) &&
			 !field(line, "FNH:", &totals->functions_hit, &bad) &&
			 !field(line, "BRF:", &totals->branches, &bad) &&
			 !field(line, "BRH:", &totals->branches_hit, &bad) &&
			 !field(line, "MCF:", &totals->conditions, &bad))
			field(line, "MCH:", &totals->conditions_hit, &bad);
		else if (!strncmp(line, "MCF:", 4))
			totals->has_conditions = true;
	}
	free(line);
	if (ferror(f) && !bad) {
		fclose(f);
		return error_errno(err, "cannot read %s",
				   outpath_quote(path, quoted, sizeof(quoted)));
	}
	fclose(f);
	if (bad)
		return error_set(err, HVCOV_EXIT_DATA,
				 "%s line %lu: a total that is no number",
				 outpath_quote(path, quoted, sizeof(quoted)),
				 number);
	if (totals->lines_hit > totals->lines ||
	    totals->functions_hit > totals->functions ||
	    totals->branches_hit > totals->branches ||
	    totals->conditions_hit > totals->conditions)
		return error_set(err, HVCOV_EXIT_DATA,
				 "%s: more hit than found",
				 outpath_quote(path, quoted, sizeof(quoted)));
	return true;
}

bool trace_meets(uint64_t hit, uint64_t total, uint32_t hundredths)
{
	/* hit / total >= hundredths / 10000, without rounding; no total
	 * meets only a zero threshold. */
	if (!total)
		return hundredths == 0;
	if (hundredths > 10000)
		return false;
	if (total > UINT64_MAX / 10000) {
		/* Beyond any real tracefile: compare the quotients. */
		return hit / (total / 10000) >= hundredths;
	}
	return hit * 10000 >= (uint64_t)hundredths * total;
}
