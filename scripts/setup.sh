#!/usr/bin/env bash
# Installs what the package needs on Debian 12 when it is missing, and nothing else.
#   scripts/setup.sh build     system C libraries (libopus, libsrtp2, OpenSSL, libnice, usrsctp)
#   scripts/setup.sh interop   + headless Chromium and the pinned Python venv (.venv) for peers
# As root (or with password-less sudo) it runs apt-get itself; otherwise it prints the exact
# apt-get line and stops.
set -euo pipefail
cd "$(dirname "$0")/.."
level="${1:-build}"

packages=(pkg-config libopus-dev libsrtp2-dev libssl-dev libnice-dev libusrsctp-dev)
if [ "$level" = interop ]; then
    packages+=(chromium chromium-driver python3-venv coturn)
fi

missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
    line="apt-get update && apt-get install -y --no-install-recommends ${missing[*]}"
    sudo=()
    if [ "$(id -u)" -ne 0 ]; then
        if command -v sudo > /dev/null && sudo -n true 2> /dev/null; then
            sudo=(sudo -n)
        else
            echo "setup: missing Debian packages; run as root:"
            echo "  $line"
            exit 1
        fi
    fi
    echo "setup: installing ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    "${sudo[@]}" apt-get update -qq
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" > /dev/null
fi

if [ "$level" = interop ]; then
    req=Tests/Interop/requirements.txt
    stamp=.venv/.requirements.sha256
    want="$(sha256sum "$req" | cut -d' ' -f1)"
    if [ ! -x .venv/bin/python ] || [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
        echo "setup: creating .venv from $req"
        python3 -m venv .venv
        .venv/bin/pip install -q --disable-pip-version-check -r "$req"
        echo "$want" > "$stamp"
    fi
fi
