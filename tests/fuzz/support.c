/* SPDX-License-Identifier: BSD-2-Clause */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"

void fuzz_violation(const char *what, const char *detail)
{
	fprintf(stderr, "fuzz invariant violated: %s%s%s\n", what,
		detail ? ": " : "", detail ? detail : "");
	abort();
}

void fuzz_check_error(const struct error *err, _Bool ok)
{
	size_t len = strnlen(err->text, sizeof(err->text));

	if (ok) {
		if (err->status != HVCOV_EXIT_OK)
			fuzz_violation("success with an error set", err->text);
		return;
	}
	if (err->status != HVCOV_EXIT_DATA &&
	    err->status != HVCOV_EXIT_SYSTEM)
		fuzz_violation("failure without exit status 1 or 2", NULL);
	if (len == 0 || len == sizeof(err->text))
		fuzz_violation("failure without one terminated message", NULL);
	if (strchr(err->text, '\n') || strchr(err->text, '\r'))
		fuzz_violation("message of more than one line", err->text);
}
