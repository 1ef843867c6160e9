"""Cross-fades: each side of a transition keeps its own cached background and a frame blends
them, so a dissolve does not repaint the sky and static layers every frame."""

from __future__ import annotations

import numpy as np
import pytest

from visualizer.engine.renderer import Renderer
from visualizer.timeline.model import SceneSide, SceneState

A = SceneSide(1.0, "dawn", ("clear-sky", "meadow", "hills"))
B = SceneSide(1.0, "night", ("night-sky", "meadow", "mountains"))


def crossfade(w: float, extra: tuple[str, ...] = ()) -> SceneState:
    """The state `Schedule.sample` gives with B at weight w over A (scene motifs at their
    scene's weight, shared ones at the larger)."""
    motifs: dict[str, float] = {}
    sides = []
    for side, weight in ((A, 1.0 - w), (B, w)):
        if weight <= 0:
            continue
        sides.append(SceneSide(weight, side.palette, side.motifs + extra))
        for n in side.motifs + extra:
            motifs[n] = max(motifs.get(n, 0.0), weight)
    palette = {s.palette: s.weight for s in sides}
    return SceneState(t=0.0, palette=palette, mood={"calm": 1.0}, motifs=motifs,
                      transition=w if 0 < w < 1 else 1.0, sides=tuple(sides))


def count_builds(renderer: Renderer, monkeypatch: pytest.MonkeyPatch) -> list[int]:
    calls = [0]
    original = renderer._build_background

    def counted(*args, **kw):
        calls[0] += 1
        return original(*args, **kw)

    monkeypatch.setattr(renderer, "_build_background", counted)
    return calls


@pytest.mark.parametrize("extra", [(), ("clouds",)])  # plain, and layered (moving sky)
def test_a_dissolve_paints_each_side_once(monkeypatch, extra):
    r = Renderer(160, 90)
    calls = count_builds(r, monkeypatch)
    for w in np.linspace(0.05, 0.95, 12):
        r.render(crossfade(float(w), extra), 3.0)
    assert calls[0] == 2  # one background per side, then only blends
    r.render(crossfade(1.0, extra), 3.0)  # settled on B: its background is reused
    assert calls[0] == 2


@pytest.mark.parametrize("extra", [(), ("clouds",)])
def test_the_ends_of_a_dissolve_are_the_settled_scenes(extra):
    settled_a = Renderer(160, 90).render(crossfade(0.0, extra), 2.0)
    settled_b = Renderer(160, 90).render(crossfade(1.0, extra), 2.0)
    assert np.abs(settled_a.astype(int) - settled_b.astype(int)).mean() > 10
    r = Renderer(160, 90)
    near_a = r.render(crossfade(0.001, extra), 2.0)
    near_b = r.render(crossfade(0.999, extra), 2.0)
    assert np.abs(near_a.astype(int) - settled_a.astype(int)).max() <= 2
    assert np.abs(near_b.astype(int) - settled_b.astype(int)).max() <= 2


def test_the_blend_moves_steadily_from_one_side_to_the_other():
    r = Renderer(160, 90)
    means = [r.render(crossfade(float(w)), 1.0).astype(float).mean() for w in
             np.linspace(0.0, 1.0, 9)]
    steps = np.diff(means)
    assert (steps < 0).all()  # dawn -> night darkens at every step, never a jump back
    # even in what the eye sees (sRGB means), not front-loaded as a light-linear lerp of a
    # bright scene and a dark one would be: no pop at either end
    assert np.abs(steps).max() < 0.18 * abs(means[-1] - means[0])


def test_a_blended_frame_is_pure_in_its_inputs():
    states = [crossfade(w, ("clouds",)) for w in (0.2, 0.5, 0.8)]
    one = Renderer(160, 90, seed=4)
    forward = [one.render(s, 5.0).tobytes() for s in states]
    two = Renderer(160, 90, seed=4)
    backward = [two.render(s, 5.0).tobytes() for s in reversed(states)][::-1]
    fresh = Renderer(160, 90, seed=4).render(states[1], 5.0).tobytes()
    assert forward == backward and forward[1] == fresh


def test_a_cue_on_a_static_motif_shows_on_both_sides():
    base = crossfade(0.5)
    cued = SceneState(t=0.0, palette=base.palette, mood=base.mood,
                      motifs={**base.motifs, "moon": 0.8}, sides=base.sides)
    r = Renderer(160, 90)
    assert np.abs(r.render(cued, 1.0).astype(int) - r.render(base, 1.0).astype(int)).max() > 20


def test_schedule_sample_lists_the_visible_scenes():
    from visualizer.script import load_script_text
    from visualizer.timeline import build_schedule, reading_pace_clip

    script = load_script_text(
        "@scene One palette=dawn sky=clear-sky ground=meadow layers=hills\n"
        "The light rises over the hills and the meadow wakes slowly.\n\n"
        "@scene Two palette=night sky=night-sky ground=meadow transition=dissolve:4\n"
        "Night falls over the meadow and the stars come out one by one.\n",
    )
    schedule = build_schedule(script, [reading_pace_clip(s) for s in script.sentences])
    settled = schedule.sample(schedule.scenes[0].start + 0.5)
    assert [(s.palette, s.weight) for s in settled.sides] == [("dawn", 1.0)]
    assert settled.sides[0].motifs == ("clear-sky", "meadow", "hills")
    mid = schedule.sample(schedule.scenes[1].start)
    assert [s.palette for s in mid.sides] == ["dawn", "night"]
    assert sum(s.weight for s in mid.sides) == pytest.approx(1.0)
    assert 0.0 < mid.sides[1].weight < 1.0


def test_three_visible_scenes_blend_and_stay_cached(monkeypatch):
    c = SceneSide(0.2, "forest", ("night-sky", "meadow", "pines"))
    base = crossfade(0.5)
    sides = (SceneSide(0.4, A.palette, A.motifs), SceneSide(0.4, B.palette, B.motifs), c)
    motifs: dict[str, float] = {}
    for side in sides:
        for n in side.motifs:
            motifs[n] = max(motifs.get(n, 0.0), side.weight)
    state = SceneState(t=0.0, palette={"dawn": 0.4, "night": 0.4, "forest": 0.2},
                       mood={"calm": 1.0}, motifs=motifs, sides=sides)
    r = Renderer(160, 90)
    calls = count_builds(r, monkeypatch)
    first = r.render(state, 1.0)
    again = r.render(state, 1.0)
    assert calls[0] == 3 and first.tobytes() == again.tobytes()
    two = r.render(base, 1.0)  # back to two sides: the pair is still cached
    assert calls[0] == 3 and np.abs(two.astype(int) - first.astype(int)).mean() > 1
