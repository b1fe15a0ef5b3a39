#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# Ground truth for clang images (x86_64): one workload, built once with
# hvcov.mk's clang flags, linked twice: with the stub and no profile runtime
# (it dumps its own memory as an image), and with compiler-rt's runtime
# (which writes the true raw profile).  The .profraw hvcov extracts must read
# the same as the runtime's in llvm-profdata show --counts --all-functions,
# and (clang 19, MC/DC) in llvm-cov report --show-mcdc-summary and
# llvm-cov show --show-mcdc.  Each clang release hvcov knows is checked with
# its own llvm tools.
. "$top_srcdir/tests/lib/test-subr.sh"

src=$top_srcdir/tests/llvm
stub_dir=$top_srcdir/hypervisor

make_var() {
	printf 'print:\n\t@echo $(%s)\n' "$1" |
		env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL ${MAKE:-make} -s --no-print-directory -f "$stub_dir/hvcov.mk" -f - print CC="$2"
}

for release in 14 19; do
	require CLANG$release LLVM_PROFDATA$release LLVM_COV$release
	eval "cc=\$CLANG$release profdata=\$LLVM_PROFDATA$release cov=\$LLVM_COV$release"
	d=$tmp/clang$release
	mkdir -p "$d/out"
	cflags=$(make_var HVCOV_CFLAGS "$cc")
	stub_cflags=$(make_var HVCOV_STUB_CFLAGS "$cc")
	case $release in
	19) case $cflags in *-fcoverage-mcdc*) ;; *) fail "clang $release: hvcov.mk gives no -fcoverage-mcdc: $cflags" ;; esac ;;
	esac
	$cc $cflags -O1 -fno-pic -c "$src/workload.c" -o "$d/workload.o" ||
		fail "clang $release: the workload does not build"
	$cc $stub_cflags -fno-pic -Wall -Wextra -Werror -c "$stub_dir/hvcov.c" -o "$d/stub.o" ||
		fail "clang $release: the stub does not build"
	$cc -fno-pic -I"$stub_dir/include" -DHVCOV_ENABLED -c "$src/image-main.c" -o "$d/image-main.o"
	$cc -fno-pic -c "$src/truth-main.c" -o "$d/truth-main.o"
	# No -fprofile-instr-generate on the link line: no runtime is linked.
	$cc -no-pie -L"$stub_dir" -Wl,-T,"$src/insert.ld" "$d/image-main.o" \
		"$d/workload.o" "$d/stub.o" -o "$d/image"
	if nm "$d/image" | grep -q __llvm_profile_write; then
		fail "clang $release: the image links a profile runtime"
	fi
	$cc -no-pie -fprofile-instr-generate "$d/truth-main.o" "$d/workload.o" \
		-o "$d/truth"
	"$d/image" "$d/image.bin" > "$d/image.out"
	LLVM_PROFILE_FILE=$d/truth.profraw "$d/truth" > "$d/truth.out"
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
