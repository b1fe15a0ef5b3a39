# SPDX-License-Identifier: BSD-2-Clause
# Image producers and ground-truth programs per architecture, built by
# tests/producer/build.sh with the compilers configure found, and the tests
# of the hypervisor stub that use them.  PRODUCER_CFLAGS: more coverage
# options for the workload (make check-toolchains sets it); after changing
# it, make clean-producers.
PRODUCER_FILES = tests/producer/build.sh tests/producer/producer.c \
	tests/producer/producer.ld tests/producer/start.c tests/producer/sys.h \
	tests/producer/truth-main.c tests/workload/workload.h \
	tests/workload/checksum.c tests/workload/parse.c tests/workload/table.c \
	tests/workload/run.c
PRODUCER_DEPS = $(PRODUCER_FILES) $(HYPERVISOR_STUB_FILES)
EXTRA_DIST += $(PRODUCER_FILES)

check_DATA += tests/producer/x86_64/built tests/producer/arm64/built \
	tests/producer/arm/built

tests/producer/x86_64/built: $(PRODUCER_DEPS)
	$(AM_V_GEN)MAKE='$(MAKE)' PRODUCER_CFLAGS='$(PRODUCER_CFLAGS)' $(SHELL) $(srcdir)/tests/producer/build.sh \
		'$(GCOV_CC)' '$(srcdir)' tests/producer/x86_64 && touch $@
tests/producer/arm64/built: $(PRODUCER_DEPS)
	$(AM_V_GEN)MAKE='$(MAKE)' PRODUCER_CFLAGS='$(PRODUCER_CFLAGS)' $(SHELL) $(srcdir)/tests/producer/build.sh \
		'$(AARCH64_CC)' '$(srcdir)' tests/producer/arm64 && touch $@
tests/producer/arm/built: $(PRODUCER_DEPS)
	$(AM_V_GEN)MAKE='$(MAKE)' PRODUCER_CFLAGS='$(PRODUCER_CFLAGS)' $(SHELL) $(srcdir)/tests/producer/build.sh \
		'$(ARM_CC)' '$(srcdir)' tests/producer/arm && touch $@

TESTS += tests/run-stub-size.sh tests/run-stub-selfcheck.sh \
	tests/run-extract-truth.sh tests/run-extract-refusals.sh \
	tests/run-extract-merge.sh tests/run-libgcov-helper.sh
EXTRA_DIST += tests/run-stub-size.sh tests/run-stub-selfcheck.sh \
	tests/run-extract-truth.sh tests/run-extract-refusals.sh \
	tests/run-extract-merge.sh tests/run-libgcov-helper.sh

clean-local: clean-producers
clean-producers:
	-rm -rf tests/producer/x86_64 tests/producer/arm64 tests/producer/arm
.PHONY: clean-producers
