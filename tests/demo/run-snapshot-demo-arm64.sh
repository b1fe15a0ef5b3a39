#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# Live snapshots of the demo hypervisor on arm64 (tests/demo/snapshot-demo.sh).
arch=arm64
. "$top_srcdir/tests/demo/snapshot-demo.sh"
