#!/usr/bin/env bash
# The one test command (README: "Run the tests"). Installs and starts whatever the tests need,
# idempotently, then runs formatting, lints and every test of the workspace.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n==> %s\n' "$*"; }

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

step "cargo test"
cargo test --workspace --all-features --locked
