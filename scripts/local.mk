# SPDX-License-Identifier: BSD-2-Clause
# scripts/bootstrap installs what the build and the tests need;
# scripts/hvcov-report (installed) renders HTML from a build tree and .gcda
# files, and gets the package version at build time.
EXTRA_DIST += scripts/bootstrap scripts/hvcov-report.in
bin_SCRIPTS += scripts/hvcov-report
CLEANFILES += scripts/hvcov-report

scripts/hvcov-report: $(srcdir)/scripts/hvcov-report.in Makefile
	$(AM_V_GEN)$(MKDIR_P) scripts && \
	sed -e 's|@VERSION[@]|$(VERSION)|g' \
		'$(srcdir)/scripts/hvcov-report.in' >$@.tmp && \
	chmod +x $@.tmp && mv $@.tmp $@
EXTRA_DIST += scripts/ci-sanitize scripts/lint

# scripts/hvcov-check-build (installed): right after a hypervisor's build,
# how many objects were compiled with coverage and registered in its ELF.
dist_bin_SCRIPTS = scripts/hvcov-check-build

# make lint: the static analysis CI runs (scripts/lint).
lint:
	$(SHELL) $(srcdir)/scripts/lint
.PHONY: lint

clean-local: clean-asan
clean-asan:
	-rm -rf build-asan
.PHONY: clean-asan
