# SPDX-License-Identifier: BSD-2-Clause
# cli/: the only code that parses argv or prints: main() and the command
# table, the option parser, one file per command, and the build checks that
# extract and verify print.
HVCOV_CLI_SOURCES = %reldir%/hvcov.c %reldir%/options.c %reldir%/options.h \
	%reldir%/cmd-info.c %reldir%/cmd-extract.c %reldir%/cmd-verify.c \
	%reldir%/cmd-snapshot.c %reldir%/cmd-report.c %reldir%/build-checks.c %reldir%/build-checks.h \
	%reldir%/image-json.c %reldir%/image-json.h
