# SPDX-License-Identifier: BSD-2-Clause
# workload/: the instrumented code the producers run, both as a hypervisor
# image and hosted under the real libgcov (the ground truth).
WORKLOAD_FILES = %reldir%/workload.h %reldir%/checksum.c %reldir%/parse.c \
	%reldir%/table.c %reldir%/run.c
EXTRA_DIST += $(WORKLOAD_FILES)
