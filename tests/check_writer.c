/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The writer against ground truth: a unit compiled here with the host GCC's
 * --coverage and run, so that the real libgcov writes the .gcda that the
 * writer must reproduce from a model of the same data; gcov-dump -l (an
 * independent reader) compares them and gcov reads the result against the
 * unit's .gcno.  Plus the refusals and the all-or-nothing guarantees.
 */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "gcda.h"
#include "model.h"
#include "writer.h"

static char scratch[64]; /* mkdtemp; short so paths below always fit */
static char build[128];  /* where the unit is compiled and run */

static const char unit_c[] =
	"#include <stdlib.h>\n"
	"int classify(int x)\n{\n\tif (x < 0)\n\t\treturn -1;\n"
	"\tif (x == 0)\n\t\treturn 0;\n\treturn 1;\n}\n"
	"int loop(int n)\n{\n\tint s = 0;\n\tfor (int i = 0; i < n; i++)\n"
	"\t\ts += i & 1 ? i : -i;\n\treturn s;\n}\n"
	"static int never(int x)\n{\n\treturn x * 3;\n}\n"
	"int main(int argc, char **argv)\n{\n\tint s = 0;\n"
	"\tfor (int i = 1; i < argc; i++)\n"
	"\t\ts += classify(atoi(argv[i])) + loop(atoi(argv[i]));\n"
	"\tif (s == 12345)\n\t\ts = never(s);\n\treturn 0;\n}\n";

/* ---- what a test allocates --------------------------------------------- */

/* The paths and model objects the helpers below hand to a test live until
 * the fixture's teardown frees them all, so a test body never frees and
 * LeakSanitizer runs with no suppression: any leak it reports is real. */
static char **kept_paths;
static size_t n_kept_paths;
/* Each object as its helper built it.  Tests change only scalar fields of
 * their own copy or data behind its pointers, never a pointer or a count,
 * so these copies still own exactly what was allocated; model_free()
 * releases them, objects array included. */
static struct model kept_objects;

static void keep_path(char *path)
{
	char **grown = realloc(kept_paths,
			       (n_kept_paths + 1) * sizeof(*kept_paths));

	ck_assert_ptr_nonnull(grown);
	grown[n_kept_paths++] = path;
	kept_paths = grown;
}

static void keep_object(const struct model_object *obj)
{
	struct model_object *grown =
		realloc(kept_objects.objects, (kept_objects.n_objects + 1) *
						      sizeof(*grown));

	ck_assert_ptr_nonnull(grown);
	grown[kept_objects.n_objects++] = *obj;
	kept_objects.objects = grown;
}

static void free_kept(void)
{
	for (size_t i = 0; i < n_kept_paths; i++)
		free(kept_paths[i]);
	free(kept_paths);
	kept_paths = NULL;
	n_kept_paths = 0;
	model_free(&kept_objects);
}

/* ---- helpers ---------------------------------------------------------- */

/* A formatted path, freed with the test's other allocations. */
static char *pathf(const char *format, ...)
	__attribute__((format(printf, 1, 2)));
static char *pathf(const char *format, ...)
{
	char *out = malloc(PATH_MAX);
	va_list args;

	ck_assert_ptr_nonnull(out);
	keep_path(out);
	va_start(args, format);
	ck_assert_int_lt(vsnprintf(out, PATH_MAX, format, args), PATH_MAX);
	va_end(args);
	return out;
}

static int sh(const char *format, ...) __attribute__((format(printf, 1, 2)));
static int sh(const char *format, ...)
{
	char cmd[2048];
	va_list args;
	int status;

	va_start(args, format);
	vsnprintf(cmd, sizeof(cmd), format, args);
	va_end(args);
	status = system(cmd);
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static char *capture(const char *format, ...)
	__attribute__((format(printf, 1, 2)));
static char *capture(const char *format, ...)
{
	char cmd[2048];
	va_list args;
	size_t used = 0, cap = 4096;
	char *out = malloc(cap);
	FILE *pipe;
	size_t n;

	va_start(args, format);
	vsnprintf(cmd, sizeof(cmd), format, args);
	va_end(args);
	pipe = popen(cmd, "r");
	ck_assert_ptr_nonnull(pipe);
	while ((n = fread(out + used, 1, cap - used - 1, pipe)) > 0) {
		used += n;
		if (cap - used < 2)
			out = realloc(out, cap *= 2);
	}
	out[used] = '\0';
	pclose(pipe);
	return out;
}

/* A program from the environment (configure's choice) or the first of
 * names found in PATH; Debian names gcov-dump "gcov-dump-12" too. */
static const char *tool(const char *env, const char *const *names)
{
	const char *path = getenv("PATH"), *set = getenv(env);
	static char found[8][PATH_MAX];
	static int next;

	if (set && *set)
		return set;
	for (; *names; names++) {
		const char *dir = path;

		while (dir && *dir) {
			const char *end = strchr(dir, ':');
			size_t len = end ? (size_t)(end - dir) : strlen(dir);
			char *slot = found[next % 8];

			snprintf(slot, PATH_MAX, "%.*s/%s", (int)len, dir,
				 *names);
			if (access(slot, X_OK) == 0) {
				next++;
				return slot;
			}
			dir = end ? end + 1 : NULL;
		}
	}
	return NULL;
}

static const char *gcc_tool(void)
{
	static const char *const names[] = {"gcc", NULL};

	return tool("GCOV_CC", names);
}

static const char *gcov_dump_tool(void)
{
	static const char *const names[] = {"gcov-dump", "gcov-dump-12",
					    "gcov-dump-13", "gcov-dump-14",
					    NULL};

	return tool("GCOV_DUMP", names);
}

static const char *gcov_tool(void)
{
	static const char *const names[] = {"gcov", NULL};

	return tool("GCOV", names);
}

static void need_tools(void)
{
	ck_assert_msg(gcc_tool() && gcov_dump_tool() && gcov_tool(),
		      "gcc, gcov and gcov-dump are required");
}

static void setup(void)
{
	strcpy(scratch, "/tmp/hvcov-writer-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(scratch));
	snprintf(build, sizeof(build), "%s/build", scratch);
	ck_assert_int_eq(mkdir(build, 0777), 0);
}

static void teardown(void)
{
	sh("rm -rf '%s'", scratch);
	free_kept();
}

static void write_file(const char *path, const void *data, size_t len)
{
	FILE *f = fopen(path, "wb");

	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(fwrite(data, 1, len, f), len);
	ck_assert_int_eq(fclose(f), 0);
}

static uint8_t *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf;
	long size;

	ck_assert_msg(f, "cannot open %s", path);
	fseek(f, 0, SEEK_END);
	size = ftell(f);
	rewind(f);
	buf = malloc((size_t)size + 1);
	ck_assert_uint_eq(fread(buf, 1, (size_t)size, f), (size_t)size);
	fclose(f);
	*len = (size_t)size;
	return buf;
}

static bool same_bytes(const char *a, const char *b)
{
	size_t la, lb;
	uint8_t *ba = slurp(a, &la), *bb = slurp(b, &lb);
	bool same = la == lb && !memcmp(ba, bb, la);

	free(ba);
	free(bb);
	return same;
}

/* gcov-dump -l without the file name each line starts with. */
static char *dump(const char *gcda)
{
	char *raw = capture("'%s' -l '%s' 2>&1", gcov_dump_tool(), gcda);
	char *out = malloc(strlen(raw) + 1), *o = out;
	size_t prefix = strlen(gcda);

	for (char *line = raw; *line; ) {
		char *nl = strchr(line, '\n');
		size_t len = nl ? (size_t)(nl - line + 1) : strlen(line);

		if (!strncmp(line, gcda, prefix) && line[prefix] == ':') {
			line += prefix + 1;
			len -= prefix + 1;
		}
		memcpy(o, line, len);
		o += len;
		line += len;
	}
	*o = '\0';
	free(raw);
	return out;
}

static void assert_same_dump(const char *truth, const char *written)
{
	char *a = dump(truth), *b = dump(written);

	ck_assert_msg(strstr(a, "FUNCTION"), "no functions in %s:\n%s",
		      truth, a);
	ck_assert_msg(!strcmp(a, b), "gcov-dump differs\n--- %s\n%s--- %s\n%s",
		      truth, a, written, b);
	free(a);
	free(b);
}

/* Compile the unit (once per test: fork mode gives each its own dir). */
static void compile_unit(void)
{
	char path[256];

	need_tools();
	snprintf(path, sizeof(path), "%s/unit.c", build);
	write_file(path, unit_c, strlen(unit_c));
	ck_assert_int_eq(sh("cd '%s' && '%s' --coverage -O0 -c unit.c && "
			    "'%s' --coverage unit.o -o unit", build,
			    gcc_tool(), gcc_tool()),
			 0);
}

/* Run the unit with args; its .gcda is moved to build/<as>. */
static void run_unit(const char *args, const char *as)
{
	ck_assert_int_eq(sh("cd '%s' && rm -f unit.gcda && ./unit %s && "
			    "mv unit.gcda '%s'", build, args, as),
			 0);
}

/* The model of one object built from a real .gcda: what the reader would
 * have decoded from an image of the same run.  Freed by the teardown. */
static void object_from_gcda(const char *gcda, const char *filename,
			     struct model_object *obj)
{
	struct error err = {0};
	struct gcda_file g;
	size_t len;
	uint8_t *buf = slurp(gcda, &len);

	ck_assert_msg(gcda_parse(buf, len, gcda, &g, &err), "%s", err.text);
	memset(obj, 0, sizeof(*obj));
	obj->version = g.version;
	obj->stamp = g.stamp;
	obj->checksum = g.checksum;
	obj->filename = strdup(filename);
	obj->n_functions = g.n_functions;
	obj->functions = calloc(g.n_functions, sizeof(*obj->functions));
	for (uint32_t f = 0; f < g.n_functions; f++) {
		const struct gcda_function *gf = &g.functions[f];
		struct model_function *mf = &obj->functions[f];

		if (!gf->present)
			continue;
		if (!obj->active_kinds)
			for (unsigned c = 0; c < gf->n_counts; c++) {
				obj->active_kinds |= 1u << gf->counts[c].kind;
				obj->n_active++;
			}
		mf->present = true;
		mf->ident = gf->ident;
		mf->lineno_checksum = gf->lineno_checksum;
		mf->cfg_checksum = gf->cfg_checksum;
		mf->counters = calloc(gf->n_counts, sizeof(*mf->counters));
		for (unsigned c = 0; c < gf->n_counts; c++) {
			struct model_counters *mc = &mf->counters[c];

			mc->kind = gf->counts[c].kind;
			mc->num = gf->counts[c].num;
			mc->values = calloc(mc->num + 1, sizeof(uint64_t));
			for (uint32_t i = 0; i < mc->num; i++)
				mc->values[i] = gcda_counter(&gf->counts[c], i);
		}
	}
	keep_object(obj);
	gcda_free(&g);
	free(buf);
}

static void model_of(struct model *model, struct model_object *objects,
		     size_t n, uint64_t boot_id)
{
	memset(model, 0, sizeof(*model));
	model->pointer_size = sizeof(void *);
	model->gcov_version = writer_host_version();
	model->boot_id = boot_id;
	model->n_objects = n;
	model->objects = objects;
}

static bool write_model(const struct model *model, const char *root,
			bool merge, struct error *err)
{
	struct writer_options opt = {root, 0, merge};
	struct writer_report report;

	memset(err, 0, sizeof(*err));
	return writer_write(model, &opt, &report, err);
}

/* No temporary file of ours anywhere below dir. */
static void assert_no_temp(const char *dir)
{
	char *found = capture("find '%s' -name '.hvcov-tmp.*' "
			      "-o -name '.hvcov-ledger.tmp.*'", dir);

	ck_assert_msg(!*found, "left behind:\n%s", found);
	free(found);
}

/* A synthetic object of the host version with n_counters arcs in one
 * function, for tests where ground truth is not the point.  Freed by the
 * teardown, also when a test builds another one in the same place. */
static void synthetic(struct model_object *obj, const char *filename,
		      uint32_t n_counters, uint64_t value)
{
	struct model_function *fn = calloc(1, sizeof(*fn));

	memset(obj, 0, sizeof(*obj));
	obj->version = writer_host_version();
	obj->stamp = 0x1234;
	obj->checksum = 0xabcd;
	obj->filename = strdup(filename);
	obj->active_kinds = 1;
	obj->n_active = 1;
	obj->n_functions = 1;
	obj->functions = fn;
	fn->present = true;
	fn->ident = 7;
	fn->lineno_checksum = 8;
	fn->cfg_checksum = 9;
	fn->counters = calloc(1, sizeof(*fn->counters));
	fn->counters[0].num = n_counters;
	fn->counters[0].values = calloc(n_counters, sizeof(uint64_t));
	for (uint32_t i = 0; i < n_counters; i++)
		fn->counters[0].values[i] = value + i;
	keep_object(obj);
}

/* ---- ground truth ----------------------------------------------------- */

START_TEST(test_writer_ground_truth)
{
	/* Invariant: from a model of one run, the writer produces the file
	 * the real libgcov wrote for that run, record for record (runs and
	 * sum_max included), and gcov reads it against the unit's .gcno
	 * without a warning.  Written in place, the way a build tree is. */
	struct model_object obj;
	struct model model;
	struct error err;
	char *truth, *final;
	char *gcov;

	compile_unit();
	truth = pathf("%s/truth.gcda", build);
	final = pathf("%s/unit.gcda", build);
	run_unit("3 -2 0 5", truth);
	object_from_gcda(truth, final, &obj);
	model_of(&model, &obj, 1, 1);

	ck_assert_msg(write_model(&model, NULL, false, &err), "%s", err.text);
	assert_same_dump(truth, final);
	gcov = capture("cd '%s' && '%s' -n unit.c 2>&1", build, gcov_tool());
	ck_assert_msg(strstr(gcov, "Lines executed:") &&
		      !strstr(gcov, "arning") && !strstr(gcov, "mismatch") &&
		      !strstr(gcov, "annot"), "gcov said:\n%s", gcov);
	free(gcov);
	assert_no_temp(scratch);
}
END_TEST

START_TEST(test_writer_cxx_inline_ground_truth)
{
	/* Invariant: an image of several units sharing a C++ inline
	 * function is written as GCC 12 writes it: each unit keeps its own
	 * record of the function, and the unit whose copy the linker
	 * dropped has it with all-zero counters (negated length). */
	static const char header[] =
		"inline int twice(int x) { return x > 3 ? 2 * x : x; }\n"
		"int other(int);\n";
	static const char a_cc[] =
		"#include \"t.h\"\nint main(int c, char **) "
		"{ return twice(c) + other(c) > 100; }\n";
	static const char b_cc[] =
		"#include \"t.h\"\nint other(int c) { return twice(c + 4); }\n";
	struct model_object objs[2];
	struct model model;
	struct error err;
	char *path, *truth[2], *final[2], *out;
	bool zero = false;

	need_tools();
	/* GCOV_CXX: the g++ of the release hvcov writes through. */
	if (sh("command -v \"${GCOV_CXX:-g++}\" >/dev/null") != 0) {
		fprintf(stderr, "test_writer_comdat_ground_truth: no g++\n");
		return;
	}
	path = pathf("%s/t.h", build);
	write_file(path, header, strlen(header));
	path = pathf("%s/a.cc", build);
	write_file(path, a_cc, strlen(a_cc));
	path = pathf("%s/b.cc", build);
	write_file(path, b_cc, strlen(b_cc));
	ck_assert_int_eq(sh("cd '%s' && ${GCOV_CXX:-g++} --coverage -O0 -c a.cc && "
			    "${GCOV_CXX:-g++} --coverage -O0 -c b.cc && "
			    "${GCOV_CXX:-g++} --coverage a.o b.o -o ab &&"
			    " ./ab x && mv a.gcda ta.gcda && "
			    "mv b.gcda tb.gcda", build), 0);
	for (int i = 0; i < 2; i++) {
		truth[i] = pathf("%s/t%c.gcda", build,
			 'a' + i);
		final[i] = pathf("%s/%c.gcda", build,
			 'a' + i);
		object_from_gcda(truth[i], final[i], &objs[i]);
		for (uint32_t f = 0; f < objs[i].n_functions; f++)
			zero |= objs[i].functions[f].counters[0].values[0] ==
					0 &&
				objs[i].functions[f].counters[0].values[1] ==
					0;
	}
	ck_assert_msg(zero, "no unit holds an unused inline copy");
	model_of(&model, objs, 2, 1);
	out = pathf("%s/out", scratch);
	ck_assert_msg(write_model(&model, out, false, &err), "%s", err.text);
	for (int i = 0; i < 2; i++) {
		path = pathf("%s%s", out, final[i]);
		assert_same_dump(truth[i], path);
	}
}
END_TEST

START_TEST(test_writer_placeholder_record)
{
	/* Invariant: a functions[] entry that is not this object's (model:
	 * present=false) is written as libgcov writes any entry whose key
	 * is another gcov_info: a function tag of length 0, no body; and a
	 * --merge keeps the data an existing file holds for it. */
	struct model_object obj;
	struct model model;
	struct error err;
	char *out, *final, *text;
	const char *first;

	need_tools();
	out = pathf("%s/out", scratch);
	final = pathf("%s/a/x.gcda", out);
	synthetic(&obj, "/a/x.gcda", 3, 5);
	model_of(&model, &obj, 1, 1);
	ck_assert_msg(write_model(&model, out, false, &err), "%s", err.text);
	obj.functions[0].present = false;
	model.boot_id = 2;
	ck_assert_msg(write_model(&model, out, true, &err), "%s", err.text);
	text = dump(final);
	ck_assert_msg(strstr(text, "runs=2") && strstr(text, "0: 5 6 7"),
		      "%s", text);
	free(text);
	ck_assert_msg(write_model(&model, out, false, &err), "%s", err.text);
	text = dump(final);
	first = strstr(text, "01000000:");
	ck_assert_msg(first && strstr(first, "   0:FUNCTION") &&
		      !strstr(text, "COUNTERS"), "%s", text);
	free(text);
}
END_TEST

START_TEST(test_writer_replace_default)
{
	/* Invariant: without --merge the result holds the new run only,
	 * whatever was there (real libgcov would have merged). */
	struct model_object a, b;
	struct model ma, mb;
	struct error err;
	char *ta, *tb, *final, *out, *written;

	compile_unit();
	ta = pathf("%s/ta.gcda", build);
	tb = pathf("%s/tb.gcda", build);
	final = pathf("%s/unit.gcda", build);
	run_unit("3 -2", ta);
	run_unit("0 7 7", tb);
	object_from_gcda(ta, final, &a);
	object_from_gcda(tb, final, &b);
	model_of(&ma, &a, 1, 1);
	model_of(&mb, &b, 1, 2);
	out = pathf("%s/out", scratch);
	written = pathf("%s%s", out, final);
	ck_assert_msg(write_model(&ma, out, false, &err), "%s", err.text);
	assert_same_dump(ta, written);
	ck_assert_msg(write_model(&mb, out, false, &err), "%s", err.text);
	assert_same_dump(tb, written);
}
END_TEST

START_TEST(test_writer_merge_two_runs)
{
	/* Invariant: --merge of two different runs gives what the real
	 * libgcov gives when the program runs twice: counters summed,
	 * runs=2, sum_max accumulated. */
	struct model_object a, b;
	struct model ma, mb;
	struct error err;
	char *ta, *tb, *both, *final, *out, *written;

	compile_unit();
	ta = pathf("%s/ta.gcda", build);
	tb = pathf("%s/tb.gcda", build);
	both = pathf("%s/both.gcda", build);
	final = pathf("%s/unit.gcda", build);
	run_unit("3 -2", ta);
	run_unit("0 7 7", tb);
	ck_assert_int_eq(sh("cd '%s' && ./unit 3 -2 && ./unit 0 7 7 && "
			    "mv unit.gcda both.gcda", build), 0);
	object_from_gcda(ta, final, &a);
	object_from_gcda(tb, final, &b);
	model_of(&ma, &a, 1, 1);
	model_of(&mb, &b, 1, 2);
	out = pathf("%s/out", scratch);
	written = pathf("%s%s", out, final);
	ck_assert_msg(write_model(&ma, out, true, &err), "%s", err.text);
	ck_assert_msg(write_model(&mb, out, true, &err), "%s", err.text);
	assert_same_dump(both, written);
	assert_no_temp(out);
}
END_TEST

/* ---- refusals --------------------------------------------------------- */

START_TEST(test_writer_merge_same_run_refused)
{
	/* Invariant: the same run (boot id and stamps) merged twice is
	 * refused with status 1 and the file stays byte-identical; with
	 * the file removed the same run may be written again. */
	struct model_object obj;
	struct model model;
	struct error err;
	char *out, *final, *copy;

	out = pathf("%s/out", scratch);
	final = pathf("%s/a/x.gcda", out);
	copy = pathf("%s.copy", out);
	synthetic(&obj, "/a/x.gcda", 4, 10);
	model_of(&model, &obj, 1, 42);
	ck_assert_msg(write_model(&model, out, true, &err), "%s", err.text);
	ck_assert_int_eq(sh("cp '%s' '%s'", final, copy), 0);
	ck_assert(!write_model(&model, out, true, &err));
	ck_assert_int_eq(err.status, HVCOV_EXIT_DATA);
	ck_assert_msg(strstr(err.text, "already merged"), "%s", err.text);
	ck_assert(same_bytes(final, copy));
	/* A different boot of the same build is a different run. */
	model.boot_id = 43;
	ck_assert_msg(write_model(&model, out, true, &err), "%s", err.text);
	ck_assert(!same_bytes(final, copy));
	/* A replace followed by a merge of the same run is refused too. */
	model.boot_id = 44;
	ck_assert_msg(write_model(&model, out, false, &err), "%s", err.text);
	ck_assert(!write_model(&model, out, true, &err));
	ck_assert_int_eq(err.status, HVCOV_EXIT_DATA);
	unlink(final);
	ck_assert_msg(write_model(&model, out, true, &err), "%s", err.text);
}
END_TEST

START_TEST(test_writer_merge_other_build_refused)
{
	/* Invariant: merging into a file of a different build (GCC 12+:
	 * another checksum), which libgcov would overwrite silently, is
	 * refused with status 1 and changes nothing. */
	struct model_object obj;
	struct model model;
	struct error err;
	char *out, *final, *copy;

	out = pathf("%s/out", scratch);
	final = pathf("%s/a/x.gcda", out);
	copy = pathf("%s.copy", out);
	synthetic(&obj, "/a/x.gcda", 4, 10);
	model_of(&model, &obj, 1, 1);
	ck_assert_msg(write_model(&model, out, false, &err), "%s", err.text);
	ck_assert_int_eq(sh("cp '%s' '%s'", final, copy), 0);
	obj.checksum ^= 1;
	obj.stamp ^= 1;
	model.boot_id = 2;
	ck_assert(!write_model(&model, out, true, &err));
	ck_assert_int_eq(err.status, HVCOV_EXIT_DATA);
	ck_assert_msg(strstr(err.text, "different build"), "%s", err.text);
	ck_assert(same_bytes(final, copy));
	/* A function that differs is a different build as well. */
	obj.checksum ^= 1;
	obj.stamp ^= 1;
	obj.functions[0].cfg_checksum++;
	ck_assert(!write_model(&model, out, true, &err));
	ck_assert_int_eq(err.status, HVCOV_EXIT_DATA);
	ck_assert_msg(strstr(err.text, "function 0"), "%s", err.text);
	ck_assert(same_bytes(final, copy));
	assert_no_temp(out);
}
END_TEST

START_TEST(test_writer_version_mismatch)
{
	/* Invariant: an object of another GCC is refused with status 1,
	 * naming both GCC versions, both words and the way out, and
	 * nothing at all is written, not even for the matching object. */
	struct model_object objs[2];
	struct model model;
	struct error err;
	char *out, *listing, host[32];

	out = pathf("%s/out", scratch);
	synthetic(&objs[0], "/a/good.gcda", 2, 1);
	synthetic(&objs[1], "/a/old.gcda", 2, 1);
	objs[1].version = 0x4231352a; /* "B15*": GCC 11.5 */
	model_of(&model, objs, 2, 1);
	ck_assert(!write_model(&model, out, false, &err));
	ck_assert_int_eq(err.status, HVCOV_EXIT_DATA);
	gcc_version_text(writer_host_version(), host, sizeof(host));
	ck_assert_msg(strstr(err.text, "GCC 11.5") &&
		      strstr(err.text, "0x4231352a") &&
		      strstr(err.text, host) && strstr(err.text, "rebuild"),
		      "%s", err.text);
	listing = capture("find '%s' -mindepth 1 ! -path '%s'", scratch,
			  build);
	ck_assert_msg(!*listing, "written: %s", listing);
	ck_assert_int_ne(access(out, F_OK), 0);
	free(listing);
}
END_TEST

START_TEST(test_writer_path_refusals)
{
	/* Invariant: a bad filename in any object (relative, "..", not
	 * .gcda) refuses the whole image with status 1 and no file or
	 * directory is created. */
	static const char *const bad[] = {"rel/x.gcda", "/a/../x.gcda",
					  "/a/x.gcno"};
	struct model_object objs[2];
	struct model model;
	struct error err;
	char *out;

	out = pathf("%s/out", scratch);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		synthetic(&objs[0], "/a/good.gcda", 2, 1);
		synthetic(&objs[1], bad[i], 2, 1);
		model_of(&model, objs, 2, 1);
		ck_assert_msg(!write_model(&model, out, false, &err), "%s",
			      bad[i]);
		ck_assert_int_eq(err.status, HVCOV_EXIT_DATA);
		ck_assert_msg(strstr(err.text, bad[i]), "%s", err.text);
		ck_assert_int_ne(access(out, F_OK), 0);
	}
}
END_TEST

START_TEST(test_writer_symlink_refused)
{
	/* Invariant: a symlink planted in the output tree stops the whole
	 * write (status 1) before anything is written, there or inside. */
	struct model_object objs[2];
	struct model model;
	struct error err;
	char *out, *link, *away, *listing;

	out = pathf("%s/out", scratch);
	away = pathf("%s/away", scratch);
	link = pathf("%s/b", out);
	ck_assert_int_eq(mkdir(out, 0777), 0);
	ck_assert_int_eq(mkdir(away, 0777), 0);
	ck_assert_int_eq(symlink(away, link), 0);
	synthetic(&objs[0], "/a/good.gcda", 2, 1);
	synthetic(&objs[1], "/b/x.gcda", 2, 1);
	model_of(&model, objs, 2, 1);
	ck_assert(!write_model(&model, out, false, &err));
	ck_assert_int_eq(err.status, HVCOV_EXIT_DATA);
	ck_assert_msg(strstr(err.text, "symlink"), "%s", err.text);
	/* Only the planted link itself may be there. */
	listing = capture("find '%s' '%s' -mindepth 1 ! -path '%s'", away,
			  out, link);
	ck_assert_msg(!*listing, "written: %s", listing);
	free(listing);
}
END_TEST

START_TEST(test_writer_interrupted)
{
	/* Invariant: a failure in the middle of a write (here: the second
	 * file outgrows RLIMIT_FSIZE while libgcov writes it) leaves both
	 * previous files byte-identical, no temporary file behind, status
	 * 2 naming libgcov's complaint; and a left-over temporary file of a
	 * killed run is removed by the next write. */
	struct model_object objs[2];
	struct model model;
	struct error err;
	struct rlimit limit = {4096, 4096};
	char *out, *f1, *f2, *c1, *c2,
		*stale;

	out = pathf("%s/out", scratch);
	f1 = pathf("%s/a/small.gcda", out);
	f2 = pathf("%s/a/big.gcda", out);
	c1 = pathf("%s.1", out);
	c2 = pathf("%s.2", out);
	synthetic(&objs[0], "/a/small.gcda", 2, 1);
	synthetic(&objs[1], "/a/big.gcda", 2, 1);
	model_of(&model, objs, 2, 1);
	ck_assert_msg(write_model(&model, out, false, &err), "%s", err.text);
	ck_assert_int_eq(sh("cp '%s' '%s' && cp '%s' '%s'", f1, c1, f2, c2),
			 0);

	synthetic(&objs[0], "/a/small.gcda", 2, 100);
	synthetic(&objs[1], "/a/big.gcda", 4000, 100);
	model.boot_id = 2;
	signal(SIGXFSZ, SIG_IGN);
	ck_assert_int_eq(setrlimit(RLIMIT_FSIZE, &limit), 0);
	ck_assert(!write_model(&model, out, false, &err));
	ck_assert_int_eq(err.status, HVCOV_EXIT_SYSTEM);
	ck_assert_msg(strstr(err.text, "libgcov"), "%s", err.text);
	ck_assert(same_bytes(f1, c1));
	ck_assert(same_bytes(f2, c2));
	assert_no_temp(out);

	/* A killed run's temporary file goes with the next write. */
	stale = pathf("%s/a/.hvcov-tmp.1.0", out);
	write_file(stale, "x", 1);
	synthetic(&objs[1], "/a/big.gcda", 2, 100);
	ck_assert_msg(write_model(&model, out, false, &err), "%s", err.text);
	ck_assert_int_ne(access(stale, F_OK), 0);
	ck_assert(!same_bytes(f1, c1));
}
END_TEST

START_TEST(test_writer_environment_ignored)
{
	/* Invariant: GCOV_PREFIX, GCOV_PREFIX_STRIP and GCOV_ERROR_FILE in
	 * hvcov's environment neither move the files nor hide libgcov's
	 * errors. */
	struct model_object obj;
	struct model model;
	struct error err;
	char *out, *final, *elsewhere;

	out = pathf("%s/out", scratch);
	final = pathf("%s/a/x.gcda", out);
	elsewhere = pathf("%s/prefix", scratch);
	setenv("GCOV_PREFIX", elsewhere, 1);
	setenv("GCOV_PREFIX_STRIP", "1", 1);
	setenv("GCOV_ERROR_FILE", elsewhere, 1);
	synthetic(&obj, "/a/x.gcda", 3, 5);
	model_of(&model, &obj, 1, 1);
	ck_assert_msg(write_model(&model, out, false, &err), "%s", err.text);
	ck_assert_int_eq(access(final, F_OK), 0);
	ck_assert_int_ne(access(elsewhere, F_OK), 0);
}
END_TEST

Suite *suite_writer(void)
{
	Suite *suite = suite_create("writer");
	TCase *truth = tcase_create("ground truth");
	TCase *refusals = tcase_create("refusals");

	tcase_add_checked_fixture(truth, setup, teardown);
	tcase_set_timeout(truth, 120);
	tcase_add_test(truth, test_writer_ground_truth);
	tcase_add_test(truth, test_writer_cxx_inline_ground_truth);
	tcase_add_test(truth, test_writer_placeholder_record);
	tcase_add_test(truth, test_writer_replace_default);
	tcase_add_test(truth, test_writer_merge_two_runs);
	suite_add_tcase(suite, truth);

	tcase_add_checked_fixture(refusals, setup, teardown);
	tcase_add_test(refusals, test_writer_merge_same_run_refused);
	tcase_add_test(refusals, test_writer_merge_other_build_refused);
	tcase_add_test(refusals, test_writer_version_mismatch);
	tcase_add_test(refusals, test_writer_path_refusals);
	tcase_add_test(refusals, test_writer_symlink_refused);
	tcase_add_test(refusals, test_writer_interrupted);
	tcase_add_test(refusals, test_writer_environment_ignored);
	suite_add_tcase(suite, refusals);
	return suite;
}
