# SPDX-License-Identifier: BSD-2-Clause
# producer/: image producers and ground-truth programs per architecture,
# built by build.sh with the compilers configure found from the workload in
# tests/workload/ and the hypervisor stub.  PRODUCER_CFLAGS: more coverage
# options for the workload (make check-toolchains sets it); after changing
# it, make clean-producers.
PRODUCER_FILES = %reldir%/build.sh %reldir%/producer.c %reldir%/producer.ld \
	%reldir%/start.c %reldir%/sys.h %reldir%/truth-main.c
PRODUCER_DEPS = $(PRODUCER_FILES) $(WORKLOAD_FILES) $(HYPERVISOR_STUB_FILES)
EXTRA_DIST += $(PRODUCER_FILES)
# Installed with the workload (beside the stub, under $(pkgdatadir)) for
# hvcov-qualify to build on the user's machine with the user's compiler.
qualifydir = $(pkgdatadir)
nobase_qualify_DATA = $(PRODUCER_FILES) $(WORKLOAD_FILES)

check_DATA += %reldir%/x86_64/built %reldir%/arm64/built %reldir%/arm/built

%reldir%/x86_64/built: $(PRODUCER_DEPS)
	$(AM_V_GEN)MAKE='$(MAKE)' PRODUCER_CFLAGS='$(PRODUCER_CFLAGS)' \
		$(SHELL) $(srcdir)/%reldir%/build.sh \
		'$(GCOV_CC)' '$(srcdir)' %reldir%/x86_64 && touch $@
%reldir%/arm64/built: $(PRODUCER_DEPS)
	$(AM_V_GEN)MAKE='$(MAKE)' PRODUCER_CFLAGS='$(PRODUCER_CFLAGS)' \
		$(SHELL) $(srcdir)/%reldir%/build.sh \
		'$(AARCH64_CC)' '$(srcdir)' %reldir%/arm64 && touch $@
%reldir%/arm/built: $(PRODUCER_DEPS)
	$(AM_V_GEN)MAKE='$(MAKE)' PRODUCER_CFLAGS='$(PRODUCER_CFLAGS)' \
		$(SHELL) $(srcdir)/%reldir%/build.sh \
		'$(ARM_CC)' '$(srcdir)' %reldir%/arm && touch $@

clean-local: clean-producers
clean-producers:
	-rm -rf %reldir%/x86_64 %reldir%/arm64 %reldir%/arm
.PHONY: clean-producers
