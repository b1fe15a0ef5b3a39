/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The whole reader, image bytes to model, as `hvcov info` and `hvcov
 * extract` run it with no options: locate a header (hvcov descriptor, else
 * Jailhouse), decode every gcov_info, then summarise the model.  A decoded
 * model must be internally consistent, since the writer hands it to
 * libgcov: every object has a file name, and every present function one
 * counter array per active kind, each with its values.
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "gcov/coverage-stats.h"
#include "gcov/reader.h"
#include "image/header.h"

static void check_model(const struct model *model)
{
	struct coverage_stats total = { 0 };

	for (size_t i = 0; i < model->n_objects; i++) {
		const struct model_object *obj = &model->objects[i];
		struct coverage_stats part = { 0 };
		unsigned bits = 0;

		if (!obj->filename)
			fuzz_violation("an object without a file name", NULL);
		for (unsigned k = 0; k < 32; k++)
			bits += (obj->active_kinds >> k) & 1;
		if (bits != obj->n_active)
			fuzz_violation("active kinds and n_active disagree",
				       obj->filename);
		if (obj->n_functions && !obj->functions)
			fuzz_violation("functions missing", obj->filename);
		for (uint32_t f = 0; f < obj->n_functions; f++) {
			const struct model_function *mf = &obj->functions[f];

			if (!mf->present || !obj->n_active)
				continue;
			if (!mf->counters)
				fuzz_violation("counters missing",
					       obj->filename);
			for (unsigned c = 0; c < obj->n_active; c++)
				if (mf->counters[c].num &&
				    !mf->counters[c].values)
					fuzz_violation("values missing",
						       obj->filename);
		}
		coverage_stats_object(obj, &part);
		coverage_stats_add(&total, &part);
	}
	(void)coverage_stats_percent(&total);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct header_options options = { .format = HEADER_FORMAT_AUTO };
	struct error err = { 0 };
	struct header header;
	struct model model;
	struct image image;
	bool ok = fuzz_locate(data, size, &options, &image, &header);

	if (ok) {
		ok = reader_read(&image, &header, &model, &err);
		fuzz_check_error(&err, ok);
		if (ok)
			check_model(&model);
		else if (model.n_objects || model.objects)
			fuzz_violation("a failed read left a model", NULL);
		model_free(&model);
	}
	image_free(&image);
	return 0;
}
