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

# make lint: the static analysis CI runs (scripts/lint).
lint:
	$(SHELL) $(srcdir)/scripts/lint
.PHONY: lint

clean-local: clean-asan
clean-asan:
	-rm -rf build-asan
.PHONY: clean-asan

# make check-toolchains [GCC='13 16']: the GCC 11-16 matrix
# (scripts/check-toolchains) on this release's tarball; builds the GCC 13-16
# roots with scripts/toolchains first if they are not cached (needs root).
EXTRA_DIST += scripts/toolchains scripts/check-toolchains
check-toolchains: dist-gzip tools/hvcov
	ONE_HVCOV='$(abs_builddir)/tools/hvcov' $(SHELL) \
		$(srcdir)/scripts/check-toolchains $(PACKAGE)-$(VERSION).tar.gz $(GCC)
.PHONY: check-toolchains

clean-local: clean-toolchain-matrix
clean-toolchain-matrix:
	-rm -rf toolchain-matrix
.PHONY: clean-toolchain-matrix

# make libgcov-helpers GCC='11 13 14 15 16': hvcov's writer for more GCC
# releases (tools/hvcov-libgcov.c, one static program per release, built
# by scripts/libgcov-helpers) into libgcov-helpers/; make install puts the
# ones built there into pkglibexecdir, where hvcov looks for them.
EXTRA_DIST += scripts/libgcov-helpers tools/hvcov-libgcov.c \
	scripts/hvcov-demo-mcdc
libgcov-helpers:
	$(SHELL) $(srcdir)/scripts/libgcov-helpers libgcov-helpers $(GCC)
.PHONY: libgcov-helpers
install-exec-local:
	@for helper in libgcov-helpers/hvcov-libgcov-*; do \
		[ -f "$$helper" ] || continue; \
		$(MKDIR_P) '$(DESTDIR)$(pkglibexecdir)' && \
		echo " $(INSTALL_PROGRAM) $$helper '$(DESTDIR)$(pkglibexecdir)'" && \
		$(INSTALL_PROGRAM) "$$helper" '$(DESTDIR)$(pkglibexecdir)' || exit 1; \
	done
uninstall-local:
	-rm -f '$(DESTDIR)$(pkglibexecdir)'/hvcov-libgcov-*
clean-local: clean-libgcov-helpers
clean-libgcov-helpers:
	-rm -rf libgcov-helpers
.PHONY: clean-libgcov-helpers
