#!/usr/bin/env bash
# The main job. Until the call client exists it is the audio loop demo: a test signal through real
# Opus, a simulated lossy Wi-Fi link, the adaptive jitter buffer and the decoder, written to a WAV
# with one stats line. Arguments are passed on (see `scripts/run.sh --help`).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh build
swift build --product audio-loop 2>&1 | grep -E "error|warning:" && exit 1
exec "$(swift build --show-bin-path)/audio-loop" "$@"
