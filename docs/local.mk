# SPDX-License-Identifier: BSD-2-Clause
# docs/: the man pages and the documents they point to (installed in
# $(docdir) beside README.md).
dist_doc_DATA += %reldir%/image-format.md %reldir%/integration.md \
	%reldir%/performance.md %reldir%/snapshots.md \
	%reldir%/design.md %reldir%/gcov-facts.md
dist_man_MANS += %reldir%/hvcov.1 %reldir%/hvcov-report.1 \
	%reldir%/hvcov-report-tests.1 %reldir%/hvcov-llvm-report.1 \
	%reldir%/hvcov-qualify.1
