#!/usr/bin/env bash
# Benchmark of `zhibu run` on this machine (issue 18): static pages/s and p99 against nginx
# serving the same built folder; the API's p99 at a fixed sign-in rate mixed with static
# traffic; memory after a long mixed load; and the time of a backup of a store with 100,000
# sign-ins and 10,000 photos taken under load. Uses oha (crates.io) and Debian's nginx-light,
# installed once.
#
#   bash bench/one_machine.sh
#   DURATION=15s RATE=1000 MEMORY_MINUTES=10 SIGNINS=100000 PHOTOS=10000 bash bench/one_machine.sh
#
# The site is the branch's own (this repository) plus the API benchmark's page with a sign-in
# open all year (bench/api_load.sh), built for the server's address. Prints Markdown tables.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

DURATION=${DURATION:-15s}
RATE=${RATE:-1000}
CONNECTIONS=${CONNECTIONS:-50}
MEMORY_MINUTES=${MEMORY_MINUTES:-10}
SIGNINS=${SIGNINS:-100000}
PHOTOS=${PHOTOS:-10000}
WORK=${WORK:-$(mktemp -d /tmp/zhibu-one-machine.XXXXXX)}
ZPORT=${ZPORT:-18480}
NPORT=${NPORT:-18481}
cleanup() {
  kill "${ZPID:-}" "${NPID:-}" "${LOADPID:-}" 2>/dev/null || true
  wait 2>/dev/null || true
  [ -n "${KEEP_WORK:-}" ] || rm -rf "$WORK"
}
trap cleanup EXIT
# nginx's workers run as an unprivileged user: they must be able to read the built folder.
chmod 755 "$WORK"

command -v oha >/dev/null || cargo install oha --locked
if ! command -v nginx >/dev/null; then
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq && $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx-light >/dev/null
fi
cargo build --release --locked -q
ZHIBU=$ROOT/target/release/zhibu

# The site: the branch's, plus a page whose sign-in is open all year.
mkdir -p "$WORK/site"
cp -r config.toml content themes static data "$WORK/site/" 2>/dev/null || true
[ -d templates ] && cp -r templates "$WORK/site/"
cat > "$WORK/site/content/notices/load-test.md" <<'MD'
+++
title = "压力测试"
date = 2026-01-01
[extra.signin]
event = "load-test-event"
opens = 2020-01-01T00:00:00+08:00
closes = 2099-12-31T23:59:59+08:00
+++
{{ signin(event="load-test-event") }}

{{ note_form() }}
MD
BASE="http://127.0.0.1:$ZPORT"
"$ZHIBU" build --root "$WORK/site" --output "$WORK/public" --base-url "http://127.0.0.1:$NPORT" --quiet

# nginx on the same folder, as a careful static host: gzip (level 6), sendfile, ETags.
mkdir -p "$WORK/nginx"
cat > "$WORK/nginx/nginx.conf" <<NGINX
worker_processes auto;
daemon off;
pid $WORK/nginx/nginx.pid;
error_log $WORK/nginx/error.log;
events { worker_connections 1024; }
http {
  include /etc/nginx/mime.types;
  access_log off;
  sendfile on;
  tcp_nopush on;
  gzip on;
  gzip_comp_level 6;
  gzip_types text/css application/javascript application/json image/svg+xml application/xml text/xml;
  client_body_temp_path $WORK/nginx;
  proxy_temp_path $WORK/nginx;
  fastcgi_temp_path $WORK/nginx;
  uwsgi_temp_path $WORK/nginx;
  scgi_temp_path $WORK/nginx;
  server {
    listen 127.0.0.1:$NPORT;
    root $WORK/public;
    etag on;
    error_page 404 /404.html;
  }
}
NGINX
nginx -c "$WORK/nginx/nginx.conf" &
NPID=$!

# The store: 20 members who log in, then (for the backup) many more records.
{ echo "id,name,role"; for i in $(seq -w 1 20); do echo "m0$i,成员$i,member"; done; } > "$WORK/roster.csv"
"$ZHIBU" members import "$WORK/roster.csv" --codes "$WORK/codes.csv" --data "$WORK/data" 2>/dev/null

start_zhibu() {
  "$ZHIBU" run --root "$WORK/site" --base-url "$BASE" --data "$WORK/data" --port "$ZPORT" --quiet --no-access-log \
    > "$WORK/run.out" 2> "$WORK/run.err" &
  ZPID=$!
  for _ in $(seq 600); do grep -q Running "$WORK/run.out" 2>/dev/null && break; sleep 0.1; done
  grep -q Running "$WORK/run.out" || { cat "$WORK/run.err"; exit 1; }
}
start_zhibu
STARTUP=$(grep -o 'in [0-9.]* m\?s' "$WORK/run.err" | tail -1 || true)
for _ in $(seq 50); do curl -s -o /dev/null "http://127.0.0.1:$NPORT/" && break; sleep 0.1; done
NGINX_STATUS=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$NPORT/")
[ "$NGINX_STATUS" = 200 ] || { echo "nginx answers $NGINX_STATUS for /: see $WORK/nginx/error.log" >&2; exit 1; }

CODE=$(sed -n 2p "$WORK/codes.csv" | cut -d, -f3)
ID=$(sed -n 2p "$WORK/codes.csv" | cut -d, -f1 | tr -d '\357\273\277')
TOKEN=$(curl -s -X POST "$BASE/api/session" -H 'Content-Type: application/json' \
  -d "{\"member_id\":\"$ID\",\"code\":\"$CODE\"}" | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')
SIGNIN='{"event":"load-test-event","consent_location":true,"location":{"lat":30.52,"lon":114.36,"accuracy_m":20}}'
PAGE=/life/intern-organisational-life/
[ -f "$WORK/public$PAGE/index.html" ] || { echo "no page $PAGE in the built site" >&2; exit 1; }

summary() { # FILE NAME
  python3 - "$1" "$2" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
s, p = r["summary"], r["latencyPercentiles"]
codes = r.get("statusCodeDistribution", {})
print(f"| {sys.argv[2]} | {s['requestsPerSec']:.0f} | {p['p50']*1000:.2f} | {p['p99']*1000:.2f} | {codes} |")
PY
}
N=0
load() { # NAME URL oha-args...
  local name=$1 url=$2; shift 2
  N=$((N + 1))
  oha --no-tui -z "$DURATION" --output-format json "$@" "$url" > "$WORK/oha-$N.json"
  summary "$WORK/oha-$N.json" "$name"
}

echo "## zhibu run against nginx on $(nproc) cores ($(date -u +%Y-%m-%d), zhibu $(git rev-parse --short HEAD))"
echo
echo "zhibu run's start (build + compression): ${STARTUP:-?}"
echo
echo "| run | req/s | p50 ms | p99 ms | status codes |"
echo "|---|--:|--:|--:|---|"
GZ=(-H 'Accept-Encoding: gzip, br')
load "zhibu: home page, flat out, c=$CONNECTIONS" "$BASE/" -c "$CONNECTIONS" "${GZ[@]}"
load "nginx: home page, flat out, c=$CONNECTIONS" "http://127.0.0.1:$NPORT/" -c "$CONNECTIONS" "${GZ[@]}"
load "zhibu: a notice, flat out" "$BASE$PAGE" -c "$CONNECTIONS" "${GZ[@]}"
load "nginx: a notice, flat out" "http://127.0.0.1:$NPORT$PAGE" -c "$CONNECTIONS" "${GZ[@]}"
load "zhibu: site.css, flat out" "$BASE/css/site.css" -c "$CONNECTIONS" "${GZ[@]}"
load "nginx: site.css, flat out" "http://127.0.0.1:$NPORT/css/site.css" -c "$CONNECTIONS" "${GZ[@]}"
load "zhibu: 304 revalidation" "$BASE/" -c "$CONNECTIONS" -H "If-None-Match: $(curl -s -D- -o /dev/null "$BASE/" | tr -d '\r' | sed -n 's/^etag: //p')"

# The API at a fixed rate while static pages are fetched flat out.
oha --no-tui -z "$DURATION" -c 20 "${GZ[@]}" --output-format json "$BASE$PAGE" > "$WORK/static-mixed.json" &
LOADPID=$!
load "zhibu: sign-ins at ${RATE}/s with static traffic" "$BASE/api/signins" -c 200 -q "$RATE" -m POST \
  -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' -d "$SIGNIN"
wait "$LOADPID" || true
LOADPID=
summary "$WORK/static-mixed.json" "zhibu: the static traffic beside it (c=20)"
echo

# Memory after a long mixed load: sign-ins at 200/s and pages at 500/s.
if [ "$MEMORY_MINUTES" -gt 0 ]; then
  rss() { awk '/VmRSS/ {print int($2/1024)}' "/proc/$ZPID/status"; }
  BEFORE=$(rss)
  oha --no-tui -z "${MEMORY_MINUTES}m" -c 20 -q 500 "${GZ[@]}" --output-format json "$BASE$PAGE" > "$WORK/soak-static.json" &
  LOADPID=$!
  oha --no-tui -z "${MEMORY_MINUTES}m" -c 20 -q 200 -m POST -H "Authorization: Bearer $TOKEN" \
    -H 'Content-Type: application/json' -d "$SIGNIN" --output-format json "$BASE/api/signins" > "$WORK/soak-api.json"
  wait "$LOADPID" || true
  LOADPID=
  echo "Memory (RSS) of zhibu run: ${BEFORE} MB after start, $(rss) MB after ${MEMORY_MINUTES} minutes of 500 pages/s and 200 sign-ins/s"
  echo
fi

# A store with SIGNINS sign-ins and PHOTOS photos (copies, each a photo and a thumbnail of
# realistic sizes), written straight into SQLite and the photo folder while the server is stopped.
kill "$ZPID"; wait "$ZPID" 2>/dev/null || true
python3 - "$WORK/data" "$SIGNINS" "$PHOTOS" <<'PY'
import json, os, sqlite3, sys, uuid
data, signins, photos = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
db = sqlite3.connect(os.path.join(data, "zhibu.sqlite"))
role, profile, code = db.execute("SELECT role, profile, code_hash FROM members LIMIT 1").fetchone()
members = 1000
db.executemany("INSERT OR IGNORE INTO members (id, name, role, profile, code_hash, roster_order) VALUES (?,?,?,?,?,?)",
               [(f"s{i:04d}", f"成员{i}", role, profile, code, 100 + i) for i in range(members)])
events = max(1, signins // members)
loc = json.dumps({"lat": 30.52, "lon": 114.36, "accuracy_m": 1000.0, "within_geofence": None})
db.executemany("INSERT OR IGNORE INTO signins (event, member_id, at, location) VALUES (?,?,?,?)",
               [(f"event-{e:03d}", f"s{i:04d}", "2026-10-01T19:30:00+08:00", loc) for e in range(events) for i in range(members)])
rows = []
blobs = os.path.join(data, "blobs")
photo = os.urandom(150_000)
thumb = os.urandom(12_000)
for n in range(photos):
    member, day = f"s{n // 100:04d}", n % 100 + 1
    stem = f"copies/constitution-100/{member}/{day}-{uuid.uuid4().hex}"
    for key, body in ((stem + ".jpg", photo), (stem + "-thumb.jpg", thumb)):
        path = os.path.join(blobs, key)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as f:
            f.write(body)
    rows.append(("constitution-100", member, day, stem + ".jpg", stem + "-thumb.jpg", 1200, 1600, len(photo), "2026-10-01T21:00:00+08:00"))
db.executemany("INSERT OR IGNORE INTO copies VALUES (?,?,?,?,?,?,?,?,?)", rows)
db.commit()
PY
start_zhibu
oha --no-tui -z 10m -c 20 -q 500 "${GZ[@]}" --output-format json "$BASE$PAGE" > "$WORK/backup-static.json" &
LOADPID=$!
oha --no-tui -z 10m -c 20 -q 200 -m POST -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
  -d '{"page":"/notices/load-test/","body":"备份期间提交的一条学习心得，内容足够长。"}' --output-format json "$BASE/api/notes" > /dev/null 2>&1 &
API_PID=$!
sleep 2
START=$(date +%s.%N)
"$ZHIBU" admin backup --data "$WORK/data" --to "$WORK/backup" > "$WORK/backup.out" 2> "$WORK/backup.err"
END=$(date +%s.%N)
kill "$LOADPID" "$API_PID" 2>/dev/null || true; wait "$LOADPID" "$API_PID" 2>/dev/null || true; LOADPID=
VSTART=$(date +%s.%N)
"$ZHIBU" admin verify "$WORK/backup" > "$WORK/verify.out" 2>&1
VEND=$(date +%s.%N)
echo "Backup under load (500 pages/s and notes being posted): $(python3 -c "print(f'{$END - $START:.1f}')") s for $(cat "$WORK/backup.out");" \
  "$(du -sh "$WORK/backup" | cut -f1) on disk; verify $(python3 -c "print(f'{$VEND - $VSTART:.1f}')") s"
