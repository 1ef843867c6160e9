"""`dreamviz bench` measures each scene at its busiest moment (tiny sizes, fake schedules)."""

from __future__ import annotations

from dataclasses import dataclass

from visualizer.commands.bench import busiest_moment
from visualizer.engine.renderer import Renderer
from visualizer.timeline.model import SceneState


@dataclass
class _Scene:
    name: str
    start: float
    end: float


class _Schedule:
    """River of light only between 40 s and 44 s of a 0-50 s scene; meadow throughout."""

    def sample(self, t: float) -> SceneState:
        motifs = {"clear-sky": 1.0, "meadow": 1.0}
        if 40.0 <= t <= 44.0:
            motifs["river-of-light"] = 1.0
        return SceneState(t=t, palette={"dawn": 1.0}, mood={"calm": 1.0}, motifs=motifs)


def test_busiest_moment_finds_the_late_river_of_light():
    r = Renderer(96, 54)
    start, peak = busiest_moment(r, _Schedule(), _Scene("grove", 0.0, 50.0), frames=60)
    assert peak >= 10000  # the river of light, not the quiet meadow
    assert 40.0 - 1.0 <= start <= 43.0  # a 1 s window centred inside the river's span
    assert r.particle_count(_Schedule().sample(start + 0.5)) == peak


def test_busiest_moment_window_stays_inside_the_scene():
    r = Renderer(96, 54)
    scene = _Scene("short", 10.0, 10.5)
    start, _ = busiest_moment(r, _Schedule(), scene, frames=60)
    assert start == 10.0
    quiet = _Scene("quiet", 0.0, 20.0)  # no particles anywhere: the settled middle
    start, peak = busiest_moment(r, _Schedule(), quiet, frames=60)
    assert peak == r.particle_count(_Schedule().sample(11.0))
    assert abs(start + 0.5 - 0.55 * 20.0) < 0.3
