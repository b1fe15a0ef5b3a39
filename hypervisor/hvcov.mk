# SPDX-License-Identifier: BSD-2-Clause
#
# hvcov make fragment.  A hypervisor's Makefile includes it and, after its
# list of objects to measure ($(objs) here):
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
# in its linker script.  See docs/integration.md.  Every flag below is
# worked out at first use, so CC may be set before or after the include.
#
# Variables a user may set:
#   HVCOV_MODE     constructors (default: any GCC >= 4.7) or info-section
#                  (GCC >= 12: no constructors run at all; GCC 11 drops the
#                  section's entries at -O1 and above)
#   HVCOV_UPDATE   atomic (default; exact counts on SMP) or single (smaller
#                  and faster, but concurrent CPUs lose or tear updates)
#   HVCOV_EXCLUDE  source files to build without coverage; use
#                  $(call hvcov_cflags,FILE) as the per-file coverage flags
#   HVCOV_MORE     more gcov options: -fcondition-coverage (GCC 14+,
#                  MC/DC), -fpath-coverage (GCC 15+, prime paths)
#   HVCOV_CLANG    y when $(CC) is clang (default: found from its --version):
#                  clang's source-based coverage instead of gcov, with MC/DC
#                  (-fcoverage-mcdc) from clang 18 on unless HVCOV_MCDC=n

HVCOV_DIR := $(dir $(lastword $(MAKEFILE_LIST)))
HVCOV_MODE ?= constructors
HVCOV_UPDATE ?= atomic
HVCOV_EXCLUDE ?=
HVCOV_MCDC ?= y

# $(call hvcov_once,NAME,VALUE): NAME becomes VALUE, computed at its first
# use and kept (the shell runs once, however often the flags are used).
hvcov_once = $(eval $(1) := $(2))$($(1))
hvcov_probe_cc = $(shell $(CC) $(1) -Werror -x c -c -o /dev/null /dev/null \
	>/dev/null 2>&1 && echo $(1))

HVCOV_CLANG ?= $(call hvcov_once,HVCOV_CLANG,$(if $(findstring clang,$(shell \
	$(CC) --version 2>/dev/null | head -n 1)),y,n))

# GCC's gcov.  arm64: with GCC's default -moutline-atomics every atomic
# counter update is a call to __aarch64_ldadd8_relax, which clobbers x0-x17
# between an asm statement and the use of its register-variable outputs (a
# value returned from hvc/smc in x0 became a counter's old value).
# -mno-outline-atomics keeps the update inline, on registers of the
# compiler's choosing; only aarch64 GCC >= 10 knows the option.
HVCOV_NO_OUTLINE_ATOMICS = $(call hvcov_once,HVCOV_NO_OUTLINE_ATOMICS,$(call \
	hvcov_probe_cc,-mno-outline-atomics))
HVCOV_GCC_CFLAGS = --coverage -fprofile-update=$(HVCOV_UPDATE) \
	$(HVCOV_NO_OUTLINE_ATOMICS) $(HVCOV_MORE) \
	$(if $(filter info-section,$(HVCOV_MODE)),-fprofile-info-section)

# clang's source-based coverage.  No runtime is linked: the objects
# reference none unless the link line itself carries
# -fprofile-instr-generate (the stub defines the one symbol it would then
# ask for).  Counter increments are atomic only with -fprofile-update=atomic
# (docs/integration.md says what that means for MC/DC bitmaps).
HVCOV_CLANG_MAJOR = $(call hvcov_once,HVCOV_CLANG_MAJOR,$(shell \
	echo __clang_major__ | $(CC) -E -P -x c - 2>/dev/null))
HVCOV_CLANG_CFLAGS = -fprofile-instr-generate -fcoverage-mapping \
	-fprofile-update=$(HVCOV_UPDATE) \
	$(if $(filter y,$(HVCOV_MCDC)),$(if $(filter-out 1 2 3 4 5 6 7 8 9 10 \
	11 12 13 14 15 16 17,$(HVCOV_CLANG_MAJOR)),-fcoverage-mcdc))

HVCOV_CFLAGS = $(if $(filter y,$(HVCOV_CLANG)),$(HVCOV_CLANG_CFLAGS),$(HVCOV_GCC_CFLAGS))

# The stub is freestanding, has no unwind tables and is never instrumented;
# it runs once, at init, so it is built for size (-Os: .text <= 256 bytes).
# -fno-pic -fno-pie: a hypervisor runs at fixed addresses, and a PIE-default
# GCC refuses -mcmodel=large (arm64) without them.
HVCOV_STUB_SRC := $(HVCOV_DIR)hvcov.c
HVCOV_STUB_CFLAGS = -std=c11 -Os -ffreestanding -fno-pic -fno-pie \
	-fno-asynchronous-unwind-tables -fno-unwind-tables \
	-fno-stack-protector -fno-profile-arcs -fno-test-coverage \
	$(if $(filter y,$(HVCOV_CLANG)),-fno-profile-instr-generate \
	-fno-coverage-mapping) -I$(HVCOV_DIR)include -DHVCOV_ENABLED
HVCOV_INCLUDE := -I$(HVCOV_DIR)include -DHVCOV_ENABLED
HVCOV_LDS := $(HVCOV_DIR)hvcov.lds

# Coverage flags for one file, or none if it is listed in HVCOV_EXCLUDE.
hvcov_cflags = $(if $(filter $(1),$(HVCOV_EXCLUDE)),,$(HVCOV_CFLAGS))
