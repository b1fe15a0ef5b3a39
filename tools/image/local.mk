# SPDX-License-Identifier: BSD-2-Clause
# image/: getting the bytes (files, windows) and finding the header in them
# (the hvcov descriptor or a Jailhouse header).
HVCOV_IMAGE_SOURCES = %reldir%/arch.c %reldir%/arch.h \
	%reldir%/image.c %reldir%/image.h \
	%reldir%/header.c %reldir%/header.h
