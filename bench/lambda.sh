#!/usr/bin/env bash
# The API's Lambda figures quoted in the README:
#   1. the deployment package: `cargo lambda build --arm64 --output-format zip`, the size of
#      target/lambda/zhibu-api/bootstrap.zip (target: under 10 MB);
#   2. the cold start: the same binary built natively (x86_64, release) started against a
#      stand-in for the Lambda Runtime API (bench/lambda_runtime_emulator.py), from spawning the
#      process to its answer to one request, RUNS times (target: median under 30 ms).
#
#   bash bench/lambda.sh            # RUNS=30
#
# cargo-lambda (with zig, for the arm64 cross build) is installed from PyPI into the shared tools
# virtualenv target/tools/venv when missing; the catalog comes from building the branch's site.
set -euo pipefail
cd "$(dirname "$0")/.."

RUNS=${RUNS:-30}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

step() { printf '\n==> %s\n' "$*"; }

source deploy/cargo-lambda.sh
ensure_cargo_lambda

step "cargo lambda build --release --arm64 --output-format zip (zhibu-api)"
rm -f target/lambda/zhibu-api/bootstrap.zip
cargo lambda build --release --arm64 --output-format zip -p zhibu-functions --no-default-features --features lambda --bin zhibu-api
ZIP=target/lambda/zhibu-api/bootstrap.zip
ZIP_BYTES=$(stat -c %s "$ZIP")
UNZIPPED_BYTES=$(python3 -c 'import sys, zipfile; print(sum(i.file_size for i in zipfile.ZipFile(sys.argv[1]).infolist()))' "$ZIP")

step "cargo build --release (zhibu-api, native, for the cold start)"
cargo build --release -p zhibu-functions --no-default-features --features lambda --bin zhibu-api

step "building the branch's site for its catalog"
cargo run --release -q -- build --output "$WORK/public" --catalog "$WORK/zhibu-catalog.json" 2>"$WORK/build.log" || { cat "$WORK/build.log"; exit 1; }

step "cold starts against the runtime API stand-in ($RUNS runs)"
python3 bench/lambda_runtime_emulator.py --binary target/release/zhibu-api \
  --catalog "$WORK/zhibu-catalog.json" --runs "$RUNS" | tee "$WORK/cold.txt"
MEDIAN=$(sed -n 's/^COLD_START_MEDIAN_MS=//p' "$WORK/cold.txt")
P90=$(sed -n 's/^COLD_START_P90_MS=//p' "$WORK/cold.txt")

step "summary"
python3 - "$ZIP_BYTES" "$UNZIPPED_BYTES" "$MEDIAN" "$P90" "$RUNS" <<'PY'
import sys
zip_b, raw_b, median, p90, runs = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4]), sys.argv[5]
ok = lambda good: "ok" if good else "OVER TARGET"
print(f"deployment package (arm64 bootstrap.zip): {zip_b / 1e6:.2f} MB ({zip_b / 2**20:.2f} MiB; "
      f"bootstrap unzipped {raw_b / 1e6:.1f} MB) - target under 10 MB: {ok(zip_b < 10e6)}")
print(f"cold start (x86_64, spawn to response, {runs} runs): median {median:.1f} ms, p90 {p90:.1f} ms"
      f" - target under 30 ms: {ok(median < 30)}")
PY
