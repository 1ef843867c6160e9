"""`dreamviz bench`: how fast the engine paints each bundled dream's scenes, headless.

Each scene is measured at its busiest moment: the frames around the time with the most live
particles (the river of light, late in a scene, has ~20k), not at a fixed point in the scene.
Measured in the same run for context: the floor (fill + flip only: what the display itself
costs) and a naive peer (the busiest scene's particle count drawn with one
`pygame.draw.circle` each). Writes nothing unless `--out` is given.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

from visualizer.commands.options import size


def _frames(text: str) -> int:
    try:
        n = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if not 5 <= n <= 100000:
        raise argparse.ArgumentTypeError("frames must be between 5 and 100000")
    return n


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "bench",
        help="measure frame times of every bundled dream's scenes (headless)",
        description="Render each bundled dream's scenes off-screen and report median and p99 "
        "milliseconds per frame, live particles, the fill+flip floor and a naive peer.",
    )
    p.add_argument("--size", type=size, default=(1920, 1080), metavar="WxH",
                   help="frame size (default 1920x1080)")
    p.add_argument("--quality", choices=("low", "medium", "high"), default="medium")
    p.add_argument("--frames", type=_frames, default=60, metavar="N",
                   help="frames measured per scene (default 60)")
    p.add_argument("--json", action="store_true", help="machine-readable JSON on stdout")
    p.add_argument("--out", type=Path, metavar="FILE", help="also write the JSON to FILE")
    p.add_argument("--force", action="store_true", help="overwrite an existing --out file")
    p.add_argument("--dream", action="append", metavar="DREAM",
                   help="only this dream (repeatable; default: every bundled dream)")
    p.set_defaults(func=run)


def _pct(values: list[float], q: float) -> float:
    s = sorted(values)
    k = min(len(s) - 1, max(0, round(q * (len(s) - 1))))
    return s[k]


def _floor_ms(screen, frames: int) -> float:
    import pygame

    times = []
    for i in range(frames):
        t0 = time.perf_counter()
        screen.fill((i % 7, 8, 16))
        pygame.display.flip()
        times.append((time.perf_counter() - t0) * 1000.0)
    return statistics.median(times)


def _naive_ms(screen, particles: int, frames: int) -> float:
    """The same number of particles, one pygame.draw.circle call each (positions drift)."""
    import numpy as np
    import pygame

    rng = np.random.default_rng(0)
    w, h = screen.get_size()
    xs = rng.uniform(0, w, particles)
    ys = rng.uniform(0, h, particles)
    rs = rng.uniform(1.0, 3.0, particles)
    times = []
    for i in range(frames):
        t0 = time.perf_counter()
        screen.fill((10, 12, 24))
        dx = np.sin(xs * 0.01 + i * 0.05) * 2.0
        for x, y, r, d in zip(xs.tolist(), ys.tolist(), rs.tolist(), dx.tolist()):
            pygame.draw.circle(screen, (255, 230, 180), (x + d, y), r)
        pygame.display.flip()
        times.append((time.perf_counter() - t0) * 1000.0)
    return statistics.median(times)


GRID_STEP = 0.25  # seconds between the moments searched for a scene's busiest frame
SETTLED = 0.55  # where in a scene a tie is broken: a settled moment, not a cross-fade


def busiest_moment(renderer, schedule, scene, frames: int) -> tuple[float, int]:
    """(start time, particles): where the `frames` measured 60 fps frames of `scene` begin,
    centred on its busiest moment (most live particles on a 1/4 s grid over the whole
    scene; ties go to the moment nearest the settled middle), kept inside the scene."""
    span = max(0.0, scene.end - scene.start)
    steps = max(1, int(span / GRID_STEP))
    best = (-1, 0.0, scene.start)  # (particles, -distance from the settled point, time)
    for k in range(steps + 1):
        t = scene.start + span * k / steps
        if k == steps:
            t = max(scene.start, scene.end - 1e-3)  # the end belongs to the next scene
        n = renderer.particle_count(schedule.sample(t))
        cand = (n, -abs(t - (scene.start + SETTLED * span)), t)
        if cand[:2] > best[:2]:
            best = cand
    window = frames / 60.0
    start = best[2] - window / 2.0
    start = min(start, scene.end - window)
    start = max(start, scene.start)
    return start, max(0, best[0])


def bench_scene(renderer, screen, schedule, scene, frames: int) -> dict:
    import pygame

    start, _peak = busiest_moment(renderer, schedule, scene, frames)
    times = []
    cpu = []
    particles = 0
    warmup = 5  # render the first frames once unmeasured: a scene builds its caches there
    for i in range(-warmup, frames):
        t = start + (i + warmup if i < 0 else i) / 60.0
        t0 = time.perf_counter()
        c0 = time.process_time()
        state = schedule.sample(t)
        renderer.render_to_surface(screen, state, t)
        pygame.display.flip()
        ms = (time.perf_counter() - t0) * 1000.0
        if i >= 0:
            times.append(ms)
            cpu.append((time.process_time() - c0) * 1000.0)
            particles = max(particles, renderer.particle_count(state))
    return {
        "scene": scene.name,
        "particles": particles,
        "median_ms": round(statistics.median(times), 3),
        "p99_ms": round(_pct(times, 0.99), 3),
        # CPU time per frame: on a shared machine wall-clock frames also count other
        # processes' turns on the core; this one does not
        "median_cpu_ms": round(statistics.median(cpu), 3),
        "at_s": round(start, 2),
    }


def schedule_motifs(schedule) -> set[str]:
    """Every motif a schedule can show: scene sky/ground/layers and cued motifs."""
    names = {c.motif for c in schedule.cues}
    for sc in schedule.scenes:
        names.update((sc.sky, sc.ground, *sc.layers))
    return names


def run(args: argparse.Namespace) -> int:
    os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
    os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
    os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
    import pygame

    from visualizer import pipeline
    from visualizer.display.memory import pin_mmap_threshold
    from visualizer.engine.renderer import Renderer
    from visualizer.narration import ReadingPaceNarrator
    from visualizer.resources import bundled_dreams

    pin_mmap_threshold()  # the heap behaves as in the player (no per-frame page faults)
    width, height = args.size
    if args.out is not None and not Path(args.out).expanduser().parent.is_dir():
        from visualizer.errors import DreamError

        raise DreamError("the folder for the output does not exist", path=str(args.out))
    if args.out is not None and Path(args.out).expanduser().exists() and not args.force:
        from visualizer.errors import DreamError

        raise DreamError("already exists (use --force to overwrite)", path=str(args.out))
    pygame.display.init()
    screen = pygame.display.set_mode((width, height))
    dreams = args.dream or [p.stem for p in bundled_dreams()]
    floor = _floor_ms(screen, max(30, args.frames))
    scenes: list[dict] = []
    for dream in dreams:
        # the picture does not depend on the voice; reading pace keeps TTS out of the run
        prepared = pipeline.prepare(dream, narrator=ReadingPaceNarrator(reason="bench"))
        schedule = prepared.schedule
        renderer = Renderer(width, height, seed=schedule.seed, quality=args.quality)
        renderer.warm(schedule_motifs(schedule))
        renderer.follow(schedule.sample)
        for scene in schedule.scenes:
            row = {"dream": prepared.path.stem}
            row.update(bench_scene(renderer, screen, schedule, scene, args.frames))
            scenes.append(row)
            if not args.json:
                print(f"{row['dream']:>14} {row['scene'][:28]:<28} {row['particles']:>7} "
                      f"particles  median {row['median_ms']:7.2f} ms  p99 {row['p99_ms']:7.2f} ms"
                      f"  (cpu {row['median_cpu_ms']:6.2f} ms)", flush=True)
    busiest = max((int(s["particles"]) for s in scenes), default=0)
    naive = _naive_ms(screen, busiest, max(5, min(args.frames, 20))) if busiest else 0.0
    result = {
        "size": [width, height],
        "quality": args.quality,
        "frames_per_scene": args.frames,
        "floor_ms": round(floor, 3),
        "naive_ms": round(naive, 3),
        "naive_particles": busiest,
        "scenes": scenes,
    }
    if args.json:
        json.dump(result, sys.stdout, indent=2)
        sys.stdout.write("\n")
    else:
        med = statistics.median([float(s["median_ms"]) for s in scenes]) if scenes else 0.0
        worst = max((float(s["p99_ms"]) for s in scenes), default=0.0)
        print(f"floor (fill+flip) {floor:.2f} ms; naive circles ({busiest} particles) "
              f"{naive:.2f} ms; engine median of scene medians {med:.2f} ms, worst p99 "
              f"{worst:.2f} ms at {width}x{height} ({args.quality})")
    if args.out:
        _write_json(args.out, result)
    return 0


def _write_json(path: Path, data: dict) -> None:
    """Atomic: temp file in the same folder, then rename."""
    import tempfile

    from visualizer.errors import DreamError

    path = Path(path).expanduser()
    if not path.parent.is_dir():
        raise DreamError("the folder for the output does not exist", path=str(path.parent))
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(data, f, indent=2)
            f.write("\n")
        from visualizer.engine.snapshot import _umask

        os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, path)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise DreamError(f"cannot write: {exc}", path=str(path)) from exc
