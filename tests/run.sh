#!/usr/bin/env bash
# The one test command (README: "Run the tests"). Installs and starts whatever the tests need,
# idempotently, then runs formatting, lints and every test of the workspace.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n==> %s\n' "$*"; }

# On CI every run is a fresh clone: incremental compilation caches would only cost time and
# about 1.2 GB of disk (a CI run once failed with "No space left on device" while linking).
if [ -n "${CI:-}" ]; then export CARGO_INCREMENTAL=0; fi

source tests/servers.sh

step "cargo fmt --check"
cargo fmt --all -- --check

step "cargo clippy (warnings are errors)"
cargo clippy --workspace --all-targets --all-features --locked -- -D warnings

step "cfn-lint deploy/template.yaml"
bash deploy/lint.sh

step "servers for the DynamoDB and S3 adapters (moto, s3s-fs)"
install_servers
start_servers

step "headless Chromium, the CJK fonts and playwright-core for the browser tests (tests/e2e/browser.rs)"
# fonts-noto-cjk: the walk-through checks that Chinese punctuation is drawn in the Chinese font.
if [ ! -x /usr/bin/chromium ] || ! fc-list 2>/dev/null | grep -q "Noto Sans CJK SC"; then
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq && $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null
fi
lock="$(sha256sum tests/browser/package-lock.json | cut -d' ' -f1)"
if [ "$(cat tests/browser/node_modules/.installed-lock 2>/dev/null)" != "$lock" ]; then
  (cd tests/browser && npm ci --no-audit --no-fund --loglevel=error >/dev/null) && echo "$lock" >tests/browser/node_modules/.installed-lock
fi
export ZHIBU_TEST_BROWSER_REQUIRED=1

step "cargo test"
cargo test --workspace --all-features --locked
