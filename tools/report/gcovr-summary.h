/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The totals of gcovr's JSON summary (--json-summary, gcovr 5 and later):
 * the top-level line_, function_ and branch_ total and covered counts, and
 * how many files its "files" array lists.  Read here, in C, by a strict
 * little JSON reader, not by a script: a key that is missing, not a
 * non-negative integer, or a covered count above its total is an error,
 * never a zero.
 */
#ifndef HVCOV_REPORT_GCOVR_SUMMARY_H
#define HVCOV_REPORT_GCOVR_SUMMARY_H

#include <stdbool.h>
#include <stddef.h>

#include "base/error.h"
#include "tracefile.h"

/* The summary in text (len bytes, need not end in NUL); name is for the
 * error message.  False with err set (status 1) for anything else. */
bool gcovr_summary_parse(const char *text, size_t len, const char *name,
			 struct trace_totals *totals, struct error *err);

/* The same for the file at path, called name in errors (status 2 when it
 * cannot be read). */
bool gcovr_summary_totals(const char *path, const char *name,
			  struct trace_totals *totals, struct error *err);

#endif
