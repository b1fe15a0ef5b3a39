/* SPDX-License-Identifier: BSD-2-Clause */
#include "json.h"

#include <stdint.h>

/* The length of the well-formed UTF-8 sequence at s (1 to 4), or 0: no
 * overlong forms, no surrogates, nothing above U+10FFFF (RFC 3629). */
static size_t utf8_length(const unsigned char *s)
{
	uint32_t code;
	size_t length;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		length = 2, code = s[0] & 0x1f;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		length = 3, code = s[0] & 0x0f;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		length = 4, code = s[0] & 0x07;
	else
		return 0;
	for (size_t i = 1; i < length; i++) {
		/* A NUL ends the string here, and fails this test too. */
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		code = code << 6 | (s[i] & 0x3f);
	}
	if ((length == 3 && code < 0x800) ||
	    (length == 4 && (code < 0x10000 || code > 0x10ffff)) ||
	    (code >= 0xd800 && code <= 0xdfff))
		return 0;
	return length;
}

void json_string(FILE *out, const char *text)
{
	const unsigned char *c = (const unsigned char *)text;

	fputc('"', out);
	while (*c) {
		size_t length = utf8_length(c);

		if (*c == '"' || *c == '\\') {
			fprintf(out, "\\%c", *c);
		} else if (*c < 0x20 || *c == 0x7f) {
			fprintf(out, "\\u%04x", *c);
		} else if (length) {
			/* JSON text is UTF-8: a character goes out as is, so
			 * "ränder.img" reads back as itself. */
			fwrite(c, 1, length, out);
			c += length;
			continue;
		} else {
			/* A byte that is no UTF-8 has no JSON spelling; it
			 * becomes U+FFFD, as a UTF-8 decoder would make it. */
			fputs("\\ufffd", out);
		}
		c++;
	}
	fputc('"', out);
}

void json_hex64(FILE *out, uint64_t value)
{
	fprintf(out, "\"0x%016" PRIx64 "\"", value);
}
