# SPDX-License-Identifier: BSD-2-Clause
# The reader half of the extractor: image sources, headers, the GCC layout
# table, the bounds-checked reader and the neutral model; with their tests
# and the test image builder.
libhvcov_a_SOURCES += tools/bytes.h tools/gcc-layout.c tools/image.h \
	tools/image.c tools/header.h tools/header.c tools/reader.h \
	tools/reader.c tools/model.c

tests_check_hvcov_SOURCES += tests/image-builder.h tests/image-builder.c \
	tests/check_layout.c tests/check_header.c tests/check_reader.c
