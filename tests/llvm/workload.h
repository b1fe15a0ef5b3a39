/* SPDX-License-Identifier: BSD-2-Clause */
#ifndef HVCOV_TEST_LLVM_WORKLOAD_H
#define HVCOV_TEST_LLVM_WORKLOAD_H

unsigned workload(int rounds);
int never_called(int x);

#endif
