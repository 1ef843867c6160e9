"""Every motif in the catalogue is registered, paints something at intensity 1, nothing at 0,
and is deterministic."""

from __future__ import annotations

import numpy as np
import pytest
from engine_helpers import state

from visualizer.engine.registry import MOTIFS, Motif
from visualizer.engine.renderer import Renderer
from visualizer.resources import load_json_asset

CATALOGUE = sorted(load_json_asset("motifs.json"))
T = 23.7


@pytest.fixture(scope="module")
def renderer() -> Renderer:
    return Renderer(160, 90, seed=5, quality="high")


@pytest.fixture(scope="module")
def empty(renderer: Renderer) -> np.ndarray:
    return renderer.render(state(), T)


def test_catalogue_and_registry_agree():
    missing = sorted(set(CATALOGUE) - set(MOTIFS))
    unknown = sorted(set(MOTIFS) - set(CATALOGUE))
    assert not missing, f"motifs in assets/motifs.json without a class: {missing}"
    assert not unknown, f"registered motifs not in assets/motifs.json: {unknown}"


@pytest.mark.parametrize("name", CATALOGUE)
def test_motif_paints_at_full_and_nothing_at_zero(name, renderer, empty):
    if name not in MOTIFS:
        pytest.fail(f"{name} is not registered")
    full = renderer.render(state({name: 1.0}), T)
    diff = np.abs(full.astype(np.int16) - empty.astype(np.int16))
    assert diff.mean() > 0.05 or diff.max() >= 24, f"{name} paints nothing visible"
    zero = renderer.render(state({name: 0.0}), T)
    assert np.array_equal(zero, empty), f"{name} at intensity 0 changed the frame"


@pytest.mark.parametrize("name", CATALOGUE)
def test_motif_half_intensity_is_between(name, renderer, empty):
    if name not in MOTIFS:
        pytest.skip(f"{name} not registered (covered by the registry test)")
    full = renderer.render(state({name: 1.0}), T).astype(np.float32)
    half = renderer.render(state({name: 0.5}), T).astype(np.float32)
    d_full = np.abs(full - empty).mean()
    d_half = np.abs(half - empty).mean()
    assert d_half <= d_full + 0.5, f"{name}: half intensity shows more than full"


def test_motifs_have_descriptions_and_layers():
    for name, cls in MOTIFS.items():
        assert issubclass(cls, Motif)
        assert cls.name == name and cls.description.strip()


def test_frames_deterministic_and_time_dependent():
    scene = {"night-sky": 1.0, "stars": 1.0, "hills": 1.0, "lake": 1.0, "mist": 0.7,
             "meadow": 0.0, "clouds": 0.6}
    a = Renderer(160, 90, seed=9).render(state(scene), 12.0)
    b = Renderer(160, 90, seed=9).render(state(scene), 12.0)
    assert a.tobytes() == b.tobytes()
    c = Renderer(160, 90, seed=9).render(state(scene), 19.0)
    assert not np.array_equal(a, c)
    d = Renderer(160, 90, seed=10).render(state(scene), 12.0)
    assert not np.array_equal(a, d)


def test_render_is_independent_of_history():
    """A frame is a pure function of (seed, state, t): rendering others first changes nothing."""
    scene = {"clouds": 1.0, "meadow": 1.0, "sea": 0.5, "bleed": 0.4}
    fresh = Renderer(160, 90, seed=2).render(state(scene), 40.0)
    used = Renderer(160, 90, seed=2)
    for t in (3.0, 90.0, 41.0):
        used.render(state({"aurora": 1.0, "mosaic": 1.0}), t)
    assert np.array_equal(used.render(state(scene), 40.0), fresh)


def test_lake_reflects_what_is_above():
    """A bright moon above the lake appears mirrored below the waterline."""
    r = Renderer(320, 180, seed=1, quality="high")
    base = r.render(state({"lake": 1.0}, palette="night"), 5.0).astype(np.int16)
    moon = r.render(state({"lake": 1.0, "moon": 1.0}, palette="night"), 5.0).astype(np.int16)
    diff = np.abs(moon - base).sum(axis=2)
    top = int(r.canvas.water_top * 180) + 2
    assert diff[:top].max() > 60  # the moon itself
    assert diff[top:].max() > 20  # its reflection


def test_ripples_centre_follows_the_orb():
    from visualizer.engine.canvas import Canvas
    from visualizer.engine.water import ripple_centre

    c = Canvas(320, 180)
    plain = ripple_centre(c, {"pond": 1.0}, 10.0)
    assert c.water_top * c.h < plain[1] < c.h
    if "orb" in MOTIFS:
        x, y = ripple_centre(c, {"pond": 1.0, "orb": 1.0}, 10.0)
        assert 0 <= x <= c.w and c.water_top * c.h <= y <= c.h


def test_cached_layers_match_a_fresh_renderer():
    """Moving sky motifs behind cached far layers: a renderer that has drawn other frames
    gives the same bytes as a fresh one, and the hills still hide what is behind them."""
    scene = {"clear-sky": 1.0, "clouds": 1.0, "sun": 0.8, "stars": 0.5, "hills": 1.0,
             "path": 0.7, "meadow": 1.0}
    fresh = Renderer(160, 90, seed=4).render(state(scene), 30.0)
    used = Renderer(160, 90, seed=4)
    for t, extra in ((29.0, {}), (31.0, {"hills": 0.5}), (30.5, {"clouds": 0.0})):
        used.render(state({**scene, **extra}), t)
    assert np.array_equal(used.render(state(scene), 30.0), fresh)


def test_far_layers_hide_moving_sky():
    r = Renderer(320, 180, seed=4, quality="high")
    hills = {"hills": 1.0, "meadow": 1.0}
    a = r.render(state(hills), 10.0).astype(np.int16)
    b = r.render(state({**hills, "clouds": 1.0, "aurora": 1.0}), 10.0).astype(np.int16)
    low = int(180 * 0.75)  # well below the hill tops
    assert np.abs(a[low:] - b[low:]).max() <= 2
    assert np.abs(a[: int(180 * 0.4)] - b[: int(180 * 0.4)]).mean() > 1.0


def test_still_water_fast_reflection_matches_the_general_gather():
    from visualizer.engine.canvas import Canvas
    from visualizer.engine.water import Reflection

    rng = np.random.default_rng(0)
    rgb = rng.random((40, 64, 3)).astype(np.float32)
    shift = rng.uniform(-1, 1, 14).astype(np.float32)
    fast = Reflection(Canvas(64, 40), 26, 40, 26.0).gather(rgb, shift).copy()
    forced = shift.copy()
    forced[-1] = 3.0  # one big shift sends every row down the general (gather) path
    general = Reflection(Canvas(64, 40), 26, 40, 26.0).gather(rgb, forced)
    assert np.abs(fast[:-1, 1:-1] - general[:-1, 1:-1]).max() < 1e-5
