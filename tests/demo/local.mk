# SPDX-License-Identifier: BSD-2-Clause
# demo/: hvcov against the running reference hypervisor under QEMU: boot,
# extract and report against the hosted truth, live snapshots at each phase
# (one test each per architecture), ELF core dumps, and the clang build on
# three architectures against its hosted truth, extracted and snapshotted
# live at each phase.
DEMO_TESTS = %reldir%/run-demo-arm64.sh %reldir%/run-demo-arm.sh \
	%reldir%/run-demo-x86_64.sh %reldir%/run-demo-split-bss.sh \
	%reldir%/run-demo-moved-bss-arm64.sh %reldir%/run-demo-moved-bss-arm.sh \
	%reldir%/run-snapshot-demo-x86_64.sh \
	%reldir%/run-snapshot-demo-arm64.sh %reldir%/run-snapshot-demo-arm.sh \
	%reldir%/run-core-dump.sh %reldir%/run-demo-clang.sh \
	%reldir%/run-snapshot-demo-clang.sh
TESTS += $(DEMO_TESTS)
EXTRA_DIST += $(DEMO_TESTS) %reldir%/snapshot-demo.sh %reldir%/run-demo.sh %reldir%/run-demo-moved-bss.sh \
	%reldir%/demo-subr.sh
