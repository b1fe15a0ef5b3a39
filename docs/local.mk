# SPDX-License-Identifier: BSD-2-Clause
EXTRA_DIST += docs/image-format.md
dist_man_MANS += docs/hvcov.1
EXTRA_DIST += docs/performance.md
