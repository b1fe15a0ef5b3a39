/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Path confinement, lexically: the input's first byte picks an output root
 * and a --strip count, the rest is a .gcda path as an image would name it.
 * An accepted path must map strictly below the root: no empty, "." or ".."
 * component, no control character, a base name ending in ".gcda", and the
 * display name exactly root/rel_dir/base.  outpath_quote() must stay
 * inside any buffer it is given and always terminate it.
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "write/outpath.h"

static const char *const roots[] = { NULL, "out", "/tmp/hvcov-out", "o/" };

static void check_components(const char *dir, const char *path)
{
	const char *comp = dir;

	if (!*dir)
		return;
	for (;;) {
		const char *end = strchr(comp, '/');
		size_t len = end ? (size_t)(end - comp) : strlen(comp);

		if (len == 0 || (len == 1 && comp[0] == '.') ||
		    (len == 2 && comp[0] == '.' && comp[1] == '.'))
			fuzz_violation("an accepted path escapes its root",
				       path);
		if (!end)
			return;
		comp = end + 1;
	}
}

static void check_accepted(const struct outpath *out, const char *root,
			   const char *path)
{
	size_t base_len = strlen(out->base);
	size_t root_len = strlen(out->root);

	check_components(out->rel_dir, path);
	if (base_len <= 5 || strcmp(out->base + base_len - 5, ".gcda") ||
	    strchr(out->base, '/') || !strcmp(out->base, "..") ||
	    !strcmp(out->base, "."))
		fuzz_violation("an accepted base name is not NAME.gcda", path);
	for (const unsigned char *c = (const unsigned char *)path; *c; c++)
		if (*c < 0x20 || *c == 0x7f)
			fuzz_violation(
				"an accepted path has a control character",
				path);
	if (root && strcmp(out->root, root))
		fuzz_violation("the root changed", path);
	if (strncmp(out->display, out->root, root_len) ||
	    !strstr(out->display + root_len, out->rel_dir) ||
	    strlen(out->display) < base_len ||
	    strcmp(out->display + strlen(out->display) - base_len, out->base))
		fuzz_violation("the display name is not root/dir/base", path);
	if (strlen(out->display) >= PATH_MAX)
		fuzz_violation("an accepted path is longer than PATH_MAX",
			       path);
	if (!root && !out->in_place != (out->root[0] == '.'))
		fuzz_violation("in place but not at /", path);
}

static void check_quote(const char *text, unsigned size)
{
	char *buf = malloc(size ? size : 1);

	if (!buf)
		return;
	outpath_quote(text, buf, size);
	if (size && !memchr(buf, '\0', size))
		fuzz_violation("outpath_quote did not terminate", NULL);
	if (size >= 3 && (buf[0] != '"' || buf[strlen(buf) - 1] != '"'))
		fuzz_violation("outpath_quote did not quote", buf);
	free(buf);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *root;
	struct error err = { 0 };
	struct outpath out;
	unsigned strip;
	char *path;
	bool ok;

	if (size < 1)
		return 0;
	root = roots[data[0] & 3];
	strip = (data[0] >> 2) & 7;
	path = malloc(size);
	if (!path)
		return 0;
	memcpy(path, data + 1, size - 1);
	path[size - 1] = '\0';

	ok = outpath_resolve(path, root, strip, &out, &err);
	fuzz_check_error(&err, ok);
	if (ok) {
		check_accepted(&out, root, path);
		outpath_free(&out);
	} else if (err.status != HVCOV_EXIT_DATA &&
		   !strstr(err.text, "memory")) {
		fuzz_violation("a refused path is not a data error", err.text);
	}
	check_quote(path, data[0] >> 3);
	free(path);
	return 0;
}
