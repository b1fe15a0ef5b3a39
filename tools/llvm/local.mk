# SPDX-License-Identifier: BSD-2-Clause
# llvm/: clang images (source-based coverage): the four profile sections
# the descriptor bounds, checked and laid out as a raw profile (.profraw).
HVCOV_LLVM_SOURCES = %reldir%/profraw.c %reldir%/profraw.h
