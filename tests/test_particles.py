"""Particle motifs: each renders, vanishes at 0, is deterministic, moves slowly, stays in
bounds; plus the machinery (rank fade, splats, order-independent compositing, loop time)."""

from __future__ import annotations

import numpy as np
import pytest

import visualizer.engine.motifs  # noqa: F401  (registers every motif)
from visualizer.engine import particles as P
from visualizer.engine.canvas import Canvas
from visualizer.engine.palettes import blend_palette
from visualizer.engine.registry import MOTIFS, FrameContext
from visualizer.timeline.model import SceneState

PARTICLE_MOTIFS = (
    "leaves",
    "fireflies",
    "motes",
    "butterflies",
    "petals",
    "snow",
    "rain",
    "embers",
    "birds",
    "fish",
    "droplets",
    "flowers",
    "river-of-light",
)
W, H = 192, 108
SKY = np.array([0.05, 0.07, 0.12], dtype=np.float32)


def ctx(scale: float = 1.0, palette: str = "twilight") -> FrameContext:
    st = SceneState(t=0.0, palette={palette: 1.0}, mood={"calm": 1.0}, motifs={})
    return FrameContext(state=st, palette=blend_palette({palette: 1.0}), particle_scale=scale)


def make(name: str, seed: int = 7, size: tuple[int, int] = (W, H)):
    canvas = Canvas(*size)
    return canvas, MOTIFS[name](canvas, np.random.default_rng(seed))


def frame(canvas: Canvas, m, intensity: float, t: float, c: FrameContext | None = None):
    canvas.rgb[:] = SKY
    canvas.glow.fill(0.0)
    m.draw(canvas, intensity, t, c or ctx())
    return canvas.rgb + canvas.glow


def positions(m) -> list[tuple[np.ndarray, np.ndarray]]:
    """Pixel positions of every swarm a motif draws (rain: its streak samples)."""
    if hasattr(m, "_px"):
        return [(m._px, m._py)]
    swarms = getattr(m, "swarms", None) or [m.sw]
    return [(sw.buf("x"), sw.buf("y")) for sw in swarms]


@pytest.mark.parametrize("name", PARTICLE_MOTIFS)
def test_registered_with_catalogue_name(name):
    assert name in MOTIFS
    assert MOTIFS[name].description


@pytest.mark.parametrize("name", PARTICLE_MOTIFS)
def test_renders_at_full_intensity_and_nothing_at_zero(name):
    canvas, m = make(name)
    img = frame(canvas, m, 1.0, 40.0)
    diff = np.abs(img - SKY)
    assert np.isfinite(img).all() and (img >= 0).all()
    assert diff.max() > 0.03, f"{name} drew nothing visible"
    assert (diff.max(axis=2) > 0.01).sum() >= 20, f"{name} touched too few pixels"
    img0 = frame(canvas, m, 0.0, 40.0)
    assert np.array_equal(img0, np.broadcast_to(SKY, img0.shape))
    assert m.particle_count() > 0


@pytest.mark.parametrize("name", PARTICLE_MOTIFS)
def test_deterministic_for_a_seed(name):
    c1, m1 = make(name, seed=3)
    c2, m2 = make(name, seed=3)
    a = frame(c1, m1, 0.8, 123.4)
    frame(c2, m2, 0.8, 5.0)  # a different frame first: no state carried between frames
    b = frame(c2, m2, 0.8, 123.4)
    assert np.array_equal(a, b)
    c3, m3 = make(name, seed=4)
    assert not np.array_equal(a, frame(c3, m3, 0.8, 123.4))


@pytest.mark.parametrize("name", PARTICLE_MOTIFS)
def test_changes_slowly_between_frames(name):
    canvas, m = make(name, size=(480, 270))
    a = frame(canvas, m, 1.0, 60.0).copy()
    b = frame(canvas, m, 1.0, 60.0 + 1 / 30)
    change = np.abs(a - b).mean()
    assert change > 0.0, f"{name} is frozen"
    assert change < 0.005, f"{name} changes too fast between frames ({change:.4f})"
    assert change < 0.8 * np.abs(a - SKY).mean()  # most of what is drawn stays put
    # and the overall brightness holds still (no flicker of the whole frame)
    assert abs(float(a.mean() - b.mean())) < 2e-4


@pytest.mark.parametrize("name", [n for n in PARTICLE_MOTIFS if n != "flowers"])
def test_calm_speeds(name):
    """Nothing crosses the frame in under ~5 s (rain, a drizzle, in under ~6 s)."""
    canvas, m = make(name)
    frame(canvas, m, 1.0, 200.0)
    before = [(x.copy(), y.copy()) for x, y in positions(m)]
    frame(canvas, m, 1.0, 201.0)
    steps = []
    for (x0, y0), (x1, y1) in zip(before, positions(m)):
        steps.append(np.maximum(np.abs(x1 - x0) / W, np.abs(y1 - y0) / H).ravel())
    step = np.concatenate(steps)
    step = step[step < 0.5]  # drop the few that wrapped around an edge this second
    assert np.percentile(step, 99) < 0.2, f"{name}: {np.percentile(step, 99):.3f} screens/s"


@pytest.mark.parametrize("name", [n for n in PARTICLE_MOTIFS if n != "flowers"])
def test_particles_stay_in_bounds_over_hours(name):
    canvas, m = make(name)
    for t in (0.0, 17.3, 3599.9, 3 * 3600 + 11.0, 9 * 3600 + 0.5):
        frame(canvas, m, 1.0, t)
        for x, y in positions(m):
            assert np.isfinite(x).all() and np.isfinite(y).all()
            assert x.min() >= -0.15 * W and x.max() <= 1.15 * W, name
            assert y.min() >= -0.15 * H and y.max() <= 1.15 * H, name


@pytest.mark.parametrize("name", ["motes", "leaves", "butterflies", "river-of-light"])
def test_motion_is_periodic_over_the_loop(name):
    canvas, m = make(name)
    a = frame(canvas, m, 1.0, 12.5).copy()
    b = frame(canvas, m, 1.0, 12.5 + P.LOOP * 3)
    assert np.allclose(a, b, atol=1e-4)


@pytest.mark.parametrize("name", ["motes", "snow", "fireflies"])
def test_intensity_fades_smoothly_without_popping(name):
    canvas, m = make(name)
    energies = []
    for i in np.linspace(0.0, 1.0, 41):
        energies.append(float(np.abs(frame(canvas, m, float(i), 30.0) - SKY).sum()))
    e = np.array(energies)
    assert e[0] == 0.0 and e[-1] > 0
    assert np.all(np.diff(e) >= -1e-3 * e[-1])  # never gets darker as intensity rises
    assert np.max(np.diff(e)) < 0.15 * e[-1]  # no single step adds a big chunk


def test_particle_scale_draws_fewer():
    canvas, m = make("motes")
    full = np.abs(frame(canvas, m, 1.0, 9.0, ctx(1.0)) - SKY).sum()
    half = np.abs(frame(canvas, m, 1.0, 9.0, ctx(0.5)) - SKY).sum()
    assert 0.3 * full < half < 0.7 * full
    assert P.live_count(20000, ctx(0.35)) == 7000
    assert P.live_count(100, None) == 100


def test_busiest_counts_reach_twenty_thousand():
    total = sum(
        MOTIFS[n](Canvas(96, 54), np.random.default_rng(0)).particle_count()
        for n in ("motes", "river-of-light", "fireflies")
    )
    assert total >= 20000


def test_rank_alpha_edges_and_continuity():
    out = np.zeros(1000, np.float32)
    assert P.rank_alpha(1000, 0.0, out) == 0
    k = P.rank_alpha(1000, 1.0, out)
    assert k == 1000 and np.all(out == 1.0)
    prev = np.zeros(1000, np.float32)
    for i in np.linspace(0.0, 1.0, 201)[1:]:
        cur = np.zeros(1000, np.float32)
        P.rank_alpha(1000, float(i), cur)
        assert np.all(cur >= prev - 1e-6)
        assert np.max(cur - prev) < 0.05  # each particle fades in over many steps
        prev = cur


def test_gaussian_splat_lands_on_its_pixel_with_unit_peak():
    canvas = Canvas(32, 32)
    sp = P.Splatter(4, 5)
    x = np.array([10.5, 20.5], np.float32)
    y = np.array([7.5, 25.5], np.float32)
    n = sp.taps(canvas.w, canvas.h, x, y)
    sp.gaussian(n, 0.8, np.array([1.0, 0.5], np.float32))
    sp.add(canvas.glow, n, np.array([1.0, 0.0, 0.0], np.float32))
    assert canvas.glow[7, 10, 0] == pytest.approx(1.0)
    assert canvas.glow[25, 20, 0] == pytest.approx(0.5)
    assert canvas.glow[..., 1].max() == 0.0
    assert canvas.glow[7, 11, 0] < 0.5


def test_splat_off_frame_is_clipped_not_wrapped():
    canvas = Canvas(16, 16)
    sp = P.Splatter(1, 5)
    n = sp.taps(16, 16, np.array([0.2], np.float32), np.array([8.5], np.float32))
    sp.gaussian(n, 1.5, 1.0)
    sp.add(canvas.glow, n, np.ones(3, np.float32))
    assert canvas.glow[:, -3:].max() == 0.0  # nothing leaked onto the far edge
    assert canvas.glow[8, 0, 0] > 0.5


def test_over_is_order_independent_and_leaves_accumulators_clean():
    def paint(xs, cols):
        canvas = Canvas(24, 24)
        canvas.rgb[:] = 0.2
        sp = P.Splatter(2, 7)
        n = sp.taps(24, 24, np.array(xs, np.float32), np.array([12.0, 12.0], np.float32))
        sp.gaussian(n, 1.5, 0.9)
        sp.over(canvas, canvas.rgb, n, np.array(cols, np.float32))
        assert not P._accumulators(canvas).any()
        return canvas.rgb.copy()

    red, yellow = [1.0, 0.0, 0.0], [1.0, 0.5, 0.0]
    a = paint([10.0, 12.0], [red, yellow])
    b = paint([12.0, 10.0], [yellow, red])
    assert np.allclose(a, b, atol=1e-6)
    assert a[12, 10, 0] > 0.8  # an opaque-ish stamp covers the background
    assert 0.0 < a[12, 11, 1] < 0.5  # the overlap is a blend of both, not a hole


def test_river_of_light_is_a_ring_around_the_lower_centre():
    canvas, m = make("river-of-light", size=(320, 180))
    frame(canvas, m, 1.0, 20.0)
    g = canvas.glow.sum(axis=2)
    hz = canvas.horizon
    cy = int((hz + 0.03 + 0.95) / 2 * 180)
    centre = g[cy - 5 : cy + 5, 140:180].mean()
    front = g[int(0.93 * 180) : int(0.97 * 180), 120:200].mean()
    back = g[int((hz + 0.01) * 180) : int((hz + 0.05) * 180), 120:200].mean()
    sides = g[cy - 5 : cy + 5, 5:20].mean()
    assert front > 5 * centre and back > 3 * centre and sides > 3 * centre
    assert g[: int(hz * 180) - 2].max() == 0.0  # nothing in the sky
    assert front > back  # the near side is brighter


def test_flowers_bloom_near_first_then_far():
    canvas, m = make("flowers", size=(320, 180))
    hz = canvas.horizon

    def drawn(i):
        d = np.abs(frame(canvas, m, i, 10.0) - SKY).max(axis=2)
        near = (d[int(0.85 * 180) :] > 0.05).sum()
        far = (d[int((hz + 0.005) * 180) : int((hz + 0.1) * 180)] > 0.05).sum()
        return near, far

    n_early, f_early = drawn(0.25)
    n_full, f_full = drawn(1.0)
    assert n_early > 0.5 * n_full  # the near flowers are already open
    assert f_early < 0.2 * max(f_full, 1) and f_full > 0  # the far ones bloom later


def test_flowers_open_their_petals():
    canvas, m = make("flowers", size=(320, 180))
    sizes = []
    for i in (0.06, 0.12, 0.25, 0.5):
        d = np.abs(frame(canvas, m, i, 10.0) - SKY).max(axis=2)
        sizes.append(int((d[int(0.85 * 180) :] > 0.05).sum()))
    assert sizes == sorted(sizes) and sizes[-1] > 1.5 * max(sizes[0], 1)


def test_fish_stay_under_the_water_and_birds_in_the_sky():
    canvas, fish = make("fish")
    frame(canvas, fish, 1.0, 33.0)
    assert fish.sw.buf("y").min() >= canvas.water_top * H
    canvas, birds = make("birds")
    for t in (0.0, 100.0, 2000.0):
        frame(canvas, birds, 1.0, t)
        assert birds.sw.buf("y").max() < canvas.horizon * H


def test_fish_circle_inside_a_pond():
    canvas, fish = make("fish", size=(320, 180))
    c = FrameContext(state=ctx().state, palette=ctx().palette, motifs={"pond": 1.0})
    cx, cy, rx, ry = 0.5, 0.8, 0.36, 0.12  # the pond motif's oval
    for t in (0.0, 30.0, 95.0):
        frame(canvas, fish, 1.0, t, c)
        x = fish.sw.buf("x") / 320 - cx
        y = fish.sw.buf("y") / 180 - cy
        assert np.all((x / rx) ** 2 + (y / ry) ** 2 < 0.95)


def test_embers_rise_and_snow_falls():
    canvas, e = make("embers")
    frame(canvas, e, 1.0, 50.0)
    y0 = e.sw.buf("y").copy()
    frame(canvas, e, 1.0, 51.0)
    y1 = e.sw.buf("y")
    assert np.median(y1 - y0) < 0  # up the screen
    canvas, s = make("snow")
    frame(canvas, s, 1.0, 50.0)
    s0 = s.sw.buf("y").copy()
    frame(canvas, s, 1.0, 51.0)
    step = s.sw.buf("y") - s0
    step = step[np.abs(step) < H / 2]  # ignore the few that wrapped
    assert np.median(step) > 0
    assert np.abs(step).max() < 0.1 * H  # calm: under a tenth of the screen per second


@pytest.mark.parametrize("size", [(16, 16), (17, 9), (1280, 720)])
def test_any_canvas_size_renders_finite(size):
    for name in PARTICLE_MOTIFS:
        canvas, m = make(name, size=size)
        img = frame(canvas, m, 0.7, 1234.5)
        assert np.isfinite(img).all() and (img >= 0).all(), (name, size)


def test_light_per_screen_area_is_resolution_independent():
    """The same motes look equally bright on a small and a large canvas (no blowing out
    at low quality)."""
    means = []
    for size in ((480, 270), (960, 540)):
        canvas, m = make("motes", size=size)
        frame(canvas, m, 1.0, 77.0)
        means.append(float(canvas.glow.mean()))
    assert 0.7 < means[0] / means[1] < 1.4


@pytest.mark.parametrize("name", PARTICLE_MOTIFS)
def test_no_jump_where_time_loops(name):
    """Time is reduced modulo LOOP (float32 precision over hours): every rate is a whole
    number of cycles per LOOP, so the frame just before the wrap flows into the one after."""
    canvas, m = make(name, size=(480, 270))
    c = FrameContext(state=ctx().state, palette=ctx().palette, motifs={"pond": 1.0})
    a = frame(canvas, m, 1.0, 2 * P.LOOP - 1 / 60, c).copy()
    b = frame(canvas, m, 1.0, 2 * P.LOOP + 1 / 60, c)
    ref = frame(canvas, m, 1.0, 500.0 - 1 / 60, c).copy()
    ref2 = frame(canvas, m, 1.0, 500.0 + 1 / 60, c)
    assert np.abs(a - b).mean() <= 1.5 * np.abs(ref - ref2).mean() + 1e-6
