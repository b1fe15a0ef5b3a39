# SPDX-License-Identifier: BSD-2-Clause
# robustness/: damaged images (the malformed-image matrix, in process in
# unit/check_malformed.c and through the command here), SIGKILL at random
# moments, many objects under a small descriptor limit, torn counter reads.
TESTS_MALFORMED_CASES = %reldir%/malformed.c %reldir%/malformed.h

check_PROGRAMS += %reldir%/malformed-images
%canon_reldir%_malformed_images_SOURCES = %reldir%/malformed-images.c \
	$(TESTS_MALFORMED_CASES) $(TESTS_IMAGE_BUILDER)
%canon_reldir%_malformed_images_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/tests
%canon_reldir%_malformed_images_LDADD = libhvcov.a

# crash-kill kills hvcov extract at random moments and checks that no .gcda
# is torn and that a rerun finishes the job exactly.
check_PROGRAMS += %reldir%/crash-kill
%canon_reldir%_crash_kill_SOURCES = %reldir%/crash-kill.c $(TESTS_IMAGE_BUILDER)
%canon_reldir%_crash_kill_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/tests
%canon_reldir%_crash_kill_LDADD = libhvcov.a

# The torn-read test: the reader natively and as a 32-bit arm program under
# qemu-user, the writer always native.
check_PROGRAMS += %reldir%/torn-check
%canon_reldir%_torn_check_SOURCES = %reldir%/torn-check.c
%canon_reldir%_torn_check_LDADD = libhvcov.a
check_DATA += %reldir%/torn-check-arm
%reldir%/torn-check-arm: %reldir%/torn-check.c $(HVCOV_UNTORN_SOURCES)
	$(AM_V_GEN)if test -n '$(ARM_CC)'; then \
		sources=; for f in $(HVCOV_UNTORN_SOURCES); do \
			case $$f in *.c) sources="$$sources $(srcdir)/$$f" ;; esac; \
		done; \
		$(ARM_CC) -static -std=c11 -O2 -Wall -Wextra -Werror \
			-D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE \
			-I$(srcdir)/tools -o $@ $(srcdir)/%reldir%/torn-check.c \
			$$sources; \
	else rm -f $@; fi
CLEANFILES += %reldir%/torn-check-arm

ROBUSTNESS_TESTS = %reldir%/run-extract-malformed.sh \
	%reldir%/run-extract-crash.sh %reldir%/run-extract-many.sh \
	%reldir%/run-snapshot-torn.sh
TESTS += $(ROBUSTNESS_TESTS)
EXTRA_DIST += $(ROBUSTNESS_TESTS)
