#!/usr/bin/env bash
# Builds handoff-server and relay-load in Release (build/bench) and runs the relay
# load generator. Arguments go to relay-load, e.g.:
#   bench/run-relay.sh --pairs 20 --fps 30 --seconds 10
# With no arguments it runs three loads: 10, 25 and 50 pairs at 30 fps.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${HANDOFF_BENCH_BUILD_DIR:-$root/build/bench}"
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DHANDOFF_BUILD_BENCH=ON \
      -DHANDOFF_BUILD_TESTS=OFF -DHANDOFF_BUILD_APP=OFF -DHANDOFF_BUILD_AGENT=OFF > /dev/null
cmake --build "$build" --target relay-load handoff-server
if [ "$#" -gt 0 ]; then
    exec "$build/bin/relay-load" "$@"
fi
for pairs in 10 25 50; do
    "$build/bin/relay-load" --pairs "$pairs" --fps 30 --frame-kb 35 --input-rate 20 --seconds 10
done
