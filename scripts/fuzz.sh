#!/usr/bin/env bash
# Builds the libFuzzer targets (Tests/Fuzz/<Name>) with the address sanitizer and runs each for a
# bounded time, two at a time, over its corpus in Tests/Fuzz/corpus/<Name>. New finds go to
# .build-fuzz/corpus/<Name> (a run leaves the tree clean; merge the ones worth keeping with
# libFuzzer's -merge=1 into the tracked corpus).
# usage: scripts/fuzz.sh [SECONDS_PER_TARGET] [TARGET ...]     default 60 s, every target
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-60}"; shift || true
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
    mapfile -t targets < <(sed -n 's/^ *("\(Fuzz[A-Za-z0-9]*\)", \[.*/\1/p' Package.swift)
fi
export SWIFTREALTIME_FUZZ=1
build=(swift build --toolset Tests/Fuzz/toolset.json --scratch-path .build-fuzz -Xswiftc -sanitize=fuzzer,address)
for t in "${targets[@]}"; do "${build[@]}" --product "$t" 2>&1 | grep -E "error|Compiling|complete" | grep -v "prohibited" || true; done
bin="$(swift build --scratch-path .build-fuzz --show-bin-path)"
mkdir -p Tests/Fuzz/crashes
status=0
run() {
    local t="$1" corpus="Tests/Fuzz/corpus/$1" finds=".build-fuzz/corpus/$1"
    mkdir -p "$corpus" "$finds"
    if "$bin/$t" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
        -artifact_prefix="Tests/Fuzz/crashes/$t-" "$finds" "$corpus" > ".build-fuzz/$t.log" 2>&1; then
        echo "fuzz $t: $(grep -E '^stat::number_of_executed_units' ".build-fuzz/$t.log" | awk '{print $2}') runs in ${seconds}s, no crash"
    else
        echo "fuzz $t: CRASH (see Tests/Fuzz/crashes/ and .build-fuzz/$t.log)"; tail -30 ".build-fuzz/$t.log"; return 1
    fi
}
pids=(); names=()
for t in "${targets[@]}"; do
    run "$t" & pids+=($!); names+=("$t")
    if [ ${#pids[@]} -ge 2 ]; then wait "${pids[0]}" || status=1; pids=("${pids[@]:1}"); fi
done
for p in "${pids[@]}"; do wait "$p" || status=1; done
exit $status
