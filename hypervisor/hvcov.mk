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
#                  (GCC >= 11: no constructors run at all)
#   HVCOV_UPDATE   atomic (default; exact counts on SMP) or single (smaller
#                  and faster, but concurrent CPUs lose or tear updates)
#   HVCOV_EXCLUDE  source files to build without coverage; use
#                  $(call hvcov_cflags,FILE) as the per-file coverage flags
#   HVCOV_CLANG    y when $(CC) is clang (found from its --version): clang's
#                  source-based coverage instead of gcov, with MC/DC
#                  (-fcoverage-mcdc) from clang 18 on unless HVCOV_MCDC=n

HVCOV_DIR := $(dir $(lastword $(MAKEFILE_LIST)))
HVCOV_MODE ?= constructors
HVCOV_UPDATE ?= atomic
HVCOV_EXCLUDE ?=

HVCOV_CC_VERSION := $(shell $(CC) --version 2>/dev/null | head -n 1)
HVCOV_CLANG ?= $(if $(findstring clang,$(HVCOV_CC_VERSION)),y,n)
HVCOV_MCDC ?= y

ifeq ($(HVCOV_CLANG),y)
# No runtime is linked: the objects reference none unless the link line
# itself carries -fprofile-instr-generate (the stub defines the one symbol
# it would then ask for).  Counter increments are atomic only with
# -fprofile-update=atomic; MC/DC bitmap updates never are (docs/integration.md).
HVCOV_CLANG_MAJOR := $(shell echo __clang_major__ | $(CC) -E -P -x c - 2>/dev/null)
HVCOV_CFLAGS := -fprofile-instr-generate -fcoverage-mapping \
	-fprofile-update=$(HVCOV_UPDATE)
ifeq ($(HVCOV_MCDC),y)
HVCOV_CFLAGS += $(if $(filter-out 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17,$(HVCOV_CLANG_MAJOR)),-fcoverage-mcdc)
endif
else
HVCOV_CFLAGS := --coverage -fprofile-update=$(HVCOV_UPDATE)
ifeq ($(HVCOV_MODE),info-section)
HVCOV_CFLAGS += -fprofile-info-section
endif
endif

# The stub is freestanding, has no unwind tables and is never instrumented;
# it runs once, at init, so it is built for size (-Os: .text <= 256 bytes).
HVCOV_STUB_SRC := $(HVCOV_DIR)hvcov.c
HVCOV_STUB_CFLAGS := -std=c11 -Os -ffreestanding -fno-asynchronous-unwind-tables \
	-fno-unwind-tables -fno-stack-protector -fno-profile-arcs \
	-fno-test-coverage -I$(HVCOV_DIR)include -DHVCOV_ENABLED
ifeq ($(HVCOV_CLANG),y)
HVCOV_STUB_CFLAGS += -fno-profile-instr-generate -fno-coverage-mapping
endif
HVCOV_INCLUDE := -I$(HVCOV_DIR)include -DHVCOV_ENABLED
HVCOV_LDS := $(HVCOV_DIR)hvcov.lds

# Coverage flags for one file, or none if it is listed in HVCOV_EXCLUDE.
hvcov_cflags = $(if $(filter $(1),$(HVCOV_EXCLUDE)),,$(HVCOV_CFLAGS))
