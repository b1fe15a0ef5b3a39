#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# hvcov snapshot of clang images: the workload's image after runs of 10, 25
# and 50 rounds, copied in turn into one file of the same boot (as a
# hypervisor's counters grow in its RAM file), against compiler-rt's own
# profile of the same run length.  Each snapshot's cumulative profile must
# read as that truth (llvm-profdata show --counts --all-functions, and the
# text profile with the MC/DC bitmap bytes); a tagged interval and --since
# must read as the truths' difference: counters subtracted, bitmap bytes
# the bits set later that were not set before.  A counter that went down
# or a cleared bitmap bit is refused (exit 1) and leaves no snapshot;
# --output-format kcov lists as many distinct counter IDs as the truths
# have counters that went from zero to non-zero.  clang 19 (raw profile 10,
# MC/DC bitmaps) and clang 14 (raw profile 8, no bitmaps).
. "$top_srcdir/tests/lib/test-subr.sh"

. "$top_srcdir/tests/llvm/profile-subr.sh"

for release in 19 14; do
	require CLANG$release LLVM_PROFDATA$release
	eval "cc=\$CLANG$release profdata=\$LLVM_PROFDATA$release"
	d=$tmp/clang$release
	"$top_srcdir/tests/llvm/build-image.sh" "$cc" "$d" ||
		fail "clang $release: the workload does not build or run"
	for n in 10 25 50; do
		"$d/image" "$d/image$n.bin" "$n" > /dev/null ||
			fail "clang $release: the image run of $n rounds failed"
		LLVM_PROFILE_FILE=$d/truth$n.profraw "$d/truth" "$n" > /dev/null ||
			fail "clang $release: the truth run of $n rounds failed"
		"$profdata" show --counts --all-functions "$d/truth$n.profraw" > "$d/truth$n.show"
		"$profdata" merge --text -o "$d/truth$n.text" "$d/truth$n.profraw"
	done
	cmp -s "$d/truth10.show" "$d/truth50.show" &&
		fail "clang $release: the run lengths give the same counts"
	if [ "$release" = 19 ]; then
		grep -q 'Bitmap Byte Values' "$d/truth50.text" ||
			fail "clang $release: the truth has no MC/DC bitmap"
		expected_interval "$d/truth10.text" "$d/truth50.text" > "$d/bits"
		sed -n '/Bitmap Byte Values/{n;p;}' "$d/bits" | grep -qv '^0x0$' ||
			fail "clang $release: no bitmap bit is new between 10 and 50 rounds"
	fi
	expected_interval "$d/truth10.text" "$d/truth25.text" > "$d/expect-25"
	expected_interval "$d/truth10.text" "$d/truth50.text" > "$d/expect-since"
	! grep -q 'structure differs' "$d/expect-25" "$d/expect-since" ||
		fail "clang $release: the truths' text profiles do not pair up"

	# same_as PROFRAW TRUTH-STEM: show and text profile identical.
	same_as() {
		"$profdata" show --counts --all-functions "$1" > "$1.show" ||
			fail "clang $release: llvm-profdata refuses $1"
		diff "$2.show" "$1.show" ||
			fail "clang $release: $1 differs from the truth $2"
		"$profdata" merge --text -o "$1.text" "$1"
		diff "$2.text" "$1.text" ||
			fail "clang $release: $1's text profile differs from $2"
	}
	# interval_is PROFRAW EXPECTED-TEXT
	interval_is() {
		"$profdata" merge --text -o "$1.text" "$1" ||
			fail "clang $release: llvm-profdata refuses $1"
		diff "$2" "$1.text" ||
			fail "clang $release: the interval $1 is not the truths' difference"
	}

	store=$d/snapshots
	cp "$d/image10.bin" "$d/live.bin"
	"$hvcov" snapshot -i "$d/live.bin" -o "$store" > "$d/out1" ||
		fail "clang $release: the first snapshot failed"
	set -- "$store"/boot-*/0001/profraw/*.profraw
	[ -f "$1" ] || fail "clang $release: no profile in the first snapshot: $*"
	same_as "$1" "$d/truth10"
	first=$(dirname "$(dirname "$1")")

	cp "$d/image25.bin" "$d/live.bin"
	"$hvcov" snapshot -i "$d/live.bin" -o "$store" --tag mid > "$d/out2" ||
		fail "clang $release: the tagged snapshot failed"
	set -- "$store"/boot-*/0002-mid/profraw/*.profraw
	[ -f "$1" ] || fail "clang $release: no profile in the tagged snapshot: $*"
	same_as "$1" "$d/truth25"
	set -- "$store"/boot-*/0002-mid/interval/*.profraw
	[ -f "$1" ] || fail "clang $release: no interval profile: $*"
	interval_is "$1" "$d/expect-25"

	cp "$d/image50.bin" "$d/live.bin"
	"$hvcov" snapshot -i "$d/live.bin" -o "$store" --since "$first" > "$d/out3" ||
		fail "clang $release: the --since snapshot failed"
	set -- "$store"/boot-*/0003/profraw/*.profraw
	[ -f "$1" ] || fail "clang $release: no profile in the --since snapshot: $*"
	interval_is "$1" "$d/expect-since"
	[ ! -e "$store"/boot-*/0003/interval ] ||
		fail "clang $release: an untagged snapshot has an interval"

	# The index line: counters and bitmap bytes, 64-bit counters, those
	# executed, and the counters new since --since.
	n_counters=$(sed -n '/^# Counter Values:/,/^#/p' "$d/truth50.text" | grep -c '^[0-9]')
	line=$(grep -v '^#' "$store/index.tsv" | sed -n 3p)
	arcs=$(echo "$line" | cut -f9)
	[ "$arcs" = "$n_counters" ] ||
		fail "clang $release: the index counts $arcs counters, the truth $n_counters: $line"
	executed=$(sed -n '/^# Counter Values:/,/^#/p' "$d/truth50.text" | grep -c '^[1-9]')
	[ "$(echo "$line" | cut -f10)" = "$executed" ] ||
		fail "clang $release: the index says $(echo "$line" | cut -f10) executed, the truth $executed: $line"
	echo "$line" | cut -f7 | grep -q 0001 ||
		fail "clang $release: the index line has no --since: $line"

	# A counter that went down: refused, nothing recorded.
	cp "$d/image10.bin" "$d/live.bin"
	status=0
	"$hvcov" snapshot -i "$d/live.bin" -o "$store" 2> "$d/err" > /dev/null || status=$?
	[ "$status" -eq 1 ] ||
		fail "clang $release: a decreasing counter gave exit status $status"
	grep -q '^hvcov: .*counter [0-9]* of __llvm_prf_cnts is [0-9]* in the previous snapshot but [0-9]* now$' "$d/err" ||
		fail "clang $release: the decrease is reported as: $(cat "$d/err")"
	[ "$(grep -vc '^#' "$store/index.tsv")" = 3 ] ||
		fail "clang $release: the refused snapshot was recorded"
	[ -z "$(ls "$store"/boot-* | grep 0004)" ] ||
		fail "clang $release: the refused snapshot left a directory"
	if [ "$release" = 19 ]; then
		# Another file renamed over the source during a run (a new
		# boot's image) ends the run with status 1 after the first
		# snapshot: the run must not go on reading the old file, nor
		# a gcov run read a clang image as one without counters.
		# replaced FIRST NEW NAME: a run of two snapshots of FIRST,
		# NEW renamed over it once the first is recorded; status and
		# d/err as the run left them.
		replaced() {
			cp "$1" "$d/$3.bin"
			cp "$2" "$d/$3.new"
			status=0
			"$hvcov" snapshot -i "$d/$3.bin" -o "$d/$3" --interval 2 --count 2 \
				> /dev/null 2> "$d/err" &
			pid=$!
			tries=0
			until [ -s "$d/$3/index.tsv" ] &&
				[ "$(grep -vc '^#' "$d/$3/index.tsv")" = 1 ]; do
				tries=$((tries + 1))
				[ $tries -lt 200 ] || fail "clang $release: the first snapshot of the $3 run did not come"
				sleep 0.01
			done
			mv "$d/$3.new" "$d/$3.bin"
			wait $pid || status=$?
			[ "$(grep -vc '^#' "$d/$3/index.tsv")" = 1 ] ||
				fail "clang $release: a snapshot of the replaced source was recorded ($3)"
		}
		replaced "$d/image10.bin" "$d/image25.bin" renamed
		[ "$status" -eq 1 ] && grep -q 'was replaced by another file' "$d/err" ||
			fail "clang $release: a replaced source: status $status, $(cat "$d/err")"
		# A gcov image's run whose next boot is a clang image: refused,
		# not read as an image without counters.
		arch_tools x86_64
		$run "$producers/x86_64/producer-constructors" "$d/gcov.img" 1 b001 > /dev/null ||
			fail "the gcov producer does not run"
		replaced "$d/gcov.img" "$d/image25.bin" to-clang
		[ "$status" -eq 1 ] && grep -q 'the new boot is a clang image' "$d/err" ||
			fail "clang $release: a gcov run's clang boot: status $status, $(cat "$d/err")"

		# An MC/DC bitmap bit that was cleared, the counters unchanged:
		# refused like a decrease.  The image is the program's memory
		# from its lowest loaded address.
		low=$(readelf -lW "$d/image" | awk '$1 == "LOAD" { print $3; exit }')
		start=$(nm "$d/image" | awk '$3 == "__hvcov_prf_bits_start" { print $1 }')
		stop=$(nm "$d/image" | awk '$3 == "__hvcov_prf_bits_end" { print $1 }')
		[ -n "$low" ] && [ -n "$start" ] && [ -n "$stop" ] ||
			fail "clang $release: no __hvcov_prf_bits bounds in the image's ELF"
		low=$((low))
		cp "$d/image50.bin" "$d/live.bin"
		dd if=/dev/zero of="$d/live.bin" bs=1 seek=$((0x$start - low)) \
			count=$((0x$stop - 0x$start)) conv=notrunc 2> /dev/null
		cmp -s "$d/image50.bin" "$d/live.bin" &&
			fail "clang $release: clearing the bitmap changed nothing"
		status=0
		"$hvcov" snapshot -i "$d/live.bin" -o "$store" 2> "$d/err" > /dev/null || status=$?
		[ "$status" -eq 1 ] ||
			fail "clang $release: a cleared bitmap bit gave exit status $status"
		grep -q '^hvcov: .*MC/DC bitmap byte [0-9]* of __llvm_prf_bits is 0x[0-9a-f]* in the previous snapshot but 0x[0-9a-f]* now: a bit was cleared$' "$d/err" ||
			fail "clang $release: the cleared bit is reported as: $(cat "$d/err")"
		[ "$(grep -vc '^#' "$store/index.tsv")" = 3 ] ||
			fail "clang $release: the snapshot with a cleared bit was recorded"
	fi
	# kcov output: the stable IDs of the counters that went from zero to
	# non-zero, as many as the truths say, all distinct.
	# fresh EARLIER LATER: counters zero in EARLIER, not in LATER.
	fresh() {
		paste "$1" "$2" | awk -F '\t' '
			/^# / { counters = ($1 == "# Counter Values:"); next }
			counters && $1 ~ /^[0-9]+$/ && $1 == 0 && $2 != 0 { n++ }
			END { print n + 0 }'
	}
	sed 's/^[0-9][0-9]*$/0/' "$d/truth10.text" > "$d/zero.text"
	k=0
	for pair in zero:10 10:25 25:50; do
		k=$((k + 1))
		cp "$d/image${pair#*:}.bin" "$d/live.bin"
		"$hvcov" snapshot -i "$d/live.bin" -o "$d/kcov" --output-format kcov > /dev/null ||
			fail "clang $release: kcov snapshot $k failed"
		set -- "$d"/kcov/boot-*/000$k/kcov
		[ -f "$1" ] || fail "clang $release: no kcov file in snapshot $k"
		[ ! -e "$d"/kcov/boot-*/000$k/profraw ] ||
			fail "clang $release: a kcov snapshot wrote a profile"
		first=${pair%%:*}
		case $first in zero) earlier=$d/zero.text ;; *) earlier=$d/truth$first.text ;; esac
		expect=$(fresh "$earlier" "$d/truth${pair#*:}.text")
		n=$(od -An -t u8 -N 8 "$1" | tr -d ' ')
		[ "$n" = "$expect" ] ||
			fail "clang $release: kcov snapshot $k lists $n counters, the truths $expect"
		[ "$(stat -c %s "$1")" = $((8 + 8 * n)) ] ||
			fail "clang $release: kcov snapshot $k is not 8 + 8 * $n bytes"
		od -An -v -t x8 -j 8 "$1" | tr -s ' ' '\n' | sed '/^$/d' >> "$d/ids"
	done
	# The first kcov snapshot's IDs, recomputed from the documented
	# formula: each counter not zero in the truth of 10 rounds, by its
	# function's name and hash (from llvm-profdata) and its index.
	"$cc" -o "$d/counter-id" "$top_srcdir/tests/llvm/counter-id.c" ||
		fail "clang $release: counter-id does not build"
	awk '
		state == "name" && $0 != "" { name = $0; state = ""; next }
		/^# Func Hash:/ { getline hash; next }
		/^# Counter Values:/ { counters = 1; k = 0; next }
		/^#/ { counters = 0; next }
		/^$/ { counters = 0; state = "name"; next }
		counters { if ($0 != 0) print name "\t" hash "\t" k; k++ }
	' state=name "$d/truth10.text" > "$d/owners"
	[ -s "$d/owners" ] || fail "clang $release: no executed counters in the truth"
	while IFS=$tab read -r name hash k; do
		"$d/counter-id" "$(printf %s "$name" | md5sum | cut -c1-32)" "$hash" "$k"
	done < "$d/owners" | sort > "$d/ids.expected"
	od -An -v -t x8 -j 8 "$d"/kcov/boot-*/0001/kcov | tr -s ' ' '\n' | sed '/^$/d' |
		sort > "$d/ids.first"
	diff "$d/ids.expected" "$d/ids.first" ||
		fail "clang $release: the kcov IDs are not the documented ones"
	[ "$(sort "$d/ids" | uniq -d | wc -l)" = 0 ] ||
		fail "clang $release: a counter ID repeats: $(sort "$d/ids" | uniq -d)"
	[ "$(wc -l < "$d/ids")" -gt 0 ] || fail "clang $release: no IDs at all"
done
exit 0
