#!/usr/bin/env bash
# Build Zola sites with Zola and with zhibu and compare the outputs.
#
# Usage: bash bench/zola_compare.sh ZOLA_BIN ZHIBU_BIN SITE_DIR...
#
#   ZOLA_BIN   path to a zola binary, or "-" to skip Zola (zhibu-only run)
#   ZHIBU_BIN  path to a zhibu binary
#   SITE_DIR   a Zola site (a folder with config.toml or zola.toml and content/)
#
# Environment:
#   ZC_OUT      folder for the per-site detail files (default: ./zola-compare-out)
#   ZC_TIMEOUT  seconds allowed for one build (default: 300)
#   ZC_KEEP=1   keep the temporary copies and outputs (printed on stderr)
# After the per-site table comes a table of zhibu's problems grouped by class.
#
# Each site is copied twice into a temporary folder (one copy per tool, so that
# neither sees the other's caches or outputs), then built with
#   zola --root COPY_A build --output-dir OUT_A
#   zhibu build --root COPY_B --output OUT_B --quiet
# The Markdown table goes to stdout; ZC_OUT/<site>.md lists, per site, the
# URLs only one tool wrote, the first HTML pages whose content differs after
# normalising whitespace (and `&#x2F;`/`&#x27;`, Tera's escapes of `/` and `'`),
# and the tail of each tool's log.
# Needs only bash, coreutils and python3; fetches nothing.
set -u

if [ $# -lt 3 ]; then
    sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//' >&2
    exit 2
fi

ZOLA=$1; ZHIBU=$2; shift 2
OUT=${ZC_OUT:-./zola-compare-out}
TIMEOUT=${ZC_TIMEOUT:-300}
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
if [ "$ZOLA" != "-" ]; then ZOLA=$(realpath "$ZOLA"); fi
ZHIBU=$(realpath "$ZHIBU")

TMP=$(mktemp -d "${TMPDIR:-/tmp}/zola-compare.XXXXXX")
if [ "${ZC_KEEP:-0}" = 1 ]; then
    echo "keeping $TMP" >&2
else
    trap 'rm -rf "$TMP"' EXIT
fi

now() { date +%s.%N; }

# run_build LOG CMD... : runs CMD with a timeout, writes "rc seconds" to stdout
run_build() {
    local log=$1; shift
    local t0 t1 rc
    t0=$(now)
    timeout "$TIMEOUT" "$@" >"$log" 2>&1
    rc=$?
    t1=$(now)
    echo "$rc $(python3 -c "print(f'{$t1-$t0:.2f}')")"
}

echo "| site | zola builds | zola s | zhibu builds | zhibu s | URLs only in Zola | URLs only in zhibu | URLs in both | HTML pages differing |"
echo "|---|---|---|---|---|---|---|---|---|"

for site in "$@"; do
    site=${site%/}
    name=$(basename "$site")
    w="$TMP/$name"
    mkdir -p "$w"
    cp -a "$site" "$w/src-zola"
    cp -a "$site" "$w/src-zhibu"
    # Drop any output a site ships, so stale files do not count.
    rm -rf "$w/src-zola/public" "$w/src-zhibu/public"
    rm -f "$OUT/$name.problems.txt"

    if [ "$ZOLA" != "-" ]; then
        read -r zrc zt < <(cd "$w/src-zola" && run_build "$w/zola.log" "$ZOLA" --root "$w/src-zola" build --output-dir "$w/out-zola")
    else
        zrc=skip; zt=-
    fi
    read -r hrc ht < <(cd "$w/src-zhibu" && run_build "$w/zhibu.log" "$ZHIBU" build --root "$w/src-zhibu" --output "$w/out-zhibu" --quiet)

    python3 - "$name" "$w" "$zrc" "$zt" "$hrc" "$ht" "$OUT/$name.md" <<'PY'
import os, re, sys

name, w, zrc, zt, hrc, ht, detail = sys.argv[1:8]

def first_error(log):
    try:
        lines = open(log, encoding="utf-8", errors="replace").read().splitlines()
    except OSError:
        return ""
    strip = re.compile(r"\x1b\[[0-9;]*m")
    lines = [strip.sub("", l).strip() for l in lines]
    lines = [l for l in lines if l]
    # Zola: "ERROR Failed to build the site" then deeper "ERROR Reason: ..." lines;
    # the last ERROR line is the cause. A TOML error names the field a few lines on.
    errs = [i for i, l in enumerate(lines) if l.startswith("ERROR")]
    if errs:
        i = errs[-1]
        l = lines[i]
        if "TOML parse error" in l:
            rest = [x for x in lines[i + 1 :] if not re.match(r"^\d*\s*\|", x)]
            if rest:
                l += ": " + rest[0]
        return l
    for i, l in enumerate(lines):
        if "panicked at" in l and i + 1 < len(lines):
            return l + " " + lines[i + 1]
    for i, l in enumerate(lines):
        if re.search(r"\berror\b|\bError\b|ERROR|failed|Failed|panicked", l):
            # "Error: the site has 3 problems:" / "Error: Failed to build the site" -> add the next line
            if i + 1 < len(lines) and (l.endswith(":") or len(l) < 40):
                return l + " " + lines[i + 1]
            return l
    return lines[0] if lines else ""

def cell(s, n=160):
    s = s.replace("|", "\\|").replace("`", "'")
    return s if len(s) <= n else s[: n - 1] + "…"

def urls(root):
    out = {}
    if not os.path.isdir(root):
        return out
    for d, _, files in os.walk(root):
        for f in files:
            p = os.path.relpath(os.path.join(d, f), root).replace(os.sep, "/")
            if p == "index.html":
                u = "/"
            elif p.endswith("/index.html"):
                u = "/" + p[: -len("index.html")]
            else:
                u = "/" + p
            out[u] = os.path.join(d, f)
    return out

def norm(path):
    s = open(path, "rb").read().decode("utf-8", errors="replace")
    # Tera's escaping writes `/` and `'` as character references; an HTML parser reads the same
    # text either way, so they are compared as the characters.
    s = s.replace("&#x2F;", "/").replace("&#x27;", "'").replace("&#39;", "'")
    s = re.sub(r">\s+<", "><", s)
    s = re.sub(r"\s+", " ", s)
    return s.strip()

def status(rc):
    if rc == "skip":
        return "not run"
    if rc == "0":
        return "yes"
    if rc == "124":
        return "no (timeout)"
    return "no"

z_ok, h_ok = zrc == "0", hrc == "0"
zs = status(zrc)
hs = status(hrc)
if not z_ok and zrc != "skip":
    zs += ": " + cell(first_error(os.path.join(w, "zola.log")))
if not h_ok:
    hs += ": " + cell(first_error(os.path.join(w, "zhibu.log")))

only_z = only_h = both = []
diff = []
if z_ok and h_ok:
    zu, hu = urls(os.path.join(w, "out-zola")), urls(os.path.join(w, "out-zhibu"))
    only_z = sorted(set(zu) - set(hu))
    only_h = sorted(set(hu) - set(zu))
    both = sorted(set(zu) & set(hu))
    for u in both:
        if zu[u].endswith((".html", ".htm")) and norm(zu[u]) != norm(hu[u]):
            diff.append(u)
    n_html = sum(1 for u in both if zu[u].endswith((".html", ".htm")))
    cols = [str(len(only_z)), str(len(only_h)), str(len(both)), f"{len(diff)} / {n_html}"]
else:
    cols = ["-", "-", "-", "-"]

print("| " + " | ".join([name, zs, zt, hs, ht] + cols) + " |")

def tail(log, n=40):
    try:
        lines = open(log, encoding="utf-8", errors="replace").read().splitlines()
    except OSError:
        return ["(no log)"]
    return [re.sub(r"\x1b\[[0-9;]*m", "", l) for l in lines[-n:]]

def first_difference(a, b, ctx=100):
    x, y = norm(a), norm(b)
    i = 0
    m = min(len(x), len(y))
    while i < m and x[i] == y[i]:
        i += 1
    s = max(0, i - 40)
    return x[s : i + ctx], y[s : i + ctx]

LIMIT = 30
with open(detail, "w", encoding="utf-8") as f:
    f.write(f"# {name}\n\n")
    f.write(f"- zola: {zs} ({zt} s)\n- zhibu: {hs} ({ht} s)\n\n")
    if z_ok and h_ok:
        for title, lst in (("URLs only in Zola", only_z), ("URLs only in zhibu", only_h), ("HTML pages differing", diff)):
            f.write(f"## {title} ({len(lst)})\n\n")
            for u in lst[:LIMIT]:
                f.write(f"- `{u}`\n")
            if len(lst) > LIMIT:
                f.write(f"- … {len(lst) - LIMIT} more\n")
            f.write("\n")
        if diff:
            f.write("## First difference in the first differing pages (normalised)\n\n")
            zu, hu = urls(os.path.join(w, "out-zola")), urls(os.path.join(w, "out-zhibu"))
            for u in diff[:5]:
                a, b = first_difference(zu[u], hu[u])
                f.write(f"### `{u}`\n\n```text\nzola : {a}\nzhibu: {b}\n```\n\n")
    if not h_ok:
        try:
            hl = open(os.path.join(w, "zhibu.log"), encoding="utf-8", errors="replace").read().splitlines()
        except OSError:
            hl = []
        probs = [l.strip() for l in hl if re.match(r"\s*\d+\. ", l)]
        with open(detail[:-3] + ".problems.txt", "w", encoding="utf-8") as pf:
            pf.write("".join(re.sub(r"^\d+\. ", "", l) + "\n" for l in probs))
        if probs:
            f.write(f"## zhibu problems ({len(probs)})\n\n")
            for l in probs:
                f.write(f"- {l}\n")
            f.write("\n")
    for tool in ("zola", "zhibu"):
        f.write(f"## {tool} log (tail)\n\n```text\n")
        f.write("\n".join(tail(os.path.join(w, f"{tool}.log"))) + "\n```\n\n")
PY
    if [ "${ZC_KEEP:-0}" != 1 ]; then rm -rf "$w"; fi
done

# Group zhibu's problems across all sites into classes.
python3 - "$OUT" "$@" <<'PY'
import os, re, sys
from collections import defaultdict

out, sites = sys.argv[1], [os.path.basename(s.rstrip("/")) for s in sys.argv[2:]]
RULES = [
    (r"Function '([^']+)' not found", "unknown template function `{0}`"),
    (r"Function call '(\w+)' failed: \w+: the `path` argument", "`{0}(url=...)` (remote data) not supported"),
    (r"must stay inside the site", "`load_data` of a path outside the site (`../`)"),
    (r"data file `https?://", "remote file read by a shortcode (http URL as data path)"),
    (r"unknown setting `([^`]+)`", "unknown config setting `{0}`"),
    (r"unknown (page|section) front matter key `([^`]+)`", "unknown {0} front matter key `{1}`"),
    (r"template syntax error: (.*)", "template syntax error: {0}"),
    (r"needs the template `([^`]+)`", "missing built-in template `{0}`"),
    (r"is inheriting from '([^/']+)/templates/", "theme template inheritance (`THEME/templates/...`)"),
    (r"Template '[^']+' not found|template '[^']+' not found", "template not found"),
    (r"all want the URL", "URL collision (section/page vs taxonomy, or translations with one slug)"),
    (r"taxonomy `[^`]+` is not declared", "taxonomy used but not declared (per-language taxonomies)"),
    (r"code block language `([^`]+)` is not known", "unknown code block language `{0}`"),
    (r"broken anchor", "broken anchor (heading id differs or not checked by Zola)"),
    (r"broken link `@/", "broken internal link `@/...`"),
    (r"broken link", "broken plain link (Zola does not check these by default)"),
    (r"image `[^`]+` does not exist", "missing image (Zola does not check these)"),
]
classes = defaultdict(lambda: [0, set()])
for name in sites:
    p = os.path.join(out, name + ".problems.txt")
    if not os.path.exists(p):
        continue
    for line in open(p, encoding="utf-8"):
        line = line.strip()
        for rx, fmt in RULES:
            m = re.search(rx, line)
            if m:
                key = fmt.format(*m.groups())
                break
        else:
            key = "other: " + re.sub(r"^[^ ]+:\d+: ", "", line)[:90]
        classes[key][0] += 1
        classes[key][1].add(name)
if classes:
    print()
    print("| zhibu problem class | problems | sites |")
    print("|---|---|---|")
    for key, (n, ss) in sorted(classes.items(), key=lambda kv: (-len(kv[1][1]), -kv[1][0])):
        print(f"| {key.replace('|', '/')} | {n} | {', '.join(sorted(ss))} |")
PY
