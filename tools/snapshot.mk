# SPDX-License-Identifier: BSD-2-Clause
# Live snapshots: untorn counter reads, the counter map and stable IDs, the
# delta scan, the live image, the snapshot store, the in-process feed, the
# snapshot run loop, the hvcov snapshot command, and their tests
# (tests/snapshot.mk).
libhvcov_a_SOURCES += tools/untorn.c tools/untorn.h \
	tools/counter-map.c tools/counter-map.h tools/delta.c tools/delta.h \
	tools/live.c tools/live.h tools/snapshot-store.c \
	tools/snapshot-store.h tools/feed.c tools/feed.h \
	tools/snapshot-run.c tools/snapshot-run.h
tools_hvcov_SOURCES += tools/cmd-snapshot.c
