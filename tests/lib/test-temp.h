/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Temporary names for the C tests, under $TMPDIR like every shell test
 * (default /tmp).  A name that does not fit its buffer aborts the test
 * rather than being cut: a cut template would name another directory.
 */
#ifndef HVCOV_TEST_TEMP_H
#define HVCOV_TEST_TEMP_H

#include <stdio.h>
#include <stdlib.h>

/* "$TMPDIR/hvcov-NAME.XXXXXX" into buf, for mkstemp or mkdtemp. */
static inline char *test_temp_template(char *buf, size_t size, const char *name)
{
	const char *dir = getenv("TMPDIR");
	int n;

	if (!dir || !*dir)
		dir = "/tmp";
	n = snprintf(buf, size, "%s/hvcov-%s.XXXXXX", dir, name);
	if (n < 0 || (size_t)n >= size) {
		fprintf(stderr, "TMPDIR '%s' is too long for this test\n", dir);
		abort();
	}
	return buf;
}

#endif
