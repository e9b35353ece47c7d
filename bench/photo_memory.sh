#!/usr/bin/env bash
# Benchmark: peak memory of processing one upload (`photos::process`: headers, budget, decode,
# downscale, re-encode), per input, and of parallel uploads. Linux only (/proc).
#
#   bash bench/photo_memory.sh                  # dev build (shares the tests' artifacts)
#   PROFILE=release bash bench/photo_memory.sh  # release build
#   COPIES=16 bash bench/photo_memory.sh        # 16 parallel uploads instead of 8
#   WORK=/tmp/inputs bash bench/photo_memory.sh  # keep the inputs there (else a removed temp dir)
#
# The inputs (written by `photo_bench inputs`, made by functions/tests/suite/crafted.rs) are ordinary
# photos and files that are small on the wire but large once decoded: a 12-megapixel phone JPEG,
# a 3999×3999 JPEG, the largest accepted JPEG (8000×5000), a 16-bit RGBA PNG of exactly the
# decode budget (4096×4096), a 235 KB progressive 40-megapixel JPEG, a 308 KB 6300×6300 16-bit
# RGBA PNG, a 2 MB PNG whose iCCP profile inflates to 2 GiB, and a 18 KB lossless 40-megapixel
# WebP. Each row is a fresh process: it reads the file, resets its peak resident set, processes
# the file COPIES times at once (one thread each) and reports how far its resident set rose
# ("rise MiB") — what one upload costs the server beyond the upload itself. "max RSS MiB" is the
# whole process's peak from /usr/bin/time, startup and the file included.
#
# Parallel rows run twice: with glibc's defaults, and with its mmap threshold fixed
# (MALLOC_MMAP_THRESHOLD_=1048576), which shows what is allocated at once; by default each thread's
# arena also keeps freed buffers below glibc's dynamic threshold, so the peak grows with the
# number of threads (up to glibc's arena limit) although only photos::DECODE_SLOTS decode at once.
# Memory does not depend on the build profile; for time per photo, see bench/photo.sh.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
PROFILE=${PROFILE:-dev}
COPIES=${COPIES:-8}
if [ -z "${WORK:-}" ]; then
    WORK=$(mktemp -d /tmp/zhibu-photo-memory.XXXXXX)
    trap 'rm -rf "$WORK"' EXIT
fi

if [ "$PROFILE" = release ]; then
    cargo build --release -p zhibu-functions --example photo_bench
    BIN=target/release/examples/photo_bench
else
    cargo build --workspace --all-features --examples
    BIN=target/debug/examples/photo_bench
fi

echo "inputs in $WORK:"
"$BIN" inputs "$WORK" | sed 's/^/  /'
echo

TIME=()
if [ -x /usr/bin/time ]; then
    TIME=(/usr/bin/time -f '%M' -o "$WORK/time.txt")
fi

row() { # row LABEL FILE COPIES [ENV...]
    local label=$1 file=$2 copies=$3
    shift 3
    local line max=""
    line=$(env "$@" "${TIME[@]}" "$BIN" peak "$WORK/$file" "$copies")
    if [ ${#TIME[@]} -gt 0 ]; then
        max=$(awk '{ printf "%.1f", $1 / 1024 }' "$WORK/time.txt")
    fi
    # peak prints: file copies accepted refused busy before peak rise reason
    IFS=$'\t' read -r _ _ accepted refused busy _ _ rise reason <<<"$line"
    printf '%-22s %9s %6s %8s %7s %4s %9s %11s  %s\n' \
        "$file" "$(stat -c %s "$WORK/$file")" "$label" "$accepted" "$refused" "$busy" "$rise" "$max" "$reason"
}

printf '%-22s %9s %6s %8s %7s %4s %9s %11s  %s\n' \
    input bytes copies accepted refused busy "rise MiB" "max RSS MiB" "refused because"
for file in phone-12mp.jpg square-16mp.jpg photo-40mp.jpg rgba16-4096.png progressive-40mp.jpg \
    rgba16-6300.png iccp-2gib.png lossless-40mp.webp; do
    row 1 "$file" 1
done
for file in phone-12mp.jpg photo-40mp.jpg rgba16-6300.png iccp-2gib.png; do
    row "$COPIES" "$file" "$COPIES"
done
for file in phone-12mp.jpg photo-40mp.jpg; do
    row "${COPIES}*" "$file" "$COPIES" MALLOC_MMAP_THRESHOLD_=1048576
done
echo "(* with MALLOC_MMAP_THRESHOLD_=1048576: what is allocated at once, without glibc's arena caching)"
