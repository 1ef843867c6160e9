"""Start-up benchmark: seconds from process start to the first frame of `dreamviz play`.

    python benchmarks/bench_startup.py [--runs 5] [--size 1920x1080]

Runs the player headless (SDL dummy drivers) with a warm narration and ambient cache (one
unmeasured run first warms them), reads the player's own "first frame N s after the process
started" line (DREAMVIZ_LOG=info) and prints the median and the worst run.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys


def one_run(size: str) -> float:
    env = dict(os.environ, SDL_VIDEODRIVER="dummy", SDL_AUDIODRIVER="dummy",
               DREAMVIZ_LOG="info")
    out = subprocess.run(
        [sys.executable, "-m", "visualizer", "play", "--windowed", "--size", size,
         "--duration", "1.5", "--once"],
        env=env, capture_output=True, text=True, timeout=120, check=False)
    found = re.search(r"first frame ([0-9.]+) s", out.stderr)
    if not found:
        raise SystemExit(f"no first-frame line in the player's output:\n{out.stderr}")
    return float(found.group(1))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--size", default="1920x1080")
    args = ap.parse_args()
    one_run(args.size)  # warm the caches
    times = [one_run(args.size) for _ in range(args.runs)]
    print(f"first frame after process start ({args.size}, warm caches, {args.runs} runs): "
          f"median {statistics.median(times):.2f} s, worst {max(times):.2f} s "
          f"({', '.join(f'{t:.2f}' for t in times)})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
