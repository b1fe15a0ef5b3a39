# SPDX-License-Identifier: BSD-2-Clause
# scripts/hvcov-report-tests (installed): the per-test report of a tagged
# snapshot series; scripts/hvcov-demo-live and scripts/demo-subr.sh, the
# live demo runner (make demo-live), are distributed with the demo.
EXTRA_DIST += scripts/hvcov-report-tests.in docs/snapshots.md
dist_man_MANS += docs/hvcov-report-tests.1
bin_SCRIPTS += scripts/hvcov-report-tests
CLEANFILES += scripts/hvcov-report-tests

scripts/hvcov-report-tests: $(srcdir)/scripts/hvcov-report-tests.in Makefile
	$(AM_V_GEN)$(MKDIR_P) scripts && \
	sed -e 's|@VERSION[@]|$(VERSION)|g' \
		'$(srcdir)/scripts/hvcov-report-tests.in' >$@.tmp && \
	chmod +x $@.tmp && mv $@.tmp $@
