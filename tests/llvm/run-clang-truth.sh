#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# Ground truth for clang images (x86_64): one workload, built once with
# hvcov.mk's clang flags, linked twice: with the stub and no profile runtime
# (it dumps its own memory as an image), and with compiler-rt's runtime
# (which writes the true raw profile).  The .profraw hvcov extracts must read
# the same as the runtime's in llvm-profdata show --counts --all-functions,
# and (clang 19, MC/DC) in llvm-cov report --show-mcdc-summary and
# llvm-cov show --show-mcdc.  Each clang release hvcov knows is checked with
# its own llvm tools.  arm64 and arm images of each release (run under
# qemu-user; arm has 32-bit records) must give the same records and report
# as that release's x86_64 truth: the
# counters and bitmaps of one source and one run do not depend on the
# target, and llvm-cov reads each target's ELF.
. "$top_srcdir/tests/lib/test-subr.sh"

for release in 13 14 15 16 19; do
	require CLANG$release LLVM_PROFDATA$release LLVM_COV$release
	eval "cc=\$CLANG$release profdata=\$LLVM_PROFDATA$release cov=\$LLVM_COV$release"
	d=$tmp/clang$release
	"$top_srcdir/tests/llvm/build-image.sh" "$cc" "$d" ||
		fail "clang $release: the workload does not build or run"
	mkdir -p "$d/out"
	case $release in
	19) grep -q -- -fcoverage-mcdc "$d/cflags" ||
		fail "clang $release: hvcov.mk gives no -fcoverage-mcdc: $(cat "$d/cflags")" ;;
	esac
	if nm "$d/image" | grep -q __llvm_profile_write; then
		fail "clang $release: the image links a profile runtime"
	fi
	cmp "$d/image.out" "$d/truth.out" || fail "clang $release: the two runs differ"

	"$hvcov" extract -q --elf "$d/image" -i "$d/image.bin" -o "$d/out" ||
		fail "clang $release: extract failed"
	set -- "$d"/out/*.profraw
	[ $# -eq 1 ] && [ -f "$1" ] || fail "clang $release: not one .profraw: $*"
	extracted=$1
	# The same boot again replaces its file: one profile per run.
	"$hvcov" extract -q -i "$d/image.bin" -o "$d/out" ||
		fail "clang $release: second extract failed"
	set -- "$d"/out/*
	[ $# -eq 1 ] || fail "clang $release: the same boot gave a second file: $*"
	status=0
	"$hvcov" extract -q --merge -i "$d/image.bin" -o "$d/out" 2> "$d/err" || status=$?
	[ "$status" -eq 2 ] && grep -q 'llvm-profdata merge' "$d/err" ||
		fail "clang $release: --merge of a clang image not refused ($status)"

	"$hvcov" verify -i "$d/image.bin" --elf "$d/image" > "$d/verify" ||
		fail "clang $release: verify --elf refuses the image's own ELF"
	grep -q '^verified: [1-9][0-9]* sections match the ELF (0 outside the image), the clang profile sections are consistent$' "$d/verify" ||
		fail "clang $release: verify says: $(tail -1 "$d/verify")"
	if [ "$release" = 19 ]; then
		status=0
		"$hvcov" verify -i "$d/image.bin" --elf "$tmp/clang14/image" > /dev/null 2>&1 || status=$?
		[ "$status" -eq 1 ] || fail "verify against another build's ELF: exit status $status, not 1"
	fi
	# A snapshot of the image holds the same raw profile as extract
	# (run-clang-snapshot.sh follows counters over several run lengths).
	"$hvcov" snapshot -i "$d/image.bin" -o "$d/snapshots" > /dev/null ||
		fail "clang $release: snapshot of a clang image failed"
	set -- "$d"/snapshots/boot-*/0001/profraw/*.profraw
	[ -f "$1" ] || fail "clang $release: no profile in the snapshot: $*"
	cmp "$extracted" "$1" ||
		fail "clang $release: the snapshot's profile is not extract's"

	"$profdata" show --counts --all-functions "$extracted" > "$d/extracted.show" ||
		fail "clang $release: llvm-profdata refuses the extracted profile"
	"$profdata" show --counts --all-functions "$d/truth.profraw" > "$d/truth.show"
	grep -q 'Block counts: \[[1-9]' "$d/truth.show" ||
		fail "clang $release: the truth has no counts"
	diff "$d/truth.show" "$d/extracted.show" ||
		fail "clang $release: counters differ from the runtime's"
	"$profdata" merge -o "$d/extracted.profdata" "$extracted"
	"$profdata" merge -o "$d/truth.profdata" "$d/truth.profraw"
	report=
	[ "$release" -lt 18 ] || report=--show-mcdc-summary
	"$cov" report $report -instr-profile "$d/extracted.profdata" "$d/image" > "$d/extracted.report"
	"$cov" report $report -instr-profile "$d/truth.profdata" "$d/truth" > "$d/truth.report"
	diff "$d/truth.report" "$d/extracted.report" ||
		fail "clang $release: llvm-cov report differs"
	if [ "$release" -ge 18 ]; then
		grep -q 'MC/DC' "$d/extracted.report" || fail "no MC/DC in the report"
		"$cov" show --show-mcdc -instr-profile "$d/extracted.profdata" "$d/image" > "$d/extracted.mcdc"
		"$cov" show --show-mcdc -instr-profile "$d/truth.profdata" "$d/truth" > "$d/truth.mcdc"
		grep -q 'C1-Pair: covered' "$d/truth.mcdc" || fail "the truth covers no MC/DC pair"
		diff "$d/truth.mcdc" "$d/extracted.mcdc" ||
			fail "clang $release: MC/DC test vectors differ"
	fi
	echo "clang $release: $(tail -1 "$d/extracted.report" | tr -s ' ')"
done

for release in 13 14 15 16 19; do
	eval "cc=\$CLANG$release profdata=\$LLVM_PROFDATA$release cov=\$LLVM_COV$release"
	truth=$tmp/clang$release
	report=
	[ "$release" -lt 18 ] || report=--show-mcdc-summary
	for arch in arm64 arm; do
		arch_tools "$arch"
		d=$tmp/$arch-$release
		"$top_srcdir/tests/llvm/build-image.sh" "$cc" "$d" "$arch" "$run" ||
			fail "$arch clang $release: the workload does not build or run"
		cmp "$d/image.out" "$truth/truth.out" || fail "$arch clang $release: the run differs"
		mkdir "$d/out"
		"$hvcov" extract -q --elf "$d/image" -i "$d/image.bin" -o "$d/out" ||
			fail "$arch clang $release: extract failed"
		"$profdata" show --counts --all-functions "$d"/out/*.profraw > "$d/extracted.show"
		diff "$truth/truth.show" "$d/extracted.show" ||
			fail "$arch clang $release: counters differ from the x86_64 runtime's"
		"$profdata" merge -o "$d/extracted.profdata" "$d"/out/*.profraw
		"$cov" report $report -instr-profile "$d/extracted.profdata" "$d/image" > "$d/extracted.report"
		diff "$truth/truth.report" "$d/extracted.report" ||
			fail "$arch clang $release: llvm-cov report differs from the x86_64 truth"
		if [ "$release" -ge 18 ]; then
			"$cov" show --show-mcdc -instr-profile "$d/extracted.profdata" "$d/image" > "$d/extracted.mcdc"
			diff "$truth/truth.mcdc" "$d/extracted.mcdc" ||
				fail "$arch clang $release: MC/DC test vectors differ from the x86_64 truth"
		fi
		echo "$arch clang $release: $(tail -1 "$d/extracted.report" | tr -s ' ')"
	done
done
