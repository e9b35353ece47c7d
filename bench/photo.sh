#!/usr/bin/env bash
# Benchmark: `photos::process` (sniff, header check, decode, downscale to 2000 px, orient,
# re-encode as JPEG, 320 px thumbnail) on a 12-megapixel phone-like JPEG generated in memory.
#
#   bash bench/photo.sh        # 10 runs
#   bash bench/photo.sh 30     # 30 runs
#
# Prints the input size, min/median/max milliseconds per photo and the output sizes.
# Target: a median under 400 ms in release builds on a 2-core machine.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
exec cargo run --release -p zhibu-functions --example photo_bench -- "$@"
