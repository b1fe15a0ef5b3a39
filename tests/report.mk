# SPDX-License-Identifier: BSD-2-Clause
# scripts/hvcov-report against the producer's real objects and libgcov's
# own .gcda files (it needs the producers built by tests/producer.mk).
TESTS += tests/run-report.sh
EXTRA_DIST += tests/run-report.sh
