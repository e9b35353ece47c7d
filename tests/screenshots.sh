#!/usr/bin/env bash
# Screenshots of the real site as a phone (390×844) and a laptop (1366×900) see it, taken with
# headless Chromium into target/screenshots/. Look at them after every theme change.
#
#   bash tests/screenshots.sh            # all pages below
#   bash tests/screenshots.sh /guide/    # only the given paths
#   SIZES="390,3000 1366,2400" bash tests/screenshots.sh /   # taller windows, to see whole pages
#
# The site is built with the local origin as base_url into a temporary folder and served with
# python3's http.server on 127.0.0.1 (nothing leaves the machine); the server is stopped on exit.
set -euo pipefail
cd "$(dirname "$0")/.."

PORT="${PORT:-8137}"
OUT="target/screenshots"
read -r -a SIZES <<<"${SIZES:-390,844 1366,900}"
if [ "$#" -gt 0 ]; then
  PAGES=("$@")
else
  PAGES=(
    "/"
    "/notices/"
    "/school/basics/"
    "/theory/branch-work-regulations/"
    "/campaigns/constitution-100/"
    "/campaigns/quiz/"
  )
fi

# Chromium, and the Chinese fonts the pages ask for (without them Chromium draws Chinese in
# whatever font it finds, and the screenshots do not show what readers see). Installed once.
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
fc-list 2>/dev/null | grep -q "Noto Sans CJK SC" || missing+=(fonts-noto-cjk)
if [ "${#missing[@]}" -gt 0 ]; then
  echo "installing ${missing[*]} with apt-get" >&2
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq && $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

SITE="$(mktemp -d)"
PROFILE="$(mktemp -d)"
SERVER=""
cleanup() {
  if [ -n "$SERVER" ]; then kill "$SERVER" 2>/dev/null || true; fi
  rm -rf "$SITE" "$PROFILE"
}
trap cleanup EXIT

cargo build --quiet
./target/debug/zhibu build --base-url "http://127.0.0.1:$PORT" --output "$SITE" >/dev/null 2>&1 \
  || { ./target/debug/zhibu build --base-url "http://127.0.0.1:$PORT" --output "$SITE"; exit 1; }

python3 -m http.server "$PORT" --bind 127.0.0.1 --directory "$SITE" >/dev/null 2>&1 &
SERVER=$!
for _ in $(seq 1 50); do
  if python3 - "$PORT" <<'EOF' 2>/dev/null; then break; fi
import sys, urllib.request
urllib.request.urlopen(f"http://127.0.0.1:{sys.argv[1]}/", timeout=1)
EOF
  sleep 0.1
done

mkdir -p "$OUT"
for path in "${PAGES[@]}"; do
  name="$(printf '%s' "$path" | sed -e 's#^/##' -e 's#/$##' -e 's#/#-#g')"
  name="${name:-home}"
  for size in "${SIZES[@]}"; do
    file="$OUT/${name}-${size/,/x}.png"
    chromium --headless --no-sandbox --disable-gpu --disable-background-networking \
      --disable-component-update --disable-sync --no-first-run --hide-scrollbars \
      --user-data-dir="$PROFILE" --window-size="$size" --screenshot="$file" \
      "http://127.0.0.1:$PORT$path" >/dev/null 2>&1
    echo "$file"
  done
done
