"""Export speed: how many seconds of video `dreamviz render` makes per second of wall time.

Goal (issue 8): 1280x720 at 30 fps at >= 2x real time on a 2-core machine. Renders the first
`--seconds` of a bundled dream through the real pipeline (narration, ambient, renderer,
ffmpeg), once per `--jobs` value, and prints a markdown table plus the details that explain
the number: time waiting for frames vs for the encoder, CPU seconds of this process and its
children (render workers, ffmpeg), and the load average (other work on the machine skews it).

    python benchmarks/bench_export.py [--dream mirror-grove] [--seconds S (0: whole dream)]
                                      [--size 1280x720] [--fps 30] [--quality medium]
                                      [--jobs 1,2] [--json]
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")


def _cpu() -> tuple[float, float]:
    me = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime, kids.ru_utime + kids.ru_stime


def run_once(prepared, w: int, h: int, fps: int, seconds: float, quality: str,
             jobs: int) -> dict:
    from visualizer.export import ExportSettings
    from visualizer.export.make import render_prepared

    settings = ExportSettings(width=w, height=h, fps=fps, quality=quality,
                              duration=seconds or None, jobs=jobs, force=True)
    with tempfile.TemporaryDirectory(prefix="bench-export-") as folder:
        out = Path(folder) / "bench.mp4"
        load = os.getloadavg()[0]
        cpu0 = _cpu()
        t0 = time.perf_counter()
        result = render_prepared(prepared, out, settings, quiet=True)
        wall = time.perf_counter() - t0
        cpu1 = _cpu()
    return {
        "jobs": jobs,
        "size": [w, h],
        "fps": fps,
        "quality": quality,
        "video_seconds": round(result.seconds, 3),
        "wall_seconds": round(wall, 3),
        "speed": round(result.seconds / wall, 3),
        "frames": result.frames,
        "wait_for_frames_ms": round(result.paint_seconds / result.frames * 1000, 2),
        "wait_for_encoder_ms": round(result.encode_wait_seconds / result.frames * 1000, 2),
        "cpu_self_s": round(cpu1[0] - cpu0[0], 2),
        "cpu_children_s": round(cpu1[1] - cpu0[1], 2),
        "cpu_ms_per_frame": round((cpu1[0] - cpu0[0] + cpu1[1] - cpu0[1])
                                  / result.frames * 1000, 1),
        # What the same work would run at with every core to itself (the machine is shared
        # while benchmarking): cores / CPU seconds per video second.
        "cpu_bound_speed": round((os.cpu_count() or 1) * result.seconds
                                 / max(1e-9, cpu1[0] - cpu0[0] + cpu1[1] - cpu0[1]), 2),
        "mbytes": round(result.bytes / 1e6, 2),
        "load_before": round(load, 2),
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--dream", default="mirror-grove")
    ap.add_argument("--seconds", type=float, default=0.0, help="0: the whole dream")
    ap.add_argument("--size", default="1280x720")
    ap.add_argument("--fps", type=int, default=30)
    ap.add_argument("--quality", default="medium")
    ap.add_argument("--jobs", default="1,2", help="comma list, e.g. 1,2")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    w, h = (int(v) for v in args.size.lower().split("x"))

    from visualizer import pipeline

    with contextlib.redirect_stdout(io.StringIO()):
        prepared = pipeline.prepare(args.dream)
    runs = [run_once(prepared, w, h, args.fps, args.seconds, args.quality, int(j))
            for j in args.jobs.split(",")]
    if args.json:
        json.dump({"dream": args.dream, "cores": os.cpu_count(), "runs": runs}, sys.stdout,
                  indent=2)
        print()
        return 0
    span = f"first {args.seconds:g} s" if args.seconds else "whole dream"
    print(f"export of {args.dream}, {span}, {w}x{h} @ {args.fps} fps, "
          f"quality {args.quality}, {os.cpu_count()} cores")
    print()
    print("| jobs | video s | wall s | speed | wait frames ms | wait encoder ms "
          "| CPU ms/frame | CPU-bound speed | MB | load before |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    for r in runs:
        print(f"| {r['jobs']} | {r['video_seconds']:.1f} | {r['wall_seconds']:.1f} "
              f"| {r['speed']:.2f}x | {r['wait_for_frames_ms']:.1f} "
              f"| {r['wait_for_encoder_ms']:.1f} | {r['cpu_ms_per_frame']:.1f} "
              f"| {r['cpu_bound_speed']:.2f}x | {r['mbytes']:.1f} | {r['load_before']:.1f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
