# SPDX-License-Identifier: BSD-2-Clause
# live/: a running hypervisor: untorn counter reads, the counter map and
# stable IDs, the delta scan, the live image, the snapshot store, the
# in-process feed and the snapshot run loop.
HVCOV_UNTORN_SOURCES = %reldir%/untorn.c %reldir%/untorn.h
HVCOV_LIVE_SOURCES = $(HVCOV_UNTORN_SOURCES) \
	%reldir%/counter-map.c %reldir%/counter-map.h \
	%reldir%/delta.c %reldir%/delta.h %reldir%/live.c %reldir%/live.h \
	%reldir%/place.c %reldir%/place.h \
	%reldir%/snapshot-store.c %reldir%/snapshot-store.h \
	%reldir%/feed.c %reldir%/feed.h \
	%reldir%/snapshot-run.c %reldir%/snapshot-run.h \
	%reldir%/llvm-snapshot.c %reldir%/llvm-snapshot.h
