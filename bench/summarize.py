#!/usr/bin/env python3
"""Turns the raw measurements of bench/run.sh into a Markdown table.

    python3 bench/summarize.py WORKDIR N [N ...]

Reads, for each N:
  WORKDIR/hyperfine-N.json           hyperfine --export-json (wall times, command names)
  WORKDIR/time-TOOL-N-RUN.txt        /usr/bin/time -v reports (CPU, peak RSS)
  WORKDIR/files-TOOL-N.txt           number of files the tool wrote (one integer)
and prints the table on stdout. Stdlib only.
"""

from __future__ import annotations

import json
import re
import statistics
import sys
from pathlib import Path

# zhibu and hugo keep their caches between runs (a rebuild); the -fresh runs start without them.
TOOLS = ["zhibu", "hugo", "zhibu-fresh", "hugo-fresh"]


def gnu_time(path: Path) -> dict[str, float]:
    text = path.read_text()

    def field(label: str) -> float:
        m = re.search(rf"^\s*{re.escape(label)}:\s*(\S+)\s*$", text, re.M)
        if not m:
            raise SystemExit(f"{path}: no '{label}' line")
        return float(m.group(1))

    status = field("Exit status")
    if status != 0:
        raise SystemExit(f"{path}: the build exited with status {int(status)}")
    return {
        "cpu": field("User time (seconds)") + field("System time (seconds)"),
        "rss_kib": field("Maximum resident set size (kbytes)"),
    }


def main(argv: list[str]) -> int:
    if len(argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    work = Path(argv[0])
    sizes = [int(n) for n in argv[1:]]
    rows = []
    for n in sizes:
        hf = json.loads((work / f"hyperfine-{n}.json").read_text())
        wall = {r["command"]: r for r in hf["results"]}
        for tool in TOOLS:
            if tool not in wall:
                raise SystemExit(f"hyperfine-{n}.json has no result named {tool}")
            times = sorted(work.glob(f"time-{tool}-{n}-*.txt"))
            if not times:
                raise SystemExit(f"no /usr/bin/time reports for {tool} at N={n}")
            runs = [gnu_time(t) for t in times]
            files_path = work / f"files-{tool.removesuffix('-fresh')}-{n}.txt"
            files = files_path.read_text().strip() if files_path.exists() else "?"
            w = wall[tool]
            hugo = wall[tool.replace("zhibu", "hugo")]
            ratio = statistics.median(w["times"]) / statistics.median(hugo["times"])
            rows.append(
                (
                    f"{n:,}",
                    tool,
                    f"{statistics.median(w['times']):.3f}",
                    f"{min(w['times']):.3f}–{max(w['times']):.3f}",
                    f"{ratio:.2f}×",
                    f"{statistics.median(r['cpu'] for r in runs):.3f}",
                    f"{max(r['rss_kib'] for r in runs) / 1024:.1f}",
                    files,
                )
            )
    header = (
        "N pages",
        "tool",
        "median wall s",
        "wall min–max s",
        "× Hugo",
        "median CPU s (user+sys)",
        "peak RSS MiB",
        "output files",
    )
    aligns = ("---:", ":---", "---:", "---:", "---:", "---:", "---:", "---:")
    print("| " + " | ".join(header) + " |")
    print("| " + " | ".join(aligns) + " |")
    for row in rows:
        print("| " + " | ".join(row) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
