"""Special objects and light motifs: each paints something at intensity 1, nothing at 0, is
deterministic for a seed, and changes slowly between frames (no flashes)."""

from __future__ import annotations

import math

import numpy as np
import pytest

import visualizer.engine.motifs  # noqa: F401  (registers every motif)
from visualizer.engine import shapes as S
from visualizer.engine.canvas import Canvas
from visualizer.engine.palettes import blend_palette
from visualizer.engine.registry import MOTIFS, FrameContext
from visualizer.timeline.model import Camera, SceneState

W, H = 160, 90

# motif -> (palette, other motifs showing alongside it)
CASES = {
    "mirror": ("dawn", {}),
    "orb": ("starlit", {}),
    "candle": ("candlelight", {}),
    "flame": ("grove", {}),
    "beams": ("candlelight", {"candle": 1.0}),
    "glow": ("dawn", {}),
    "tunnel": ("abyss", {}),
    "figure": ("moonlit-lake", {"lake": 1.0}),
    "willows": ("dawn", {}),
    "grove": ("grove", {}),
    "tree": ("twilight", {}),
    "door": ("twilight", {}),
    "stairs": ("dawn", {}),
    "bridge": ("moonlit-lake", {"lake": 1.0}),
    "lantern": ("twilight", {}),
    "boat": ("moonlit-lake", {"lake": 1.0}),
}
OWNED = sorted(CASES)
LUMA = np.array([0.2126, 0.7152, 0.0722], dtype=np.float32)


def make_ctx(
    palette: str, motifs: dict[str, float], t: float = 0.0, camera: Camera | None = None
) -> FrameContext:
    state = SceneState(
        t=t,
        palette={palette: 1.0},
        mood={"calm": 1.0},
        motifs=dict(motifs),
        camera=camera or Camera(),
    )
    return FrameContext(state=state, palette=blend_palette({palette: 1.0}), motifs=dict(motifs))


_INSTANCES: dict[tuple[str, int], tuple[Canvas, object]] = {}


def instance(name: str, seed: int):
    """One canvas + motif per (name, seed): building trees is the slow part, drawing is not."""
    key = (name, seed)
    if key not in _INSTANCES:
        canvas = Canvas(W, H)
        _INSTANCES[key] = (canvas, MOTIFS[name](canvas, np.random.default_rng(seed)))
    return _INSTANCES[key]


def frame(
    name: str, intensity: float, t: float, seed: int = 1, extra=None, camera=None
) -> np.ndarray:
    """The motif drawn over a flat backdrop; returns rgb + glow (what the compositor sees)."""
    palette, others = CASES[name]
    others = dict(others if extra is None else extra)
    others[name] = intensity
    canvas, m = instance(name, seed)
    pal = blend_palette({palette: 1.0})
    canvas.rgb[:] = pal.sky_mid * 0.5
    canvas.rgb[int(H * canvas.horizon) :] = pal.ground * 0.5
    canvas.glow.fill(0.0)
    m.draw(canvas, intensity, t, make_ctx(palette, others, t, camera))
    return canvas.rgb + canvas.glow


def backdrop(name: str) -> np.ndarray:
    return frame(name, 0.0, 0.0)


@pytest.mark.parametrize("name", OWNED)
def test_registered_with_catalogue_layer(name):
    assert name in MOTIFS
    assert MOTIFS[name].description


@pytest.mark.parametrize("name", OWNED)
def test_paints_at_full_intensity_and_nothing_at_zero(name):
    base = backdrop(name)
    full = frame(name, 1.0, 12.0)
    zero = frame(name, 0.0, 12.0)
    assert np.array_equal(zero, base)
    # compare perceptually (sqrt ~ gamma): a dark boat on dark water still counts
    changed = np.abs(np.sqrt(np.clip(full, 0, None)) - np.sqrt(base)).max(axis=2) > 0.03
    assert changed.sum() > 20, f"{name} barely visible ({changed.sum()} px)"
    assert np.isfinite(full).all()


@pytest.mark.parametrize("name", OWNED)
def test_deterministic(name):
    a = frame(name, 0.8, 37.25, seed=5)
    frame(name, 0.3, 3.0, seed=5)  # drawing another moment in between changes nothing
    b = frame(name, 0.8, 37.25, seed=5)
    _INSTANCES.pop((name, 5))
    c = frame(name, 0.8, 37.25, seed=5)  # and a fresh instance with the same seed agrees
    assert np.array_equal(a, b)
    assert np.array_equal(a, c)


@pytest.mark.parametrize("name", OWNED)
def test_changes_slowly_no_flash(name):
    """Mean luminance moves by a tiny amount between frames 1/30 s apart, and no pixel jumps."""
    prev = None
    for k in range(12):
        t = 20.0 + k * 2.7  # sample across several seconds of the cycle
        a = np.clip(frame(name, 1.0, t), 0.0, 1.0)
        b = np.clip(frame(name, 1.0, t + 1.0 / 30.0), 0.0, 1.0)
        ya, yb = a @ LUMA, b @ LUMA
        assert abs(float(ya.mean() - yb.mean())) < 0.002
        assert float(np.abs(ya - yb).max()) < 0.12
        prev = ya
    assert prev is not None


def test_orb_moves_toward_the_water_as_the_pond_rises():
    from visualizer.engine.motifs.light_orb import orb_placement, water_target

    canvas = Canvas(W, H)
    levels = (0.0, 0.3, 0.6, 1.0)
    places = [orb_placement(canvas, 30.0, {"pond": p}) for p in levels]
    wx, wy, _ = water_target(canvas, {"pond": 1.0})
    dist = [math.hypot(x - wx, y - wy) for x, y, _r, _m in places]
    assert dist[0] > dist[1] > dist[2] >= dist[3]
    assert dist[3] < 0.02 * H  # it ends on the pond
    assert wy >= canvas.water_top * H  # which is on the water, below the far shore
    rs = [r for _x, _y, r, _m in places]
    assert rs[0] > rs[1] > rs[2] > rs[3]  # floating away and merging, it shrinks
    assert places[0][3] == 0.0 and places[-1][3] == 1.0
    # a lake works the same way, and the descent is the same at any time: no hidden state
    _lx, ly, _r, merge = orb_placement(canvas, 30.0, {"lake": 1.0})
    assert ly > canvas.water_top * H and merge == 1.0
    assert orb_placement(canvas, 30.0, {"pond": 0.6}) == places[2]


def test_orb_light_follows_the_water():
    held = frame("orb", 1.0, 30.0, extra={})
    merged = frame("orb", 1.0, 30.0, extra={"pond": 1.0})
    water_row = int(Canvas(W, H).water_top * H)
    lum_held = (held @ LUMA)[: water_row - 2].mean()
    lum_merged = (merged @ LUMA)[: water_row - 2].mean()
    assert lum_merged < lum_held  # nothing left hanging in the air once merged
    assert (merged @ LUMA)[water_row:].max() > (backdrop("orb") @ LUMA)[water_row:].max() + 0.05


def test_shapes_coverage_is_soft_and_bounded():
    canvas = Canvas(64, 64)
    r = S.region_around(canvas, 32, 32, 12, 12)
    cov = S.coverage(S.sd_disc(r, 32, 32, 8))
    assert cov.shape == r.shape
    assert cov.max() == 1.0 and cov.min() == 0.0
    edge = np.logical_and(cov > 0.05, cov < 0.95).sum()
    assert 0 < edge < 120  # a one-pixel anti-aliased rim, not a blur
    assert S.region_around(canvas, -50, -50, 5, 5).empty


def test_sprite_builder_stamps_only_inside_its_box():
    b = S.SpriteBuilder((64, 64), 10, 10, 40, 40)
    b.capsule(0, 0, 60, 60, 2.0, shade=1.0)
    sp = b.build()
    assert sp.alpha.shape == (30, 30)
    assert sp.alpha.max() == 1.0
    assert np.allclose(sp.shade[sp.alpha > 0.99], 1.0)


def test_beams_spread_from_the_candle_when_it_shows():
    from visualizer.engine.motifs.objects_candle import candle_flame_point

    fx, fy = candle_flame_point(Canvas(W, H))
    rows = np.arange(H, dtype=np.float32)[:, None]

    def centroid_y(img):
        lum = np.clip(img @ LUMA, 0.0, None)
        return float((lum * rows).sum() / lum.sum())

    with_candle = frame("beams", 1.0, 5.0, extra={"candle": 1.0}) - backdrop("beams")
    from_above = frame("beams", 1.0, 5.0, extra={}) - backdrop("beams")
    # rays from the candle are centred on its flame; light from above is weighted to the top
    assert abs(centroid_y(with_candle) - fy) < 0.15 * H
    lum_above = from_above @ LUMA
    peak_row = np.unravel_index(np.argmax(lum_above), lum_above.shape)[0]
    assert peak_row < H // 2  # light falling in from above is strongest high up
    left = (with_candle @ LUMA)[:, : int(fx)].sum()
    right = (with_candle @ LUMA)[:, int(fx) :].sum()
    assert 0.6 < left / right < 1.6


def test_candle_glow_grows_with_intensity():
    base = backdrop("candle") @ LUMA
    lums = [float((frame("candle", i, 9.0) @ LUMA - base).sum()) for i in (0.2, 0.5, 1.0)]
    assert lums[0] < lums[1] < lums[2]


def test_tunnel_covers_the_landscape_as_it_rises():
    base = backdrop("tunnel")
    half = frame("tunnel", 0.5, 7.0)
    full = frame("tunnel", 1.0, 7.0)
    # at full intensity nothing of the backdrop remains; half is in between
    d_half = np.abs(half - base).mean()
    d_full = np.abs(full - base).mean()
    assert 0.2 * d_full < d_half < 0.8 * d_full
    full2 = frame("tunnel", 1.0, 7.0)
    assert np.array_equal(full, full2)


def test_tunnel_pulse_keeps_mean_brightness_steady_over_a_cycle():
    """The pulse travels down the walls, so over a 4 s cycle the mean barely moves."""
    means = [
        float((np.clip(frame("tunnel", 1.0, 30.0 + k * 0.5), 0, 1) @ LUMA).mean()) for k in range(8)
    ]
    assert max(means) - min(means) < 0.25 * max(means)


def test_upsample2x_is_bilinear_and_preserves_flat_fields():
    src = np.full((5, 7), 0.3, np.float32)
    out = np.zeros((10, 14), np.float32)
    tmp = np.zeros((10, 7), np.float32)
    S.upsample2x(src, out, tmp)
    assert np.allclose(out, 0.3)
    ramp = np.tile(np.arange(7, dtype=np.float32), (5, 1))
    S.upsample2x(ramp, out, tmp)
    assert np.all(np.diff(out[3]) >= 0)
    assert abs(out[3, 7] - 3.25) < 1e-5


def test_figure_reflects_only_when_water_shows():
    from visualizer.engine.motifs.objects_figure import figure_anchor

    _x, feet, _h = figure_anchor(Canvas(W, H))
    below = slice(int(feet) + 3, H)
    dry = frame("figure", 1.0, 4.0, extra={})
    wet = frame("figure", 1.0, 4.0, extra={"lake": 1.0})
    above = slice(0, int(feet) - 1)
    assert np.array_equal(dry[above], wet[above])  # the figure itself is the same
    # plus its reflection in the lake: a figure-sized patch of changed pixels
    assert (np.abs(wet[below] - dry[below]).max(axis=2) > 0.001).sum() > 20


def test_figure_stands_small_near_the_horizon():
    from visualizer.engine.motifs.objects_figure import figure_anchor

    c = Canvas(W, H)
    _x, feet, h = figure_anchor(c)
    assert c.horizon * H <= feet <= c.water_top * H
    assert h < 0.2 * H


def test_every_owned_catalogue_name_is_covered():
    import json

    from visualizer.resources import load_json_asset

    catalogue = load_json_asset("motifs.json")
    wanted = {
        "mirror",
        "willows",
        "grove",
        "tree",
        "orb",
        "flame",
        "candle",
        "beams",
        "glow",
        "figure",
        "tunnel",
        "door",
        "stairs",
        "bridge",
        "lantern",
        "boat",
    }
    assert wanted <= set(catalogue)
    assert wanted == set(CASES)
    json.dumps(sorted(wanted))


def test_boat_bobs_and_drifts_smoothly():
    from visualizer.engine.motifs.objects_boat import boat_position

    c = Canvas(W, H)
    pts = [boat_position(c, 10.0 + k / 30.0) for k in range(60)]
    xs = np.array([p[0] for p in pts])
    ys = np.array([p[1] for p in pts])
    assert np.abs(np.diff(xs)).max() < 0.05 and np.abs(np.diff(ys)).max() < 0.05
    assert all(y > c.water_top * H for y in ys)


def test_lantern_swings_a_little():
    canvas = Canvas(W, H)
    lantern = MOTIFS["lantern"](canvas, np.random.default_rng(3))
    angles = [lantern.geometry(t, 0.3)[2] for t in np.linspace(0.0, 20.0, 81)]
    assert 0.01 < max(angles) < 0.1 and min(angles) < 0.0


@pytest.mark.parametrize(
    ("name", "depth"),
    [
        ("mirror", 0.75),
        ("candle", 0.75),
        ("flame", 0.75),
        ("figure", 0.75),
        ("door", 0.75),
        ("stairs", 0.75),
        ("bridge", 0.75),
        ("tree", 0.75),
        ("boat", 0.75),
        ("lantern", 1.0),
        ("willows", 1.0),
        ("grove", 1.0),
    ],
)
def test_objects_follow_the_camera_parallax(name, depth):
    """As the camera drifts, things standing on the ground move with the ground (and near
    things more): a drift of exactly 2 px at their depth moves the whole picture 2 px, and
    what comes in at the frame edge was built beyond it (no empty strip)."""
    k, m = 2, 8
    still = frame(name, 1.0, 3.0, camera=Camera(x=0.0))
    moved = frame(name, 1.0, 3.0, camera=Camera(x=k / (depth * W)))
    if name != "grove":  # the grove is layered: far trunks and ground light move less
        assert np.abs(moved[:, k + m : W - m] - still[:, m : W - m - k]).max() < 0.02
    if name in ("willows", "grove"):
        # the edge column that slid into view is painted like its neighbours
        left = np.abs(moved[:, 0] - backdrop(name)[:, 0]).max()
        assert left > 0.01


@pytest.mark.parametrize("name", ["mirror", "door", "figure", "stairs", "candle"])
def test_a_sub_pixel_drift_moves_objects_smoothly(name):
    """0.3 px of drift moves an object about 0.3 px, not 0 and not a whole pixel."""
    cols = np.arange(W, dtype=np.float64)
    base = backdrop(name) @ LUMA

    def centre_x(cam_x):
        diff = np.abs(frame(name, 1.0, 3.0, camera=Camera(x=cam_x)) @ LUMA - base).sum(axis=0)
        return float((diff * cols).sum() / diff.sum())

    moved = centre_x(0.3 / (0.75 * W)) - centre_x(0.0)
    assert 0.12 < moved < 0.5


def test_glow_gathers_round_the_held_orb():
    from visualizer.engine.motifs.light_orb import orb_placement

    canvas, glow = instance("glow", 1)
    x0, _y0, k0 = glow.centre(canvas, 12.0, {})
    assert k0 == 0.0 and abs(x0 - W / 2) < 1
    ox, oy, _r, _m = orb_placement(canvas, 12.0, {"orb": 1.0})
    x1, y1, k1 = glow.centre(canvas, 12.0, {"orb": 1.0})
    assert k1 == 1.0 and abs(x1 - ox) < 1e-6 and abs(y1 - oy) < 1e-6
    # once the orb has gone into the pond the glow returns to the middle
    assert glow.centre(canvas, 12.0, {"orb": 1.0, "pond": 1.0})[2] == 0.0
    lit = (frame("glow", 1.0, 12.0, extra={"orb": 1.0}) - backdrop("glow")) @ LUMA
    row = round(oy)
    assert np.argmax(lit.sum(axis=1)) in range(row - 3, row + 4)


def test_a_candle_stays_visible_inside_the_tunnel():
    """The tunnel covers the landscape, but a candle ahead in its darkness shows through."""
    from visualizer.engine.motifs.objects_candle import candle_geometry

    canvas = Canvas(W, H)
    pal = blend_palette({"abyss": 1.0})
    candle = MOTIFS["candle"](canvas, np.random.default_rng(1))
    tunnel = MOTIFS["tunnel"](canvas, np.random.default_rng(1))
    x, top, bottom, _hw = candle_geometry(canvas)
    body = (slice(int(top) + 2, int(bottom) - 2), slice(int(x) - 1, int(x) + 2))

    def paint(motifs):
        canvas.rgb[:] = pal.sky_mid * 0.2
        canvas.glow.fill(0.0)
        ctx = make_ctx("abyss", motifs, 9.0)
        if "candle" in motifs:
            candle.draw(canvas, motifs["candle"], 9.0, ctx)
        tunnel.draw(canvas, 1.0, 9.0, ctx)
        return canvas.rgb.copy()

    without = paint({"tunnel": 1.0})
    with_candle = paint({"tunnel": 1.0, "candle": 1.0})
    assert (with_candle[body] @ LUMA).mean() > (without[body] @ LUMA).mean() + 0.05
    corner = (slice(0, 10), slice(0, 10))
    assert np.array_equal(with_candle[corner], without[corner])


@pytest.mark.parametrize("offset", [(3.0, 2.0), (2.5, 0.0), (-4.25, -1.0), (0.3, 0.0)])
def test_sprite_paint_moves_by_its_offset_without_losing_coverage(offset):
    b = S.SpriteBuilder((60, 40), 5, 5, 45, 35)
    b.ellipse(25, 20, 8, 6, shade=1.0)
    b.rect(20, 25, 4, 4, shade=0.3)
    sprite = b.build()
    ref = np.full((40, 60, 3), 0.2, np.float32)
    sprite.paint(ref, [0, 0, 0], [1, 0.5, 0.25], 0.9)
    out = np.full((40, 60, 3), 0.2, np.float32)
    sprite.paint(out, [0, 0, 0], [1, 0.5, 0.25], 0.9, offset=offset)
    cols, rows = np.arange(60.0), np.arange(40.0)
    m_ref, m_out = (ref - 0.2).sum(axis=2), (out - 0.2).sum(axis=2)
    assert abs(m_out.sum() - m_ref.sum()) < 1e-3  # nothing lost or doubled in the shift
    dx = (m_out.sum(axis=0) @ cols) / m_out.sum() - (m_ref.sum(axis=0) @ cols) / m_ref.sum()
    dy = (m_out.sum(axis=1) @ rows) / m_out.sum() - (m_ref.sum(axis=1) @ rows) / m_ref.sum()
    assert abs(dx - offset[0]) < 1e-3
    assert abs(dy - round(offset[1])) < 1e-3


def test_shift_view_clips_at_the_canvas_edge():
    buf = np.zeros((10, 10, 3), np.float32)
    r = S.region((10, 10), 6, 6, 10, 10)
    dst, sl = S.shift_view(buf, r, (2, 1))
    assert dst.shape[:2] == (3, 2)
    assert np.zeros(r.shape)[sl].shape == (3, 2)
    assert S.shift_view(buf, r, (20, 0)) is None


def test_the_orb_is_held_in_hands_until_it_is_released_to_the_water():
    base = backdrop("orb") @ LUMA
    bottom = slice(H - 6, H)  # the forearms run out of the bottom of the frame
    held = frame("orb", 1.0, 20.0, extra={}) @ LUMA
    released = frame("orb", 1.0, 20.0, extra={"pond": 1.0}) @ LUMA
    assert np.abs(held[bottom] - base[bottom]).max() > 0.005
    assert np.abs(released[bottom] - base[bottom]).max() < np.abs(held[bottom] - base[bottom]).max()


def test_sprite_poses_blend_keeps_coverage_whole():
    """Half way between two poses the shape is as opaque as either pose (no see-through
    moment in the sway), and each pose alone paints exactly like the pose's own sprite."""
    poses = []
    for x in (20.0, 22.0):
        b = S.SpriteBuilder((60, 40), 5, 5, 45, 35)
        b.rect(x, 20, 6, 8, shade=1.0)
        poses.append(b.build())
    stack = S.SpritePoses(poses)
    solo = np.full((40, 60, 3), 0.2, np.float32)
    poses[0].paint(solo, [0, 0, 0], [1, 1, 1], 1.0)
    via = np.full((40, 60, 3), 0.2, np.float32)
    stack.paint(via, [0, 0, 0], [1, 1, 1], 1.0, {0: 1.0})
    assert np.allclose(solo, via, atol=1e-6)
    mid = np.full((40, 60, 3), 0.2, np.float32)
    stack.paint(mid, [0, 0, 0], [1, 1, 1], 1.0, {0: 0.5, 1: 0.5})
    assert np.allclose(mid[20, 21], 1.0)  # inside both poses: fully covered
