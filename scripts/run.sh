#!/usr/bin/env bash
# The main job: a headless call. With no arguments `realtime-call` starts the local Realtime
# endpoint in-process (echo backend) on 127.0.0.1, calls it over WebRTC (ICE, DTLS-SRTP, Opus,
# the oai-events data channel), speaks a built-in test utterance and prints a report.
# Arguments are passed on (see `scripts/run.sh --help`), e.g. `--transport websocket`.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh build
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
if ! swift build --product realtime-call > "$log" 2>&1 || grep -q "warning:" "$log"; then
    grep -E "error|warning:" "$log" || tail -20 "$log"
    exit 1
fi
rm -f "$log"
bin="$(swift build --show-bin-path)"
exec "$bin/realtime-call" "$@"
