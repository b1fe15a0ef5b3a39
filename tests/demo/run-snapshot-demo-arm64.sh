#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# Live snapshots of the demo hypervisor on arm64 (tests/snapshot-demo.sh).
arch=arm64
. "$top_srcdir/tests/snapshot-demo.sh"
