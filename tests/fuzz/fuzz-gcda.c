/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The .gcda parser, which reads an existing file before --merge adds to it
 * (the output tree may hold anything).  An accepted file's every counter is
 * read back, so that a record that claims more values than it holds is
 * caught.
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "gcov/gcda.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t *copy = malloc(size ? size : 1);
	struct error err = { 0 };
	struct gcda_file file;
	uint64_t sum = 0;
	bool ok;

	if (!copy)
		return 0;
	memcpy(copy, data, size);
	ok = gcda_parse(copy, size, "fuzz.gcda", &file, &err);
	fuzz_check_error(&err, ok);
	if (ok) {
		for (uint32_t f = 0; f < file.n_functions; f++)
			for (unsigned c = 0; c < file.functions[f].n_counts;
			     c++) {
				const struct gcda_counts *counts =
					&file.functions[f].counts[c];

				/* An all-zero record stores no values
				 * (and may claim 2^31 of them). */
				for (uint32_t i = 0;
				     counts->values && i < counts->num; i++)
					sum += gcda_counter(counts, i);
			}
		gcda_free(&file);
	}
	free(copy);
	return sum == 1 ? 0 : 0;
}
