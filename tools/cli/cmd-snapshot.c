/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * hvcov snapshot: the options, usage and exit status of the command whose
 * run loop is snapshot-run.c: consistent snapshots of a running
 * hypervisor's counters, once or every --interval, into a store.
 */
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hvcov/descriptor.h"
#include "live/snapshot-run.h"
#include "live/snapshot-store.h"
#include "options.h"
#include "source/source.h"

static volatile sig_atomic_t stop_requested;

static void on_signal(int sig)
{
	(void)sig;
	stop_requested = 1;
}

static void usage(void)
{
	fputs("Usage:\n"
	      " hvcov snapshot [options] [SOURCE] -o DIR\n"
	      "\n"
	      "Take consistent snapshots of a running hypervisor's counters\n"
	      "(a read-only mapping of its memory) into DIR: one directory of\n"
	      ".gcda files per snapshot and DIR/index.tsv.\n"
	      "\n" SOURCE_USAGE "\n"
	      "Options:\n"
	      " -o, --output DIR    the snapshot store (created if missing)\n"
	      "     --interval T    take a snapshot every T seconds (0: back\n"
	      "                     to back, with --count)\n"
	      "     --count N       take N snapshots (default: 1, or until\n"
	      "                     interrupted with --interval)\n"
	      "     --tag NAME      name the interval ending at the snapshot\n"
	      "                     (a test); also writes its own .gcda files\n"
	      "     --since SNAP    .gcda files hold this snapshot minus the\n"
	      "                     snapshot directory SNAP of the same boot\n"
	      "     --output-format F\n"
	      "                     gcda (default) or kcov: instead of .gcda\n"
	      "                     files, the stable IDs of the counters new\n"
	      "                     in each interval\n"
	      " -s, --strip N       drop N leading directories of each path\n"
	      " -q, --quiet         print nothing on success\n"
	      " -v, --verbose       a full line for each snapshot, also on a\n"
	      "                     terminal (no status line), and where the\n"
	      "                     descriptor was found\n"
	      " -h, --help          display this help\n"
	      " -V, --version       display version\n",
	      stdout);
}

enum {
	OPT_INTERVAL = 0x200,
	OPT_COUNT,
	OPT_TAG,
	OPT_SINCE,
	OPT_OUTPUT_FORMAT,
};

struct snapshot_cli {
	struct snapshot_options run;
	bool has_count;
	bool has_interval;
	bool quiet;       /* print nothing on success */
	bool verbose;     /* a full line per snapshot, even on a terminal */
	bool status_line; /* one line updated in place (a terminal) */
	bool line_open;   /* the status line has no newline yet */
};

/* One line a snapshot, or on a terminal one status line updated in place. */
static void show_taken(void *context, const char *store,
		       const struct store_record *record)
{
	struct snapshot_cli *cli = context;
	double percent = record->arcs ? 100.0 * (double)record->arcs_executed /
						(double)record->arcs
				      : 0.0;

	if (cli->quiet)
		return;
	if (cli->status_line) {
		printf("\rsnapshot %lu: arcs executed %.1f%% (%" PRIu64
		       "/%" PRIu64 "), new arcs %" PRIu64 "%s\033[K",
		       record->seq, percent, record->arcs_executed,
		       record->arcs, record->new_arcs,
		       record->state == HVCOV_STATE_DISABLED ? " (disabled)"
							     : "");
		cli->line_open = true;
	} else {
		printf("snapshot %lu: %s boot %016" PRIx64
		       " arcs executed %.1f%% (%" PRIu64 "/%" PRIu64
		       ") new arcs %" PRIu64 " -> %s/%s\n",
		       record->seq, record->time, record->boot_id, percent,
		       record->arcs_executed, record->arcs, record->new_arcs,
		       store, record->dir);
	}
	fflush(stdout);
}

static void end_status_line(struct snapshot_cli *cli)
{
	if (cli->line_open)
		putchar('\n');
	cli->line_open = false;
}

static void show_new_boot(void *context, uint64_t old_boot_id,
			  uint64_t new_boot_id)
{
	struct snapshot_cli *cli = context;

	if (cli->quiet)
		return;
	end_status_line(cli);
	printf("hvcov: new boot %016" PRIx64 " (was %016" PRIx64
	       "): new series boot-%016" PRIx64 "\n",
	       new_boot_id, old_boot_id, new_boot_id);
}

/* With -v only: where the image was found, and how (place.h). */
static void show_located(void *context, enum live_found found, uint64_t at)
{
	struct snapshot_cli *cli = context;

	if (!cli->verbose)
		return;
	printf("hvcov: descriptor at byte %" PRIu64 " of the source (%s)\n", at,
	       place_found_text(found));
}

static bool parse_output_format(const char *text, enum snapshot_output *output)
{
	if (!strcmp(text, "gcda"))
		*output = SNAPSHOT_GCDA;
	else if (!strcmp(text, "kcov"))
		*output = SNAPSHOT_KCOV;
	else
		return false;
	return true;
}

static bool snapshot_option(void *context, int option, const char *value,
			    struct error *err)
{
	struct snapshot_cli *cli = context;
	struct snapshot_options *run = &cli->run;
	uint64_t number;
	char *end;

	switch (option) {
	case OPT_INTERVAL:
		errno = 0;
		run->interval = strtod(value, &end);
		/* 0: back to back, for a bounded --count only. */
		if (errno || *end || !isfinite(run->interval) ||
		    (run->interval != 0 && run->interval < 0.001) ||
		    run->interval < 0 || run->interval > 86400)
			return error_set(
				err, HVCOV_EXIT_SYSTEM,
				"invalid --interval (seconds, 0.001 to 86400, or 0 with --count)");
		cli->has_interval = true;
		return true;
	case OPT_COUNT:
		if (!parse_decimal_u64(value, &number) || !number ||
		    number > ULONG_MAX)
			return error_set(err, HVCOV_EXIT_SYSTEM,
					 "invalid --count");
		run->count = (unsigned long)number;
		cli->has_count = true;
		return true;
	case OPT_TAG:
		if (!store_tag_valid(value))
			return error_set(
				err, HVCOV_EXIT_SYSTEM,
				"invalid --tag (1 to 64 of A-Z a-z 0-9 . _ -, not starting with . or -)");
		run->tag = value;
		return true;
	case OPT_SINCE:
		run->since = value;
		return true;
	case OPT_OUTPUT_FORMAT:
		if (!parse_output_format(value, &run->output))
			return error_set(
				err, HVCOV_EXIT_SYSTEM,
				"invalid --output-format '%s' (gcda or kcov)",
				value);
		return true;
	case 'q':
		cli->quiet = true;
		return true;
	case 'v':
		cli->verbose = true;
		return true;
	default:
		return error_set(err, HVCOV_EXIT_SYSTEM, "invalid option");
	}
}

int cmd_snapshot(int argc, char **argv)
{
	static const struct option own[] = {
		{ "interval", required_argument, NULL, OPT_INTERVAL },
		{ "count", required_argument, NULL, OPT_COUNT },
		{ "tag", required_argument, NULL, OPT_TAG },
		{ "since", required_argument, NULL, OPT_SINCE },
		{ "output-format", required_argument, NULL, OPT_OUTPUT_FORMAT },
		{ "quiet", no_argument, NULL, 'q' },
		{ "verbose", no_argument, NULL, 'v' },
		{ NULL, 0, NULL, 0 },
	};
	struct snapshot_cli cli = { 0 };
	struct snapshot_options *run = &cli.run;
	struct cli_output output = { 0 };
	const struct cli_spec spec = { .name = "snapshot",
				       .short_options = "qv",
				       .long_options = own,
				       .usage = usage,
				       .option = snapshot_option,
				       .context = &cli,
				       .output = &output };
	const struct snapshot_observer observer = { .taken = show_taken,
						    .new_boot = show_new_boot,
						    .located = show_located,
						    .context = &cli };
	struct sigaction action = { 0 };
	struct error err = { 0 };
	unsigned long taken = 0;
	bool ok;
	int status = cli_parse(&spec, argc, argv, &run->source);

	if (status >= 0)
		return status;
	if (!output.dir)
		return usage_error("snapshot", "-o DIR is required");
	if (cli.quiet && cli.verbose)
		return usage_error("snapshot", "-q and -v exclude each other");
	if (cli.has_interval && run->interval == 0 && !cli.has_count)
		return usage_error("snapshot",
				   "--interval 0 (back to back) needs --count");
	if (!cli.has_count)
		run->count = run->interval > 0 ? 0 : 1;
	if (run->count != 1 && !cli.has_interval)
		return usage_error("snapshot", "--count needs --interval");
	run->store = output.dir;
	run->strip = output.strip;
	cli.status_line =
		isatty(STDOUT_FILENO) && cli.has_interval && !cli.verbose;
	run->stop = &stop_requested;
	action.sa_handler = on_signal;
	sigaction(SIGINT, &action, NULL);
	sigaction(SIGTERM, &action, NULL);
	ok = snapshot_run(run, &observer, &taken, &err);
	end_status_line(&cli);
	if (!ok)
		return report_error(&err);
	if (!cli.quiet && !cli.status_line && taken > 1)
		printf("hvcov: %lu snapshots in %s\n", taken, run->store);
	return HVCOV_EXIT_OK;
}
