# SPDX-License-Identifier: BSD-2-Clause
#
# hvcov make fragment.  A hypervisor's Makefile sets CC, then includes it
# and, after its list of objects to measure ($(objs) here):
#
#     include path/to/hvcov/hypervisor/hvcov.mk
#     $(objs): override CFLAGS += $(HVCOV_CFLAGS)
#     main.o: override CFLAGS += $(HVCOV_INCLUDE)  # calls hvcov_init()
#     objs += hvcov.o
#     hvcov.o: $(HVCOV_STUB_SRC)
#     	$(CC) $(CFLAGS) $(HVCOV_STUB_CFLAGS) -c -o $@ $<
#
# ('override' also works where the Makefile has its own 'override CFLAGS',
# which silently drops a plain 'CFLAGS +=') and INCLUDEs $(HVCOV_DIR)hvcov.lds
# in its linker script.  See docs/integration.md.
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

# Recursively expanded: $(CC) is often set after this include (the demo
# sets it from ARCH), and the probe below must ask that compiler.
HVCOV_CFLAGS = --coverage -fprofile-update=$(HVCOV_UPDATE) \
	$(HVCOV_NO_OUTLINE_ATOMICS) $(HVCOV_MORE)
ifeq ($(HVCOV_MODE),info-section)
HVCOV_CFLAGS += -fprofile-info-section
endif

# arm64: with GCC's default -moutline-atomics every atomic counter update is
# a call to __aarch64_ldadd8_relax, which clobbers x0-x17 between an asm
# statement and the use of its register-variable outputs (a value returned
# from hvc/smc in x0 became a counter's old value).  -mno-outline-atomics
# keeps the update inline, on registers of the compiler's choosing.  Only
# aarch64 GCC >= 10 knows the option, so ask $(CC) once, at first use.
hvcov_probe_cc = $(shell $(CC) $(1) -Werror -x c -c -o /dev/null /dev/null \
	>/dev/null 2>&1 && echo $(1))
HVCOV_NO_OUTLINE_ATOMICS = $(eval HVCOV_NO_OUTLINE_ATOMICS := \
	$(call hvcov_probe_cc,-mno-outline-atomics))$(HVCOV_NO_OUTLINE_ATOMICS)

# The stub is freestanding, has no unwind tables and is never instrumented;
# it runs once, at init, so it is built for size (-Os: .text <= 256 bytes).
# -fno-pic -fno-pie: a hypervisor runs at fixed addresses, and a PIE-default
# GCC refuses -mcmodel=large (arm64) without them.
HVCOV_STUB_SRC := $(HVCOV_DIR)hvcov.c
HVCOV_STUB_CFLAGS := -std=c11 -Os -ffreestanding -fno-pic -fno-pie \
	-fno-asynchronous-unwind-tables -fno-unwind-tables \
	-fno-stack-protector -fno-profile-arcs -fno-test-coverage \
	-I$(HVCOV_DIR)include -DHVCOV_ENABLED
HVCOV_INCLUDE := -I$(HVCOV_DIR)include -DHVCOV_ENABLED
HVCOV_LDS := $(HVCOV_DIR)hvcov.lds

# Coverage flags for one file, or none if it is listed in HVCOV_EXCLUDE.
hvcov_cflags = $(if $(filter $(1),$(HVCOV_EXCLUDE)),,$(HVCOV_CFLAGS))
