#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# The demo on arm: see run-demo.sh for what it proves.
exec ${SHELL:-/bin/sh} "$(dirname "$0")/run-demo.sh" arm
