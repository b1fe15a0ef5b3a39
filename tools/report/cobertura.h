/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Cobertura XML (the coverage-04 DTD that CI servers read) from an lcov
 * tracefile: one package per source directory, one class per source file,
 * per line its hits and, where gcov saw branches, how many were taken.
 */
#ifndef HVCOV_REPORT_COBERTURA_H
#define HVCOV_REPORT_COBERTURA_H

#include <stdbool.h>
#include <stdint.h>

#include "base/error.h"

/* Write tracefile's data to path (through a temporary name and a rename);
 * timestamp is the report's time, in seconds since the epoch. */
bool report_cobertura(const char *tracefile, const char *path,
		      int64_t timestamp, const char *version,
		      struct error *err);

#endif
