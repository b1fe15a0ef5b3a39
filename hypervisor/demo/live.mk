# SPDX-License-Identifier: BSD-2-Clause
# make demo-live [ARCH=x86_64|arm64|arm|all]: boot the demo hypervisor that
# waits at its phase boundaries, take a tagged live snapshot at each one
# and render the per-test report (scripts/hvcov-demo-live).
demo-live: tools/hvcov scripts/hvcov-report scripts/hvcov-report-tests
	@arches='$(ARCH)'; \
	if [ -z "$$arches" ]; then \
		case `uname -m` in \
		aarch64) arches=arm64 ;; arm*) arches=arm ;; *) arches=x86_64 ;; \
		esac; \
	fi; \
	[ "$$arches" != all ] || arches='x86_64 arm64 arm'; \
	for arch in $$arches; do \
		HVCOV='$(abs_builddir)/tools/hvcov' \
		HVCOV_REPORT='$(abs_builddir)/scripts/hvcov-report' \
		HVCOV_REPORT_TESTS='$(abs_builddir)/scripts/hvcov-report-tests' \
			$(SHELL) '$(srcdir)/scripts/hvcov-demo-live' --arch $$arch \
			--build-dir '$(DEMO_BUILD)' || exit 1; \
		echo; \
	done
.PHONY: demo-live
