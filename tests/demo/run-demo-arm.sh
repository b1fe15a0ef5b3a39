#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# The demo on arm: see run-demo.sh for what it proves.
exec ${SHELL:-/bin/sh} "$top_srcdir/tests/demo/run-demo.sh" arm
