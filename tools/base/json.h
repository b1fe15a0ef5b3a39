/* SPDX-License-Identifier: BSD-2-Clause */
/* Just enough JSON output for --json: strings from an image are untrusted
 * bytes, so everything that is not printable ASCII is escaped. */
#ifndef HVCOV_JSON_H
#define HVCOV_JSON_H

#include <stdio.h>

void json_string(FILE *out, const char *text);

#endif
