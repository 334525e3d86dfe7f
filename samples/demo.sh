#!/bin/sh
# samples/demo.sh: what `make demo` runs. Checks the sample records of the made-up patient
# Jane Doe; once `recpack build` exists, also builds her packet in a temp folder and verifies it.
# Exits non-zero if any step fails.
set -eu
cd "$(dirname "$0")/.."
RECPACK=${RECPACK:-./recpack}
patient='--patient "Jane Doe" --dob 1970-01-01 --mrn MRN12345 --surgery --hospitalized'

step() {
	printf '\n$ %s\n' "$1"
}

step "recpack check $patient samples/records"
"$RECPACK" check --patient "Jane Doe" --dob 1970-01-01 --mrn MRN12345 --surgery --hospitalized \
	samples/records

if "$RECPACK" build --help >/dev/null 2>&1; then
	tmp=$(mktemp -d "${TMPDIR:-/tmp}/recpack-demo.XXXXXX")
	trap 'rm -rf "$tmp"' EXIT
	step "recpack build $patient -o $tmp/jane-doe.zip samples/records"
	"$RECPACK" build --patient "Jane Doe" --dob 1970-01-01 --mrn MRN12345 --surgery --hospitalized \
		-o "$tmp/jane-doe.zip" samples/records
	step "recpack verify $tmp/jane-doe.zip"
	"$RECPACK" verify "$tmp/jane-doe.zip"
fi
printf '\nDemo finished: the sample records are complete.\n'
