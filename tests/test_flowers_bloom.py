"""Flowers open near-first, far-last over the sentence, following the age of their cue."""

from __future__ import annotations

import numpy as np

import visualizer.engine.motifs  # noqa: F401  (registers every motif)
from visualizer.engine.canvas import Canvas
from visualizer.engine.motifs.particles_flowers import BLOOM_SECONDS, bloom_progress
from visualizer.engine.palettes import blend_palette
from visualizer.engine.registry import MOTIFS, FrameContext
from visualizer.timeline.model import SceneState

SKY = np.array([0.05, 0.07, 0.12], dtype=np.float32)
W, H = 320, 180


def ctx(ages: dict[str, float]) -> FrameContext:
    st = SceneState(t=0.0, palette={"twilight": 1.0}, mood={"calm": 1.0},
                    motifs={"flowers": 0.6}, ages=ages)
    return FrameContext(state=st, palette=blend_palette({"twilight": 1.0}))


def drawn(m, canvas: Canvas, intensity: float, age: float | None) -> tuple[int, int]:
    """Pixels touched near the viewer (bottom band) and far (just below the horizon)."""
    canvas.rgb[:] = SKY
    canvas.glow.fill(0.0)
    m.draw(canvas, intensity, 10.0, ctx({} if age is None else {"flowers": age}))
    d = np.abs(canvas.rgb - SKY).max(axis=2)
    hz = canvas.horizon
    near = int((d[int(0.85 * H):] > 0.05).sum())
    far = int((d[int((hz + 0.005) * H): int((hz + 0.1) * H)] > 0.05).sum())
    return near, far


def test_bloom_follows_the_cue_age_near_first_far_last():
    canvas = Canvas(W, H)
    m = MOTIFS["flowers"](canvas, np.random.default_rng(7))
    n3, f3 = drawn(m, canvas, 0.6, 3.0)
    _n8, f8 = drawn(m, canvas, 0.6, 8.0)
    n15, f15 = drawn(m, canvas, 0.6, BLOOM_SECONDS + 2.0)
    assert n3 > 0.3 * n15  # a few seconds in, the near flowers are opening
    assert f3 < 0.1 * max(f15, 1)  # ...and the far ones are still closed
    assert f3 <= f8 <= f15 and f15 > 0  # the wave runs away from the viewer
    # the cue's intensity (0.6 here) no longer caps how far the wave gets: all open
    assert f15 > 3 * max(f3, 1)


def test_intensity_only_fades_a_cued_bed():
    canvas = Canvas(W, H)
    m = MOTIFS["flowers"](canvas, np.random.default_rng(7))
    full = drawn(m, canvas, 0.6, 20.0)
    faded = drawn(m, canvas, 0.05, 20.0)
    assert drawn(m, canvas, 1.0, 20.0) == full  # opaque above the fade reach
    assert sum(faded) < sum(full)
    assert bloom_progress(0.0, ctx({"flowers": 20.0}))[1] == 0.0


def test_without_an_age_the_intensity_ramp_drives_the_bloom():
    assert bloom_progress(0.4, ctx({})) == (0.4, 1.0)
    assert bloom_progress(0.4, None) == (0.4, 1.0)
    p_early, _ = bloom_progress(0.6, ctx({"flowers": 1.0}))
    p_late, _ = bloom_progress(0.6, ctx({"flowers": 30.0}))
    assert p_early < 0.1 < p_late
