/* SPDX-License-Identifier: BSD-2-Clause */
#ifdef HAVE_CONFIG_H
#include <config.h>
#endif

#include "image-json.h"

#include <inttypes.h>

#include "base/json.h"
#include "base/sha256.h"
#include "gcov/gcc-layout.h"
#include "image/arch.h"
#include "image/header.h"

const char *source_name(const struct source *source)
{
	return source->core   ? source->core
	       : source->path ? source->path
			      : SOURCE_DEFAULT_PATH;
}

void json_document_head(FILE *out, const char *generator)
{
	fprintf(out, "{\n  \"schema_version\": %d,\n  \"generator\": ",
		HVCOV_JSON_SCHEMA);
	json_string(out, generator);
	fputs(",\n  \"hvcov_version\": ", out);
	json_string(out, PACKAGE_VERSION);
	fprintf(out, ",\n  \"libgcov_version_word\": \"0x%08x\"",
		(unsigned)HVCOV_HOST_GCOV_VERSION);
}

void json_image_facts(FILE *out, const struct source *source,
		      const struct image *image, const struct model *model)
{
	char sha[65], gcc[16];
	uint32_t version = model->n_objects ? model->objects[0].version
					    : model->gcov_version;

	sha256_hex(image->buffer, image->buffer_size, sha);
	fputs("{\"source\": ", out);
	json_string(out, source_name(source));
	fprintf(out,
		", \"bytes_read\": %zu, \"sha256\": \"%s\", \"architecture\": ",
		image->buffer_size, sha);
	json_string(out, arch_name(model->machine));
	fputs(", \"compiler\": \"GCC ", out);
	/* gcc_version_text gives digits and dots only. */
	fputs(gcc_version_text(version, gcc, sizeof(gcc)), out);
	fputc('"', out);
	fputs(", \"link_base\": ", out);
	json_hex64(out, model->link_base);
	fputs(", \"boot_id\": ", out);
	json_hex64(out, model->boot_id);
	fprintf(out, ", \"state\": \"%s\", \"objects\": [",
		header_state_name(model->state));
	for (size_t i = 0; i < model->n_objects; i++) {
		fputs(i ? ", {\"filename\": " : "{\"filename\": ", out);
		json_string(out, model->objects[i].filename);
		fprintf(out, ", \"stamp\": \"0x%08x\"}",
			(unsigned)model->objects[i].stamp);
	}
	fputs("]}", out);
}

bool json_elf_facts(FILE *out, const struct source *source, bool verified)
{
	char sha[65];
	bool ok;

	if (!source->elf) {
		fputs("null", out);
		return true;
	}
	ok = sha256_file_hex(source->elf, sha);
	fputs("{\"path\": ", out);
	json_string(out, source->elf);
	if (ok)
		fprintf(out, ", \"sha256\": \"%s\"", sha);
	else
		fputs(", \"sha256\": null", out);
	fprintf(out, ", \"verify\": \"%s\"}", verified ? "passed" : "not run");
	return ok;
}
