# SPDX-License-Identifier: BSD-2-Clause
# The malformed-image matrix (tests/malformed.c): a Check suite that runs
# every case in process, and a command-line test on the same cases written
# out by tests/malformed-images.
tests_check_hvcov_SOURCES += tests/check_malformed.c tests/malformed.c \
	tests/malformed.h

check_PROGRAMS += tests/malformed-images
tests_malformed_images_SOURCES = tests/malformed-images.c tests/malformed.c \
	tests/malformed.h tests/image-builder.c tests/image-builder.h
tests_malformed_images_LDADD = libhvcov.a

TESTS += tests/run-extract-malformed.sh
EXTRA_DIST += tests/run-extract-malformed.sh
