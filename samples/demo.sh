#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# samples/demo.sh: what `make demo` runs. Checks the sample records of the made-up patient
# Jane Doe, builds her packet into demo/ (or $DEMO_DIR) and verifies it.
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

out=${DEMO_DIR:-demo}
mkdir -p "$out"
step "recpack build $patient --force -o $out/jane-doe.zip samples/records"
"$RECPACK" build --patient "Jane Doe" --dob 1970-01-01 --mrn MRN12345 --surgery --hospitalized \
	--force -o "$out/jane-doe.zip" samples/records
step "recpack verify $out/jane-doe.zip"
"$RECPACK" verify "$out/jane-doe.zip"
printf '\nDemo finished: the sample records are complete.\n'
printf 'The packet is %s/jane-doe.zip (open it with any unzip tool; %s/index.html inside is\n' "$out" "jane-doe"
printf 'the table of contents). Check it again any time with: %s verify %s/jane-doe.zip\n' "$RECPACK" "$out"
