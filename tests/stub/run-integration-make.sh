#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# Integration in one sitting, as the README and docs/integration.md say:
# their make snippet (the same text in both, checked here) is pasted into a
# small hypervisor-like Makefile (x86_64: the image producer's sources, a
# fixed-address link with hvcov.lds), once with a plain 'CFLAGS :=' and once
# with 'override CFLAGS :=', which silently drops a plain 'CFLAGS +='.  Both
# must build and link the stub, compile the measured objects with coverage
# (hvcov-check-build counts 4 .gcno files and 4 units in the ELF), and boot
# into an image whose 'hvcov info' shows 4 objects found and 4 registered.
# The old snippet ('CFLAGS += $(HVCOV_CFLAGS)') under 'override CFLAGS' is
# caught right after the build: hvcov-check-build exits 1, naming the cause.
. "$top_srcdir/tests/lib/test-subr.sh"

arch_tools x86_64
eval "cc=\$$arch_cc"
check_build=$top_srcdir/scripts/hvcov-check-build

# The ```make block that follows HEADING in FILE.
snippet() {
	awk -v heading="$2" '
		index($0, heading) == 1 { seen = 1; next }
		seen && /^```make$/ { inside = 1; next }
		inside && /^```$/ { exit }
		inside { print }' "$1"
}
snippet "$top_srcdir/README.md" "## Adding the stub" >"$tmp/readme.mk"
snippet "$top_srcdir/docs/integration.md" "## 1. Compile" >"$tmp/guide.mk"
[ -s "$tmp/readme.mk" ] || fail "no make snippet in README.md"
diff -u "$tmp/readme.mk" "$tmp/guide.mk" ||
	fail "README.md and docs/integration.md give different make snippets"

# hv_makefile DIR CFLAGS_ASSIGNMENT SNIPPET_FILE
hv_makefile() {
	mkdir -p "$1"
	cp "$top_srcdir"/tests/workload/checksum.c "$top_srcdir"/tests/workload/parse.c \
		"$top_srcdir"/tests/workload/table.c "$top_srcdir"/tests/workload/run.c \
		"$top_srcdir"/tests/producer/start.c "$1/"
	# producer.c calls hvcov_init(): it plays main.c.
	cp "$top_srcdir/tests/producer/producer.c" "$1/main.c"
	{
		echo "CC := $cc"
		echo "$2 -std=c11 -O2 -Wall -Wextra -Werror -fno-pic -ffreestanding \\"
		echo "	-fno-stack-protector -fno-asynchronous-unwind-tables -fno-unwind-tables \\"
		echo "	-I$top_srcdir/tests/workload -I$top_srcdir/tests/producer -DPRODUCER_UNITS=4"
		echo "objs := checksum.o parse.o table.o run.o"
		sed "s|path/to/hvcov/|$top_srcdir/|" "$3"
		echo "hypervisor.elf: start.o main.o \$(objs)"
		printf '\t$(CC) -static -nostdlib -no-pie -Wl,--build-id=none -Wl,-z,max-page-size=4096 -L$(HVCOV_DIR) -T %s -o $@ $^ -lgcc\n' \
			"$top_srcdir/tests/producer/producer.ld"
	} >"$1/Makefile"
}

for assignment in "CFLAGS :=" "override CFLAGS :="; do
	dir=$tmp/hv-$(echo "$assignment" | tr -c 'a-zA-Z\n' -)
	hv_makefile "$dir" "$assignment" "$tmp/readme.mk"
	env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL ${MAKE:-make} -s -C "$dir" \
		hypervisor.elf >"$dir/make.log" 2>&1 ||
		{ cat "$dir/make.log"; fail "'$assignment': the snippet does not build"; }
	nm "$dir/hypervisor.elf" | grep -q ' hvcov_descriptor$' ||
		fail "'$assignment': the stub is not linked"
	"$check_build" -e "$dir/hypervisor.elf" "$dir" >"$dir/check.log" ||
		{ cat "$dir/check.log"; fail "'$assignment': hvcov-check-build"; }
	cat "$dir/check.log"
	grep -q ': 4 object(s) compiled with coverage' "$dir/check.log" &&
		grep -q ': 4 constructor(s) in .hvcov_init_array' "$dir/check.log" ||
		fail "'$assignment': not 4 instrumented objects and 4 units"
	"$dir/hypervisor.elf" "$dir/image.bin" 3 5eed >/dev/null ||
		fail "'$assignment': the producer failed"
	"$hvcov" info --image "$dir/image.bin" >"$dir/info.txt" 2>"$dir/info.err" ||
		{ cat "$dir/info.err"; fail "'$assignment': hvcov info"; }
	grep -q '^Objects: *4 found$' "$dir/info.txt" &&
		grep -q '^Registered: *4 ' "$dir/info.txt" ||
		fail "'$assignment': info does not show 4 found, 4 registered: $(cat "$dir/info.txt")"
	[ ! -s "$dir/info.err" ] || fail "'$assignment': info warns: $(cat "$dir/info.err")"
	echo "'$assignment': the snippet builds, links the stub, and 4 objects are registered"
done

# The snippet this replaced, under 'override CFLAGS': no .gcno at all.
cat >"$tmp/old.mk" <<'OLD'
include path/to/hvcov/hypervisor/hvcov.mk
CFLAGS += $(HVCOV_CFLAGS)
main.o: override CFLAGS += $(HVCOV_INCLUDE)
objs += hvcov.o
hvcov.o: $(HVCOV_STUB_SRC)
	$(CC) $(CFLAGS) $(HVCOV_STUB_CFLAGS) -c -o $@ $<
OLD
dir=$tmp/old
hv_makefile "$dir" "override CFLAGS :=" "$tmp/old.mk"
env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL ${MAKE:-make} -s -C "$dir" \
	hypervisor.elf >"$dir/make.log" 2>&1 ||
	{ cat "$dir/make.log"; fail "the old snippet does not build"; }
status=0
"$check_build" -e "$dir/hypervisor.elf" "$dir" >"$dir/check.log" 2>&1 || status=$?
cat "$dir/check.log"
[ $status -eq 1 ] &&
	grep -q 'no .gcno file: the coverage flags did not reach the compiler' "$dir/check.log" ||
	fail "hvcov-check-build does not catch the old snippet under override CFLAGS (exit $status)"
# Booted anyway (the producer's self-check fails, but it writes the image),
# the image is valid and empty: info says why.
"$dir/hypervisor.elf" "$dir/image.bin" 3 5eed >/dev/null 2>&1 || true
[ -f "$dir/image.bin" ] || fail "the old snippet's producer wrote no image"
"$hvcov" info --image "$dir/image.bin" >/dev/null 2>"$dir/info.err" ||
	fail "info of the image without objects: $(cat "$dir/info.err")"
grep -q 'registered no object' "$dir/info.err" ||
	fail "info of an image without objects does not warn: $(cat "$dir/info.err")"
echo "info warns: $(cat "$dir/info.err")"
