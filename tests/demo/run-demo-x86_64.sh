#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# The demo on x86_64: see run-demo.sh for what it proves.
exec ${SHELL:-/bin/sh} "$top_srcdir/tests/demo/run-demo.sh" x86_64
