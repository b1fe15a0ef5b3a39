# SPDX-License-Identifier: BSD-2-Clause
#
# hvcov make fragment.  A hypervisor's Makefile includes it:
#
#     include path/to/hvcov/hypervisor/hvcov.mk
#     CFLAGS += $(HVCOV_CFLAGS)              # for the code to measure
#     objs   += hvcov.o                      # built from $(HVCOV_STUB_SRC)
#     hvcov.o: CFLAGS += $(HVCOV_STUB_CFLAGS) # the stub itself: no coverage
#
# and INCLUDEs $(HVCOV_DIR)hvcov.lds in its linker script.
#
# Variables a user may set before the include:
#   HVCOV_MODE     constructors (default: any GCC >= 4.7) or info-section
#                  (GCC >= 12: no constructors run at all; GCC 11 drops the
#                  section's entries at -O1 and above)
#   HVCOV_UPDATE   atomic (default; exact counts on SMP) or single (smaller
#                  and faster, but concurrent CPUs lose or tear updates)
#   HVCOV_EXCLUDE  source files to build without coverage; use
#                  $(call hvcov_cflags,FILE) as the per-file coverage flags
#   HVCOV_MORE     more coverage options: -fcondition-coverage (GCC 14+,
#                  MC/DC), -fpath-coverage (GCC 15+, prime paths)

HVCOV_DIR := $(dir $(lastword $(MAKEFILE_LIST)))
HVCOV_MODE ?= constructors
HVCOV_UPDATE ?= atomic
HVCOV_EXCLUDE ?=

HVCOV_MORE ?=
HVCOV_CFLAGS := --coverage -fprofile-update=$(HVCOV_UPDATE) $(HVCOV_MORE)
ifeq ($(HVCOV_MODE),info-section)
HVCOV_CFLAGS += -fprofile-info-section
endif

# The stub is freestanding, has no unwind tables and is never instrumented;
# it runs once, at init, so it is built for size (-Os: .text <= 256 bytes).
HVCOV_STUB_SRC := $(HVCOV_DIR)hvcov.c
HVCOV_STUB_CFLAGS := -std=c11 -Os -ffreestanding -fno-asynchronous-unwind-tables \
	-fno-unwind-tables -fno-stack-protector -fno-profile-arcs \
	-fno-test-coverage -I$(HVCOV_DIR)include -DHVCOV_ENABLED
HVCOV_INCLUDE := -I$(HVCOV_DIR)include -DHVCOV_ENABLED
HVCOV_LDS := $(HVCOV_DIR)hvcov.lds

# Coverage flags for one file, or none if it is listed in HVCOV_EXCLUDE.
hvcov_cflags = $(if $(filter $(1),$(HVCOV_EXCLUDE)),,$(HVCOV_CFLAGS))
