#!/usr/bin/env bash
# The whole test suite: installs what is missing (system libraries, Chromium, the pinned Python
# venv), builds (warnings fail the run), runs every test including interop with aiortc, the openai
# SDK, Python websockets and headless Chromium,
# every fuzz target for FUZZ_SECONDS (default 60) each, and the benchmark in --quick mode (it must
# not crash; its figures are not judged here).
set -euo pipefail
cd "$(dirname "$0")/.."
# Interop peers (aiortc, the openai SDK, websockets, headless Chromium) are part of the suite.
scripts/setup.sh interop

log="$(mktemp)"; trap 'rm -f "$log"' EXIT

echo "== build (debug, with tests)"
swift build --build-tests 2>&1 | tee "$log" | grep -E "error|warning:|Compiling|Build complete" | grep -v "^\[" || true
if grep -qE "(error|warning):" "$log"; then echo "test: the build printed errors or warnings"; grep -E "(error|warning):" "$log" | head -20; exit 1; fi

# Real-time suites (calls with live audio threads, interop peers) run after the rest, one test at a
# time: on a 2-core machine they must not share the CPU with the CPU-bound suites.
realtime='PeerConnection|Interop|ICEAgent'
tests=0
run_tests() {
    # Passing tests print one line each; keep failures, issues and the closing lines.
    swift test --skip-build "$@" 2>&1 | tee "$log" | awk '!/^(✔|◇) (Test|Suite) / || /Test run with/' || true
    local line; line="$(grep -E "Test run with [0-9]+ tests?" "$log" | tail -1)"
    if ! echo "$line" | grep -q "passed"; then echo "test: swift test failed"; exit 1; fi
    tests=$((tests + $(echo "$line" | sed -E 's/.*with ([0-9]+) tests?.*/\1/')))
}
echo "== swift test (parallel)"
run_tests --skip "$realtime"
echo "== swift test (real-time suites, one at a time)"
run_tests --filter "$realtime" --no-parallel

echo "== fuzz (${FUZZ_SECONDS:-60} s per target)"
scripts/fuzz.sh "${FUZZ_SECONDS:-60}" 2>&1 | tee "$log"
fuzzed="$(grep -c "no crash" "$log" || true)"

echo "== realtime-bench --quick (release)"
# realtime-server too: the endpoint capacity figures run it as its own process.
for product in realtime-bench realtime-server; do
    swift build -c release --product "$product" 2>&1 | grep -E "error|warning:" && exit 1 || true
done
.build/release/realtime-bench --quick --out Benchmarks/results/scratch

echo "test: $((tests + fuzzed + 1)) passed, 0 failed"
