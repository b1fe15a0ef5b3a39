#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# The demo on arm with .bss moved: see run-demo-moved-bss.sh.
exec ${SHELL:-/bin/sh} "$top_srcdir/tests/demo/run-demo-moved-bss.sh" arm
