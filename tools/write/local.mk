# SPDX-License-Identifier: BSD-2-Clause
# write/: the model to .gcda files on disk: confined output paths, the host
# libgcov in a child process, the writer and its ledger of merged runs.
HVCOV_WRITE_SOURCES = %reldir%/outpath.c %reldir%/outpath.h \
	%reldir%/hostgcov.c %reldir%/hostgcov.h \
	%reldir%/writer.c %reldir%/writer.h %reldir%/ledger.c %reldir%/ledger.h
# The per-release libgcov helper (built by scripts/libgcov-helpers with each
# GCC release, not by make).
EXTRA_DIST += %reldir%/hvcov-libgcov.c
