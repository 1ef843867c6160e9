"""Slow motifs: painted at t quantised to 1/hz and reused while their key holds. The reuse
must be invisible: a frame is the same bytes whether its parts came from a cache or not."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from engine_helpers import state

from visualizer.engine import renderer as R
from visualizer.engine.registry import MOTIFS
from visualizer.engine.renderer import Renderer
from visualizer.pipeline import prepare
from visualizer.resources import bundled_dreams

SIZE = (192, 108)


def _count_draws(monkeypatch, name: str) -> list[float]:
    calls: list[float] = []
    cls = MOTIFS[name]
    real = cls.draw

    def counting(self, canvas, intensity, t, ctx):
        calls.append(t)
        return real(self, canvas, intensity, t, ctx)

    monkeypatch.setattr(cls, "draw", counting)
    return calls


def test_rates_name_real_motifs_and_divide_the_frame_rates():
    from visualizer.engine.rates import REFRESH_HZ

    assert set(REFRESH_HZ) <= set(MOTIFS)
    for name, hz in REFRESH_HZ.items():
        assert 60 % hz == 0 and 30 % hz == 0, name
        assert MOTIFS[name].hz == (0.0 if MOTIFS[name].static else hz)


def test_a_slow_motif_is_painted_once_per_step_of_its_rate(monkeypatch):
    calls = _count_draws(monkeypatch, "clouds")
    r = Renderer(*SIZE, seed=3)
    frames = [r.render(state({"clear-sky": 1.0, "clouds": 1.0, "meadow": 1.0,
                               "leaves": 0.8}), 10.0 + i / 60) for i in range(8)]
    assert calls == [10.0, 10.0 + 4 / 60]  # 15 Hz: frames 0-3 share one step, 4-7 the next
    # the quick motif (leaves) still moves every frame
    assert all(not np.array_equal(a, b) for a, b in itertools.pairwise(frames))


def test_a_frame_of_only_slow_motifs_is_reused_whole(monkeypatch):
    calls = _count_draws(monkeypatch, "meadow")
    r = Renderer(*SIZE, seed=3)
    frames = [r.render(state({"clear-sky": 1.0, "clouds": 1.0, "meadow": 1.0}), 4.0 + i / 60)
              for i in range(4)]
    assert len(calls) == 1
    assert all(np.array_equal(frames[0], f) for f in frames[1:])
    later = r.render(state({"clear-sky": 1.0, "clouds": 1.0, "meadow": 1.0}), 4.0 + 4 / 60)
    assert len(calls) == 2 and not np.array_equal(frames[0], later)


@pytest.mark.parametrize("hz", [15.0, 30.0])
def test_quantised_time_lands_on_its_own_step(hz):
    for k in (0, 1, 7, 150, 54_000):
        assert R._slow_time(k / hz, hz) == pytest.approx(k / hz)
        assert R._slow_time(k / hz + 0.5 / hz, hz) == pytest.approx(k / hz)


@pytest.fixture(scope="module")
def mirror_grove():
    path = next(p for p in bundled_dreams() if p.stem == "mirror-grove")
    return prepare(path).schedule


@pytest.mark.parametrize("follow", [False, True], ids=["own-state", "follows-schedule"])
def test_cached_frames_equal_fresh_ones_through_a_real_dream(mirror_grove, follow):
    """Play a stretch of a bundled dream frame by frame (caches warm) and render every
    fourth frame on a fresh renderer: the bytes must match, in settled scenes and across a
    cross-fade."""
    schedule = mirror_grove
    scenes = schedule.scenes
    moments = [scenes[0].start + 0.6 * (scenes[0].end - scenes[0].start),
               scenes[3].start + 0.2]  # settled dawn; the dissolve into "Colours let go"

    def renderer() -> Renderer:
        r = Renderer(*SIZE, seed=schedule.seed)
        if follow:
            r.follow(schedule.sample)
        return r

    for start in moments:
        warm = renderer()
        for i in range(12):
            t = start + i / 60
            got = warm.render(schedule.sample(t), t)
            if i % 4 == 3:
                fresh = renderer().render(schedule.sample(t), t)
                assert np.array_equal(got, fresh), f"frame at {t:.3f} s differs from a fresh one"


def test_following_the_schedule_repaints_a_dissolve_once_per_step(mirror_grove, monkeypatch):
    """In a cross-fade every level moves; read from the schedule at the quantised time, the
    slow parts still repaint only at their rate (clouds: 15 Hz)."""
    schedule = mirror_grove
    start = schedule.scenes[3].start + 0.2
    assert len(schedule.sample(start).sides) > 1
    counts = {}
    for follow in (False, True):
        calls = _count_draws(monkeypatch, "clouds")
        r = Renderer(*SIZE, seed=schedule.seed)
        if follow:
            r.follow(schedule.sample)
        for i in range(60):
            t = start + i / 60
            r.render(schedule.sample(t), t)
        counts[follow] = len(calls)
        if follow:  # each step painted once (one of them ahead, for the next second)
            assert len(set(calls)) == len(calls)
        monkeypatch.undo()
    assert counts[True] <= 17 < counts[False]


def test_slow_motifs_see_a_quantised_context():
    r = Renderer(*SIZE, seed=1)
    s = state({"clear-sky": 1.0, "flowers": 0.5}, palette={"dawn": 0.3, "twilight": 0.7})
    s = R.replace(s, ages={"flowers": 2.345})
    key, at = r._slow_context(s, r.context(s), 20.0, {"flowers"})
    ctx = at(15.0)
    assert ctx.state.t == pytest.approx(20.0)
    assert set(ctx.motifs.values()) <= {k / R.SLOW_STEPS for k in range(R.SLOW_STEPS + 1)}
    assert ctx.state.ages["flowers"] == pytest.approx(2.345, abs=0.0101)  # 10 ms steps
    key2, _ = r._slow_context(R.replace(s, t=20.01, ages={"flowers": 2.355}), r.context(s),
                              20.01, {"flowers"})
    assert key == key2  # the same cue, 10 ms later: nothing a slow motif reads has moved


def test_every_level_a_motif_reads_of_another_is_declared():
    """A slow motif's cache key holds only the levels in READ_BY_OTHERS (and its own): a
    motif reading any other name from ctx.motifs would see a stale value."""
    import re
    from pathlib import Path

    import visualizer.engine as engine
    from visualizer.engine.rates import READ_BY_OTHERS

    read: set[str] = set()
    for path in Path(engine.__file__).parent.rglob("*.py"):
        for line in path.read_text(encoding="utf-8").splitlines():
            read.update(re.findall(r"motifs\.get\(\s*\"([a-z-]+)\"", line))
            if re.search(r"motifs\.get\(\s*[a-z_]+\b", line):  # a loop over names
                read.update(re.findall(r"\"([a-z-]+)\"", line))
    assert {"orb", "pond", "river"} <= read, "the scan found too little: the pattern is stale"
    assert read <= READ_BY_OTHERS, sorted(read - READ_BY_OTHERS)


def test_glow_only_motifs_leave_the_picture_alone_and_every_motif_only_adds_light():
    """What lets a light be painted after the slow motifs over it (rates.GLOW_ONLY)."""
    from visualizer.engine.rates import GLOW_ONLY

    r = Renderer(160, 90, seed=2)
    rng = np.random.default_rng(0)
    c = r.canvas
    picture = rng.random(c.rgb.shape, dtype=np.float32)
    light = rng.random(c.glow.shape, dtype=np.float32)
    for name in sorted(MOTIFS):
        inst = r.motif(name)
        ctx = r.context(state({"clear-sky": 1.0, name: 1.0}))
        for t in (3.0, 41.5):
            c.rgb[:] = picture
            c.glow.fill(0.0)
            inst.draw(c, 1.0, t, ctx)
            added = c.glow.copy()
            if name in GLOW_ONLY:
                assert np.array_equal(c.rgb, picture), f"{name} paints the picture"
            c.rgb[:] = picture
            c.glow[:] = light
            inst.draw(c, 1.0, t, ctx)
            np.testing.assert_allclose(c.glow - light, added, atol=1e-4, err_msg=name)


def test_a_light_under_a_slow_effect_moves_while_the_effect_is_reused(monkeypatch):
    bleed = _count_draws(monkeypatch, "bleed")
    river = _count_draws(monkeypatch, "river-of-light")
    r = Renderer(*SIZE, seed=4)
    motifs = {"clear-sky": 1.0, "meadow": 1.0, "river-of-light": 1.0, "bleed": 1.0}
    frames = [r.render(state(motifs), 30.0 + i / 60) for i in range(4)]
    assert len(bleed) == 1 and len(river) == 4
    assert not np.array_equal(frames[0], frames[1])
    fresh = Renderer(*SIZE, seed=4).render(state(motifs), 30.0 + 3 / 60)
    assert np.array_equal(frames[3], fresh)


def test_a_black_frame_is_black_without_painting(monkeypatch):
    calls = _count_draws(monkeypatch, "meadow")
    r = Renderer(*SIZE, seed=3)
    dark = r.render(state({"clear-sky": 1.0, "meadow": 1.0}, fade=0.0), 1.0)
    assert not dark.any() and not calls
    monkeypatch.undo()
    # painting it would have given black too, up to the dither's lowest step
    assert Renderer(*SIZE, seed=3).render_internal(
        state({"clear-sky": 1.0, "meadow": 1.0}, fade=0.0), 1.0).max() <= 1


def test_the_next_step_is_painted_ahead_a_little_each_frame(mirror_grove, monkeypatch):
    """Following the schedule at 60 fps, no frame repaints the whole slow base: the next
    step's base is shared out over the frames before it, and taken over when it comes."""
    schedule = mirror_grove
    scene = schedule.scenes[0]
    start = scene.start + 0.6 * (scene.end - scene.start)  # settled dawn
    slow = ("clouds", "meadow", "mosaic")
    calls: list[str] = []
    for name in slow:
        cls = MOTIFS[name]

        def counting(self, canvas, intensity, t, ctx, _real=cls.draw, _name=name):
            calls.append(_name)
            return _real(self, canvas, intensity, t, ctx)

        monkeypatch.setattr(cls, "draw", counting)
    # the share of each frame is judged by time: a fake clock (1 ms per reading) makes the
    # split the same on a loaded machine
    ticks = iter(range(10**9))
    monkeypatch.setattr(R.time, "perf_counter", lambda: next(ticks) / 1000.0)
    r = Renderer(*SIZE, seed=schedule.seed)
    r.follow(schedule.sample)
    per_frame = []
    for i in range(40):
        t = start + i / 60
        before = len(calls)
        r.render(schedule.sample(t), t)
        per_frame.append(len(calls) - before)
    present = set(calls)
    assert len(present) >= 2
    assert max(per_frame[2:]) < len(present)  # never the whole base in one frame
    assert sum(per_frame[2:]) <= len(present) * (38 // 4 + 2)  # once per 15 Hz step
