#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# Live snapshots of the demo hypervisor on arm (tests/snapshot-demo.sh).
arch=arm
. "$top_srcdir/tests/snapshot-demo.sh"
