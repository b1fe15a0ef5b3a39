# SPDX-License-Identifier: BSD-2-Clause
# stub/: the hypervisor stub as built by hypervisor/hvcov.mk: its size per
# architecture and its self-check in the producers.
STUB_TESTS = %reldir%/run-stub-size.sh %reldir%/run-stub-selfcheck.sh
TESTS += $(STUB_TESTS)
EXTRA_DIST += $(STUB_TESTS)
