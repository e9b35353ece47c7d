# Sourced by tests/run.sh: installs (once, cached) and starts the servers the production
# adapters are tested against, on free ports of 127.0.0.1, and stops them when the script exits.
#   - moto's server (PyPI moto[server]): DynamoDB with conditional writes and transactions; S3.
#   - s3s-fs (crates.io): S3 on a folder, checking signatures.
# The tests find them through ZHIBU_TEST_DYNAMODB, ZHIBU_TEST_MOTO_S3 and ZHIBU_TEST_S3S.

MOTO_VERSION=5.2.5
S3S_FS_VERSION=0.14.1
# Outside the checkout, so fresh clones on one machine share the tools.
TOOLS="${ZHIBU_TOOLS:-$HOME/.cache/zhibu/tools}"
S3S_ACCESS_KEY=zhibu-test
S3S_SECRET_KEY=zhibu-test-secret-key

install_servers() {
    if [ ! -x "$TOOLS/venv/bin/python" ]; then
        echo "creating a Python virtualenv in $TOOLS/venv"
        python3 -m venv "$TOOLS/venv"
    fi
    if ! "$TOOLS/venv/bin/pip" show moto 2>/dev/null | grep -qx "Version: $MOTO_VERSION"; then
        echo "installing moto[server] $MOTO_VERSION"
        "$TOOLS/venv/bin/pip" install --disable-pip-version-check -q "moto[server]==$MOTO_VERSION"
    fi
    if ! grep -qs "s3s-fs $S3S_FS_VERSION" "$TOOLS/s3s-fs.version"; then
        echo "installing s3s-fs $S3S_FS_VERSION (cargo install, a few minutes the first time)"
        cargo install --quiet --locked --root "$TOOLS" s3s-fs --version "$S3S_FS_VERSION" --features binary
        echo "s3s-fs $S3S_FS_VERSION" > "$TOOLS/s3s-fs.version"
    fi
}

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

wait_for_port() { # name port pid log
    for _ in $(seq 1 100); do
        if python3 -c "import socket,sys; socket.create_connection(('127.0.0.1', $2), 0.2)" 2>/dev/null; then
            return 0
        fi
        if ! kill -0 "$3" 2>/dev/null; then
            echo "$1 stopped while starting:" >&2
            cat "$4" >&2
            return 1
        fi
        sleep 0.1
    done
    echo "$1 did not listen on 127.0.0.1:$2 within 10 s:" >&2
    cat "$4" >&2
    return 1
}

SERVER_PIDS=()
SERVER_DIR=""

stop_servers() {
    for pid in "${SERVER_PIDS[@]}"; do
        kill "$pid" 2>/dev/null || true
    done
    for pid in "${SERVER_PIDS[@]}"; do
        wait "$pid" 2>/dev/null || true
    done
    SERVER_PIDS=()
    if [ -n "$SERVER_DIR" ]; then rm -rf "$SERVER_DIR"; fi
}

start_servers() {
    SERVER_DIR="$(mktemp -d -t zhibu-servers.XXXXXX)"
    trap stop_servers EXIT
    local moto_port s3s_port
    moto_port="$(free_port)"
    "$TOOLS/venv/bin/moto_server" -H 127.0.0.1 -p "$moto_port" >"$SERVER_DIR/moto.log" 2>&1 &
    SERVER_PIDS+=("$!")
    wait_for_port moto "$moto_port" "$!" "$SERVER_DIR/moto.log"

    s3s_port="$(free_port)"
    mkdir -p "$SERVER_DIR/s3"
    "$TOOLS/bin/s3s-fs" --host 127.0.0.1 --port "$s3s_port" \
        --access-key "$S3S_ACCESS_KEY" --secret-key "$S3S_SECRET_KEY" "$SERVER_DIR/s3" >"$SERVER_DIR/s3s.log" 2>&1 &
    SERVER_PIDS+=("$!")
    wait_for_port s3s-fs "$s3s_port" "$!" "$SERVER_DIR/s3s.log"

    export ZHIBU_TEST_DYNAMODB="http://127.0.0.1:$moto_port"
    export ZHIBU_TEST_MOTO_S3="http://127.0.0.1:$moto_port"
    export ZHIBU_TEST_S3S="http://127.0.0.1:$s3s_port"
    export ZHIBU_TEST_SERVERS_REQUIRED=1
    echo "moto on $ZHIBU_TEST_DYNAMODB, s3s-fs on $ZHIBU_TEST_S3S"
}
