# SPDX-License-Identifier: BSD-2-Clause
# source/: the SOURCE options every reading command shares, and the one
# pipeline from them to a decoded model (bytes, header, gcov data).
HVCOV_SOURCE_SOURCES = %reldir%/source.c %reldir%/source.h
