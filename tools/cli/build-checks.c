/* SPDX-License-Identifier: BSD-2-Clause */
#include "build-checks.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/json.h"
#include "hvcov/descriptor.h"
#include "options.h"
#include "write/outpath.h"
#include "llvm/profraw.h"

struct tally {
	size_t sections_match, sections_outside, sections_bad;
	size_t objects_match, objects_missing, objects_bad;
};

static void list_section(const struct section_check *c)
{
	printf("section %-16s 0x%08" PRIx64 " + %-8" PRIu64 " ", c->name,
	       c->address, c->size);
	switch (c->outcome) {
	case SECTION_MATCH:
		puts("matches the image");
		break;
	case SECTION_OUTSIDE:
		puts("outside the image: not compared");
		break;
	case SECTION_STRADDLES:
		puts("MISMATCH: only partly inside the image");
		break;
	case SECTION_DIFFERS:
		printf("MISMATCH at 0x%" PRIx64
		       " (ELF 0x%02x, image 0x%02x; %" PRIu64 " differing)\n",
		       c->first_difference, c->elf_byte, c->image_byte,
		       c->differing_bytes);
		break;
	}
}

static void json_section(FILE *out, const struct section_check *c, bool first)
{
	static const char *const result[] = {
		[SECTION_MATCH] = "match",
		[SECTION_OUTSIDE] = "outside",
		[SECTION_STRADDLES] = "straddles",
		[SECTION_DIFFERS] = "differs",
	};

	fputs(first ? "{\"name\": " : ", {\"name\": ", out);
	json_string(out, c->name);
	fputs(", \"address\": ", out);
	json_hex64(out, c->address);
	fprintf(out, ", \"size\": %" PRIu64 ", \"result\": \"%s\"", c->size,
		result[c->outcome]);
	if (c->outcome == SECTION_DIFFERS) {
		fputs(", \"first_difference\": ", out);
		json_hex64(out, c->first_difference);
		fprintf(out,
			", \"elf_byte\": %u, \"image_byte\": %u, \"differing_bytes\": %" PRIu64,
			(unsigned)c->elf_byte, (unsigned)c->image_byte,
			c->differing_bytes);
	}
	fputc('}', out);
}

static void section_error(const struct elf_image *elf,
			  const struct section_check *c, struct error *err)
{
	if (c->outcome == SECTION_STRADDLES)
		error_set(err, HVCOV_EXIT_DATA,
			  "%s: section %s (0x%" PRIx64 " + %" PRIu64
			  ") is only partly inside the image",
			  elf->file.quoted, c->name, c->address, c->size);
	else
		error_set(err, HVCOV_EXIT_DATA,
			  "%s: section %s differs from the image at 0x%" PRIx64
			  " (ELF 0x%02x, image 0x%02x; %" PRIu64
			  " byte%s differ%s): the image is not from this build",
			  elf->file.quoted, c->name, c->first_difference,
			  c->elf_byte, c->image_byte, c->differing_bytes,
			  c->differing_bytes == 1 ? "" : "s",
			  c->differing_bytes == 1 ? "s" : "");
}

static int check_sections(const struct verify_options *options,
			  const struct elf_image *elf,
			  const struct image *image, struct tally *tally,
			  struct error *err)
{
	struct section_check *checks;
	size_t n;

	if (!elf_image_compare(elf, image, &checks, &n, err))
		return report_error(err);
	/* The whole array or nothing: verify --json writes null for checks
	 * that never ran. */
	if (options->sections_json)
		fputc('[', options->sections_json);
	for (size_t i = 0; i < n; i++) {
		if (options->list)
			list_section(&checks[i]);
		if (options->sections_json)
			json_section(options->sections_json, &checks[i],
				     i == 0);
		if (checks[i].outcome == SECTION_MATCH)
			tally->sections_match++;
		else if (checks[i].outcome == SECTION_OUTSIDE)
			tally->sections_outside++;
		else if (tally->sections_bad++ == 0)
			section_error(elf, &checks[i], err);
	}
	if (options->sections_json)
		fputc(']', options->sections_json);
	free(checks);
	if (tally->sections_match + tally->sections_bad == 0)
		error_set(
			err, HVCOV_EXIT_DATA,
			"%s: no read-only section lies in the image 0x%" PRIx64
			" + %" PRIu64 ": nothing to compare",
			elf->file.quoted, image->base, image->size);
	return HVCOV_EXIT_OK;
}

static void list_object(const struct gcno_check *c)
{
	char gcda[300], gcno[300];

	outpath_quote(c->object->filename, gcda, sizeof(gcda));
	outpath_quote(c->path, gcno, sizeof(gcno));
	printf("object  %s ", gcda);
	switch (c->outcome) {
	case GCNO_MATCH:
		printf("matches %s\n", gcno);
		break;
	case GCNO_STALE:
		printf("MISMATCH: stamp 0x%08" PRIx32 " (version 0x%08" PRIx32
		       ") in the image, 0x%08" PRIx32 " (0x%08" PRIx32
		       ") in %s\n",
		       c->object->stamp, c->object->version, c->stamp,
		       c->version, gcno);
		break;
	case GCNO_INVALID:
		printf("MISMATCH: %s is not a .gcno file\n", gcno);
		break;
	case GCNO_MISSING:
		printf("has no .gcno (looked for %s)\n", gcno);
		break;
	}
}

static void json_object(FILE *out, const struct gcno_check *c, bool first)
{
	static const char *const result[] = {
		[GCNO_MATCH] = "match",
		[GCNO_STALE] = "stale",
		[GCNO_INVALID] = "not_gcno",
		[GCNO_MISSING] = "missing",
	};

	fputs(first ? "{\"filename\": " : ", {\"filename\": ", out);
	json_string(out, c->object->filename);
	fputs(", \"gcno\": ", out);
	json_string(out, c->path);
	fprintf(out,
		", \"result\": \"%s\", \"image_stamp\": \"0x%08" PRIx32 "\"",
		result[c->outcome], c->object->stamp);
	if (c->outcome == GCNO_MATCH || c->outcome == GCNO_STALE)
		fprintf(out,
			", \"gcno_stamp\": \"0x%08" PRIx32
			"\", \"gcno_version\": \"0x%08" PRIx32 "\"",
			c->stamp, c->version);
	fputc('}', out);
}

/* All objects that do not match, in one line. */
static void stale_error(const struct gcno_check *checks, size_t n, size_t n_bad,
			struct error *err)
{
	char list[400] = "";
	size_t used = 0;

	for (size_t i = 0; i < n && used < sizeof(list) - 1; i++) {
		char gcda[200];
		int w;

		if (checks[i].outcome != GCNO_STALE &&
		    checks[i].outcome != GCNO_INVALID)
			continue;
		w = snprintf(list + used, sizeof(list) - used, "%s%s",
			     used ? ", " : "",
			     outpath_quote(checks[i].object->filename, gcda,
					   sizeof(gcda)));
		used = w < 0 ? sizeof(list) - 1 : used + (size_t)w;
	}
	error_set(
		err, HVCOV_EXIT_DATA,
		"%zu object%s of the image do%s not match the .gcno of this build (stale build tree, or an image of another build): %s",
		n_bad, n_bad == 1 ? "" : "s", n_bad == 1 ? "es" : "", list);
}

static int check_gcno(const struct verify_options *options,
		      const struct model *model, struct tally *tally,
		      struct error *err)
{
	struct gcno_check *checks;

	if (!gcno_check_model(model, &options->place, &checks, err))
		return report_error(err);
	if (options->objects_json)
		fputc('[', options->objects_json);
	for (size_t i = 0; i < model->n_objects; i++) {
		if (options->list)
			list_object(&checks[i]);
		/* Same stamp, other gcov version: the writer refuses it,
		 * naming both GCC releases. */
		if (options->stamps_only && checks[i].outcome == GCNO_STALE &&
		    checks[i].stamp == checks[i].object->stamp)
			checks[i].outcome = GCNO_MISSING;
		if (options->objects_json)
			json_object(options->objects_json, &checks[i], i == 0);
		if (checks[i].outcome == GCNO_MATCH)
			tally->objects_match++;
		else if (checks[i].outcome == GCNO_MISSING)
			tally->objects_missing++;
		else
			tally->objects_bad++;
	}
	if (options->objects_json)
		fputc(']', options->objects_json);
	if (tally->objects_bad)
		stale_error(checks, model->n_objects, tally->objects_bad, err);
	if (tally->objects_missing && options->require_gcno)
		error_set(err, HVCOV_EXIT_DATA,
			  "%zu of %zu objects have no .gcno (--require-gcno)",
			  tally->objects_missing, model->n_objects);
	else if (options->stamps_only)
		;
	else if (tally->objects_missing == model->n_objects && model->n_objects)
		warning("no .gcno found for any of the %zu objects: their stamps are not checked",
			model->n_objects);
	else
		for (size_t i = 0; i < model->n_objects; i++) {
			char gcno[300];

			if (checks[i].outcome != GCNO_MISSING)
				continue;
			warning("no .gcno for this object at %s: its stamp is not checked",
				outpath_quote(checks[i].path, gcno,
					      sizeof(gcno)));
		}
	gcno_checks_free(checks, model->n_objects);
	return HVCOV_EXIT_OK;
}

int verify_build(const struct verify_options *options,
		 const struct elf_image *elf, const struct image *image,
		 const struct header *header, const struct model *model)
{
	char placement[160];

	struct tally tally = { 0 };
	struct error err = { 0 };
	int status;

	if (elf) {
		status = check_sections(options, elf, image, &tally, &err);
		if (status)
			return status;
	}
	/* A clang image's profile layout is the stub's compiler's: objects
	 * from a clang release with another layout would be misread. */
	if (elf && header->format_version == HVCOV_FORMAT_VERSION_LLVM &&
	    !err.status) {
		unsigned majors[8];
		size_t n;

		if (!elf_image_clang_majors(elf, majors, 8, &n, &err))
			return report_error(&err);
		for (size_t i = 0; i < n && !err.status; i++)
			if (profraw_version_for((uint32_t)majors[i] << 16) !=
			    profraw_version_for(header->clang_version))
				error_set(
					&err, HVCOV_EXIT_DATA,
					"%s: its .comment names clang %u, whose raw profile layout is not that of the stub's clang %u.%u.%u: build the stub and the measured code with one clang",
					elf->file.quoted, majors[i],
					header->clang_version >> 16,
					(header->clang_version >> 8) & 0xff,
					header->clang_version & 0xff);
	}
	status = check_gcno(options, model, &tally, &err);
	if (status)
		return status;
	if (err.status && options->force) {
		warning("--force: going on although %s", err.text);
		return HVCOV_EXIT_OK;
	}
	if (err.status)
		return report_error(&err);
	header_placement_text(header, placement, sizeof(placement));
	if (options->list)
		printf("placement: %s\n", placement);
	/* A clang image has no .gcno stamps; its profile sections were
	 * checked when it was read (source.c). */
	if (options->list &&
	    header->format_version == HVCOV_FORMAT_VERSION_LLVM && elf)
		printf("verified: %zu section%s match the ELF (%zu outside the image), the clang profile sections are consistent\n",
		       tally.sections_match,
		       tally.sections_match == 1 ? "" : "s",
		       tally.sections_outside);
	else if (options->list &&
		 header->format_version == HVCOV_FORMAT_VERSION_LLVM)
		printf("verified: the clang profile sections are consistent (no --elf: sections not compared)\n");
	else if (options->list && elf)
		printf("verified: %zu section%s match the ELF (%zu outside the image), %zu of %zu objects match their .gcno\n",
		       tally.sections_match,
		       tally.sections_match == 1 ? "" : "s",
		       tally.sections_outside, tally.objects_match,
		       model->n_objects);
	else if (options->list)
		printf("verified: %zu of %zu objects match their .gcno (no --elf: sections not compared)\n",
		       tally.objects_match, model->n_objects);
	return HVCOV_EXIT_OK;
}

int read_verified(const struct verify_options *options,
		  const struct source *source, bool always, struct image *image,
		  struct model *model)
{
	struct header header;

	return read_verified_header(options, source, always, image, model,
				    &header);
}

int read_verified_header(const struct verify_options *options,
			 const struct source *source, bool always,
			 struct image *image, struct model *model,
			 struct header *header)
{
	struct error err = { 0 };
	struct elf_image elf;
	int status = HVCOV_EXIT_OK;

	if (!source_read_elf(source, image, header, model, &elf, &err))
		return report_error(&err);
	if (source->elf || always)
		status = verify_build(options, source->elf ? &elf : NULL, image,
				      header, model);
	elf_image_close(&elf);
	if (status) {
		image_free(image);
		model_free(model);
	}
	return status;
}
