/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The neutral coverage model: what the reader decodes from an image and the
 * writer hands to libgcov.  Host memory only, host byte order, no pointer into
 * the image survives in it.  Owned by one struct model; model_free()
 * releases everything.
 */
#ifndef HVCOV_MODEL_H
#define HVCOV_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Which header told the reader where the gcov data is. */
enum model_header {
	MODEL_HEADER_HVCOV,     /* hvcov's own descriptor */
	MODEL_HEADER_JAILHOUSE, /* Jailhouse's "JAILHOUS" header */
};

/* One counter array of one function: ctr_info in GCC's terms. */
struct model_counters {
	unsigned kind; /* counter kind index in this object's GCC table */
	uint32_t num;  /* number of values */
	/* Hypervisor address of the image's values[0] (checked to lie in the
	 * image with all num values); live snapshots re-read them there. */
	uint64_t address;
	uint64_t *values;
};

struct model_function {
	/* false: a NULL or foreign-keyed functions[] entry (an unselected
	 * COMDAT copy); libgcov writes such a function as an empty record and
	 * the fields below are zero. */
	bool present;
	uint32_t ident;
	uint32_t lineno_checksum;
	uint32_t cfg_checksum;
	/* One entry per active counter kind of the object, in kind order. */
	struct model_counters *counters;
};

struct model_object {
	uint64_t address; /* hypervisor address of its gcov_info (messages) */
	uint32_t version; /* gcov version word */
	uint32_t stamp;
	uint32_t checksum; /* GCC 12+; 0 before */
	char *filename;    /* absolute .gcda path as compiled in */
	/* Bit k set: counter kind k is active (merge[k] non-NULL). */
	uint32_t active_kinds;
	unsigned n_active; /* number of bits set in active_kinds */
	uint32_t n_functions;
	struct model_function *functions;
};

struct model {
	enum model_header header;
	uint16_t machine;     /* ELF e_machine */
	uint8_t pointer_size; /* 4 or 8 */
	bool big_endian;
	uint32_t gcov_version; /* from the descriptor (0 for Jailhouse) */
	uint64_t link_base;    /* hypervisor address of image offset 0 */
	uint64_t image_size;
	uint64_t boot_id; /* 0 where the header has none */
	uint32_t state;   /* HVCOV_STATE_*; DISABLED for Jailhouse */
	size_t n_objects;
	struct model_object *objects;
	/* Counter values inside [lent, lent + lent_size) are the image's
	 * own bytes (image.lend_counters): not the model's to free, valid
	 * while that image is.  (A range, not a flag per array: the model
	 * of 20,000 objects has 200,000 arrays.) */
	const uint8_t *lent;
	size_t lent_size;
	/* reader_take_counters(): every counter array is in the pool. */
	bool values_pooled;
	/* Where the reader puts the functions and counter-record arrays
	 * (model_calloc()); NULL for a model built array by array with
	 * calloc, each of which model_free() then frees. */
	struct model_pool *pool;
};

void model_free(struct model *model);

/* calloc() from the model's pool, aligned for the model's own structures:
 * n zeroed elements of size bytes, NULL when out of memory.  They live
 * until model_free(). */
void *model_calloc(struct model *model, size_t n, size_t size);

/* For a process that is done with objects[0 .. from - 1] and ends without
 * model_free() (hvcov's forked libgcov writer, whose copy of the model
 * this is): gives back the pool memory that holds only their arrays.
 * Objects from `from` on stay whole. */
void model_release_before(struct model *model, size_t from);

/* Whether values are the image's bytes (see model.lent). */
bool model_lent(const struct model *model, const uint64_t *values);

#endif
