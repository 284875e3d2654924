#!/bin/sh
# Install the Debian packages knod needs to build, test and run, if any are
# missing. Called by `make demo` and `make check`; safe to run again.
# usage: tools/install-deps.sh [extra-package...]
set -eu
pkgs="gcc make pkg-config meson ninja-build python3 sqlite3
libsqlite3-dev libsodium-dev libjansson-dev libinih-dev libcmocka-dev libxlsxwriter-dev
libcmark-gfm-dev libcmark-gfm-extensions-dev libstemmer-dev
libmicrohttpd-dev
libcurl4-openssl-dev libcjose-dev
python3-icalendar
python3-jsonschema
weasyprint poppler-utils $*"
missing=""
for p in $pkgs; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
        missing="$missing $p"
    fi
done
[ -z "$missing" ] && exit 0
echo "knod: installing Debian packages:$missing"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then
        SUDO=sudo
    else
        echo "knod: these packages are missing and I am not root:$missing" >&2
        exit 1
    fi
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing
