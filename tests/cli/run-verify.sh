#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# Build identity with the producers' ELF files, on x86_64, arm64 and arm:
# - a matching image and ELF verify (exit 0; .text and .rodata compared,
#   every object's stamp equal to its .gcno's);
# - one byte changed in the image's .text is caught: exit 1, the section and
#   the byte's address named, nothing extracted; --force extracts anyway
#   with a warning;
# - an image against another architecture's ELF is refused;
# - a stale .gcno where the .gcda files go is reported by name (exit 1);
# - an object without a .gcno is a warning, an error with --require-gcno;
# - verify --json gives each section's and each object's result, the
#   patched byte's address, the stale and the missing .gcno among them.
. "$top_srcdir/tests/lib/test-subr.sh"
command -v jq >/dev/null || skip "jq not installed (scripts/bootstrap installs it)"

# json_verify WANT_STATUS FILE ARGS...: verify --json into FILE, with the
# exit status and the document's own exit_status both WANT_STATUS.
json_verify() {
	want=$1 file=$2
	shift 2
	got=0
	"$hvcov" verify --json "$@" >"$file" 2>/dev/null || got=$?
	[ $got -eq "$want" ] || fail "verify --json $*: exit $got, expected $want"
	jq -e --argjson s "$want" '.exit_status == $s' "$file" >/dev/null ||
		fail "verify --json $*: exit_status is not $want: $(cat "$file")"
}

# symbol_address ELF NAME: the symbol's value in hex, no 0x.
symbol_address() {
	nm "$1" | awk -v name="$2" '$3 == name { print $1 }' | sed 's/^0*//'
}

# verify_fails PATTERN ARGS...: verify lists what it compared on stdout,
# exits 1 and says PATTERN in its one error line.
verify_fails() {
	pattern=$1
	shift
	status=0
	"$hvcov" verify "$@" >"$tmp/v.out" 2>"$tmp/v.err" || status=$?
	[ $status -eq 1 ] || fail "verify $*: exit $status: $(cat "$tmp/v.err")"
	[ "$(grep -v "^hvcov: warning:" "$tmp/v.err" | grep -c .)" -eq 1 ] || fail "verify $*: $(cat "$tmp/v.err")"
	grep -q -- "$pattern" "$tmp/v.err" ||
		fail "verify $*: '$(cat "$tmp/v.err")' does not say '$pattern'"
	echo "verify refused as expected: $(cat "$tmp/v.err")"
}

for arch in $ARCHES; do
	arch_tools "$arch"
	[ ! -e "$producers/$arch/missing" ] || skip "$arch: $(cat "$producers/$arch/missing")"
	elf=$producers/$arch/producer-constructors
	build=$producers/$arch/constructors
	image=$tmp/$arch.img
	$run "$elf" "$image" 3 5eed >/dev/null

	"$hvcov" verify --image "$image" --elf "$elf" >"$tmp/verify.log" ||
		{ cat "$tmp/verify.log"; fail "$arch: a matching image does not verify"; }
	grep -q '^section \.text .*matches the image' "$tmp/verify.log" ||
		fail "$arch: .text not compared"
	grep -q '^verified: 2 sections match the ELF (0 outside the image), 4 of 4 objects' \
		"$tmp/verify.log" || fail "$arch: $(cat "$tmp/verify.log")"

	# One byte of code: the first byte of the function 'workload_run'.
	func=$(symbol_address "$elf" workload_run)
	start=$(symbol_address "$elf" producer_image_start)
	[ -n "$func" ] && [ -n "$start" ] || fail "$arch: no symbols"
	offset=$((0x$func - 0x$start))
	# Thumb functions have bit 0 set in their symbol.
	[ "$arch" != arm ] || offset=$((offset & ~1))
	address=$(printf '0x%x' $((0x$start + offset)))
	cp "$image" "$tmp/patched.img"
	old=$(od -A n -t u1 -j $offset -N 1 "$image" | tr -d ' ')
	printf "$(printf '\\%03o' $(((old + 1) % 256)))" |
		dd of="$tmp/patched.img" bs=1 seek=$offset conv=notrunc 2>/dev/null
	expect_refusal 1 "section \.text differs from the image at $address" \
		"$tmp/none" "$hvcov" extract --image "$tmp/patched.img" --elf "$elf" \
		-o "$tmp/none"
	verify_fails "section \.text differs from the image at $address" \
		--image "$tmp/patched.img" --elf "$elf"
	grep -q "^section \.text .*MISMATCH at $address" "$tmp/v.out" ||
		fail "$arch: the listing does not name $address"
	json_verify 1 "$tmp/v.json" --image "$tmp/patched.img" --elf "$elf"
	jq -e --arg a "$(printf '0x%016x' "$address")" \
		'[.sections[] | select(.name == ".text")] | length == 1 and
		 .[0].result == "differs" and .[0].first_difference == $a and
		 .[0].differing_bytes == 1' "$tmp/v.json" >/dev/null ||
		fail "$arch: verify --json does not give .text's difference at $address: $(cat "$tmp/v.json")"
	jq -e '[.sections[] | select(.name == ".rodata")][0].result == "match" and
	       ([.objects[] | .result] == ["match", "match", "match", "match"])' \
		"$tmp/v.json" >/dev/null || fail "$arch: verify --json: $(cat "$tmp/v.json")"
	"$hvcov" extract --quiet --force --image "$tmp/patched.img" --elf "$elf" \
		-o "$tmp/forced" 2>"$tmp/forced.err" || fail "$arch: --force"
	grep -q 'warning: --force: .*section \.text differs' "$tmp/forced.err" ||
		fail "$arch: --force was silent: $(cat "$tmp/forced.err")"
	[ -f "$tmp/forced$build/run.gcda" ] || fail "$arch: --force wrote nothing"
	rm -rf "$tmp/forced"

	# Another architecture's ELF.
	other=$producers/x86_64/producer-constructors
	[ "$arch" != x86_64 ] || other=$producers/arm64/producer-constructors
	if [ -e "$other" ]; then
		expect_refusal 1 'where .* has hvcov_descriptor\|but .* is for machine' "$tmp/none" \
			"$hvcov" extract --image "$image" --elf "$other" -o "$tmp/none"
	fi

	# A stale .gcno where the files go: the info-section build of the
	# same unit is another compilation with another stamp.
	out=$tmp/out-$arch
	mkdir -p "$out$build"
	cp "$producers/$arch/info-section/run.gcno" "$out$build/run.gcno"
	verify_fails "1 object of the image does not match the .gcno.*run.gcda" \
		--image "$image" --elf "$elf" -o "$out"
	grep -q "^object .*/run.gcda\" MISMATCH: stamp" "$tmp/v.out" ||
		fail "$arch: the listing does not show the stale run.gcno"
	json_verify 1 "$tmp/v.json" --image "$image" --elf "$elf" -o "$out"
	jq -e --arg g "$out$build/run.gcno" '
		([.objects[] | select(.filename | endswith("/run.gcda"))] | length == 1) and
		([.objects[] | select(.result != "match")] | length == 1) and
		(.objects[] | select(.filename | endswith("/run.gcda")) |
		 .result == "stale" and .gcno == $g and .gcno_stamp != .image_stamp) and
		([.sections[] | .result] | all(. == "match" or . == "outside"))' \
		"$tmp/v.json" >/dev/null ||
		fail "$arch: verify --json does not name the stale run.gcno: $(cat "$tmp/v.json")"
	status=0
	"$hvcov" extract --image "$image" --elf "$elf" -o "$out" \
		>/dev/null 2>&1 || status=$?
	[ $status -eq 1 ] || fail "$arch: extract with a stale .gcno: exit $status"
	[ ! -e "$out$build/run.gcda" ] || fail "$arch: extract wrote despite a stale .gcno"

	# No .gcno: the image names a directory that does not exist.  The
	# name is in .rodata, so only the .gcno check runs (no --elf).
	cp "$image" "$tmp/moved.img"
	patch_bytes "$tmp/moved.img" /constructors/run.gcda /constructorz/run.gcda
	verify_fails 'section \.rodata differs' --image "$tmp/moved.img" --elf "$elf"
	"$hvcov" verify --image "$tmp/moved.img" \
		>"$tmp/moved.out" 2>"$tmp/moved.err" ||
		fail "$arch: a missing .gcno must only warn: $(cat "$tmp/moved.err")"
	grep -q "warning: no .gcno for this object at .*/constructorz/run.gcno" \
		"$tmp/moved.err" || fail "$arch: no warning: $(cat "$tmp/moved.err")"
	verify_fails '1 of 4 objects have no .gcno (--require-gcno)' \
		--image "$tmp/moved.img" --require-gcno
	json_verify 0 "$tmp/v.json" --image "$tmp/moved.img"
	jq -e '.sections == null and
	       ([.objects[] | select(.result == "missing") | .gcno] |
	        length == 1 and (.[0] | endswith("/constructorz/run.gcno")))' \
		"$tmp/v.json" >/dev/null ||
		fail "$arch: verify --json without --elf: $(cat "$tmp/v.json")"
	echo "$arch: verify accepts the build, names the patched byte at $address, the stale and the missing .gcno"
done
