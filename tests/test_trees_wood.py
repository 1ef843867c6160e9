"""Willow wood is solid: the hills do not show through a trunk, even while it fades."""

from __future__ import annotations

import numpy as np

import visualizer.engine.motifs  # noqa: F401  (registers every motif)
from visualizer.engine.canvas import Canvas
from visualizer.engine.motifs.objects_trees import wood_opacity
from visualizer.engine.palettes import blend_palette
from visualizer.engine.registry import MOTIFS, FrameContext
from visualizer.timeline.model import SceneState


def _ctx() -> FrameContext:
    st = SceneState(t=0.0, palette={"sunrise": 1.0}, mood={"calm": 1.0}, motifs={})
    return FrameContext(state=st, palette=blend_palette({"sunrise": 1.0}))


def _transmission(intensity: float) -> tuple[np.ndarray, tuple[int, int]]:
    """How much of what is behind shows through the willows (1 - coverage), and a point in
    the middle of the left trunk, below the crown."""
    canvas = Canvas(320, 180)
    m = MOTIFS["willows"](canvas, np.random.default_rng(3))
    canvas.rgb.fill(1.0)
    m.draw(canvas, intensity, 10.0, _ctx())
    white = canvas.rgb[:, :, 1].copy()
    canvas.rgb.fill(0.0)
    m.draw(canvas, intensity, 10.0, _ctx())
    trunk = m.trunks[0]
    r = trunk.region
    # the trunk's centre line, low down (under the foliage's hem)
    y = int(0.85 * 180)
    row = trunk.alpha[y - r.y0]
    x = r.x0 + int(np.flatnonzero(row >= 1.0).mean())
    return white - canvas.rgb[:, :, 1], (y, x)


def test_trunk_is_opaque_when_settled_and_nearly_so_through_a_fade():
    for intensity, most in ((1.0, 0.005), (0.9, 0.01), (0.6, 0.1), (0.4, 0.25)):
        t, (y, x) = _transmission(intensity)
        assert t[y, x] < most, f"trunk lets {t[y, x]:.2f} through at {intensity}"
    t, (y, x) = _transmission(0.1)
    assert 0.3 < t[y, x] < 0.9  # it still fades out (no pop), just later than the strands
    assert wood_opacity(0.0) == 0.0 and wood_opacity(1.0) == 1.0


def test_foliage_still_fades_with_intensity():
    t, _ = _transmission(0.5)
    full, _ = _transmission(1.0)
    # somewhere in the crown (strands only), half intensity lets about half through
    crown = (full < 0.2) & (t > 0.3)
    assert crown.sum() > 50


def test_baked_sprite_matches_sprite_paint_and_rebakes_on_change():
    from visualizer.engine.motifs.objects_trees import BakedSprite

    canvas = Canvas(192, 108)
    grove = MOTIFS["grove"](canvas, np.random.default_rng(1))
    baked = grove.body
    assert isinstance(baked, BakedSprite)
    bg = np.random.default_rng(0).random((108, 192, 3)).astype(np.float32)
    dark = np.array([0.05, 0.06, 0.04], np.float32)
    lit = np.array([0.2, 0.3, 0.1], np.float32)
    for intensity, off in ((1.0, (0.0, 0.0)), (0.7, (0.375, 2.0)), (0.7, (-3.25, -1.0))):
        want, got = bg.copy(), bg.copy()
        baked.sprite.paint(want, dark, lit, intensity, off)
        baked.paint(got, dark, lit, intensity, off)
        assert np.abs(want - got).max() < 1e-5
    # a new colour is a new bake, not the cached one
    want, got = bg.copy(), bg.copy()
    baked.sprite.paint(want, lit, dark, 0.7, (-3.25, -1.0))
    baked.paint(got, lit, dark, 0.7, (-3.25, -1.0))
    assert np.abs(want - got).max() < 1e-5


def test_baked_poses_match_sprite_poses_at_quantised_weights():
    canvas = Canvas(192, 108)
    willows = MOTIFS["willows"](canvas, np.random.default_rng(1))
    tree = willows.trees[0]
    bg = np.random.default_rng(0).random((108, 192, 3)).astype(np.float32)
    dark = np.array([0.05, 0.06, 0.04], np.float32)
    lit = np.array([0.2, 0.3, 0.1], np.float32)
    for weights, off in (({0: 1.0}, (0.0, 0.0)), ({0: 0.75, 1: 0.25}, (0.375, 2.0)),
                         ({1: 0.5, 2: 0.5}, (-3.25, -1.0))):
        want, got = bg.copy(), bg.copy()
        tree.poses.paint(want, dark, lit, 0.8, weights, off)
        tree.paint(got, dark, lit, 0.8, weights, off)
        assert np.abs(want - got).max() < 1e-5
