#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# hvcov info --json read back by python3 and by jq:
# - 64-bit values (link base, boot id) are hex strings, exact in both
#   readers (a JSON number above 2^53 is rounded by jq and by JavaScript);
# - a non-ASCII image name ("ränder.img") reads back as itself, not as
#   mojibake; a byte that is no UTF-8 still gives valid JSON;
# - the document carries its schema version and hvcov's version.
. "$top_srcdir/tests/lib/test-subr.sh"

command -v jq >/dev/null || skip "jq not installed (scripts/bootstrap installs it)"
command -v python3 >/dev/null || skip "python3 not installed"

mkdir "$tmp/images"
"$top_builddir/tests/robustness/malformed-images" "$HOST_GCOV_VERSION" "$tmp/images" >/dev/null ||
	fail "malformed-images"
name="ränder \"q\" \$(x).img"
cp "$tmp/images/good.img" "$tmp/$name"
"$hvcov" info --json -i "$tmp/$name" >"$tmp/info.json" || fail "hvcov info --json"
# The builder's link base (tests/robustness/malformed.c), above 2^53.
want_base=0xffffffff80200000

[ "$(jq -r .link_base "$tmp/info.json")" = "$want_base" ] ||
	fail "jq: link_base $(jq .link_base "$tmp/info.json"), wanted $want_base"
[ "$(jq -r .source "$tmp/info.json")" = "$tmp/$name" ] ||
	fail "jq: source $(jq .source "$tmp/info.json")"
[ "$(jq .schema_version "$tmp/info.json")" = 1 ] || fail "no schema_version 1"
jq -e '.hvcov_version | length > 0' "$tmp/info.json" >/dev/null || fail "no hvcov_version"

python3 - "$tmp/info.json" "$tmp/$name" "$want_base" <<'PY' || fail "python3 read-back"
import json, sys
path, source, base = sys.argv[1], sys.argv[2], sys.argv[3]
with open(path, "rb") as f:
    doc = json.loads(f.read().decode("utf-8"))
assert doc["source"] == source, (doc["source"], source)
assert int(doc["link_base"], 16) == int(base, 16) == 18446744071564165120, doc["link_base"]
assert int(doc["boot_id"], 16) >= 0
assert doc["schema_version"] == 1
assert all(isinstance(o["filename"], str) for o in doc["objects"])
PY

# A name that is no UTF-8: the JSON stays valid, the byte is U+FFFD.
bad=$(printf 'bad\377name.img')
cp "$tmp/images/good.img" "$tmp/$bad"
"$hvcov" info --json -i "$tmp/$bad" >"$tmp/bad.json" || fail "hvcov info --json (bad name)"
[ "$(jq -r .source "$tmp/bad.json")" = "$tmp/bad$(printf '\357\277\275')name.img" ] ||
	fail "a non-UTF-8 byte: $(jq .source "$tmp/bad.json")"
echo "info --json: exact 64-bit values, UTF-8 names, schema version"
