# SPDX-License-Identifier: BSD-2-Clause
# elf/: the only code that uses libelf: the hypervisor's ELF (--elf), and
# ELF core dumps (--core).
HVCOV_ELF_SOURCES = %reldir%/elf-file.c %reldir%/elf-file.h \
	%reldir%/elf-image.c %reldir%/elf-image.h %reldir%/core.c %reldir%/core.h
