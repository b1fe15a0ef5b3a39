#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# Live snapshots of the demo hypervisor on x86_64 (tests/demo/snapshot-demo.sh).
arch=x86_64
. "$top_srcdir/tests/demo/snapshot-demo.sh"
