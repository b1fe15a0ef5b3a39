#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
#
# The reference hypervisor built by clang 19 (source-based coverage with
# MC/DC, no profile runtime, no serialiser in it) on x86_64, arm64 and arm,
# booted under QEMU on two CPUs by scripts/hvcov-demo --clang, which
# verifies, extracts and renders with hvcov-llvm-report.  Each
# architecture's extracted profile must equal the hosted truth (the same
# workload and scripts linked with compiler-rt's profile runtime, x86_64)
# record for record in llvm-profdata show, and its llvm-cov report (with
# MC/DC) and MC/DC test vectors must equal the truth's; the HTML shows MC/DC.

. "$top_srcdir/tests/lib/test-subr.sh"
. "$top_srcdir/tests/demo/demo-subr.sh"

require CLANG19 LLVM_PROFDATA19 LLVM_COV19 QEMU_SYSTEM_X86_64 QEMU_SYSTEM_AARCH64 QEMU_SYSTEM_ARM
[ "$(uname -m)" = x86_64 ] || skip "the tests assume an x86_64 host"
build=$(cd "$tmp" && pwd)/build-clang
llvm_report=$top_builddir/scripts/hvcov-llvm-report

make -s -C "$demo_src" ARCH=x86_64 O="$build" CLANG="$CLANG19" hosted ground-truth \
	>"$tmp/make.log" 2>&1 || { cat "$tmp/make.log"; fail "the hosted truth does not build or run"; }
truth=$build/x86_64/hosted
"$LLVM_PROFDATA19" merge -o "$tmp/truth.profdata" "$truth/truth.profraw" ||
	fail "no truth profile"
"$LLVM_PROFDATA19" show --counts --all-functions "$tmp/truth.profdata" > "$tmp/truth.show"
"$LLVM_COV19" report --show-mcdc-summary -instr-profile "$tmp/truth.profdata" \
	"$truth/hvcov-demo-hosted" > "$tmp/truth.report"
"$LLVM_COV19" show --show-mcdc -instr-profile "$tmp/truth.profdata" \
	"$truth/hvcov-demo-hosted" > "$tmp/truth.mcdc"
grep -q 'C1-Pair: covered' "$tmp/truth.mcdc" || fail "the truth covers no MC/DC pair"

for arch in x86_64 arm64 arm; do
	out=$tmp/$arch
	HVCOV=$hvcov HVCOV_LLVM_REPORT=$llvm_report \
		${SHELL:-/bin/sh} "$top_src/scripts/hvcov-demo" --arch "$arch" \
		--clang "$CLANG19" --build-dir "$build" --timeout 30 \
		--run-dir "$out/run" -o "$out" > "$out.log" 2>&1 ||
		{ cat "$out.log"; fail "$arch: hvcov-demo --clang failed"; }
	grep '^hvcov-llvm-report: ' "$out.log"
	grep -q '^verified: .* the clang profile sections are consistent$' "$out.log" ||
		fail "$arch: no verification"
	set -- "$out"/profraw/*.profraw
	[ $# -eq 1 ] && [ -f "$1" ] || fail "$arch: not one profile: $*"
	"$LLVM_PROFDATA19" show --counts --all-functions "$out/report/merged.profdata" > "$out/extracted.show"
	diff "$tmp/truth.show" "$out/extracted.show" ||
		fail "$arch: the profile differs from the hosted truth"
	diff "$tmp/truth.report" "$out/report/report.txt" ||
		fail "$arch: llvm-cov report differs from the hosted truth's"
	"$LLVM_COV19" show --show-mcdc -instr-profile "$out/report/merged.profdata" \
		"$build/$arch/hv/hvcov-demo.elf" > "$out/extracted.mcdc"
	diff "$tmp/truth.mcdc" "$out/extracted.mcdc" ||
		fail "$arch: MC/DC test vectors differ from the hosted truth's"
	grep -rlq 'MC/DC Decision Region' "$out/report/html" || fail "$arch: no MC/DC in the HTML"
done
