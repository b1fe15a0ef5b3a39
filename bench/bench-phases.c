/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * bench-phases: where the time of one extraction goes, measured with the
 * library hvcov itself is built from.
 *
 *   bench-phases IMAGE DIR
 *
 * DIR must not exist.  Prints three lines, "<phase> <seconds>":
 *
 *   read     load, locate and decode IMAGE (source_read, as hvcov does)
 *   libgcov  libgcov alone: the host libgcov (hostgcov_dump: the forked
 *            child, __gcov_init of every object, __gcov_dump) writing every
 *            object into DIR/libgcov/..., whose directories exist already,
 *            with none of the writer's checks, temporary files, renames,
 *            fsyncs or ledger
 *   write    the whole writer (writer_write) into DIR/writer, as
 *            `hvcov extract -o DIR/writer` does after reading
 *
 * libgcov / write is the share of the writer that libgcov itself takes.
 *
 * Exit status: 0 measured, 1 the image was refused, 2 usage or I/O error.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "source/source.h"
#include "write/hostgcov.h"
#include "write/writer.h"

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int failed(const struct error *err)
{
	fprintf(stderr, "bench-phases: %s\n", err->text);
	return err->status ? (int)err->status : 2;
}

static char *join(const char *a, const char *b)
{
	size_t size = strlen(a) + strlen(b) + 1;
	char *text = malloc(size);

	if (text)
		snprintf(text, size, "%s%s", a, b);
	return text;
}

/* mkdir -p of the directory part of path. */
static bool make_parents(char *path)
{
	for (char *slash = strchr(path + 1, '/'); slash;
	     slash = strchr(slash + 1, '/')) {
		*slash = '\0';
		if (mkdir(path, 0777) != 0 && errno != EEXIST) {
			*slash = '/';
			return false;
		}
		*slash = '/';
	}
	return true;
}

/* libgcov alone, every directory made beforehand (untimed). */
static int time_libgcov(const struct model *model, const char *dir,
			double *seconds)
{
	const struct model_object **objects =
		calloc(model->n_objects, sizeof(*objects));
	char **paths = calloc(model->n_objects, sizeof(*paths));
	struct error err = { 0 };
	double start;
	int status = 0;

	if (!objects || !paths) {
		fputs("bench-phases: out of memory\n", stderr);
		return 2;
	}
	for (size_t i = 0; i < model->n_objects; i++) {
		objects[i] = &model->objects[i];
		paths[i] = join(dir, model->objects[i].filename);
		if (!paths[i] || !make_parents(paths[i])) {
			fprintf(stderr, "bench-phases: cannot prepare %s\n",
				dir);
			status = 2;
			goto out;
		}
	}
	start = now();
	if (!hostgcov_dump(objects, (const char *const *)paths,
			   model->n_objects, &err)) {
		status = failed(&err);
		goto out;
	}
	*seconds = now() - start;
out:
	for (size_t i = 0; i < model->n_objects; i++)
		free(paths[i]);
	free(paths);
	free(objects);
	return status;
}

int main(int argc, char **argv)
{
	struct source source = { 0 };
	struct writer_options options = { 0 };
	struct writer_report report;
	struct error err = { 0 };
	struct image image;
	struct header header;
	struct model model;
	double start, read_s, libgcov_s = 0, write_s;
	char *libgcov_dir, *writer_dir;
	int status;

	if (argc != 3) {
		fputs("Usage: bench-phases IMAGE DIR\n", stderr);
		return 2;
	}
	if (mkdir(argv[2], 0777) != 0) {
		fprintf(stderr, "bench-phases: cannot create %s: %s\n", argv[2],
			strerror(errno));
		return 2;
	}
	source.path = argv[1];
	start = now();
	if (!source_read(&source, &image, &header, &model, &err))
		return failed(&err);
	read_s = now() - start;

	libgcov_dir = join(argv[2], "/libgcov");
	writer_dir = join(argv[2], "/writer");
	status = libgcov_dir && writer_dir
			 ? time_libgcov(&model, libgcov_dir, &libgcov_s)
			 : 2;
	free(libgcov_dir);
	if (status) {
		free(writer_dir);
		goto out;
	}
	options.output_root = writer_dir;
	start = now();
	if (!writer_write(&model, &options, &report, &err))
		status = failed(&err);
	write_s = now() - start;
	free(writer_dir);
	if (!status)
		printf("read %.6f\nlibgcov %.6f\nwrite %.6f\n", read_s,
		       libgcov_s, write_s);
out:
	image_free(&image);
	model_free(&model);
	return status;
}
