#!/usr/bin/env bash
# Site search benchmark: zhibu's static index (generator/src/search/, search.js) against
# Pagefind on the same output, on the branch's site and on generated sites of N pages.
#
#   bash bench/search.sh                      # the branch's site, N = 1000 and 10000
#   SIZES="1000" RUNS=3 bash bench/search.sh
#
# Environment:
#   SIZES     generated site sizes                     (default "1000 10000")
#   RUNS      timed builds per variant (hyperfine)     (default 5)
#   WORK      scratch folder                           (default /dev/shm/zhibu-search-bench)
#   PAGEFIND  Pagefind's npm version                   (default 1.6.0)
#   BROWSER   set to 0 to skip the Chromium part (sizes and build times only)
#   ZHIBU     a zhibu binary to use instead of building one (cargo build --release)
#
# Measures, per site: the index on disk (files, bytes, gzipped bytes) for zhibu and Pagefind;
# the time indexing adds to `zhibu build` (hyperfine, build with build_search_index on and
# off); and with bench/search_bench.mjs, in headless Chromium throttled to 3G (1.6 Mbit/s,
# 300 ms): bytes and round trips of a first and a later query, time to results, and recall and
# precision per query class (bench/search_queries.json for the branch's site,
# bench/search_queries_generated.json for the generated ones). Writes bench/search-results.md
# and the raw JSON beside it in WORK.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
SIZES=${SIZES:-"1000 10000"}
RUNS=${RUNS:-5}
WORK=${WORK:-/dev/shm/zhibu-search-bench}
PAGEFIND=${PAGEFIND:-1.6.0}
BROWSER=${BROWSER:-1}
PORT=8765
SEED=20261125

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
die() { printf 'bench: %s\n' "$*" >&2; exit 1; }

command -v hyperfine >/dev/null || { say "apt-get install hyperfine"; apt-get install -y -qq hyperfine >/dev/null; }
command -v node >/dev/null || die "node (20 or newer) is needed"
mkdir -p "$WORK"
if [ ! -x "$WORK/npm/node_modules/.bin/pagefind" ] || [ "$("$WORK/npm/node_modules/.bin/pagefind" --version)" != "pagefind $PAGEFIND" ]; then
    say "npm install pagefind@$PAGEFIND"
    mkdir -p "$WORK/npm"
    (cd "$WORK/npm" && npm install --no-audit --no-fund --silent "pagefind@$PAGEFIND" >/dev/null)
fi
PF="$WORK/npm/node_modules/.bin/pagefind"
if [ "$BROWSER" = 1 ] && [ ! -f "$ROOT/tests/browser/node_modules/playwright-core/package.json" ]; then
    (cd "$ROOT/tests/browser" && npm ci --silent)
fi

if [ -z "${ZHIBU:-}" ]; then
    say "cargo build --release"
    (cd "$ROOT" && cargo build --release --quiet -p zhibu)
    ZHIBU=$ROOT/target/release/zhibu
fi
# Benchmark a copy, so that a rebuild of target/ during the run cannot swap the binary mid-way.
cp "$ZHIBU" "$WORK/zhibu"
ZHIBU=$WORK/zhibu
REV=$(cd "$ROOT" && git rev-parse --short HEAD 2>/dev/null || echo unknown)
[ -n "$(cd "$ROOT" && git status --porcelain --untracked-files=no -- generator themes 2>/dev/null)" ] && REV="$REV+uncommitted changes"

# --- sites: NAME → WORK/site-NAME (search on) and WORK/site-NAME-off (search off) ------------
prepare_branch() {
    local dir=$WORK/site-branch
    rm -rf "$dir" && mkdir -p "$dir"
    cp -r "$ROOT/config.toml" "$ROOT/content" "$ROOT/themes" "$ROOT/static" "$ROOT/data" "$dir/"
    grep -q '^build_search_index = true' "$dir/config.toml" || die "config.toml does not switch search on"
}
prepare_generated() { # N
    local n=$1 dir=$WORK/site-gen-$1
    if [ "$(cat "$dir/.stamp" 2>/dev/null)" != "$n $SEED" ]; then
        say "generating a site of $n pages"
        rm -rf "$dir"
        python3 "$HERE/gen_site.py" --pages "$n" --out "$dir" --layout zhibu --seed "$SEED" >/dev/null
        echo "$n $SEED" > "$dir/.stamp"
    fi
    sed -i '/^build_search_index/d' "$dir/config.toml"
    sed -i '1i build_search_index = true' "$dir/config.toml"
    # The search page, as the branch's theme has it (templates/search.html, js/search.js).
    mkdir -p "$dir/static/js"
    cp "$ROOT/themes/zhibu/static/js/search.js" "$dir/static/js/search.js"
    cat > "$dir/templates/search.html" <<'EOF'
{% extends "base.html" %}
{% block content %}
<h1>{{ page.title }}</h1>
<form role="search" action="{{ page.permalink | safe }}"><input id="search-q" type="search" name="q"><button>搜索</button></form>
<p id="search-status" role="status"></p><ol id="search-results"></ol><div id="search-more"></div>
<script src="{{ get_url(path='js/search.js') | safe }}" defer></script>
{% endblock content %}
EOF
    printf '+++\ntitle = "站内搜索"\npath = "search"\ntemplate = "search.html"\n+++\n' > "$dir/content/search.md"
}
off_copy() { # NAME: a copy with search off
    rm -rf "$WORK/site-$1-off"
    cp -r "$WORK/site-$1" "$WORK/site-$1-off"
    sed -i 's/^build_search_index = true/build_search_index = false/' "$WORK/site-$1-off/config.toml"
}

# --- one site -----------------------------------------------------------------------------------
gz_size() { # total gzipped bytes of the files under DIR (.gz files as they are)
    find "$1" -type f -print0 | while IFS= read -r -d '' f; do
        case "$f" in *.gz|*.pf_*) stat -c %s "$f" ;; *) gzip -6 -c "$f" | wc -c ;; esac
    done | awk '{s+=$1} END {print s+0}'
}
measure() { # NAME QUERIES ROOT_SELECTOR
    local name=$1 queries=$2 selector=$3 site=$WORK/site-$1 out=$WORK/out-$1
    say "$name: building"
    rm -rf "$out"
    "$ZHIBU" build --root "$site" --output "$out" --catalog "$WORK/catalog-$name.json" --base-url "http://127.0.0.1:$PORT" -q
    local pages
    pages=$(python3 -c "import json;print(json.load(open('$out/search/meta.json'))['n'])")
    say "$name: timing builds with and without the index ($RUNS runs each)"
    hyperfine --style none --warmup 1 --runs "$RUNS" --export-json "$WORK/build-$name.json" \
        -n on "$ZHIBU build --root $site --output $WORK/tmp-on-$name --catalog $WORK/cat-on.json -q" \
        -n off "$ZHIBU build --root $site-off --output $WORK/tmp-off-$name --catalog $WORK/cat-off.json -q" >/dev/null
    say "$name: Pagefind $PAGEFIND"
    local pf_start pf_end
    pf_start=$(date +%s.%N)
    "$PF" --site "$out" --root-selector "$selector" --force-language zh-cn >"$WORK/pagefind-$name.log" 2>&1 || { cat "$WORK/pagefind-$name.log"; die "pagefind failed"; }
    pf_end=$(date +%s.%N)
    local row
    row=$(python3 - "$WORK/build-$name.json" <<PY
import json, sys
r = {x["command"]: x for x in json.load(open(sys.argv[1]))["results"]}
on, off = r["on"]["median"], r["off"]["median"]
print(f"{on:.3f}|{off:.3f}|{on - off:.3f}|{100 * (on - off) / off:.1f}")
PY
)
    local zfiles zbytes zgz pfiles pbytes pgz
    zfiles=$(find "$out/search" -type f | wc -l); zbytes=$(du -sb "$out/search" | cut -f1); zgz=$(gz_size "$out/search")
    pfiles=$(find "$out/pagefind" -type f | wc -l); pbytes=$(du -sb "$out/pagefind" | cut -f1); pgz=$(gz_size "$out/pagefind")
    echo "| $name | $pages | ${row//|/ | } | $zfiles | $zbytes | $zgz | $pfiles | $pbytes | $pgz | $(printf '%.1f' "$(echo "$pf_end - $pf_start" | bc)") |" >> "$WORK/sizes.md"
    if [ "$BROWSER" = 1 ]; then
        say "$name: queries in Chromium (3G)"
        node "$HERE/search_bench.mjs" "$out" "$queries" --pagefind --port=$PORT > "$WORK/queries-$name.json"
    fi
}

: > "$WORK/sizes.md"
prepare_branch; off_copy branch
measure branch "$HERE/search_queries.json" main
for n in $SIZES; do
    prepare_generated "$n"; off_copy "gen-$n"
    measure "gen-$n" "$HERE/search_queries_generated.json" article
done

# --- the report ---------------------------------------------------------------------------------
python3 - "$WORK" "$HERE/search-results.md" "$REV" "$PAGEFIND" <<'PY'
import json, os, sys, glob, datetime
work, target, rev, pf = sys.argv[1:]
lines = [
    "# Site search: zhibu against Pagefind", "",
    f"{datetime.datetime.utcnow():%Y-%m-%d %H:%M} UTC; {os.cpu_count()} cores; zhibu {rev}; Pagefind {pf}; produced by `bash bench/search.sh`.", "",
    "## Index and build time", "",
    "| site | indexed pages | build with index s | without s | added s | added % | zhibu files | zhibu bytes | zhibu gzipped | Pagefind files | Pagefind bytes | Pagefind gzipped | Pagefind run s |",
    "| :--- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
]
lines += open(os.path.join(work, "sizes.md")).read().splitlines()
for f in sorted(glob.glob(os.path.join(work, "queries-*.json"))):
    d = json.load(open(f))
    name = os.path.basename(f)[8:-5]
    lines += ["", f"## Queries on {name} ({d['queries']} queries, {d['documents']} pages, {d['shards']} shards), Chromium, 3G", "",
              "| tool | first query KB p50 / p95 | round trips p50 / max | later query KB p50 / p95 | first query ms p50 / p95 | later ms p50 / p95 | cached ms p50 / p95 |",
              "| :--- | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for tool in ("zhibu", "pagefind"):
        s = d.get(tool)
        if not s:
            continue
        kb = lambda x: f"{x / 1024:.1f}" if x is not None else "–"
        ms = lambda x: f"{x:.0f}" if x is not None else "–"
        lines.append(f"| {tool} | {kb(s['firstBytes']['p50'])} / {kb(s['firstBytes']['p95'])} | {s['firstTrips']['p50']} / {s['firstTrips']['max']} | "
                     f"{kb(s['laterBytes']['p50'])} / {kb(s['laterBytes']['p95'])} | {ms(s['msFirst']['p50'])} / {ms(s['msFirst']['p95'])} | "
                     f"{ms(s['msLater']['p50'])} / {ms(s['msLater']['p95'])} | {ms(s['msCached']['p50'])} / {ms(s['msCached']['p95'])} |")
    lines += ["", "| class | queries | zhibu recall | zhibu precision | Pagefind recall | Pagefind precision |", "| :--- | ---: | ---: | ---: | ---: | ---: |"]
    z, p = d["zhibu"]["classes"], (d.get("pagefind") or {}).get("classes", {})
    for c in z:
        pc = p.get(c, {})
        f2 = lambda x: f"{100 * x:.0f}%" if x is not None else "–"
        lines.append(f"| {c} | {z[c]['queries']} | {f2(z[c]['recall'])} | {f2(z[c]['precision'])} | {f2(pc.get('recall'))} | {f2(pc.get('precision'))} |")
open(target, "w").write("\n".join(lines) + "\n")
print("\n".join(lines))
PY
