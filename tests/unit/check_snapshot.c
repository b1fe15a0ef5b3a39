/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Live snapshots below the command: untorn reads, the counter map and its
 * stable IDs, the delta scan, the live image (a file changed underneath
 * it, as a running hypervisor changes its memory) and the feed.  Images
 * come from the test image builder for each ABI, so byte order and 32-bit
 * layouts are covered on any host.
 */
#include <check.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/bytes.h"
#include "base/hash.h"
#include "hvcov/descriptor.h"
#include "lib/image-builder.h"
#include "lib/test-temp.h"
#include "live/counter-map.h"
#include "live/delta.h"
#include "live/feed.h"
#include "live/live.h"
#include "live/snapshot-run.h"
#include "live/untorn.h"

#define WORD(a, b, c, d)                                                       \
	((uint32_t)(a) << 24 | (uint32_t)(b) << 16 | (uint32_t)(c) << 8 |      \
	 (uint32_t)(d))
#define GCC_14 WORD('B', '4', '2', '*')
#define KIND_CONDITIONS 8 /* GCC 14: merged by ior */
#define KIND_TOPN 3

#define N_OBJECTS 2
#define N_FUNCTIONS 3
#define N_VALUES 6

/* Two objects of three functions with arcs and conditions counters; the
 * middle function of object 1 is a COMDAT copy (no counters of its own). */
struct fixture {
	struct ib_spec spec;
	struct ib_object objects[N_OBJECTS];
	struct ib_function functions[N_OBJECTS][N_FUNCTIONS];
	uint64_t values[N_OBJECTS][N_FUNCTIONS][2][N_VALUES];
	char names[N_OBJECTS][64];
	struct ib_image ib;
	char path[256];
};

static void fixture_init(struct fixture *fx, const struct ib_abi *abi,
			 uint32_t kinds)
{
	memset(fx, 0, sizeof(*fx));
	for (size_t o = 0; o < N_OBJECTS; o++) {
		struct ib_object *obj = &fx->objects[o];

		snprintf(fx->names[o], sizeof(fx->names[o]),
			 "/build/hv/unit%zu.gcda", o);
		obj->filename = fx->names[o];
		obj->stamp = 0x1000u + (uint32_t)o;
		obj->checksum = 0x2000u + (uint32_t)o;
		obj->active_kinds = kinds;
		obj->n_functions = N_FUNCTIONS;
		obj->functions = fx->functions[o];
		for (uint32_t f = 0; f < N_FUNCTIONS; f++) {
			struct ib_function *fn = &fx->functions[o][f];

			fn->kind = o == 1 && f == 1 ? IB_FUNCTION_FOREIGN
						    : IB_FUNCTION_PRESENT;
			fn->ident = 10 * (uint32_t)o + f;
			fn->lineno_checksum = 0x300u + f;
			fn->cfg_checksum = 0x400u + (uint32_t)o;
			for (unsigned k = 0; k < 2; k++) {
				fn->num[k] = N_VALUES - f;
				fn->values[k] = fx->values[o][f][k];
				/* Every other counter zero; others above
				 * 2^32, so truncation shows. */
				for (uint32_t v = 0; v < N_VALUES; v++)
					fx->values[o][f][k][v] =
						v % 2 ? 0
						      : (uint64_t)(o + 1)
									<< 33 |
								(f << 8 | v);
			}
		}
	}
	fx->spec.version = GCC_14;
	fx->spec.pointer_size = abi->pointer_size;
	fx->spec.big_endian = abi->big_endian;
	fx->spec.machine = abi->machine;
	fx->spec.header = IB_HEADER_HVCOV;
	fx->spec.mode = IB_MODE_LIST;
	fx->spec.link_base = abi->link_base;
	fx->spec.boot_id = 0xb007000000000001ULL;
	fx->spec.state = HVCOV_STATE_RUNNING;
	fx->spec.lead = 4096;
	fx->spec.n_objects = N_OBJECTS;
	fx->spec.objects = fx->objects;
	ck_assert_msg(ib_build(&fx->spec, &fx->ib), "builder refused");
}

/* The built image as a file, the way a RAM file holds it. */
static void fixture_file(struct fixture *fx)
{
	int fd;

	test_temp_template(fx->path, sizeof(fx->path), "live");
	fd = mkstemp(fx->path);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, fx->ib.buffer, fx->ib.size),
			 (ssize_t)fx->ib.size);
	close(fd);
}

static void fixture_free(struct fixture *fx)
{
	if (fx->path[0])
		unlink(fx->path);
	ib_free(&fx->ib);
}

/* Change a counter in the file, as the hypervisor would in its memory. */
static void poke(struct fixture *fx, size_t o, uint32_t f, unsigned slot,
		 uint32_t v, uint64_t value)
{
	size_t at = fx->ib.object[o].function[f].values[slot] + v * 8;
	uint8_t bytes[8];
	int fd = open(fx->path, O_WRONLY);

	ck_assert_int_ge(fd, 0);
	bytes_put64(bytes, fx->ib.big_endian, value);
	ck_assert_int_eq(pwrite(fd, bytes, 8, (off_t)at), 8);
	close(fd);
}

static void poke_boot(struct fixture *fx, uint64_t boot_id)
{
	uint8_t bytes[8];
	int fd = open(fx->path, O_WRONLY);

	ck_assert_int_ge(fd, 0);
	bytes_put64(bytes, fx->ib.big_endian, boot_id);
	ck_assert_int_eq(
		pwrite(fd, bytes, 8, (off_t)(fx->ib.header_offset + 72)), 8);
	/* A new boot's hvcov_init() writes its check words too. */
	bytes_put64(bytes, fx->ib.big_endian, HVCOV_CHECK_VALUE(boot_id));
	ck_assert_int_eq(pwrite(fd, bytes, 8, (off_t)fx->ib.check_bss_offset),
			 8);
	ck_assert_int_eq(pwrite(fd, bytes, 8, (off_t)fx->ib.check_data_offset),
			 8);
	close(fd);
}

static struct source file_source(const struct fixture *fx)
{
	struct source source = { 0 };

	source.path = fx->path;
	return source;
}

/* The flat index of object o, function f, slot, value v (function 1 of
 * object 1 has no counters). */
static size_t flat(size_t o, uint32_t f, unsigned slot, uint32_t v)
{
	size_t index = 0;

	for (size_t oo = 0; oo < N_OBJECTS; oo++)
		for (uint32_t ff = 0; ff < N_FUNCTIONS; ff++) {
			if (oo == 1 && ff == 1)
				continue;
			for (unsigned s = 0; s < 2; s++) {
				if (oo == o && ff == f && s == slot)
					return index + v;
				index += N_VALUES - ff;
			}
		}
	ck_abort_msg("no such counter");
	return 0;
}

/* Both read paths return exactly what bytes_get64 decodes, in both byte
 * orders and for counters whose high and low words differ (a swapped or
 * truncated half would show). */
START_TEST(test_untorn_read_decodes)
{
	uint64_t raw[64] __attribute__((aligned(8)));
	uint64_t got[64], words[64];

	for (int be = 0; be <= 1; be++) {
		for (size_t i = 0; i < 64; i++)
			bytes_put64((uint8_t *)&raw[i], be,
				    0x0123456789abcdefULL * (i + 1) ^ i << 32);
		ck_assert(untorn_read(raw, 64, be, got));
		ck_assert(untorn_read_words(raw, 64, be, words));
		for (size_t i = 0; i < 64; i++) {
			uint64_t want = bytes_get64((uint8_t *)&raw[i], be);

			ck_assert_uint_eq(got[i], want);
			ck_assert_uint_eq(words[i], want);
		}
		/* 4-byte aligned only: the word method, same result. */
		ck_assert(untorn_read((uint8_t *)raw + 4, 8, be, got));
		for (size_t i = 0; i < 8; i++)
			ck_assert_uint_eq(
				got[i],
				bytes_get64((uint8_t *)raw + 4 + 8 * i, be));
	}
}
END_TEST

/* The documented ID formula (docs/snapshots.md), computed here from the
 * description rather than through counter-map.c's precomputed seeds. */
static uint64_t documented_id(const char *filename, uint32_t ident,
			      uint32_t lineno, uint32_t cfg, unsigned kind,
			      uint32_t index)
{
	uint64_t h = HASH_FNV_OFFSET;
	uint8_t bytes[17];
	size_t len = strlen(filename);

	for (size_t i = 0; i <= len; i++) {
		h ^= (uint8_t)filename[i];
		h *= HASH_FNV_PRIME;
	}
	bytes_put32(bytes, false, ident);
	bytes_put32(bytes + 4, false, lineno);
	bytes_put32(bytes + 8, false, cfg);
	bytes[12] = (uint8_t)kind;
	bytes_put32(bytes + 13, false, index);
	for (size_t i = 0; i < sizeof(bytes); i++) {
		h ^= bytes[i];
		h *= HASH_FNV_PRIME;
	}
	return hash_finish(h);
}

/* IDs follow the documented formula, are unique within an image and do not
 * depend on the ABI, the boot or the counter values: they name counters of
 * one build in every run. */
START_TEST(test_counter_map_ids)
{
	uint64_t first[64] = { 0 };
	size_t n_first = 0;

	for (size_t a = 0; a < IB_N_ABIS; a++) {
		struct fixture fx;
		struct live live;
		struct error err = { 0 };
		struct source source;

		fixture_init(&fx, &ib_abis[a], 1u | 1u << KIND_CONDITIONS);
		fixture_file(&fx);
		source = file_source(&fx);
		ck_assert_msg(live_open(&live, &source, NULL, &err), "%s: %s",
			      ib_abis[a].name, err.text);
		ck_assert_uint_le(live.map.n_counters, 64);
		for (size_t o = 0; o < N_OBJECTS; o++)
			for (uint32_t f = 0; f < N_FUNCTIONS; f++)
				for (unsigned s = 0;
				     s < 2 && !(o == 1 && f == 1); s++)
					for (uint32_t v = 0; v < N_VALUES - f;
					     v++)
						ck_assert_uint_eq(
							counter_map_id(
								&live.map,
								flat(o, f, s,
								     v)),
							documented_id(
								fx.names[o],
								10 * (uint32_t)o +
									f,
								0x300u + f,
								0x400u +
									(uint32_t)
										o,
								s ? KIND_CONDITIONS
								  : 0,
								v));
		for (size_t i = 0; i < live.map.n_counters; i++) {
			uint64_t id = counter_map_id(&live.map, i);

			for (size_t j = 0; j < i; j++)
				ck_assert_msg(counter_map_id(&live.map, j) !=
						      id,
					      "IDs %zu and %zu collide", j, i);
			if (a == 0)
				first[n_first++] = id;
			else
				ck_assert_uint_eq(id, first[i]);
		}
		live_close(&live);
		fixture_free(&fx);
	}
}
END_TEST

/* Only counters that went from zero to non-zero are new; a grown counter
 * is not new; a counter that went down, or a bit set that lost a bit, stops
 * the scan naming its flat index. */
START_TEST(test_delta_scan_fresh_and_decrease)
{
	const struct ib_abi *abi = &ib_abis[_i];
	struct fixture fx;
	struct live live;
	struct live_sample sample;
	struct delta_fresh fresh = { 0 };
	struct error err = { 0 };
	struct source source;
	uint64_t prev[64], cur[64];
	size_t nonzero = 0;

	fixture_init(&fx, abi, 1u | 1u << KIND_CONDITIONS);
	fixture_file(&fx);
	source = file_source(&fx);
	ck_assert_msg(live_open(&live, &source, NULL, &err), "%s", err.text);
	ck_assert_int_eq(live_scan(&live, NULL, prev, &fresh, &sample, &err),
			 LIVE_SCANNED);
	ck_assert_uint_eq(sample.boot_id, fx.spec.boot_id);
	ck_assert_uint_eq(sample.state, HVCOV_STATE_RUNNING);
	for (size_t i = 0; i < live.map.n_counters; i++)
		nonzero += prev[i] != 0;
	ck_assert_uint_eq(fresh.n, nonzero);
	ck_assert_uint_eq(prev[flat(1, 2, 0, 2)], (uint64_t)2 << 33 | 0x202);

	poke(&fx, 0, 2, 0, 1, 7);                       /* 0 -> 7: new */
	poke(&fx, 1, 0, 0, 0, ((uint64_t)2 << 33) + 5); /* grows: not new */
	poke(&fx, 1, 2, 1, 3, 0x10); /* bits 0 -> 0x10: new */
	ck_assert_int_eq(live_scan(&live, prev, cur, &fresh, &sample, &err),
			 LIVE_SCANNED);
	ck_assert_uint_eq(fresh.n, 2);
	ck_assert_uint_eq(fresh.index[0], flat(0, 2, 0, 1));
	ck_assert_uint_eq(fresh.index[1], flat(1, 2, 1, 3));
	ck_assert_uint_eq(cur[flat(1, 0, 0, 0)], ((uint64_t)2 << 33) + 5);

	poke(&fx, 1, 2, 1, 3, 0x20); /* a bit set loses bit 4 */
	ck_assert_int_eq(live_scan(&live, cur, prev, &fresh, &sample, &err),
			 LIVE_FAILED);
	ck_assert_uint_eq(err.status, HVCOV_EXIT_DATA);
	ck_assert_msg(strstr(err.text, "/build/hv/unit1.gcda") &&
			      strstr(err.text, "conditions counter 3") &&
			      strstr(err.text, "from 16 to 32"),
		      "%s", err.text);

	memset(&err, 0, sizeof(err));
	poke(&fx, 1, 2, 1, 3, 0x30);
	poke(&fx, 0, 0, 0, 0, 3); /* an arcs counter goes down */
	ck_assert_int_eq(live_scan(&live, cur, prev, &fresh, &sample, &err),
			 LIVE_FAILED);
	ck_assert_msg(strstr(err.text, "/build/hv/unit0.gcda") &&
			      strstr(err.text, "arcs counter 0") &&
			      strstr(err.text, "decreased"),
		      "%s", err.text);
	delta_fresh_free(&fresh);
	live_close(&live);
	fixture_free(&fx);
}
END_TEST

/* A new boot id is a new boot: the scan says so instead of comparing with
 * the old boot's counters, and live_reload decodes the new one. */
START_TEST(test_live_new_boot)
{
	struct fixture fx;
	struct live live;
	struct live_sample sample;
	struct error err = { 0 };
	struct source source;
	uint64_t values[64];

	fixture_init(&fx, &ib_abis[0], 1u);
	fixture_file(&fx);
	source = file_source(&fx);
	ck_assert(live_open(&live, &source, NULL, &err));
	ck_assert_int_eq(live_scan(&live, NULL, values, NULL, &sample, &err),
			 LIVE_SCANNED);
	poke(&fx, 0, 0, 0, 0, 0); /* a reboot zeroes the counters */
	poke_boot(&fx, 0xb007000000000002ULL);
	ck_assert_int_eq(live_scan(&live, values, values, NULL, &sample, &err),
			 LIVE_NEW_BOOT);
	ck_assert_msg(live_reload(&live, 0, &err), "%s", err.text);
	ck_assert_uint_eq(live.boot_id, 0xb007000000000002ULL);
	ck_assert_int_eq(live_scan(&live, NULL, values, NULL, &sample, &err),
			 LIVE_SCANNED);
	ck_assert_uint_eq(values[0], 0);
	live_close(&live);
	fixture_free(&fx);
}
END_TEST

/* Kinds that are neither counts nor bit sets have no delta: refused. */
START_TEST(test_counter_map_refuses_topn)
{
	struct fixture fx;
	struct live live;
	struct error err = { 0 };
	struct source source;

	fixture_init(&fx, &ib_abis[0], 1u | 1u << KIND_TOPN);
	fixture_file(&fx);
	source = file_source(&fx);
	ck_assert(!live_open(&live, &source, NULL, &err));
	ck_assert_uint_eq(err.status, HVCOV_EXIT_DATA);
	ck_assert_msg(strstr(err.text, "topn"), "%s", err.text);
	fixture_free(&fx);
}
END_TEST

/* The in-process feed: from_now starts from the current counters, each
 * feed_next returns the IDs of exactly the counters new since the last
 * call, and nothing when nothing changed. */
START_TEST(test_feed_reports_new_ids)
{
	struct fixture fx;
	struct feed feed;
	struct error err = { 0 };
	struct source source;
	const uint64_t *ids;
	size_t n;

	fixture_init(&fx, &ib_abis[1], 1u | 1u << KIND_CONDITIONS);
	fixture_file(&fx);
	source = file_source(&fx);
	ck_assert_msg(feed_open(&feed, &source, true, &err), "%s", err.text);
	ck_assert_msg(feed_next(&feed, &ids, &n, &err), "%s", err.text);
	ck_assert_uint_eq(n, 0);
	poke(&fx, 0, 1, 0, 3, 1);
	poke(&fx, 0, 1, 0, 2, ((uint64_t)1 << 33 | 0x102) + 1); /* grows */
	ck_assert_msg(feed_next(&feed, &ids, &n, &err), "%s", err.text);
	ck_assert_uint_eq(n, 1);
	ck_assert_uint_eq(ids[0],
			  counter_map_id(&feed.live.map, flat(0, 1, 0, 3)));
	ck_assert_msg(feed_next(&feed, &ids, &n, &err), "%s", err.text);
	ck_assert_uint_eq(n, 0);
	feed_close(&feed);
	fixture_free(&fx);
}
END_TEST

/* snapshot_run, as the command runs it: with no --count it runs until
 * *stop, and a stop set before the start still lets the first snapshot be
 * taken and recorded, and no second.  Its kcov buffer holds one ID per
 * counter that is not zero (all are new at the first snapshot), the count
 * taken from the fixture's values. */
START_TEST(test_snapshot_run_stops_and_writes_kcov)
{
	static volatile sig_atomic_t stop = 1;
	struct fixture fx;
	struct snapshot_options options = { 0 };
	struct error err = { 0 };
	unsigned long taken = 0;
	char store[128], path[256], cmd[192];
	uint64_t count, nonzero = 0;
	struct stat st;
	FILE *f;

	fixture_init(&fx, &ib_abis[0], 1u);
	fixture_file(&fx);
	for (size_t o = 0; o < N_OBJECTS; o++)
		for (uint32_t fn = 0; fn < N_FUNCTIONS; fn++)
			for (uint32_t v = 0;
			     v < fx.functions[o][fn].num[0] &&
			     fx.functions[o][fn].kind == IB_FUNCTION_PRESENT;
			     v++)
				nonzero += fx.values[o][fn][0][v] != 0;
	test_temp_template(store, sizeof(store), "store");
	ck_assert_ptr_nonnull(mkdtemp(store));
	options.source = file_source(&fx);
	options.store = store;
	options.interval = 0.001;
	options.count = 0;
	options.output = SNAPSHOT_KCOV;
	options.stop = &stop;
	ck_assert_msg(snapshot_run(&options, NULL, &taken, &err), "%s",
		      err.text);
	ck_assert_uint_eq(taken, 1);
	snprintf(path, sizeof(path), "%s/boot-%016llx/0002", store,
		 (unsigned long long)fx.spec.boot_id);
	ck_assert_msg(stat(path, &st) != 0, "a second snapshot: %s", path);
	snprintf(path, sizeof(path), "%s/boot-%016llx/0001/kcov", store,
		 (unsigned long long)fx.spec.boot_id);
	f = fopen(path, "rb");
	ck_assert_msg(f, "no %s", path);
	ck_assert_int_eq(fread(&count, sizeof(count), 1, f), 1);
	ck_assert_uint_eq(count, nonzero);
	ck_assert_int_eq(fseek(f, 0, SEEK_END), 0);
	ck_assert_int_eq(ftell(f), (long)((1 + nonzero) * sizeof(uint64_t)));
	fclose(f);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", store);
	ck_assert_int_eq(system(cmd), 0);
	fixture_free(&fx);
}
END_TEST

Suite *suite_snapshot(void)
{
	Suite *s = suite_create("snapshot");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_untorn_read_decodes);
	tcase_add_test(tc, test_counter_map_ids);
	tcase_add_loop_test(tc, test_delta_scan_fresh_and_decrease, 0,
			    (int)IB_N_ABIS);
	tcase_add_test(tc, test_live_new_boot);
	tcase_add_test(tc, test_counter_map_refuses_topn);
	tcase_add_test(tc, test_feed_reports_new_ids);
	tcase_add_test(tc, test_snapshot_run_stops_and_writes_kcov);
	suite_add_tcase(s, tc);
	return s;
}
