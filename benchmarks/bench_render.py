"""Engine benchmark: `python benchmarks/bench_render.py [--size WxH] [--json] ...`.

A thin wrapper over `dreamviz bench` so the numbers in benchmarks/results.md can be
reproduced from a checkout (same options).
"""

from __future__ import annotations

import sys

from visualizer.cli import main

if __name__ == "__main__":
    raise SystemExit(main(["bench", *sys.argv[1:]]))
