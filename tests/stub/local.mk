# SPDX-License-Identifier: BSD-2-Clause
# stub/: the hypervisor stub and make fragment as a hypervisor uses them:
# size per architecture and code model under strict warnings, the
# self-check in the producers, the register-variable idiom around hvc under
# HVCOV_CFLAGS, and the integration snippet pasted into a Makefile.
STUB_TESTS = %reldir%/run-stub-size.sh %reldir%/run-stub-selfcheck.sh \
	%reldir%/run-regvar-hvc.sh %reldir%/run-integration-make.sh
TESTS += $(STUB_TESTS)
EXTRA_DIST += $(STUB_TESTS) %reldir%/regvar-hvc.c
