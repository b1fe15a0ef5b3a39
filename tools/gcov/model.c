/* SPDX-License-Identifier: BSD-2-Clause */
#include "model.h"

#include <stdlib.h>
#include <string.h>

bool model_lent(const struct model *model, const uint64_t *values)
{
	uintptr_t at = (uintptr_t)values, from = (uintptr_t)model->lent;

	return model->lent_size && at >= from && at - from < model->lent_size;
}

/* Frees a model in any state of construction: every array is either NULL
 * or allocated with its count already set. */
void model_free(struct model *model)
{
	for (size_t i = 0; i < model->n_objects; i++) {
		struct model_object *object = &model->objects[i];

		for (uint32_t f = 0;
		     object->functions && f < object->n_functions; f++) {
			struct model_function *function = &object->functions[f];

			for (unsigned k = 0;
			     function->counters && k < object->n_active; k++)
				if (!model_lent(model,
						function->counters[k].values))
					free(function->counters[k].values);
			free(function->counters);
		}
		free(object->functions);
		free(object->filename);
	}
	free(model->objects);
	memset(model, 0, sizeof(*model));
}
