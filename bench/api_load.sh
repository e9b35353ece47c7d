#!/usr/bin/env bash
# Load test of the functions under `zhibu serve`: p50/p99 latency and throughput of sign-ins
# and note posts, at a fixed rate and flat out. Uses oha (crates.io; installed once into
# ~/.cargo/bin).
#
#   bash bench/api_load.sh                   # embedded SQLite: DURATION=20s RATE=1000 CONNECTIONS=200
#   STORE=dynamodb bash bench/api_load.sh    # DynamoDB on moto's server (started here): RATE=100 CONNECTIONS=20
set -euo pipefail
cd "$(dirname "$0")/.."

STORE=${STORE:-sqlite}
if [ "$STORE" = dynamodb ]; then
  DEFAULT_RATE=100 DEFAULT_CONNECTIONS=20
else
  DEFAULT_RATE=1000 DEFAULT_CONNECTIONS=200
fi
DURATION=${DURATION:-20s}
RATE=${RATE:-$DEFAULT_RATE}
CONNECTIONS=${CONNECTIONS:-$DEFAULT_CONNECTIONS}
WORK=$(mktemp -d /dev/shm/zhibu-load.XXXXXX 2>/dev/null || mktemp -d)
cleanup() {
  kill "${SERVER_PID:-}" 2>/dev/null || true
  if declare -F stop_servers >/dev/null; then stop_servers; fi
  wait 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

command -v oha >/dev/null || cargo install oha --locked
if [ "$STORE" = dynamodb ]; then
  source tests/servers.sh
  install_servers
  start_servers
  trap cleanup EXIT
  export AWS_ENDPOINT_URL_DYNAMODB="$ZHIBU_TEST_DYNAMODB" AWS_REGION=cn-north-1 \
    AWS_ACCESS_KEY_ID=load AWS_SECRET_ACCESS_KEY=load ZHIBU_STORE=dynamodb:load-test
  cargo build --release --locked -q --features aws
else
  cargo build --release --locked -q
fi
ZHIBU=target/release/zhibu
$ZHIBU admin init --data "$WORK/data" 2>/dev/null

# A minimal site with an event open all year and a page that takes notes.
mkdir -p "$WORK/site/content" "$WORK/site/templates/shortcodes"
cat > "$WORK/site/config.toml" <<'TOML'
base_url = "http://127.0.0.1"
title = "load test"
TOML
printf '+++\ntitle = "首页"\n+++\n' > "$WORK/site/content/_index.md"
cat > "$WORK/site/content/study.md" <<'MD'
+++
title = "学习"
[extra.signin]
event = "load-test-event"
opens = 2020-01-01T00:00:00+08:00
closes = 2099-12-31T23:59:59+08:00
+++
{{ signin(event="load-test-event") }}
{{ note_form() }}
MD
for t in index section page; do echo '<html><body>{{ now() }}</body></html>' > "$WORK/site/templates/$t.html"; done
echo '<form></form>' > "$WORK/site/templates/shortcodes/signin.html"
echo '<form></form>' > "$WORK/site/templates/shortcodes/note_form.html"

# 200 members, one token each would take 200 slow argon2 checks; 20 members share the load.
{ echo "id,name,role"; for i in $(seq -w 1 20); do echo "m0$i,成员$i,member"; done; } > "$WORK/roster.csv"
$ZHIBU members import "$WORK/roster.csv" --codes "$WORK/codes.csv" --data "$WORK/data" 2>/dev/null

$ZHIBU serve --root "$WORK/site" --data "$WORK/data" --port 0 --quiet > "$WORK/serve.out" 2>/dev/null &
SERVER_PID=$!
for _ in $(seq 100); do grep -q http "$WORK/serve.out" 2>/dev/null && break; sleep 0.1; done
BASE=$(grep -o 'http://[0-9.:]*' "$WORK/serve.out" | head -1)
CODE=$(sed -n 2p "$WORK/codes.csv" | cut -d, -f3)
ID=$(sed -n 2p "$WORK/codes.csv" | cut -d, -f1 | tr -d '\357\273\277')
TOKEN=$(curl -s -X POST "$BASE/api/session" -H 'Content-Type: application/json' \
  -d "{\"member_id\":\"$ID\",\"code\":\"$CODE\"}" | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')

RUN=0
run() {
  local name=$1 path=$2 body=$3; shift 3
  RUN=$((RUN + 1))
  oha --no-tui -z "$DURATION" -c "$CONNECTIONS" "$@" -m POST -H "Authorization: Bearer $TOKEN" \
    -H 'Content-Type: application/json' -d "$body" --output-format json "$BASE$path" > "$WORK/run-$RUN.json"
  python3 - "$WORK/run-$RUN.json" "$name" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
s, p = r["summary"], r["latencyPercentiles"]
codes = r.get("statusCodeDistribution", {})
print(f"| {sys.argv[2]} | {s['requestsPerSec']:.0f} | {p['p50']*1000:.2f} | {p['p99']*1000:.2f} | {s['successRate']*100:.1f}% | {codes} |")
PY
}

echo "store: $STORE"
echo "| run | req/s | p50 ms | p99 ms | success | status codes |"
echo "|---|--:|--:|--:|--:|---|"
SIGNIN='{"event":"load-test-event","consent_location":true,"location":{"lat":30.52,"lon":114.36,"accuracy_m":20}}'
NOTE='{"page":"/study/","body":"压力测试中的一条学习心得，内容足够长。"}'
run "sign-in at ${RATE}/s" /api/signins "$SIGNIN" -q "$RATE"
run "note at ${RATE}/s" /api/notes "$NOTE" -q "$RATE"
run "sign-in flat out" /api/signins "$SIGNIN"
run "note flat out" /api/notes "$NOTE"
