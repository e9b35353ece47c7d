# Sourced by deploy/deploy.sh and bench/lambda.sh: cargo-lambda (pinned; from PyPI, with zig for
# cross-compiling) in the tools virtualenv target/tools/venv, on PATH, and Rust's arm64 target.

CARGO_LAMBDA_VERSION=1.9.2
VENV=target/tools/venv

ensure_cargo_lambda() {
  if [[ ! -x $VENV/bin/python ]]; then
    printf '\n==> %s\n' "creating the tools virtualenv $VENV"
    python3 -m venv "$VENV"
  fi
  local installed
  installed=$("$VENV/bin/python" -m pip show --disable-pip-version-check cargo-lambda 2>/dev/null |
    sed -n 's/^Version: //p' || true)
  if [[ $installed != "$CARGO_LAMBDA_VERSION" ]]; then
    printf '\n==> %s\n' "installing cargo-lambda $CARGO_LAMBDA_VERSION (with zig) into $VENV"
    "$VENV/bin/python" -m pip install --disable-pip-version-check -q "cargo-lambda==$CARGO_LAMBDA_VERSION"
  fi
  export PATH="$PWD/$VENV/bin:$PATH"
  if command -v rustup >/dev/null && ! rustup target list --installed | grep -qx aarch64-unknown-linux-gnu; then
    printf '\n==> %s\n' "adding the Rust target aarch64-unknown-linux-gnu"
    rustup target add aarch64-unknown-linux-gnu
  fi
}
