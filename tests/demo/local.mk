# SPDX-License-Identifier: BSD-2-Clause
# demo/: hvcov against the running reference hypervisor under QEMU: live
# snapshots at each phase (one test per architecture) and ELF core dumps.
DEMO_TESTS = %reldir%/run-snapshot-demo-x86_64.sh \
	%reldir%/run-snapshot-demo-arm64.sh %reldir%/run-snapshot-demo-arm.sh \
	%reldir%/run-core-dump.sh
TESTS += $(DEMO_TESTS)
EXTRA_DIST += $(DEMO_TESTS) %reldir%/snapshot-demo.sh
