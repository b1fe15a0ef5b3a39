# SPDX-License-Identifier: BSD-2-Clause
# llvm/: clang images (source-based coverage, MC/DC) against compiler-rt's
# own raw profiles: a hosted workload linked with the stub and with the
# profile runtime.
LLVM_TESTS = %reldir%/run-clang-truth.sh %reldir%/run-clang-malformed.sh \
	%reldir%/run-clang-report.sh %reldir%/run-clang-snapshot.sh
TESTS += $(LLVM_TESTS)
EXTRA_DIST += $(LLVM_TESTS) %reldir%/workload.c %reldir%/workload.h \
	%reldir%/image-main.c %reldir%/truth-main.c \
	%reldir%/build-image.sh %reldir%/profile-subr.sh \
	%reldir%/counter-id.c
