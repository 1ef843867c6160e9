"""Motifs: everything the engine can paint, by name. The catalogue of names lives in
assets/motifs.json; each name has exactly one class registered here with `@motif(...)`.

A motif's picture must be a pure function of (seed, t, state): no integration state carried
between frames, so `still --at T` is instant, export can render any frame, and the same seed
gives the same frame. Precompute per-motif data (particle seeds, shapes, masks) in __init__.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import ClassVar

import numpy as np

from visualizer.engine.canvas import Canvas
from visualizer.engine.rates import GLOW_ONLY, REFRESH_HZ
from visualizer.timeline.model import SceneState

# Painting order, back to front.
LAYER_SKY = 0  # the sky gradient itself
LAYER_CELESTIAL = 10  # stars, moon, sun glow, aurora, clouds
LAYER_FAR = 20  # distant silhouettes: hills, mountains, treeline, city
LAYER_GROUND = 30  # meadow, mosaic, path, shore, sand, snowfield
LAYER_WATER = 40  # pond, lake, sea, river: reflect what is above
LAYER_NEAR = 50  # near silhouettes and objects: grove, willows, mirror, candle, figure, door
LAYER_PARTICLES = 60  # leaves, fireflies, butterflies, petals, snow, rain, embers, birds
LAYER_LIGHT = 70  # orb, flame, beams, glow, river of light (mostly into canvas.glow)
LAYER_EFFECT = 80  # whole-frame effects: tunnel, bleed, mist, waking


@dataclass(frozen=True)
class Palette:
    """A palette blended for this frame, colours in linear RGB (float32 arrays of 3)."""

    sky_top: np.ndarray
    sky_mid: np.ndarray
    horizon: np.ndarray
    far: np.ndarray
    near: np.ndarray
    ground: np.ndarray
    water: np.ndarray
    mist: np.ndarray
    accent: np.ndarray
    light: np.ndarray
    night: float = 0.0  # 0 daylight .. 1 deep night (stars show, light sources stand out)


@dataclass(frozen=True)
class FrameContext:
    """What a motif may read besides its intensity: the scene state, the blended palette,
    the mood-driven pace (1.0 calm; fear is slower and heavier, joy a little livelier),
    wind direction/strength, and the intensity of every other motif (for interplay,
    e.g. the orb drifting down once `pond` is showing)."""

    state: SceneState
    palette: Palette
    pace: float = 1.0
    wind: float = 0.3
    quality: str = "medium"
    motifs: dict[str, float] = field(default_factory=dict)
    particle_scale: float = 1.0  # fraction of full particle counts to draw (quality/adaptive)


class Motif:
    """Base class. Subclasses set `name`, `layer`, `description`, allocate in __init__, and
    paint in `draw` (in place on `canvas`, scaled by `intensity` 0..1)."""

    name: ClassVar[str] = ""
    layer: ClassVar[int] = LAYER_NEAR
    description: ClassVar[str] = ""
    # True when `draw` ignores `t` (depends only on intensity, palette and camera): the
    # renderer may then paint it once into a cached background and reuse it across frames.
    static: ClassVar[bool] = False
    # > 0 when the picture changes slowly: the renderer may paint it at t quantised to 1/hz
    # (and its intensity and context quantised) and reuse the result until that moves. Set
    # from rates.REFRESH_HZ at registration; 0 means painted every frame.
    hz: ClassVar[float] = 0.0
    # True when `draw` only adds light into canvas.glow (rates.GLOW_ONLY)
    glow_only: ClassVar[bool] = False

    def __init__(self, canvas: Canvas, rng: np.random.Generator) -> None:
        self.canvas = canvas
        self.rng = rng

    def particle_count(self) -> int:
        """Live particles this motif draws at full intensity (for `bench`)."""
        return 0

    def draw(self, canvas: Canvas, intensity: float, t: float, ctx: FrameContext) -> None:
        raise NotImplementedError


MOTIFS: dict[str, type[Motif]] = {}


def motif(name: str, layer: int, description: str) -> Callable[[type[Motif]], type[Motif]]:
    """Register a Motif subclass under `name` (one of the names in assets/motifs.json)."""

    def wrap(cls: type[Motif]) -> type[Motif]:
        if name in MOTIFS:
            raise ValueError(f"motif {name!r} registered twice")
        cls.name = name
        cls.layer = layer
        cls.description = description
        cls.hz = 0.0 if cls.static else REFRESH_HZ.get(name, 0.0)
        cls.glow_only = name in GLOW_ONLY
        MOTIFS[name] = cls
        return cls

    return wrap
