/* SPDX-License-Identifier: BSD-2-Clause */
/* Just enough JSON output for --json.  Strings from an image are untrusted
 * bytes: well-formed UTF-8 goes out as is, control characters escaped, and
 * any other byte becomes U+FFFD.  A 64-bit value that may pass 2^53 (an
 * address, a boot id) is a hex string: JSON readers hold numbers as
 * doubles. */
#ifndef HVCOV_JSON_H
#define HVCOV_JSON_H

#include <inttypes.h>
#include <stdio.h>

/* The version of the JSON documents hvcov writes; it changes when a field
 * changes meaning or type. */
#define HVCOV_JSON_SCHEMA 1

void json_string(FILE *out, const char *text);
void json_hex64(FILE *out, uint64_t value);

#endif
