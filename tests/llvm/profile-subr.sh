# SPDX-License-Identifier: BSD-2-Clause
# Sourced by the clang snapshot tests: what an interval between two raw
# profiles of one binary must read as, from their text form.

tab=$(printf '\t')

# expected_interval EARLIER LATER: the interval between two text profiles
# of the same binary (llvm-profdata merge --text): counter values
# subtracted, bitmap bytes LATER & ~EARLIER.
expected_interval() {
	paste "$1" "$2" | {
		section=
		while IFS=$tab read -r a b; do
			case $a in
			'# Counter Values:') section=counters; echo "$a" ;;
			'# Bitmap Byte Values:') section=bitmap; echo "$a" ;;
			'#'* | '') section=; echo "$a" ;;
			*)
				case $section in
				counters) echo $((b - a)) ;;
				bitmap) printf '0x%x\n' $((b & ~a & 255)) ;;
				*) [ "$a" = "$b" ] || echo "structure differs: $a $b"; echo "$a" ;;
				esac ;;
			esac
		done
	}
}
