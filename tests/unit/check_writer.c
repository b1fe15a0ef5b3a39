/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The writer against ground truth: a unit compiled here with the host GCC's
 * --coverage and run, so that the real libgcov writes the .gcda that the
 * writer must reproduce from a model of the same data; gcov-dump -l (an
 * independent reader) compares them and gcov reads the result against the
 * unit's .gcno.  Plus the refusals and the all-or-nothing guarantees.
 */
#include <check.h>
#include <dirent.h>
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
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#include "gcov/gcda.h"
#include "gcov/model.h"
#include "lib/test-temp.h"
#include "write/ledger.h"
#include "write/writer.h"

/* The writer makes missing directories with mkdirat(); this definition
 * takes its place in the test program so that a test can run code at
 * exactly that moment (once: the hook is cleared before it runs).  With no
 * hook it is the plain system call. */
static void (*mkdirat_hook)(void);

int mkdirat(int dirfd, const char *path, mode_t mode)
{
	void (*hook)(void) = mkdirat_hook;

	mkdirat_hook = NULL;
	if (hook)
		hook();
	return (int)syscall(SYS_mkdirat, dirfd, path, mode);
}

/* The same for renameat(): while rename_exdev is set, a rename between two
 * directories fails as across two mounts of one file system (a bind
 * mount) does, and is counted. */
static bool rename_exdev;
static unsigned renames_refused;

int renameat(int olddirfd, const char *oldpath, int newdirfd,
	     const char *newpath)
{
	if (rename_exdev && olddirfd != newdirfd) {
		renames_refused++;
		errno = EXDEV;
		return -1;
	}
	return (int)syscall(SYS_renameat2, olddirfd, oldpath, newdirfd, newpath,
			    0);
}

static char scratch[128]; /* mkdtemp; short so paths below always fit */
static char build[192];   /* where the unit is compiled and run */

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
	char **grown =
		realloc(kept_paths, (n_kept_paths + 1) * sizeof(*kept_paths));

	ck_assert_ptr_nonnull(grown);
	grown[n_kept_paths++] = path;
	kept_paths = grown;
}

static void keep_object(const struct model_object *obj)
{
	struct model_object *grown =
		realloc(kept_objects.objects,
			(kept_objects.n_objects + 1) * sizeof(*grown));

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
	static const char *const names[] = { "gcc", NULL };

	return tool("GCOV_CC", names);
}

static const char *gcov_dump_tool(void)
{
	static const char *const names[] = { "gcov-dump", "gcov-dump-12",
					     "gcov-dump-13", "gcov-dump-14",
					     NULL };

	return tool("GCOV_DUMP", names);
}

static const char *gcov_tool(void)
{
	static const char *const names[] = { "gcov", NULL };

	return tool("GCOV", names);
}

static void need_tools(void)
{
	ck_assert_msg(gcc_tool() && gcov_dump_tool() && gcov_tool(),
		      "gcc, gcov and gcov-dump are required");
}

static void setup(void)
{
	test_temp_template(scratch, sizeof(scratch), "writer");
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

	for (char *line = raw; *line;) {
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

	ck_assert_msg(strstr(a, "FUNCTION"), "no functions in %s:\n%s", truth,
		      a);
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
	ck_assert_int_eq(
		sh("cd '%s' && '%s' --coverage -O0 -c unit.c && '%s' --coverage unit.o -o unit",
		   build, gcc_tool(), gcc_tool()),
		0);
}

/* Run the unit with args; its .gcda is moved to build/<as>. */
static void run_unit(const char *args, const char *as)
{
	ck_assert_int_eq(
		sh("cd '%s' && rm -f unit.gcda && ./unit %s && mv unit.gcda '%s'",
		   build, args, as),
		0);
}

/* The model of one object built from a real .gcda: what the reader would
 * have decoded from an image of the same run.  Freed by the teardown. */
static void object_from_gcda(const char *gcda, const char *filename,
			     struct model_object *obj)
{
	struct error err = { 0 };
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

static bool write_model(const struct model *model, const char *root, bool merge,
			struct error *err)
{
	struct writer_options opt = { root, 0, merge };
	struct writer_report report;

	memset(err, 0, sizeof(*err));
	return writer_write(model, &opt, &report, err);
}

/* No temporary file of ours anywhere below dir. */
static void assert_no_temp(const char *dir)
{
	char *found = capture(
		"find '%s' -name '.hvcov-tmp.*' -o -name '.hvcov-ledger.tmp.*'",
		dir);

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
	ck_assert_msg(
		strstr(gcov, "Lines executed:") && !strstr(gcov, "arning") &&
			!strstr(gcov, "mismatch") && !strstr(gcov, "annot"),
		"gcov said:\n%s", gcov);
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
		"#include \"t.h\"\nint main(int c, char **) { return twice(c) + other(c) > 100; }\n";
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
	ck_assert_int_eq(
		sh("cd '%s' && ${GCOV_CXX:-g++} --coverage -O0 -c a.cc && ${GCOV_CXX:-g++} --coverage -O0 -c b.cc && ${GCOV_CXX:-g++} --coverage a.o b.o -o ab && ./ab x && mv a.gcda ta.gcda && mv b.gcda tb.gcda",
		   build),
		0);
	for (int i = 0; i < 2; i++) {
		truth[i] = pathf("%s/t%c.gcda", build, 'a' + i);
		final[i] = pathf("%s/%c.gcda", build, 'a' + i);
		object_from_gcda(truth[i], final[i], &objs[i]);
		for (uint32_t f = 0; f < objs[i].n_functions; f++)
			zero |= objs[i].functions[f].counters[0].values[0] ==
					0 &&
				objs[i].functions[f].counters[0].values[1] == 0;
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
	ck_assert_msg(strstr(text, "runs=2") && strstr(text, "0: 5 6 7"), "%s",
		      text);
	free(text);
	ck_assert_msg(write_model(&model, out, false, &err), "%s", err.text);
	text = dump(final);
	first = strstr(text, "01000000:");
	ck_assert_msg(first && strstr(first, "   0:FUNCTION") &&
			      !strstr(text, "COUNTERS"),
		      "%s", text);
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

/* The unit compiled and run twice: *ta and *tb the .gcda of each run,
 * *both the one libgcov made of the two (the second merged into the
 * first). */
static void two_runs(char **ta, char **tb, char **both)
{
	compile_unit();
	*ta = pathf("%s/ta.gcda", build);
	*tb = pathf("%s/tb.gcda", build);
	*both = pathf("%s/both.gcda", build);
	run_unit("3 -2", *ta);
	run_unit("0 7 7", *tb);
	ck_assert_int_eq(
		sh("cd '%s' && ./unit 3 -2 && ./unit 0 7 7 && mv unit.gcda both.gcda",
		   build),
		0);
}

START_TEST(test_writer_merge_two_runs)
{
	/* Invariant: --merge of two different runs gives what the real
	 * libgcov gives when the program runs twice: counters summed,
	 * runs=2, sum_max accumulated. */
	struct model_object a, b;
	struct model ma, mb;
	struct error err;
	char *ta, *tb, *both, *final, *out, *written;

	two_runs(&ta, &tb, &both);
	final = pathf("%s/unit.gcda", build);
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
			      strstr(err.text, host) &&
			      strstr(err.text, "rebuild"),
		      "%s", err.text);
	listing = capture("find '%s' -mindepth 1 ! -path '%s'", scratch, build);
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
	static const char *const bad[] = { "rel/x.gcda", "/a/../x.gcda",
					   "/a/x.gcno" };
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
	listing = capture("find '%s' '%s' -mindepth 1 ! -path '%s'", away, out,
			  link);
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
	struct rlimit limit = { 4096, 4096 };
	char *out, *f1, *f2, *c1, *c2, *stale;

	out = pathf("%s/out", scratch);
	f1 = pathf("%s/a/small.gcda", out);
	f2 = pathf("%s/a/big.gcda", out);
	c1 = pathf("%s.1", out);
	c2 = pathf("%s.2", out);
	synthetic(&objs[0], "/a/small.gcda", 2, 1);
	synthetic(&objs[1], "/a/big.gcda", 2, 1);
	model_of(&model, objs, 2, 1);
	ck_assert_msg(write_model(&model, out, false, &err), "%s", err.text);
	ck_assert_int_eq(sh("cp '%s' '%s' && cp '%s' '%s'", f1, c1, f2, c2), 0);

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

/* ---- concurrency, overflow and hostile names (issue 17) ---------------- */

/* The values of the single counter array of a synthetic object's .gcda. */
static void read_counts(const char *path, uint64_t *values, uint32_t n)
{
	struct gcda_file g;
	struct error err;
	size_t len;
	uint8_t *buf = slurp(path, &len);

	memset(&err, 0, sizeof(err));
	ck_assert_msg(gcda_parse(buf, len, path, &g, &err), "%s", err.text);
	ck_assert_int_eq(g.n_functions, 1);
	ck_assert_int_eq(g.functions[0].counts[0].num, n);
	for (uint32_t i = 0; i < n; i++)
		values[i] = gcda_counter(&g.functions[0].counts[0], i);
	gcda_free(&g);
	free(buf);
}

/* Records of the ledger in dir whose identity starts with `prefix`. */
static int ledger_lines(const char *dir, const char *prefix)
{
	struct ledger ledger;
	struct error err = { 0 };
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC), n = 0;

	ck_assert_int_ge(fd, 0);
	ck_assert_msg(ledger_load(fd, dir, &ledger, &err), "%s", err.text);
	close(fd);
	for (size_t i = 0; i < ledger.n; i++)
		n += !strncmp(ledger.entries[i].identity, prefix,
			      strlen(prefix));
	ledger_free(&ledger);
	return n;
}

static struct model race_model;
static const char *race_out;

static void run_other_writer(void)
{
	pid_t pid = fork();
	int status;

	ck_assert_int_ge(pid, 0);
	if (!pid) {
		struct error err;

		_exit(write_model(&race_model, race_out, true, &err) ? 0 : 1);
	}
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert_msg(WIFEXITED(status) && !WEXITSTATUS(status),
		      "the other writer failed");
}

START_TEST(test_writer_merge_race_missing_dir)
{
	/* Invariant: two --merge runs into a directory that does not exist
	 * yet both end up in the file, whichever makes the directory: the
	 * other run here creates, writes and unlocks it between this run's
	 * validation and its mkdirat(). */
	struct model_object a, b;
	struct model ma;
	struct error err;
	uint64_t got[3];
	char *out, *dir, *final;

	out = pathf("%s/out", scratch);
	dir = pathf("%s/a", out);
	final = pathf("%s/x.gcda", dir);
	ck_assert_int_eq(mkdir(out, 0777), 0);
	synthetic(&a, "/a/x.gcda", 3, 10);
	synthetic(&b, "/a/x.gcda", 3, 1000);
	model_of(&ma, &a, 1, 1);
	model_of(&race_model, &b, 1, 2);
	race_out = out;
	mkdirat_hook = run_other_writer;
	ck_assert_msg(write_model(&ma, out, true, &err), "%s", err.text);
	ck_assert_ptr_null(mkdirat_hook);
	read_counts(final, got, 3);
	for (uint32_t i = 0; i < 3; i++)
		ck_assert_uint_eq(got[i], 1010 + 2 * i);
	ck_assert_int_eq(ledger_lines(dir, "0000000000000001-"), 1);
	ck_assert_int_eq(ledger_lines(dir, "0000000000000002-"), 1);
	assert_no_temp(out);
}
END_TEST

START_TEST(test_writer_merge_race_pairs)
{
	/* Invariant: of two concurrent --merge runs into a fresh tree, each
	 * one that reports success is in the file and in the ledger, and
	 * one that fails is in neither (another hvcov holding the lock is a
	 * clean failure). */
	for (int round = 0; round < 60; round++) {
		struct model_object a, b;
		struct model ma, mb;
		pid_t pa, pb;
		int sa, sb;
		uint64_t got[2], want = 0;
		char *out = pathf("%s/out%d", scratch, round);
		char *dir = pathf("%s/a/b", out);

		synthetic(&a, "/a/b/x.gcda", 2, 10);
		synthetic(&b, "/a/b/x.gcda", 2, 1000);
		model_of(&ma, &a, 1, 1);
		model_of(&mb, &b, 1, 2);
		pa = fork();
		if (!pa) {
			struct error err;

			if (write_model(&ma, out, true, &err))
				_exit(0);
			_exit(1);
		}
		pb = fork();
		if (!pb) {
			struct error err;

			if (write_model(&mb, out, true, &err))
				_exit(0);
			_exit(1);
		}
		ck_assert_int_eq(waitpid(pa, &sa, 0), pa);
		ck_assert_int_eq(waitpid(pb, &sb, 0), pb);
		ck_assert(WIFEXITED(sa) && WIFEXITED(sb));
		sa = !WEXITSTATUS(sa);
		sb = !WEXITSTATUS(sb);
		ck_assert_msg(sa || sb, "round %d: both failed", round);
		read_counts(pathf("%s/x.gcda", dir), got, 2);
		want = (sa ? 10 : 0) + (sb ? 1000 : 0);
		ck_assert_msg(got[0] == want, "round %d: %llu, want %llu",
			      round, (unsigned long long)got[0],
			      (unsigned long long)want);
		ck_assert_int_eq(ledger_lines(dir, "0000000000000001-"), sa);
		ck_assert_int_eq(ledger_lines(dir, "0000000000000002-"), sb);
	}
}
END_TEST

START_TEST(test_writer_merge_overflow_refused)
{
	/* Invariant: a merge whose counter sum does not fit in 64 bits is
	 * refused (status 1) and the file stays byte-identical: wrapping
	 * 2^63 + 2^63 to 0 would turn an executed arc into a never
	 * executed one. */
	struct model_object obj;
	struct model model;
	struct error err;
	char *out, *final, *copy;

	out = pathf("%s/out", scratch);
	final = pathf("%s/a/x.gcda", out);
	copy = pathf("%s.copy", out);
	synthetic(&obj, "/a/x.gcda", 1, UINT64_C(1) << 63);
	model_of(&model, &obj, 1, 1);
	ck_assert_msg(write_model(&model, out, true, &err), "%s", err.text);
	ck_assert_int_eq(sh("cp -a '%s' '%s'", out, copy), 0);
	model.boot_id = 2;
	ck_assert(!write_model(&model, out, true, &err));
	ck_assert_msg(err.status == HVCOV_EXIT_DATA, "%s", err.text);
	ck_assert_msg(strstr(err.text, "overflow"), "%s", err.text);
	ck_assert_int_eq(sh("diff -r '%s' '%s'", out, copy), 0);
	/* Zero stays zero (libgcov writes an all-zero array compressed). */
	{
		struct model_object z;
		struct model mz;
		char *zout = pathf("%s/zero", scratch);

		synthetic(&z, "/a/z.gcda", 2, 0);
		z.functions[0].counters[0].values[1] = 0;
		model_of(&mz, &z, 1, 1);
		ck_assert_msg(write_model(&mz, zout, true, &err), "%s",
			      err.text);
		mz.boot_id = 2;
		ck_assert_msg(write_model(&mz, zout, true, &err), "%s",
			      err.text);
	}
	/* The largest sum that fits is fine. */
	obj.functions[0].counters[0].values[0] = (UINT64_C(1) << 63) - 1;
	ck_assert_msg(write_model(&model, out, true, &err), "%s", err.text);
	{
		uint64_t got;

		read_counts(final, &got, 1);
		ck_assert_uint_eq(got, UINT64_MAX);
	}
}
END_TEST

START_TEST(test_writer_temp_names)
{
	/* Invariant: an object whose file name has the form of hvcov's own
	 * temporary files is refused (a later run's clean-up would delete
	 * it), and the clean-up removes only names of exactly that form:
	 * a user's file that merely starts the same way stays. */
	static const char *const bad[] = { "/a/.hvcov-tmp.x.gcda",
					   "/a/.hvcov-ledger.tmp.1.gcda",
					   "/a/.hvcov-ledger.gcda" };
	struct model_object objs[2];
	struct model model;
	struct error err;
	char *out, *mine, *stale;

	out = pathf("%s/out", scratch);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		synthetic(&objs[0], "/a/good.gcda", 2, 1);
		synthetic(&objs[1], bad[i], 2, 1);
		model_of(&model, objs, 2, 1);
		ck_assert_msg(!write_model(&model, out, false, &err), "%s",
			      bad[i]);
		ck_assert_int_eq(err.status, HVCOV_EXIT_DATA);
		ck_assert_int_ne(access(out, F_OK), 0);
	}
	synthetic(&objs[0], "/a/good.gcda", 2, 1);
	model_of(&model, objs, 1, 1);
	ck_assert_msg(write_model(&model, out, false, &err), "%s", err.text);
	mine = pathf("%s/a/.hvcov-tmp.notes", out);
	stale = pathf("%s/a/.hvcov-ledger.tmp.77", out);
	write_file(mine, "keep", 4);
	write_file(stale, "x", 1);
	model.boot_id = 2;
	ck_assert_msg(write_model(&model, out, false, &err), "%s", err.text);
	ck_assert_int_eq(access(mine, F_OK), 0);
	ck_assert_int_ne(access(stale, F_OK), 0);
}
END_TEST

START_TEST(test_writer_name_max_refused_first)
{
	/* Invariant: a file name component longer than NAME_MAX (the path
	 * still under PATH_MAX) refuses the image before anything is
	 * written: every file, ledger included, stays byte-identical and no
	 * directory is made. */
	struct model_object objs[2];
	struct model model;
	struct error err;
	char name[400], *out, *copy, *listing;

	out = pathf("%s/out", scratch);
	copy = pathf("%s.copy", out);
	synthetic(&objs[0], "/a/x.gcda", 2, 1);
	model_of(&model, objs, 1, 1);
	ck_assert_msg(write_model(&model, out, true, &err), "%s", err.text);
	ck_assert_int_eq(sh("cp -a '%s' '%s'", out, copy), 0);

	memset(name, 'n', sizeof(name));
	memcpy(name, "/new/", 5);
	strcpy(name + 300, ".gcda");
	synthetic(&objs[0], "/a/x.gcda", 2, 1);
	synthetic(&objs[1], name, 2, 1);
	model_of(&model, objs, 2, 2);
	ck_assert(!write_model(&model, out, true, &err));
	ck_assert_int_eq(err.status, HVCOV_EXIT_DATA);
	ck_assert_msg(strstr(err.text, "NAME_MAX"), "%s", err.text);
	listing = capture("diff -r '%s' '%s' 2>&1", out, copy);
	ck_assert_msg(!*listing, "changed: %s", listing);
	free(listing);
	/* A directory component too long is refused the same way. */
	memcpy(name + 290, "/y.gcda", 8);
	synthetic(&objs[1], name, 2, 1);
	ck_assert(!write_model(&model, out, true, &err));
	ck_assert_int_eq(err.status, HVCOV_EXIT_DATA);
	ck_assert_int_eq(sh("diff -r '%s' '%s'", out, copy), 0);
}
END_TEST

/* Descriptors this process has open (counted in process: a command
 * listing them would see the pipe to it). */
static int open_fds(void)
{
	DIR *dir = opendir("/proc/self/fd");
	struct dirent *entry;
	int count = 0;

	ck_assert_ptr_nonnull(dir);
	while ((entry = readdir(dir)))
		count += entry->d_name[0] != '.';
	closedir(dir);
	return count;
}

START_TEST(test_writer_many_directories)
{
	/* Invariant: the descriptor limit does not bound the number of
	 * directories (issue 17 hole 8): under a soft and hard limit of 256
	 * an image of 2000 directories is written, then merged, exactly as
	 * without the limit (the trees are byte-identical, ledgers
	 * included) and as the real libgcov wrote the two runs; no
	 * descriptor leaks; and a write that fails after making its 2000
	 * directories leaves none of them, nor any file of its own. */
	enum { DIRS = 2000 };
	struct model_object *a = calloc(DIRS, sizeof(*a));
	struct model_object *b = calloc(DIRS, sizeof(*b));
	struct model ma, mb;
	struct error err;
	char *ta, *tb, *both, *out, *ref, *fresh, *listing;
	pid_t pid;
	int status;

	ck_assert(a && b);
	two_runs(&ta, &tb, &both);
	for (int i = 0; i < DIRS; i++) {
		char name[64];

		snprintf(name, sizeof(name), "/d%d/sub/unit.gcda", i);
		object_from_gcda(ta, name, &a[i]);
		object_from_gcda(tb, name, &b[i]);
	}
	model_of(&ma, a, DIRS, 1);
	model_of(&mb, b, DIRS, 2);
	out = pathf("%s/out", scratch);
	ref = pathf("%s/ref", scratch);
	fresh = pathf("%s/fresh", scratch);

	/* Without a limit, into ref. */
	ck_assert_msg(write_model(&ma, ref, true, &err), "%s", err.text);
	ck_assert_msg(write_model(&mb, ref, true, &err), "%s", err.text);

	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (!pid) {
		struct rlimit low = { 256, 256 }, fsize = { 4096, 4096 };
		int before;

		/* The hard limit too: it cannot be raised again. */
		if (setrlimit(RLIMIT_NOFILE, &low) != 0)
			_exit(10);
		before = open_fds();
		if (!write_model(&ma, out, true, &err) ||
		    !write_model(&mb, out, true, &err)) {
			fprintf(stderr, "%s\n", err.text);
			_exit(11);
		}
		if (open_fds() != before)
			_exit(12);
		/* A failure once every directory is made: the last object
		 * outgrows RLIMIT_FSIZE while libgcov writes it. */
		synthetic(&a[DIRS - 1], "/d1999/sub/unit.gcda", 4000, 1);
		signal(SIGXFSZ, SIG_IGN);
		if (setrlimit(RLIMIT_FSIZE, &fsize) != 0)
			_exit(13);
		if (write_model(&ma, fresh, false, &err) ||
		    err.status != HVCOV_EXIT_SYSTEM ||
		    !strstr(err.text, "libgcov")) {
			fprintf(stderr, "no failure: %s\n", err.text);
			_exit(14);
		}
		_exit(open_fds() != before ? 15 : 0);
	}
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert_msg(WIFEXITED(status) && !WEXITSTATUS(status),
		      "under ulimit -n 256: status %d", status);
	listing = capture("diff -r '%s' '%s' 2>&1 | head -5", ref, out);
	ck_assert_msg(!*listing, "differs from the run without a limit: %s",
		      listing);
	free(listing);
	for (int i = 0; i < DIRS; i += 999)
		assert_same_dump(both, pathf("%s/d%d/sub/unit.gcda", out, i));
	listing = capture("find '%s' -name '.hvcov-*' ! -name " LEDGER_NAME
			  " | head -3",
			  out);
	ck_assert_msg(!*listing, "left behind: %s", listing);
	free(listing);
	listing = capture("find '%s' 2>/dev/null | head -3", fresh);
	ck_assert_msg(!*listing, "left behind: %s", listing);
	free(listing);
	free(a);
	free(b);
}
END_TEST

/* The single counter of every file d<i>/x.gcda below root, i < n, must be
 * want; returns how many differ. */
static int count_wrong(const char *root, int n, uint64_t want)
{
	int wrong = 0;

	for (int i = 0; i < n; i++) {
		uint64_t got;

		read_counts(pathf("%s/d%d/x.gcda", root, i), &got, 1);
		wrong += got != want;
	}
	return wrong;
}

/* n synthetic one-counter objects /d<i>/x.gcda of value, as model. */
static void spread_model(struct model *model, struct model_object *objs, int n,
			 uint64_t value, uint64_t boot)
{
	for (int i = 0; i < n; i++) {
		char name[32];

		snprintf(name, sizeof(name), "/d%d/x.gcda", i);
		synthetic(&objs[i], name, 1, value);
	}
	model_of(model, objs, (size_t)n, boot);
}

/* Forks; the child lowers its soft and hard descriptor limits to limit,
 * writes model into out (--merge) and exits 0 on success. */
static pid_t low_limit_writer(const struct model *model, const char *out,
			      rlim_t limit)
{
	pid_t pid = fork();

	ck_assert_int_ge(pid, 0);
	if (!pid) {
		struct rlimit low = { limit, limit };
		struct error err;

		if (setrlimit(RLIMIT_NOFILE, &low) != 0)
			_exit(2);
		_exit(write_model(model, out, true, &err) ? 0 : 1);
	}
	return pid;
}

START_TEST(test_writer_many_directories_race)
{
	/* Invariant: the merge race guarantee holds for directories the
	 * writer does not keep open: of two concurrent --merge runs into
	 * 100 directories under a descriptor limit of 64 (most of them
	 * walked to again at each use), each one that reports success is in
	 * every file and every ledger, and one that fails is in none. */
	enum { DIRS = 100 };
	struct model_object a[DIRS], b[DIRS];
	struct model ma, mb;

	spread_model(&ma, a, DIRS, 10, 1);
	spread_model(&mb, b, DIRS, 1000, 2);
	for (int round = 0; round < 4; round++) {
		char *out = pathf("%s/out%d", scratch, round);
		pid_t pa = low_limit_writer(&ma, out, 64);
		pid_t pb = low_limit_writer(&mb, out, 64);
		int sa, sb;

		ck_assert_int_eq(waitpid(pa, &sa, 0), pa);
		ck_assert_int_eq(waitpid(pb, &sb, 0), pb);
		ck_assert(WIFEXITED(sa) && WIFEXITED(sb));
		ck_assert(WEXITSTATUS(sa) < 2 && WEXITSTATUS(sb) < 2);
		sa = !WEXITSTATUS(sa);
		sb = !WEXITSTATUS(sb);
		ck_assert_msg(sa || sb, "round %d: both failed", round);
		ck_assert_int_eq(
			count_wrong(out, DIRS,
				    (sa ? 10u : 0u) + (sb ? 1000u : 0u)),
			0);
		for (int i = 0; i < DIRS; i += 33) {
			char *dir = pathf("%s/d%d", out, i);

			ck_assert_int_eq(ledger_lines(dir, "0000000000000001-"),
					 sa);
			ck_assert_int_eq(ledger_lines(dir, "0000000000000002-"),
					 sb);
		}
		assert_no_temp(out);
	}
}
END_TEST

START_TEST(test_writer_descriptor_top_taken)
{
	/* Invariant: the writer skips counting open descriptors only when
	 * the numbers it may need are free.  Under a limit of 64 with the
	 * numbers up to 43 and the top one (63) taken, 40 directories need
	 * more than the 19 free numbers: the writer must count and keep
	 * fewer directories open, and the files are as without a limit. */
	enum { DIRS = 40 };
	struct model_object a[DIRS];
	struct model ma;
	pid_t pid;
	int status;

	spread_model(&ma, a, DIRS, 10, 1);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (!pid) {
		struct rlimit low = { 64, 64 };
		struct error err;
		int fd;

		if (setrlimit(RLIMIT_NOFILE, &low) != 0)
			_exit(2);
		do
			fd = dup(0);
		while (fd >= 0 && fd < 43);
		if (fd < 0 || dup2(0, 63) != 63)
			_exit(3);
		if (!write_model(&ma, pathf("%s/out", scratch), false, &err)) {
			fprintf(stderr, "%s\n", err.text);
			_exit(1);
		}
		_exit(0);
	}
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert_msg(WIFEXITED(status) && !WEXITSTATUS(status), "status %d",
		      status);
	ck_assert_int_eq(count_wrong(pathf("%s/out", scratch), DIRS, 10), 0);
}
END_TEST

START_TEST(test_writer_across_mounts)
{
	/* Invariant: where a verified file cannot be renamed from the stage
	 * into its own directory (EXDEV: a bind mount of the same file
	 * system, simulated), it is copied there, and the result equals a
	 * write without the limit; nothing of hvcov's is left behind. */
	enum { DIRS = 100 };
	struct model_object a[DIRS], b[DIRS];
	struct model ma, mb;
	struct error err;
	char *out = pathf("%s/out", scratch), *ref = pathf("%s/ref", scratch);
	char *listing;
	pid_t pid;
	int status;

	spread_model(&ma, a, DIRS, 10, 1);
	spread_model(&mb, b, DIRS, 1000, 2);
	ck_assert_msg(write_model(&ma, ref, true, &err), "%s", err.text);
	ck_assert_msg(write_model(&mb, ref, true, &err), "%s", err.text);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (!pid) {
		struct rlimit low = { 64, 64 };

		rename_exdev = true;
		if (setrlimit(RLIMIT_NOFILE, &low) != 0)
			_exit(2);
		if (!write_model(&ma, out, true, &err) ||
		    !write_model(&mb, out, true, &err)) {
			fprintf(stderr, "%s\n", err.text);
			_exit(1);
		}
		_exit(renames_refused ? 0 : 3);
	}
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert_msg(WIFEXITED(status) && !WEXITSTATUS(status), "status %d",
		      status);
	ck_assert_int_eq(count_wrong(out, DIRS, 1010), 0);
	listing = capture("diff -r '%s' '%s' 2>&1 | head -5", ref, out);
	ck_assert_msg(!*listing, "differs: %s", listing);
	free(listing);
	listing = capture("find '%s' -name '.hvcov-*' ! -name " LEDGER_NAME
			  " | head -3",
			  out);
	ck_assert_msg(!*listing, "left behind: %s", listing);
	free(listing);
}
END_TEST

/* The host field of a lease: node name and PID namespace. */
static char *lease_host(void)
{
	struct utsname uts;
	struct stat ns;

	ck_assert_int_eq(uname(&uts), 0);
	ck_assert_int_eq(stat("/proc/self/ns/pid", &ns), 0);
	return pathf("%s/%llu", uts.nodename, (unsigned long long)ns.st_ino);
}

/* A lease line as a writer on this machine writes it, for pid. */
static char *lease_of(long pid, const char *host)
{
	char *boot = capture("cat /proc/sys/kernel/random/boot_id");
	char *stat = capture("cat /proc/%ld/stat", pid);
	char *c = strrchr(stat, ')');
	char *line;

	for (int field = 2; c && field < 22; field++)
		c = strchr(c + 1, ' ');
	ck_assert_ptr_nonnull(c);
	boot[strcspn(boot, "\n")] = '\0';
	line = pathf("hvcov-lease 1 %s %s %ld %llu\n", host, boot, pid,
		     strtoull(c + 1, NULL, 10));
	free(boot);
	free(stat);
	return line;
}

START_TEST(test_writer_leases)
{
	/* Invariant: a directory leased by a running hvcov is not written
	 * (status 2, every file byte-identical, the lease left alone), nor
	 * one leased from another host (it cannot be checked: the message
	 * says to remove it); a lease whose process is gone, or of an
	 * earlier boot, or torn (its writer died while writing it) is
	 * broken and the write goes ahead; no lease of ours outlives a
	 * write. */
	struct model_object obj;
	struct model model;
	struct error err;
	char *host = lease_host();
	char *out = pathf("%s/out", scratch), *copy = pathf("%s/copy", scratch);
	char *lease = pathf("%s/a/.hvcov-lease", out), *live, *text;
	pid_t dead;
	uint64_t boot = 1, got;

	synthetic(&obj, "/a/x.gcda", 1, 5);
	model_of(&model, &obj, 1, boot);
	ck_assert_msg(write_model(&model, out, true, &err), "%s", err.text);
	ck_assert_int_ne(access(lease, F_OK), 0);
	ck_assert_int_eq(sh("cp -a '%s' '%s'", out, copy), 0);

	/* Held: the parent of this test is running. */
	live = lease_of((long)getppid(), host);
	write_file(lease, live, strlen(live));
	model.boot_id = ++boot;
	ck_assert(!write_model(&model, out, true, &err));
	ck_assert_int_eq(err.status, HVCOV_EXIT_SYSTEM);
	ck_assert_msg(strstr(err.text, "another hvcov"), "%s", err.text);
	ck_assert_int_eq(sh("diff -r -x .hvcov-lease '%s' '%s'", out, copy), 0);
	text = capture("cat '%s'", lease);
	ck_assert_str_eq(text, live);
	free(text);

	text = pathf("hvcov-lease 1 elsewhere 1 1 1\n");
	write_file(lease, text, strlen(text));
	ck_assert(!write_model(&model, out, true, &err));
	ck_assert_int_eq(err.status, HVCOV_EXIT_SYSTEM);
	ck_assert_msg(strstr(err.text, "elsewhere") &&
			      strstr(err.text, "remove"),
		      "%s", err.text);
	ck_assert_int_eq(sh("diff -r -x .hvcov-lease '%s' '%s'", out, copy), 0);

	/* Broken: a process that is gone, an earlier boot, a torn lease. */
	dead = fork();
	ck_assert_int_ge(dead, 0);
	if (!dead)
		_exit(0);
	ck_assert_int_eq(waitpid(dead, NULL, 0), dead);
	{
		char *stale[3];
		char *boot_id = capture("cat /proc/sys/kernel/random/boot_id");

		boot_id[strcspn(boot_id, "\n")] = '\0';
		stale[0] = pathf("hvcov-lease 1 %s %s %ld 1\n", host, boot_id,
				 (long)dead);
		stale[1] = pathf(
			"hvcov-lease 1 %s 00000000-0000-0000-0000-000000000000 %ld 1\n",
			host, (long)getppid());
		stale[2] = pathf("hvcov-lease 1 %s", host);
		free(boot_id);
		for (int i = 0; i < 3; i++) {
			write_file(lease, stale[i], strlen(stale[i]));
			model.boot_id = ++boot;
			ck_assert_msg(write_model(&model, out, true, &err),
				      "%d: %s", i, err.text);
			ck_assert_int_ne(access(lease, F_OK), 0);
		}
	}
	read_counts(pathf("%s/a/x.gcda", out), &got, 1);
	ck_assert_uint_eq(got, 5 * 4);
}
END_TEST

START_TEST(test_writer_many_directories_raised)
{
	/* Invariant: the soft descriptor limit is raised towards the hard
	 * one as far as the directory count needs. */
	enum { DIRS = 300 };
	struct model_object *objs = calloc(DIRS, sizeof(*objs));
	struct rlimit soft;
	struct model model;
	struct error err;
	char name[32], *out, *listing;

	ck_assert_ptr_nonnull(objs);
	out = pathf("%s/out", scratch);
	for (int i = 0; i < DIRS; i++) {
		snprintf(name, sizeof(name), "/d%d/x.gcda", i);
		synthetic(&objs[i], name, 1, 1);
	}
	model_of(&model, objs, DIRS, 1);
	/* The soft limit low, the hard one as it is (only root raises it). */
	ck_assert_int_eq(getrlimit(RLIMIT_NOFILE, &soft), 0);
	ck_assert_msg(soft.rlim_max == RLIM_INFINITY || soft.rlim_max >= 1024,
		      "this test needs a hard descriptor limit of 1024");
	soft.rlim_cur = 256;
	ck_assert_int_eq(setrlimit(RLIMIT_NOFILE, &soft), 0);
	ck_assert_msg(write_model(&model, out, false, &err), "%s", err.text);
	listing = capture("find '%s' -name x.gcda | wc -l", out);
	ck_assert_int_eq(atoi(listing), DIRS);
	free(listing);
	free(objs);
}
END_TEST

START_TEST(test_ledger_settle_semantics)
{
	/* Invariant: a pending record whose file holds its bytes settles
	 * as if alone: R drops every other record of its name wherever it
	 * is in the file (here two after it), other names are untouched.
	 * (A one-pass settle got this wrong when records before it were
	 * dropped; found by comparing with the old quadratic settle.) */
	static const char text[] =
		"hvcov-ledger 2\n"
		"0000000000000001-0000000000000001 b.gcda\n"
		"0000000000000002-0000000000000002 c.gcda\n"
		"pending af63ff4c86022805 R 0000000000000001-0000000000000001 b.gcda\n"
		"0000000000000002-0000000000000002 c.gcda\n"
		"0000000000000002-0000000000000002 a.gcda\n"
		"0000000000000001-0000000000000001 b.gcda\n"
		"0000000000000001-0000000000000001 b.gcda\n"
		"pending 0000000000000000 M 0000000000000004-0000000000000004 a.gcda\n"
		"0000000000000003-0000000000000003 c.gcda\n";
	struct ledger ledger;
	struct error err = { 0 };
	char *dir = pathf("%s/ledger", scratch);
	size_t b = 0;
	int fd;

	ck_assert_int_eq(mkdir(dir, 0777), 0);
	write_file(pathf("%s/" LEDGER_NAME, dir), text, sizeof(text) - 1);
	/* FNV-1a 64 of "B" is af63ff4c86022805. */
	write_file(pathf("%s/a.gcda", dir), "A", 1);
	write_file(pathf("%s/b.gcda", dir), "B", 1);
	fd = open(dir, O_RDONLY | O_DIRECTORY);
	ck_assert_int_ge(fd, 0);
	ck_assert_msg(ledger_load(fd, dir, &ledger, &err), "%s", err.text);
	close(fd);
	for (size_t i = 0; i < ledger.n; i++) {
		ck_assert(!ledger.entries[i].pending);
		b += !strcmp(ledger.entries[i].name, "b.gcda");
	}
	ck_assert_uint_eq(b, 1);
	/* c.gcda of run 2 twice is one record (a rewrite keeps run and name
	 * unique). */
	ck_assert_uint_eq(ledger.n, 4);
	ck_assert(ledger_has(&ledger, "0000000000000001-0000000000000001",
			     "b.gcda"));
	ck_assert(ledger_has(&ledger, "0000000000000002-0000000000000002",
			     "a.gcda"));
	ck_assert(!ledger_has(&ledger, "0000000000000004-0000000000000004",
			      "a.gcda"));
	ledger_free(&ledger);
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
	/* The concurrent pairs and the many-directory writes fsync a lot. */
	tcase_set_timeout(refusals, 120);
	tcase_add_test(refusals, test_writer_merge_same_run_refused);
	tcase_add_test(refusals, test_writer_merge_other_build_refused);
	tcase_add_test(refusals, test_writer_version_mismatch);
	tcase_add_test(refusals, test_writer_path_refusals);
	tcase_add_test(refusals, test_writer_symlink_refused);
	tcase_add_test(refusals, test_writer_interrupted);
	tcase_add_test(refusals, test_writer_environment_ignored);
	tcase_add_test(refusals, test_writer_merge_race_missing_dir);
	tcase_add_test(refusals, test_writer_merge_race_pairs);
	tcase_add_test(refusals, test_writer_merge_overflow_refused);
	tcase_add_test(refusals, test_writer_temp_names);
	tcase_add_test(refusals, test_writer_name_max_refused_first);
	tcase_add_test(refusals, test_writer_many_directories);
	tcase_add_test(refusals, test_writer_many_directories_raised);
	tcase_add_test(refusals, test_writer_many_directories_race);
	tcase_add_test(refusals, test_writer_across_mounts);
	tcase_add_test(refusals, test_writer_descriptor_top_taken);
	tcase_add_test(refusals, test_writer_leases);
	tcase_add_test(refusals, test_ledger_settle_semantics);
	suite_add_tcase(suite, refusals);
	return suite;
}
