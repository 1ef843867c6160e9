"""Photosensitivity (WCAG 2.3.1): no more than three flashes in any one second, anywhere in
the bundled dreams.

Frames are rendered at 30 fps, consecutive, in windows around every moment something
changes (scene starts, each cue's fade-in and release), at a tiny size. Luminance is measured
on the whole frame and on a 3x3 grid of regions (a flash of part of the screen counts too). A
flash is a pair of opposing changes of at least 10% of the maximum relative luminance where
the darker state is below 0.8.
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from engine_helpers import relative_luminance

from visualizer import pipeline
from visualizer.engine.renderer import Renderer
from visualizer.narration import ReadingPaceNarrator
from visualizer.resources import bundled_dreams

FPS = 30
HALF_WINDOW = 0.8  # seconds either side of each change


def count_flashes(lum: np.ndarray, fps: int = FPS) -> int:
    """Max number of flashes in any 1-second window of a luminance series."""
    # reduce to turning points, merging monotone runs
    ext = [0]
    for i in range(1, len(lum) - 1):
        if (lum[i] - lum[ext[-1]]) * (lum[i + 1] - lum[i]) < 0:
            ext.append(i)
    ext.append(len(lum) - 1)
    changes = []  # (frame, sign) of qualifying transitions between turning points
    for a, b in itertools.pairwise(ext):
        d = lum[b] - lum[a]
        if abs(d) >= 0.1 and min(lum[a], lum[b]) < 0.8:
            changes.append((b, np.sign(d)))
    flashes = [f2 for (f1, s1), (f2, s2) in itertools.pairwise(changes) if s1 != s2]
    worst = 0
    for i, f in enumerate(flashes):
        worst = max(worst, sum(1 for g in flashes[i:] if g - f < fps))
    return worst


def test_counter_sees_a_strobe_and_ignores_slow_fades():
    strobe = np.tile([0.05, 0.9], 30).astype(np.float32)  # 15 Hz
    assert count_flashes(strobe) > 3
    fade = np.linspace(0.0, 1.0, 90).astype(np.float32)
    assert count_flashes(fade) == 0
    breathing = 0.4 + 0.04 * np.sin(np.arange(300) / FPS * 2 * np.pi * 0.5)
    assert count_flashes(breathing) == 0


def _windows(schedule) -> list[tuple[float, float]]:
    times = [s.start for s in schedule.scenes]
    for c in schedule.cues:
        times += [c.time + 0.5 * c.fade_in, c.release + 0.5 * c.fade_out]
    times += [0.0, schedule.duration]
    spans = sorted((max(0.0, t - HALF_WINDOW), min(schedule.duration, t + HALF_WINDOW))
                   for t in times)
    merged: list[list[float]] = []
    for a, b in spans:
        if merged and a <= merged[-1][1] + 1.0 / FPS:
            merged[-1][1] = max(merged[-1][1], b)
        else:
            merged.append([a, b])
    return [(a, b) for a, b in merged]


@pytest.mark.parametrize("dream", [p.stem for p in bundled_dreams()])
def test_no_more_than_three_flashes_a_second(dream):
    prepared = pipeline.prepare(dream, narrator=ReadingPaceNarrator(reason="test"))
    schedule = prepared.schedule
    renderer = Renderer(48, 27, seed=schedule.seed, quality="high")
    worst, where = 0, None
    for a, b in _windows(schedule):
        frames = np.arange(a, b, 1.0 / FPS)
        series = []
        for t in frames:
            frame = renderer.render_internal(schedule.sample(float(t)), float(t))
            lum = relative_luminance(frame)
            h, w = lum.shape
            cells = [lum.mean()] + [
                lum[i * h // 3 : (i + 1) * h // 3, j * w // 3 : (j + 1) * w // 3].mean()
                for i in range(3) for j in range(3)
            ]
            series.append(cells)
        arr = np.array(series)
        for k in range(arr.shape[1]):
            n = count_flashes(arr[:, k])
            if n > worst:
                worst, where = n, (round(a, 2), k)
    assert worst <= 3, f"{dream}: {worst} flashes within one second near t={where}"
