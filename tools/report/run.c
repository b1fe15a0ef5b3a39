/* SPDX-License-Identifier: BSD-2-Clause */
#include "run.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

/* The exit status of the child when execvp fails: the shell's "not found". */
#define RUN_EXEC_FAILED 127

static bool run_fds(char *const argv[], const char *dir, int out_fd, int err_fd,
		    struct error *err)
{
	pid_t pid;
	int status;

	pid = fork();
	if (pid < 0)
		return error_errno(err, "cannot start %s", argv[0]);
	if (pid == 0) {
		/* Only async-signal-safe calls until exec (setenv is not, but
		 * this child has one thread: the fork of a single-threaded
		 * process). */
		if (setenv("LC_ALL", "C", 1) || dup2(out_fd, 1) < 0 ||
		    dup2(err_fd, 2) < 0 || (dir && chdir(dir) != 0))
			_exit(RUN_EXEC_FAILED);
		execvp(argv[0], argv);
		_exit(RUN_EXEC_FAILED);
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return error_errno(err, "waiting for %s", argv[0]);
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return true;
	if (WIFEXITED(status) && WEXITSTATUS(status) == RUN_EXEC_FAILED)
		return error_set(
			err, HVCOV_EXIT_SYSTEM,
			"cannot run '%s' (not installed, or not in PATH?)",
			argv[0]);
	if (WIFSIGNALED(status))
		return error_set(err, HVCOV_EXIT_DATA,
				 "%s was killed by signal %d", argv[0],
				 WTERMSIG(status));
	return error_set(err, HVCOV_EXIT_DATA, "%s failed (exit status %d)",
			 argv[0], WEXITSTATUS(status));
}

bool report_run(char *const argv[], const char *dir, int log_fd,
		struct error *err)
{
	return run_fds(argv, dir, log_fd, log_fd, err);
}

bool report_capture(char *const argv[], char *out, size_t size,
		    struct error *err)
{
	char template[] = "/tmp/hvcov-capture.XXXXXX";
	const char *tmpdir = getenv("TMPDIR");
	char path[4096];
	int fd, null_fd;
	bool ok;
	ssize_t got;
	size_t used = 0;

	if (tmpdir && *tmpdir &&
	    (size_t)snprintf(path, sizeof(path), "%s/hvcov-capture.XXXXXX",
			     tmpdir) < sizeof(path))
		fd = mkstemp(path);
	else
		fd = mkstemp(strcpy(path, template));
	if (fd < 0)
		return error_errno(err, "cannot create a temporary file");
	unlink(path);
	null_fd = open("/dev/null", O_WRONLY | O_CLOEXEC);
	if (null_fd < 0) {
		close(fd);
		return error_errno(err, "cannot open /dev/null");
	}
	ok = run_fds(argv, NULL, fd, null_fd, err);
	close(null_fd);
	if (ok && lseek(fd, 0, SEEK_SET) == 0) {
		while (used + 1 < size &&
		       (got = read(fd, out + used, size - 1 - used)) > 0)
			used += (size_t)got;
	}
	if (size)
		out[used] = '\0';
	close(fd);
	return ok;
}
