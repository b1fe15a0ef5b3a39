# SPDX-License-Identifier: BSD-2-Clause
# Crash safety: tests/crash-kill kills hvcov extract at random moments and
# checks that no .gcda is torn and that a rerun finishes the job exactly.
check_PROGRAMS += tests/crash-kill
tests_crash_kill_SOURCES = tests/crash-kill.c tests/image-builder.c \
	tests/image-builder.h
tests_crash_kill_LDADD = libhvcov.a

TESTS += tests/run-extract-crash.sh
EXTRA_DIST += tests/run-extract-crash.sh
