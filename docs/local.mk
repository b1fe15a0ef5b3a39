# SPDX-License-Identifier: BSD-2-Clause
EXTRA_DIST += docs/image-format.md docs/integration.md docs/performance.md \
	docs/gcov-facts.md
dist_man_MANS += docs/hvcov.1 docs/hvcov-report.1
