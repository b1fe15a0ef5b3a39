/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * How tools/ modules report failure: one line of text and the exit status it
 * deserves.  Modules never print and never exit; main() prints
 * "hvcov: <text>" and exits with the status.
 */
#ifndef HVCOV_ERROR_H
#define HVCOV_ERROR_H

#include <stdbool.h>

enum hvcov_exit {
	HVCOV_EXIT_OK = 0,     /* success */
	HVCOV_EXIT_DATA = 1,   /* the image is bad or does not match */
	HVCOV_EXIT_SYSTEM = 2, /* usage, I/O or other system error */
};

struct error {
	enum hvcov_exit status; /* HVCOV_EXIT_OK while no error is set */
	char text[512];         /* one line, no trailing newline */
};

/* Record the first error (later ones are ignored) and return false, so that
 * callers can write "return error_set(err, ...);". */
bool error_set(struct error *err, enum hvcov_exit status, const char *format,
	       ...) __attribute__((format(printf, 3, 4)));

/* Like error_set with HVCOV_EXIT_SYSTEM and ": strerror(errno)" appended. */
bool error_errno(struct error *err, const char *format, ...)
	__attribute__((format(printf, 2, 3)));

/* Both always return false.  The static analyzer (scan-build) does not look
 * into error.c from other files; told so, it follows every failure path as
 * it really runs instead of reporting paths that cannot happen. */
#if defined(__clang_analyzer__) && !defined(HVCOV_ERROR_IMPLEMENTATION)
#define error_set(...) (error_set(__VA_ARGS__), false)
#define error_errno(...) (error_errno(__VA_ARGS__), false)
#endif

#endif
