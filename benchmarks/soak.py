"""Soak: the real player loop for the equivalent of 8 hours of playlist looping, headless.

Why: a bedside display runs all night; a leak of a few KB per dream or a file handle per
transition only shows after hours. This drives `Player` (real playlist, real background
preparation through the pipeline and narration cache, real renderer, captions, overlays,
transitions) on a simulated clock that runs as fast as the machine allows. The audio sink is
the recording fake on the same clock (a soak has no sound card).

To fit in minutes, the picture is rendered for every frame during the first and the last
playlist cycle (where frame times are measured: the same dreams at the same moments, so
start and end compare like with like) and for 1 frame in `--render-every` in between;
every other part of the loop runs on every frame. The run ends after the first full cycle
that finishes past `--hours`. While the
next dream is still being prepared (real time, on the worker thread) the simulated clock
waits for it, so 8 hours means 8 hours of playing, not of waiting.

Reports RSS, open file descriptors and frame-time p99 at the start and the end as a markdown
table. Frame times are the main thread's CPU time (`time.thread_time`), so the other
processes sharing the machine do not masquerade as a slowdown.
Pass: RSS floor growth <= 5 MB (lowest reading of six cycle starts, early against late), fds
flat, p99 flat (end within 25% or 1 ms of start).

    python benchmarks/soak.py              # 8 simulated hours (a few minutes)
    python benchmarks/soak.py --hours 0.5  # a quick look
"""

from __future__ import annotations

import argparse
import os
import sys
import time

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")

import numpy as np

from visualizer.clock import FakeClock
from visualizer.display.fakes import RecordingSink
from visualizer.display.loading import make_loader
from visualizer.display.memory import release_memory
from visualizer.display.player import Player, PlayerOptions
from visualizer.display.playlist import Playlist, collect
from visualizer.display.window import Window


class SoakClock(FakeClock):
    """Simulated time that stands still (and lets real time pass) while `hold` is set."""

    def __init__(self) -> None:
        super().__init__(0.0)
        self.hold = False

    def sleep(self, seconds: float) -> None:
        if self.hold:
            time.sleep(0.002)
        else:
            self.advance(seconds)


class Throttled:
    """The real renderer, asked to paint only when `on` (the rest of the loop always runs)."""

    def __init__(self, renderer: object) -> None:
        self.renderer = renderer
        self.on = True
        self.painted = 0
        self.times: list[float] = []

    def render_to_surface(self, surface, state, t) -> None:
        if self.on:
            begin = time.thread_time()
            self.renderer.render_to_surface(surface, state, t)
            self.times.append(time.thread_time() - begin)
            self.painted += 1


def rss_mb() -> float:
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024.0
    return float("nan")


def open_fds() -> int:
    return len(os.listdir("/proc/self/fd"))


def p99(values: list[float]) -> float:
    return float(np.percentile(np.asarray(values) * 1000.0, 99)) if values else float("nan")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--hours", type=float, default=8.0)
    ap.add_argument("--fps", type=float, default=4.0, help="simulated frame rate")
    ap.add_argument("--size", default="640x360")
    ap.add_argument("--quality", default="medium")
    ap.add_argument("--render-every", type=int, default=20)
    args = ap.parse_args(argv)
    width, height = (int(v) for v in args.size.split("x"))
    total = args.hours * 3600.0

    from visualizer.engine.renderer import Renderer

    clock = SoakClock()
    throttles: list[Throttled] = []

    def renderer_factory(w: int, h: int, seed: int, quality: str) -> Throttled:
        throttles[:] = [Throttled(Renderer(w, h, seed=seed, quality=quality))]
        return throttles[0]

    def sink_factory() -> RecordingSink:
        return RecordingSink(clock)

    playlist = Playlist(collect([]), loop=True)
    player = Player(
        playlist, make_loader(), window=Window(fullscreen=False, size=(width, height)),
        renderer_factory=renderer_factory, sink_factory=sink_factory, clock=clock,
        options=PlayerOptions(fps=args.fps, quality=args.quality, gap=4.0, adaptive=False,
                              hints=True),
        report=lambda msg: print(f"soak: {msg}", file=sys.stderr),
    )

    per_cycle = len(playlist.items)
    loop_start: list[float] = []
    loop_end: list[float] = []
    render_start: list[float] = []
    render_end: list[float] = []
    rss_at_dream: list[tuple[int, float, float]] = []  # (dream number, sim hours, MB)
    marks: dict[str, float] = {}
    state = {"seen": 0, "cycle_len": 0.0, "last_cycle": -1}

    def cycle_of(p: Player) -> int:
        return (p.dreams_started - 1) // per_cycle

    def measuring(p: Player) -> str:
        """'start' through the first playlist cycle, 'end' through the last one, else ''."""
        cycle = cycle_of(p)
        if cycle == 0:
            return "start"
        if cycle == state["last_cycle"]:
            return "end"
        return ""

    cpu = [time.thread_time()]

    def settled_rss(p: Player) -> float:
        """RSS in the same state every time: this dream playing, the next one prepared,
        freed memory returned (so allocator timing noise does not hide or fake a leak)."""
        path = p.next_path
        deadline = time.monotonic() + 60
        while path is not None and not p.preloader.ready(path) and time.monotonic() < deadline:
            time.sleep(0.01)
        release_memory()
        return rss_mb()

    def on_frame(p: Player, work: float) -> None:
        now = clock.now()
        work, cpu[0] = time.thread_time() - cpu[0], time.thread_time()
        waiting = p.phase == "loading" or (p.phase == "gap" and now >= p._gap_until)
        clock.hold = waiting
        if p.dreams_started != state["seen"]:
            state["seen"] = p.dreams_started
            rss_at_dream.append((p.dreams_started, now / 3600.0, settled_rss(p)))
            if (p.dreams_started - 1) % per_cycle == 0:  # a new cycle begins
                cycle = cycle_of(p)
                if cycle == 1:
                    state["cycle_len"] = now
                    marks["fds_start"] = open_fds()
                    marks["rss_window"] = rss_mb()
                if state["last_cycle"] < 0 and cycle >= 1 and (
                        now + state["cycle_len"] >= total):
                    state["last_cycle"] = cycle
                if state["last_cycle"] >= 0 and cycle > state["last_cycle"]:
                    p._finish(0, "soak complete")
        which = measuring(p)
        throttle = throttles[-1] if throttles else None
        if throttle is not None:
            throttle.on = bool(which) or p.frames % args.render_every == 0
            if throttle.times:
                t = throttle.times.pop()
                throttle.times.clear()
                if which == "start":
                    render_start.append(t)
                elif which == "end":
                    render_end.append(t)
        if waiting:
            return
        if which == "start":
            loop_start.append(work)
        elif which == "end":
            loop_end.append(work)

    player.on_frame = on_frame
    real_start = time.perf_counter()
    player.start()
    try:
        while not player.done:
            player.step()
        marks["fds_end"] = open_fds()
        marks["rss_end"] = rss_mb()
    finally:
        player.close()
    real = time.perf_counter() - real_start

    # RSS compared at the same point of the playlist cycle (a cycle starting: its first
    # dream playing, the second prepared, freed memory returned). Single readings wander
    # upwards with allocator state (seen: two levels ~8 MB apart on alternate cycles, each
    # flat for hours), so the pass rule compares the floor, the lowest reading of six cycles
    # (2-7 against the last six): a leak lifts the floor, an allocator that keeps a few
    # pages on some cycles does not. Medians and the least-squares trend are shown too.
    cycle_starts = [r for r in rss_at_dream if (r[0] - 1) % per_cycle == 0]
    warm_runs = cycle_starts[1:7] or cycle_starts[:1]
    last_runs = cycle_starts[-6:]
    warm_mb = float(min(r[2] for r in warm_runs))
    last_mb = float(min(r[2] for r in last_runs))
    warm_med = float(np.median([r[2] for r in warm_runs]))
    last_med = float(np.median([r[2] for r in last_runs]))
    growth = last_mb - warm_mb
    hours = np.array([r[1] for r in cycle_starts[1:]])
    mbs = np.array([r[2] for r in cycle_starts[1:]])
    slope = float(np.polyfit(hours, mbs, 1)[0]) if len(hours) >= 3 else float("nan")
    fds_flat = marks["fds_end"] <= marks["fds_start"]
    ps, pe = p99(render_start), p99(render_end)
    ls, le = p99(loop_start), p99(loop_end)
    p99_flat = pe <= max(ps * 1.25, ps + 1.0)

    def ok(flag: bool) -> str:
        return "yes" if flag else "**NO**"

    print(f"### Soak: {player.dreams_started} dreams over {clock.now() / 3600:.2f} simulated "
          f"hours ({player.frames} loop frames at {args.fps:g} fps, {args.size} "
          f"{args.quality}) in {real / 60:.1f} real minutes\n")
    print("| metric | start | end | pass rule | pass |")
    print("| --- | ---: | ---: | --- | :---: |")
    print(f"| RSS floor at a cycle start, MB (lowest of cycles 2-7 / of the last 6) "
          f"| {warm_mb:.1f} | {last_mb:.1f} | growth <= 5 MB (was {growth:+.1f}) "
          f"| {ok(growth <= 5.0)} |")
    print(f"| RSS at a cycle start, MB (median of the same cycles) "
          f"| {warm_med:.1f} | {last_med:.1f} | (for reference) | |")
    print(f"| RSS trend over all cycles, MB per hour | | {slope:+.2f} "
          f"| x {clock.now() / 3600:.1f} h = {slope * clock.now() / 3600:+.1f} MB | |")
    print("| RSS after the first cycle / at the end, MB "
          f"| {marks['rss_window']:.1f} | {marks['rss_end']:.1f} | (for reference) | |")
    print(f"| open file descriptors | {marks['fds_start']} | {marks['fds_end']} | flat "
          f"| {ok(fds_flat)} |")
    print(f"| render p99, ms (first/last cycle, {len(render_start)}/"
          f"{len(render_end)} frames) | {ps:.2f} | {pe:.2f} | flat | {ok(p99_flat)} |")
    print(f"| whole loop frame p99, ms | {ls:.2f} | {le:.2f} | flat "
          f"| {ok(le <= max(ls * 1.25, ls + 1.0))} |")
    print("\nRSS at the start of each cycle (MB): "
          + ", ".join(f"{r[2]:.1f}" for r in cycle_starts))
    late = player.pacer.late
    print(f"Late frames clamped: {late}; motifs switched off: "
          f"{sorted(player.safe.disabled) if player.safe else []}; "
          f"frames that failed: {player.safe.failed_frames if player.safe else 0}")
    passed = growth <= 5.0 and fds_flat and p99_flat
    return 0 if passed else 1


if __name__ == "__main__":
    raise SystemExit(main())
