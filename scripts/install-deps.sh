#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Installs what recpack needs to build and test on Debian/Ubuntu, and nothing when it is all there.
# Prints every command it runs. Called by `make`, `make check`, `make demo` and .ci/run.
set -eu

# Build: compiler, pkg-config and the libraries recpack links.
BUILD="gcc clang make pkg-config libzip-dev libcurl4-openssl-dev libarchive-dev libjansson-dev libssl-dev libdeflate-dev zlib1g-dev libinih-dev libunistring-dev libxml2-dev libpoppler-glib-dev libtesseract-dev tesseract-ocr-eng"
# Tests: unit tests, tools that read our output, generators of synthetic records, doc linters, shells.
TEST="libcmocka-dev dcmtk python3-pydicom dicom3tools p7zip-full libarchive-tools unzip zip zstd xorriso groff mandoc bash-completion zsh fish python3 openssl strace time curl libclang-rt-14-dev poppler-utils enscript ghostscript qpdf python3-docx chromium npm tesseract-ocr img2pdf libtiff-tools"

want="$BUILD"
[ "${1:-}" = "--test" ] && want="$BUILD $TEST"

missing=""
for p in $want; do
	# npm may come with another build of Node.js (nodesource's nodejs ships its own npm and
	# conflicts with Debian's npm package): the command is what the tests need.
	[ "$p" = npm ] && command -v npm >/dev/null 2>&1 && continue
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0

if ! command -v apt-get >/dev/null 2>&1; then
	echo "recpack: missing packages:$missing" >&2
	echo "recpack: this is not a Debian/Ubuntu system; install the equivalents by hand." >&2
	exit 1
fi
sudo=""
[ "$(id -u)" -ne 0 ] && sudo="sudo"
echo "+ $sudo apt-get update"
$sudo apt-get update -qq
echo "+ $sudo apt-get install -y$missing"
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq $missing >/dev/null
