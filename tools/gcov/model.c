/* SPDX-License-Identifier: BSD-2-Clause */
#include "model.h"

#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

/* The reader makes two small arrays a function (its record in the
 * object's functions array, its counter records): as many malloc calls
 * would cost 16 bytes of header and rounding each, a third of what they
 * hold, and the skeleton is the largest thing hvcov holds beside the
 * image.  Chunks come from mmap, not malloc: they are zero and take memory
 * only as they are used, and model_free() gives them back at once. */
struct model_pool {
	struct model_pool *next;
	size_t size, used; /* of the whole mapping, header included */
};

#define POOL_CHUNK ((size_t)256 * 1024)
/* The strictest member of the pooled structures: a uint64_t or a pointer.
 * (malloc's 16 would round each counter record from 24 bytes to 32.) */
#define POOL_ALIGN ((size_t)8)
_Static_assert(POOL_ALIGN % _Alignof(struct model_counters) == 0 &&
		       POOL_ALIGN % _Alignof(struct model_function) == 0,
	       "pool alignment");
#define POOL_HEADER                                                            \
	((sizeof(struct model_pool) + POOL_ALIGN - 1) / POOL_ALIGN * POOL_ALIGN)

void *model_calloc(struct model *model, size_t n, size_t size)
{
	struct model_pool *chunk = model->pool;
	size_t need, map;
	void *p;

	if (size && n > (SIZE_MAX - POOL_HEADER - POOL_ALIGN) / size)
		return NULL;
	need = (n * size + POOL_ALIGN - 1) / POOL_ALIGN * POOL_ALIGN;
	if (!chunk || need > chunk->size - chunk->used) {
		map = need + POOL_HEADER > POOL_CHUNK ? need + POOL_HEADER
						      : POOL_CHUNK;
		p = mmap(NULL, map, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (p == MAP_FAILED)
			return NULL;
		chunk = p;
		chunk->size = map;
		chunk->used = POOL_HEADER;
		chunk->next = model->pool;
		model->pool = chunk;
	}
	p = (uint8_t *)chunk + chunk->used;
	chunk->used += need;
	return p;
}

bool model_lent(const struct model *model, const uint64_t *values)
{
	uintptr_t at = (uintptr_t)values, from = (uintptr_t)model->lent;

	return model->lent_size && at >= from && at - from < model->lent_size;
}

/* model_calloc() hands out memory in order, from the newest chunk or a
 * new one, and the reader makes each object's arrays after those of the
 * objects before it: every chunk older than the one holding the first
 * array of objects[from] (or of the first object after it that has any)
 * holds arrays of earlier objects only. */
void model_release_before(struct model *model, size_t from)
{
	const void *first = NULL;
	struct model_pool *chunk, *older;

	for (size_t i = from; !first && i < model->n_objects; i++)
		first = model->objects[i].functions;
	for (chunk = model->pool; first && chunk; chunk = chunk->next) {
		uintptr_t at = (uintptr_t)first, base = (uintptr_t)chunk;

		if (at >= base && at - base < chunk->size)
			break;
	}
	if (!first || !chunk)
		return;
	older = chunk->next;
	chunk->next = NULL;
	while (older) {
		struct model_pool *next = older->next;

		munmap(older, older->size);
		older = next;
	}
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
				if (!model->values_pooled &&
				    !model_lent(model,
						function->counters[k].values))
					free(function->counters[k].values);
			if (!model->pool)
				free(function->counters);
		}
		if (!model->pool)
			free(object->functions);
		free(object->filename);
	}
	free(model->objects);
	while (model->pool) {
		struct model_pool *next = model->pool->next;

		munmap(model->pool, model->pool->size);
		model->pool = next;
	}
	memset(model, 0, sizeof(*model));
}
