#!/usr/bin/env bash
# Sustained load on the embedded store: `zhibu serve` (release build) with SQLite and photos on
# disk takes 10 minutes of mixed traffic from 200 members, then the exact counts are checked —
# every accepted submission stored once, nothing refused stored, every replay identical — and the
# server's memory must stay flat. The driver is bench/soak.py (Python 3.11+, standard library).
#
#   bash bench/soak.sh                      # 600 s at 50 requests/s, 200 members
#   SOAK_SECONDS=60 bash bench/soak.sh      # a short run
#
# Variables: SOAK_SECONDS (600), SOAK_RATE (requests/s of all kinds, 50), SOAK_MEMBERS (200),
# SOAK_WORKERS (connections, 16), SOAK_SEED (1), SOAK_SITE (the site copied for the run: this
# repository's by default), SOAK_KEEP=1 keeps the work folder (its path is printed).
# Exit status: 0 when every check passed.
set -euo pipefail
cd "$(dirname "$0")/.."

SECONDS_TOTAL=${SOAK_SECONDS:-600}
RATE=${SOAK_RATE:-50}
MEMBERS=${SOAK_MEMBERS:-200}
WORKERS=${SOAK_WORKERS:-16}
SEED=${SOAK_SEED:-1}
SITE=${SOAK_SITE:-.}
OPEN_DAYS=5
WORK=$(mktemp -d "${TMPDIR:-/tmp}/zhibu-soak.XXXXXX")
cleanup() {
  if [ -n "${SERVER_PID:-}" ]; then
    kill "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  if [ "${SOAK_KEEP:-0}" = 1 ]; then echo "work folder kept: $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
unset ZHIBU_STORE ZHIBU_BLOBS ZHIBU_TOKEN_SECRET

echo "building zhibu (release)..."
cargo build --release --locked -q
ZHIBU=$WORK/zhibu
cp target/release/zhibu "$ZHIBU" # a copy, so a rebuild during the run cannot touch it

# The site: a copy of the branch's own, plus a page that opens an event for the whole run and a
# campaign that started a few days ago (so days 1..OPEN_DAYS take photos and the next refuses).
mkdir -p "$WORK/site"
for item in config.toml content themes static data templates; do
  if [ -e "$SITE/$item" ]; then cp -r "$SITE/$item" "$WORK/site/"; fi
done
python3 - "$WORK/site/content/soak.md" "$SECONDS_TOTAL" "$OPEN_DAYS" <<'PY'
import datetime, sys
path, seconds, open_days = sys.argv[1], float(sys.argv[2]), int(sys.argv[3])
china = datetime.timezone(datetime.timedelta(hours=8))
now = datetime.datetime.now(china).replace(microsecond=0)
opens = now - datetime.timedelta(hours=1)
closes = now + datetime.timedelta(seconds=seconds + 3 * 3600)
starts = now.date() - datetime.timedelta(days=open_days - 1)
open(path, "w", encoding="utf-8").write(f"""+++
title = "压力测试：组织生活与手抄党章"
description = "bench/soak.sh 生成的页面。"
[extra.signin]
event = "soak-event"
opens = {opens.isoformat()}
closes = {closes.isoformat()}
[extra.campaign]
id = "soak-campaign"
starts = {starts.isoformat()}
days = 30
+++
{{{{ signin(event="soak-event") }}}}

{{{{ copy_upload(campaign="soak-campaign") }}}}

{{{{ note_form() }}}}
""")
PY

# The pages to read: everything the build writes that a browser would ask for.
"$ZHIBU" build --root "$WORK/site" --output "$WORK/public" --base-url http://127.0.0.1 > /dev/null
(cd "$WORK/public" && find . -type f \( -name '*.html' -o -name '*.css' -o -name '*.js' -o -name '*.xml' \) \
  ! -name 'zhibu-catalog.json' | sed -e 's|^\.||' -e 's|/index\.html$|/|' | sort) > "$WORK/pages.txt"
echo "site: $(wc -l < "$WORK/pages.txt") pages and assets to read"

# The roster: MEMBERS members and one admin (for the checks through the admin API).
{
  echo "id,name,role"
  for i in $(seq 1 "$MEMBERS"); do printf 's%04d,成员%d,member\n' "$i" "$i"; done
  echo "soak-admin,书记,admin"
} > "$WORK/roster.csv"
"$ZHIBU" members import "$WORK/roster.csv" --codes "$WORK/codes.csv" --data "$WORK/data" > /dev/null

"$ZHIBU" serve --root "$WORK/site" --data "$WORK/data" --port 0 > "$WORK/serve.out" 2> "$WORK/serve.err" &
SERVER_PID=$!
for _ in $(seq 300); do grep -q 'Serving .* on http' "$WORK/serve.out" 2>/dev/null && break; sleep 0.1; done
BASE=$(grep -o 'on http://[0-9.:]*' "$WORK/serve.out" | head -1 | cut -c4-)
if [ -z "$BASE" ]; then
  echo "zhibu serve did not start:" >&2
  cat "$WORK/serve.out" "$WORK/serve.err" >&2
  exit 1
fi
echo "serving on $BASE (pid $SERVER_PID); $SECONDS_TOTAL s at $RATE requests/s"

status=0
python3 bench/soak.py --base "$BASE" --pid "$SERVER_PID" --data "$WORK/data" --codes "$WORK/codes.csv" \
  --admin soak-admin --event soak-event --campaign soak-campaign --open-days "$OPEN_DAYS" \
  --note-page /soak/ --pages "$WORK/pages.txt" --seconds "$SECONDS_TOTAL" --rate "$RATE" \
  --workers "$WORKERS" --seed "$SEED" --report "$WORK/report.json" || status=$?

if ! kill -0 "$SERVER_PID" 2>/dev/null; then
  echo "FAIL  the server is no longer running" >&2
  status=1
fi
if grep -qiE 'panic|internal error' "$WORK/serve.err"; then
  echo "FAIL  the server logged a panic or an internal error:" >&2
  grep -iE 'panic|internal error' "$WORK/serve.err" | head -5 >&2
  status=1
fi
exit "$status"
