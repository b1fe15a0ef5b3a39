/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * bench-run: run a command and print how long it took and how much memory
 * it needed.
 *
 *   bench-run [-o FILE] COMMAND [ARG...]
 *
 * Prints "<wall seconds> <peak RSS KiB>" on stdout once the command ends;
 * the command's own stdout goes to /dev/null, or with -o is appended to
 * FILE (a figure the command measures itself), its stderr passes through.
 * The peak RSS is wait4()'s ru_maxrss: the largest resident set of the
 * command or of any descendant it waited for (hvcov's libgcov child), as
 * RUSAGE_CHILDREN defines it.  The clock is CLOCK_MONOTONIC from just
 * before fork to just after wait4.
 *
 * Exit status: the command's (2 if it could not run or was killed).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	struct rusage usage;
	const char *out = "/dev/null";
	double start, end;
	int status, flags = O_WRONLY | O_CLOEXEC;
	pid_t pid;

	if (argc > 2 && !strcmp(argv[1], "-o")) {
		out = argv[2];
		flags |= O_CREAT | O_APPEND;
		argv += 2;
		argc -= 2;
	}
	if (argc < 2) {
		fputs("Usage: bench-run [-o FILE] COMMAND [ARG...]\n", stderr);
		return 2;
	}
	fflush(NULL);
	start = now();
	pid = fork();
	if (pid < 0) {
		perror("bench-run: fork");
		return 2;
	}
	if (pid == 0) {
		int fd = open(out, flags, 0666);

		if (fd < 0 || dup2(fd, STDOUT_FILENO) < 0) {
			fprintf(stderr, "bench-run: cannot open %s: %s\n", out,
				strerror(errno));
			_exit(127);
		}
		execvp(argv[1], argv + 1);
		fprintf(stderr, "bench-run: cannot run %s: %s\n", argv[1],
			strerror(errno));
		_exit(127);
	}
	while (wait4(pid, &status, 0, &usage) < 0)
		if (errno != EINTR) {
			perror("bench-run: wait4");
			return 2;
		}
	end = now();
	printf("%.6f %ld\n", end - start, usage.ru_maxrss);
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	return 2;
}
