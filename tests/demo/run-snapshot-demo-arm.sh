#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# Live snapshots of the demo hypervisor on arm (tests/demo/snapshot-demo.sh).
arch=arm
. "$top_srcdir/tests/demo/snapshot-demo.sh"
