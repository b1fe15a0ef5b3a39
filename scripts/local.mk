# SPDX-License-Identifier: BSD-2-Clause
# scripts/: bootstrap installs what the build and the tests need;
# hvcov-report and hvcov-report-tests (installed) render HTML from a build
# tree and .gcda files or a tagged snapshot series, and get the package
# version at build time; hvcov-qualify (installed) checks hvcov against
# libgcov with the user's compiler; hvcov-demo, hvcov-demo-live and demo-subr.sh run
# the reference hypervisor (make demo, make demo-live); ci-sanitize and lint
# are CI's.  hvcov-llvm-report (installed) renders the .profraw files of a
# clang image with that clang's llvm-cov.
EXTRA_DIST += %reldir%/bootstrap %reldir%/hvcov-report.in %reldir%/hvcov-llvm-report.in \
	%reldir%/hvcov-report-tests.in %reldir%/hvcov-qualify.in %reldir%/ci-sanitize %reldir%/lint \
	%reldir%/hvcov-demo %reldir%/demo-subr.sh %reldir%/hvcov-demo-live %reldir%/host-arch.sh
bin_SCRIPTS += %reldir%/hvcov-report %reldir%/hvcov-report-tests %reldir%/hvcov-llvm-report \
	%reldir%/hvcov-qualify
CLEANFILES += %reldir%/hvcov-report %reldir%/hvcov-report-tests %reldir%/hvcov-llvm-report \
	%reldir%/hvcov-qualify

# hvcov-report is installed alone: host-arch.sh goes into it at build time.
%reldir%/hvcov-report: $(srcdir)/%reldir%/hvcov-report.in \
		$(srcdir)/%reldir%/host-arch.sh Makefile
	$(AM_V_GEN)$(MKDIR_P) %reldir% && \
	sed -e 's|@VERSION[@]|$(VERSION)|g' \
		-e '/^@HOST_ARCH_FUNCTION@$$/{' \
		-e 'r $(srcdir)/%reldir%/host-arch.sh' -e 'd' -e '}' \
		'$(srcdir)/%reldir%/hvcov-report.in' >$@.tmp && \
	chmod +x $@.tmp && mv $@.tmp $@
%reldir%/hvcov-report-tests: $(srcdir)/%reldir%/hvcov-report-tests.in Makefile
	$(AM_V_GEN)$(MKDIR_P) %reldir% && \
	sed -e 's|@VERSION[@]|$(VERSION)|g' \
		'$(srcdir)/%reldir%/hvcov-report-tests.in' >$@.tmp && \
	chmod +x $@.tmp && mv $@.tmp $@
# hvcov-qualify finds the workloads tests/producer/local.mk installs.
%reldir%/hvcov-qualify: $(srcdir)/%reldir%/hvcov-qualify.in Makefile
	$(AM_V_GEN)$(MKDIR_P) %reldir% && \
	sed -e 's|@VERSION[@]|$(VERSION)|g' -e 's|@PKGDATADIR[@]|$(pkgdatadir)|g' \
		'$(srcdir)/%reldir%/hvcov-qualify.in' >$@.tmp && \
	chmod +x $@.tmp && mv $@.tmp $@

# %reldir%/hvcov-check-build (installed): right after a hypervisor's build,
# how many objects were compiled with coverage and registered in its ELF.
dist_bin_SCRIPTS = %reldir%/hvcov-check-build

%reldir%/hvcov-llvm-report: $(srcdir)/%reldir%/hvcov-llvm-report.in Makefile
	$(AM_V_GEN)$(MKDIR_P) %reldir% && \
	sed -e 's|@VERSION[@]|$(VERSION)|g' \
		'$(srcdir)/%reldir%/hvcov-llvm-report.in' >$@.tmp && \
	chmod +x $@.tmp && mv $@.tmp $@

# make lint: the static analysis CI runs (lint).
lint:
	$(SHELL) $(srcdir)/%reldir%/lint
.PHONY: lint

clean-local: clean-asan
clean-asan:
	-rm -rf build-asan
.PHONY: clean-asan

# make libgcov-helpers GCC='11 13 14 15 16': hvcov's writer for more GCC
# releases (tools/write/hvcov-libgcov.c, one static program per release,
# built by libgcov-helpers) into libgcov-helpers/; make install puts the
# ones built there into pkglibexecdir, where hvcov looks for them.
EXTRA_DIST += %reldir%/toolchains %reldir%/check-toolchains \
	%reldir%/libgcov-helpers %reldir%/hvcov-demo-mcdc
libgcov-helpers:
	$(SHELL) $(srcdir)/%reldir%/libgcov-helpers libgcov-helpers $(GCC)
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
clean-local: clean-libgcov-helpers clean-toolchain-matrix
clean-libgcov-helpers:
	-rm -rf libgcov-helpers
clean-toolchain-matrix:
	-rm -rf toolchain-matrix
.PHONY: clean-libgcov-helpers clean-toolchain-matrix
