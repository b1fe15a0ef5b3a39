/* SPDX-License-Identifier: BSD-2-Clause */
#define HVCOV_ERROR_IMPLEMENTATION /* the definitions, not the analyzer macros */
#include "error.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static void error_vset(struct error *err, enum hvcov_exit status,
		       const char *suffix, const char *format, va_list args)
{
	size_t used;

	if (err->status != HVCOV_EXIT_OK)
		return;
	err->status = status;
	vsnprintf(err->text, sizeof(err->text), format, args);
	used = strlen(err->text);
	if (suffix)
		snprintf(err->text + used, sizeof(err->text) - used, ": %s",
			 suffix);
	/* One line whatever the image put into a name. */
	for (char *c = err->text; *c; c++)
		if (*c == '\n' || *c == '\r')
			*c = ' ';
}

bool error_set(struct error *err, enum hvcov_exit status, const char *format,
	       ...)
{
	va_list args;

	va_start(args, format);
	error_vset(err, status, NULL, format, args);
	va_end(args);
	return false;
}

bool error_errno(struct error *err, const char *format, ...)
{
	const char *reason = strerror(errno);
	va_list args;

	va_start(args, format);
	error_vset(err, HVCOV_EXIT_SYSTEM, reason, format, args);
	va_end(args);
	return false;
}
