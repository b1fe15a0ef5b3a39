#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# SIGKILL at random moments of `hvcov extract` on a large image, 50 times
# replacing and 50 times with --merge (tests/robustness/crash-kill.c says what is
# checked), then 25 times with --merge under a descriptor limit so low that
# the writer keeps almost none of the image's 6 directories open (their files
# are staged in another directory and moved: issue 17 hole 8).  The seed is printed; HVCOV_CRASH_SEED=N replays a run, and
# HVCOV_CRASH_KILLS=N changes the number of kills per mode.
. "$top_srcdir/tests/lib/test-subr.sh"

seed=${HVCOV_CRASH_SEED:-$(date +%s)}
kills=${HVCOV_CRASH_KILLS:-50}
echo "seed $seed (HVCOV_CRASH_SEED=$seed reproduces this run)"
# A SIGKILL, unlike a power cut, keeps what was written: the page cache is
# as good a disk as any here, and on tmpfs hvcov's fsyncs cost nothing, so
# the 100 kills fit in make check's time.
work=$tmp
if [ -d /dev/shm ] && [ -w /dev/shm ]; then
	work=$(mktemp -d /dev/shm/hvcov-crash.XXXXXX)
	trap 'rm -rf "$tmp" "$work"' EXIT
fi
mkdir "$work/replace" "$work/merge" "$work/low"
"$top_builddir/tests/robustness/crash-kill" "$hvcov" "$work/replace" "$HOST_GCOV_VERSION" \
	"$seed" "$kills" || fail "replace mode (seed $seed)"
"$top_builddir/tests/robustness/crash-kill" "$hvcov" "$work/merge" "$HOST_GCOV_VERSION" \
	"$seed" "$kills" --merge || fail "--merge mode (seed $seed)"
# The writer keeps open what the limit leaves after the descriptors it
# inherits and a reserve of 16 (DESCRIPTOR_RESERVE in tools/write/writer.c):
# here one to four directories.
open_now=$(ls /proc/self/fd | wc -l)
(ulimit -n $((open_now + 19)) &&
	"$top_builddir/tests/robustness/crash-kill" "$hvcov" "$work/low" \
		"$HOST_GCOV_VERSION" "$seed" $(((kills + 1) / 2)) --merge) ||
	fail "--merge mode under ulimit -n $((open_now + 19)) (seed $seed)"
