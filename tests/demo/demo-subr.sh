# SPDX-License-Identifier: BSD-2-Clause
#
# Sourced by the demo tests after tests/lib/test-subr.sh (which gives the
# private temporary directory, fail and skip): the demo's source and build
# directories, and helpers to compare the demo's probe, its symbols and
# gcov-dump output.
#
# HVCOV_DEMO_BUILD: a demo build root to reuse (default: a fresh one in the
# temporary directory, so nothing is left behind and parallel tests never
# share a build); the source tree may be read-only.

# Without ".." components: the demo build records these paths in its objects.
demo_src=$(cd "$top_srcdir/hypervisor/demo" && pwd)
# shellcheck disable=SC2034 # for the tests that source this file
top_src=$(cd "$top_srcdir" && pwd)

demo_build=${HVCOV_DEMO_BUILD:-$tmp/build}
case $demo_build in /*) ;; *) demo_build=$(pwd)/$demo_build ;; esac

# Probe output key value.
field() {
	sed -n "s/^$2=//p" "$1"
}

# Symbol address from the .syms file, as 0x-prefixed lower-case hex without
# leading zeros, the form the probe prints.
symbol() {
	v=$(awk -v name="$2" '$3 == name { print $1 }' "$1" | sed 's/^0*//')
	echo "0x${v:-0}"
}

# A .gcda as the probe prints it: "  ident=N arcs: c0 c1 ...", one line per
# function; gcov-dump writes an all-zero array as a count without values.
gcda_arcs() {
	"$1" -l "$2" | awk '
		function flush() {
			if (ident == "") return
			line = "  ident=" ident " arcs:"
			if (n == 0) for (i = 0; i < want; i++) line = line " 0"
			else line = line values
			print line
			ident = ""
		}
		/:FUNCTION ident=/ {
			flush()
			ident = $0; sub(/.*ident=/, "", ident); sub(/,.*/, "", ident)
			values = ""; n = 0; want = 0
		}
		/:COUNTERS arcs / {
			want = $0; sub(/.*COUNTERS arcs /, "", want)
			sub(/ .*/, "", want)
		}
		/^.*: *[0-9]+: [0-9 ]*$/ {
			v = $0; sub(/^.*: *[0-9]+:/, "", v); sub(/ *$/, "", v)
			values = values v; n += split(v, dummy, " ")
		}
		END { flush() }'
}

# probe --counters output -> "unit-basename  ident=... arcs: ..." lines.
probe_arcs() {
	awk '/^unit=/ { unit = $1; sub(/.*\//, "", unit) }
	     /^  ident=/ { print unit $0 }' "$1" | sort
}
