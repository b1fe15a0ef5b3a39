# SPDX-License-Identifier: BSD-2-Clause
# Tests of live snapshots: the Check suite, the torn-read test (native and
# 32-bit arm under qemu-user) and the command's shell tests.
tests_check_hvcov_SOURCES += tests/check_snapshot.c

# The torn-read test: the reader natively and as a 32-bit arm program under
# qemu-user, the writer always native (tests/torn-check.c).
check_PROGRAMS += tests/torn-check
tests_torn_check_SOURCES = tests/torn-check.c
tests_torn_check_LDADD = libhvcov.a
check_DATA += tests/torn-check-arm
tests/torn-check-arm: $(srcdir)/tests/torn-check.c $(srcdir)/tools/untorn.c \
		$(srcdir)/tools/untorn.h
	$(AM_V_GEN)if test -n '$(ARM_CC)'; then \
		$(ARM_CC) -static -std=c11 -O2 -Wall -Wextra -Werror \
			-D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE \
			-I$(srcdir)/tools -o $@ $(srcdir)/tests/torn-check.c \
			$(srcdir)/tools/untorn.c; \
	else rm -f $@; fi
CLEANFILES += tests/torn-check-arm

TESTS += tests/run-snapshot-torn.sh tests/run-snapshot-cli.sh \
	tests/run-snapshot-faults.sh
EXTRA_DIST += tests/run-snapshot-torn.sh tests/run-snapshot-cli.sh \
	tests/run-snapshot-faults.sh

# Live snapshots of the running demo hypervisor, one test per architecture.
TESTS += tests/run-snapshot-demo-x86_64.sh tests/run-snapshot-demo-arm64.sh \
	tests/run-snapshot-demo-arm.sh
EXTRA_DIST += tests/snapshot-demo.sh tests/run-snapshot-demo-x86_64.sh \
	tests/run-snapshot-demo-arm64.sh tests/run-snapshot-demo-arm.sh
