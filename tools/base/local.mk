# SPDX-License-Identifier: BSD-2-Clause
# base/: helpers that know nothing of gcov or hypervisors (errors, file I/O,
# byte order, hashing, JSON output).
HVCOV_BASE_SOURCES = %reldir%/error.c %reldir%/error.h \
	%reldir%/fdio.c %reldir%/fdio.h %reldir%/bytes.h %reldir%/hash.h \
	%reldir%/json.c %reldir%/json.h %reldir%/sha256.c %reldir%/sha256.h
