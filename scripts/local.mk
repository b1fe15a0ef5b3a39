# SPDX-License-Identifier: BSD-2-Clause
EXTRA_DIST += scripts/bootstrap
EXTRA_DIST += scripts/ci-sanitize scripts/lint tests/lsan.supp

# make lint: the static analysis CI runs (scripts/lint).
lint:
	$(SHELL) $(srcdir)/scripts/lint
.PHONY: lint

clean-local: clean-asan
clean-asan:
	-rm -rf build-asan
.PHONY: clean-asan
