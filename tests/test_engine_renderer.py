"""Renderer core: shape, determinism, palettes, fade, surfaces."""

from __future__ import annotations

import numpy as np
import pygame
import pytest

from visualizer.engine.palettes import blend_palette, palette_names
from visualizer.engine.quality import AdaptiveQuality
from visualizer.engine.renderer import Renderer, internal_size
from visualizer.timeline.model import SceneState


def state(palette="dawn", motifs=None, fade=1.0, **kw) -> SceneState:
    return SceneState(
        t=0.0, palette={palette: 1.0} if isinstance(palette, str) else palette,
        mood={"calm": 1.0}, motifs=motifs or {}, fade=fade, **kw,
    )


def test_render_shape_and_type():
    frame = Renderer(160, 90).render(state(), 1.0)
    assert frame.shape == (90, 160, 3) and frame.dtype == np.uint8
    assert frame.mean() > 20  # dawn is bright


def test_same_inputs_same_bytes_across_instances():
    s = state("twilight", {"clear-sky": 1.0})
    a = Renderer(160, 90, seed=3).render(s, 5.0)
    b = Renderer(160, 90, seed=3).render(s, 5.0)
    assert a.tobytes() == b.tobytes()


def test_every_palette_blends_and_differs():
    means = {name: Renderer(64, 36).render(state(name), 0.0).mean(axis=(0, 1)) for name in
             palette_names()}
    assert len({tuple(np.round(m, 1)) for m in means.values()}) == len(means)
    assert means["night"].sum() < means["radiant"].sum()


def test_palette_blend_is_between_and_cached():
    a = blend_palette({"dawn": 0.5, "night": 0.5})
    b = blend_palette({"night": 1.0, "dawn": 1.0})
    assert a is b  # same normalised weights, one blend
    assert blend_palette({"night": 1}).sky_top.sum() < a.sky_top.sum()
    assert a.sky_top.sum() < blend_palette({"dawn": 1}).sky_top.sum()
    assert blend_palette({"no-such": 1.0}) is blend_palette({"dawn": 1.0})


def test_fade_darkens_to_black():
    r = Renderer(64, 36)
    assert r.render(state(fade=0.0), 0.0).max() <= 1
    assert r.render(state(fade=0.5), 0.0).mean() < r.render(state(fade=1.0), 0.0).mean()


def test_unknown_motif_is_skipped():
    r = Renderer(64, 36)
    a = r.render(state(motifs={"no-such-motif": 1.0}), 0.0)
    assert np.array_equal(a, r.render(state(), 0.0))


def test_dark_sky_does_not_band():
    """A dark gradient must not show flat 8-bit steps: dithering mixes adjacent levels."""
    frame = Renderer(320, 180).render(state("night"), 0.0).astype(np.int16)
    column = frame[10:100, 160, 2]
    assert np.abs(np.diff(column)).max() <= 2
    row = frame[60, :, 2]
    assert len(np.unique(row)) >= 2  # dither present along flat rows


def test_render_to_surface_scales_to_surface_size():
    r = Renderer(160, 90)
    surf = pygame.Surface((320, 180))
    r.render_to_surface(surf, state(), 0.0)
    assert pygame.surfarray.array3d(surf).mean() > 20


def test_internal_size_multiple_of_four():
    for w, h in ((1920, 1080), (1280, 720), (97, 55), (16, 16)):
        for scale in (1 / 3, 0.5, 2 / 3):
            iw, ih = internal_size(w, h, scale)
            assert iw % 4 == 0 and ih % 4 == 0 and iw >= 16 and ih >= 16


@pytest.mark.parametrize("quality", ["low", "medium", "high"])
def test_quality_levels_render(quality):
    r = Renderer(192, 108, quality=quality)
    assert r.render(state(), 0.0).shape == (108, 192, 3)


def test_unknown_quality_raises():
    with pytest.raises(ValueError):
        Renderer(64, 36, quality="ultra")


def test_adaptive_quality_steps_down_and_back_up_with_hysteresis():
    aq = AdaptiveQuality(budget_ms=16.7, start="medium", window=10, cooldown=50)
    start = aq.quality.scale
    changed = [aq.add(30.0) for _ in range(10)]
    assert changed[-1] is not None and aq.quality.scale < start
    low = aq.quality.scale
    # a few fast frames are not enough to climb back
    assert all(aq.add(2.0) is None for _ in range(20))
    ups = [aq.add(2.0) for _ in range(100)]
    assert any(u is not None for u in ups) and aq.quality.scale > low


def test_frames_allocate_no_full_frame_buffers():
    """After the first frames, painting a landscape scene allocates nothing frame-sized
    (small per-column arrays and numpy's own ufunc buffers are fine)."""
    import tracemalloc

    scene = {"night-sky": 1.0, "stars": 1.0, "clouds": 0.7, "aurora": 0.5, "forest": 1.0,
             "meadow": 1.0, "mosaic": 0.5, "lake": 0.8, "shore": 1.0, "ripples": 1.0,
             "mist": 0.6, "bleed": 0.3, "darkness": 0.2, "sunrise": 0.4}
    r = Renderer(640, 360, seed=1)
    surf = pygame.Surface((640, 360))
    for t in (1.0, 1.5):
        r.render_to_surface(surf, state(scene), t)
    tracemalloc.start()
    for i in range(3):
        r.render_to_surface(surf, state(scene), 2.0 + i / 30)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert peak < r.canvas.rgb.nbytes // 4, f"peak {peak} bytes allocated per frame"


def test_compositor_survives_bad_light_values():
    """A motif bug (NaN, negative or huge light) gives black or white pixels, never an error
    or a warning on the console."""
    import warnings

    from visualizer.engine.post import Compositor

    c = Compositor(16, 16)
    rgb = np.full((16, 16, 3), 0.3, np.float32)
    rgb[0, 0], rgb[1, 1], rgb[2, 2] = np.nan, -5.0, 1e9
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        out = c.compose(rgb, np.zeros_like(rgb), 1.0)
    assert out[0, 0].max() == 0 and out[1, 1].max() == 0 and out[2, 2].min() >= 250
    assert 100 < out[5, 5].mean() < 200
