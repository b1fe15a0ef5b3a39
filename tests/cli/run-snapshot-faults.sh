#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# hvcov snapshot when things go wrong (issue 17):
# - a refused snapshot, a SIGKILL at a random moment of --interval, or a
#   run killed between its rename and its index line leaves nothing that
#   blocks the next snapshot, and the store reads back consistently: every
#   index line has its directory and counters, and no other snapshot
#   directory is there;
# - a deleted last snapshot of a boot is a clear one-line error (status 1);
# - a source truncated during --interval is an error, not a SIGBUS; one
#   renamed over by a new boot's image is followed (a new series); a FIFO
#   is refused before it is read, promptly (it used to hang);
# - index.tsv as a FIFO or a symlink is refused, the symlink's target
#   untouched.
. "$top_srcdir/tests/lib/test-subr.sh"

arch_tools x86_64
build=$producers/x86_64
img=$tmp/live.img
$run "$build/producer-constructors" "$img" 1 b001 >/dev/null

# consistent STORE: the index and the snapshot directories agree.
consistent() {
	awk -F '\t' '!/^#/ { print $5 }' "$1/index.tsv" | sort >"$tmp/listed"
	(cd "$1" && find . -mindepth 2 -maxdepth 2 -type d | sed 's|^\./||' | sort) \
		>"$tmp/present"
	diff -u "$tmp/listed" "$tmp/present" >&2 ||
		fail "$1: index and snapshot directories differ"
	while IFS= read -r dir; do
		[ -s "$1/$dir/counters" ] || fail "$1/$dir has no counters"
	done <"$tmp/listed"
}

# 1. A refused image (a relative path in it, found while its .gcda files
# are written): the next good snapshot works.
store=$tmp/store1
cp "$img" "$tmp/relative.img"
patch_bytes "$tmp/relative.img" "$build/constructors/run.gcda" "x${build#/}/constructors/run.gcda"
expect_refusal 1 "not absolute" "$tmp/none" "$hvcov" snapshot -q \
	--image "$tmp/relative.img" -o "$store"
"$hvcov" snapshot -q --image "$img" -o "$store" ||
	fail "a refused snapshot blocks the next one"
"$hvcov" snapshot -q --image "$img" -o "$store" || fail "second snapshot"
consistent "$store"
[ "$(grep -vc '^#' "$store/index.tsv")" -eq 2 ] || fail "store1: not 2 snapshots"
echo "a refused snapshot leaves nothing behind"

# 2. The last snapshot of the boot deleted: a clear error, not a wedge of
# "File exists" or a delta against nothing.
rm -rf "$store/boot-000000000000b001/0002"
expect_refusal 1 "is missing" "$tmp/none" "$hvcov" snapshot -q --image "$img" \
	-o "$store"

# 3. SIGKILL at random moments of --interval.
store=$tmp/store3
seed=${HVCOV_CRASH_SEED:-$(date +%s)}
echo "seed $seed (HVCOV_CRASH_SEED=$seed reproduces the kill times)"
k=0
while [ $k -lt 10 ]; do
	k=$((k + 1))
	delay=$(awk -v s="$seed" -v k=$k 'BEGIN { srand(s + k); printf "%.3f", 0.05 + rand() * 0.4 }')
	# Tagged, so that a directory left between rename and index line
	# has another name than the next snapshot's.
	# In a process group of its own: the kill ends hvcov, and the libgcov
	# writer it may have forked follows it (PR_SET_PDEATHSIG) an instant
	# later; until then the writer shares the store's lock, and a
	# snapshot meanwhile is refused as "in use" (exit 2), as it should be.
	setsid "$hvcov" snapshot -q --image "$img" -o "$store" --interval 0.01 \
		--count 100000 --tag "kill$k" &
	pid=$!
	sleep "$delay"
	kill -KILL $pid 2>/dev/null || :
	wait $pid 2>/dev/null || :
	waited=0
	while kill -0 -- -$pid 2>/dev/null; do
		waited=$((waited + 1))
		[ $waited -lt 200 ] || fail "kill $k: the killed run's writer is still alive after 10 s"
		sleep 0.05
	done
	"$hvcov" snapshot -q --image "$img" -o "$store" ||
		fail "kill $k (after ${delay}s, seed $seed): the next snapshot failed"
	consistent "$store"
done
echo "10 kills during --interval: the next snapshot always worked"

# 4. Truncated during --interval: an error naming the source, not SIGBUS.
cp "$img" "$tmp/shrink.img"
status=0
timeout 60 "$hvcov" snapshot -q --image "$tmp/shrink.img" -o "$tmp/store4" \
	--interval 0.02 --count 2000 2>"$tmp/err4" &
pid=$!
sleep 0.5
truncate -s 4096 "$tmp/shrink.img"
wait $pid || status=$?
[ $status -eq 1 ] || fail "truncated source: exit $status ($(cat "$tmp/err4"))"
grep -q "shrank" "$tmp/err4" || fail "truncated source: $(cat "$tmp/err4")"
echo "truncated source: $(cat "$tmp/err4")"

# 5. Renamed over by a new boot's image: the new boot becomes a series.
cp "$img" "$tmp/swap.img"
$run "$build/producer-constructors" "$tmp/next.img" 1 b002 >/dev/null
timeout 60 "$hvcov" snapshot -q --image "$tmp/swap.img" -o "$tmp/store5" \
	--interval 0.05 --count 40 2>"$tmp/err5" &
pid=$!
sleep 0.5
mv "$tmp/next.img" "$tmp/swap.img"
wait $pid || fail "renamed source: $(cat "$tmp/err5")"
grep -q '	000000000000b002	' "$tmp/store5/index.tsv" ||
	fail "the new boot of a renamed-over source was never recorded"
consistent "$tmp/store5"
echo "a source renamed over by a new boot is followed"

# 6. A FIFO source: refused before reading, within seconds.
mkfifo "$tmp/fifo"
(exec timeout 20 sh -c 'cat "$1" >"$2"' sh "$img" "$tmp/fifo") &
feeder=$!
status=0
timeout -k 2 10 "$hvcov" snapshot -q --image "$tmp/fifo" -o "$tmp/store6" \
	2>"$tmp/err6" || status=$?
kill $feeder 2>/dev/null || :
wait $feeder 2>/dev/null || :
[ $status -ne 124 ] && [ $status -ne 137 ] ||
	fail "a FIFO source hangs hvcov snapshot (even SIGTERM)"
[ $status -eq 2 ] && grep -q "not a regular file" "$tmp/err6" ||
	fail "FIFO source: exit $status ($(cat "$tmp/err6"))"

# 7. index.tsv as a FIFO, and as a symlink.
mkdir "$tmp/store7" "$tmp/store8"
mkfifo "$tmp/store7/index.tsv"
status=0
timeout -k 2 10 "$hvcov" snapshot -q --image "$img" -o "$tmp/store7" 2>"$tmp/err7" ||
	status=$?
[ $status -eq 1 ] && grep -q "not a regular file" "$tmp/err7" ||
	fail "index.tsv as a FIFO: exit $status ($(cat "$tmp/err7"))"
echo keep >"$tmp/target"
ln -s "$tmp/target" "$tmp/store8/index.tsv"
expect_refusal 1 "symlink" "$tmp/none" "$hvcov" snapshot -q --image "$img" \
	-o "$tmp/store8"
[ "$(cat "$tmp/target")" = keep ] || fail "index.tsv symlink: the target changed"
echo "FIFO and symlink sources and indexes are refused"
