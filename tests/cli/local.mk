# SPDX-License-Identifier: BSD-2-Clause
# cli/: the installed commands end to end on the producers' real images and
# objects, against what GCC's own libgcov, gcov, lcov and gcovr make of the
# same run: extraction, refusals, merging, verify, the report, snapshots,
# and hvcov cross-built for arm64 and arm under qemu-user.
CLI_TESTS = %reldir%/run-extract-truth.sh %reldir%/run-extract-refusals.sh \
	%reldir%/run-extract-merge.sh %reldir%/run-verify.sh \
	%reldir%/run-report.sh %reldir%/run-snapshot-cli.sh \
	%reldir%/run-snapshot-faults.sh %reldir%/run-snapshot-place.sh \
	%reldir%/run-cross-hvcov.sh %reldir%/run-big-memory.sh \
	%reldir%/run-report-locale.sh %reldir%/run-configured-gcov.sh \
	%reldir%/run-libgcov-helper.sh \
	%reldir%/run-cli-habits.sh %reldir%/run-json.sh %reldir%/run-report-cmd.sh \
	%reldir%/run-qualify.sh %reldir%/run-quiet-verbose.sh \
	%reldir%/run-report-kill.sh %reldir%/run-report-gcovr.sh \
	%reldir%/run-report-browser.sh %reldir%/run-report-mcdc.sh \
	%reldir%/run-report-tests-differ.sh
TESTS += $(CLI_TESTS)
EXTRA_DIST += $(CLI_TESTS)
# The Cobertura structure run-report-cmd.sh validates against.
EXTRA_DIST += %reldir%/coverage-04.dtd
