/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Write the malformed-image matrix (tests/robustness/malformed.c) as files for the
 * command-line test: DIR/NAME.img for every case and DIR/good.img, and on
 * stdout one line per case, "NAME TEXT", TEXT being what the error must say.
 *
 * usage: malformed-images VERSION_HEX DIR
 */
#include <stdio.h>
#include <stdlib.h>

#include "malformed.h"

static int write_image(const char *dir, const char *name, size_t i,
		       uint32_t version)
{
	char path[4096];
	size_t size;
	uint8_t *bytes = malformed_build(i, version, &size);
	FILE *f;
	int status = 0;

	snprintf(path, sizeof(path), "%s/%s.img", dir, name);
	f = fopen(path, "wb");
	if (!bytes || !f || fwrite(bytes, 1, size, f) != size) {
		perror(path);
		status = -1;
	}
	if (f && fclose(f) != 0)
		status = -1;
	free(bytes);
	return status;
}

int main(int argc, char **argv)
{
	uint32_t version;
	int status = 0;

	if (argc != 3) {
		fprintf(stderr, "usage: malformed-images VERSION_HEX DIR\n");
		return 2;
	}
	version = (uint32_t)strtoul(argv[1], NULL, 16);
	for (size_t i = 0; i < malformed_count; i++) {
		const struct malformed_case *c = malformed_case(i);

		status |= write_image(argv[2], c->name, i, version);
		printf("%s %s\n", c->name,
		       c->cli_expect ? c->cli_expect : c->expect);
	}
	status |= write_image(argv[2], "good", malformed_count, version);
	return status ? 1 : 0;
}
