"""Never dies: one failing motif is switched off, one failing frame is skipped.

The engine is someone else's numpy code running for eight hours; a NaN, a shape bug or a
rare edge case in one motif must cost that motif, not the night. Each failure is logged once.
If frames keep failing with no motif to blame, a plain palette gradient takes over.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable
from dataclasses import replace
from types import TracebackType
from typing import Any

import numpy as np
import pygame

from visualizer.engine.color import hex_to_srgb
from visualizer.engine.registry import Motif
from visualizer.resources import load_json_asset
from visualizer.timeline.model import SceneState

log = logging.getLogger("dreamviz.display")

# After this many failed frames in a row with nobody to blame, use the plain renderer.
GIVE_UP_AFTER = 20


def motif_in_traceback(tb: TracebackType | None) -> str | None:
    """The innermost motif whose code raised, found by its `self` in the failing frames."""
    name = None
    while tb is not None:
        owner = tb.tb_frame.f_locals.get("self")
        if isinstance(owner, Motif) and owner.name:
            name = owner.name
        tb = tb.tb_next
    return name


class PlainRenderer:
    """A calm vertical gradient in the scene's blended palette: the picture of last resort
    (and of a machine where the engine cannot start). One small column per frame, scaled."""

    def __init__(self, width: int, height: int, seed: int = 0, quality: str = "medium") -> None:
        self.size = (int(width), int(height))
        self._rows = 64
        self._column = np.zeros((1, self._rows, 3), dtype=np.float32)
        self._bytes = np.zeros((1, self._rows, 3), dtype=np.uint8)
        self._small = pygame.Surface((1, self._rows))
        self._palettes = {
            name: np.stack([hex_to_srgb(p[k]) for k in ("sky_top", "sky_mid", "horizon",
                                                          "ground")]).astype(np.float32)
            for name, p in load_json_asset("palettes.json").items()
        }
        self._stops = np.array([0.0, 0.35, 0.62, 1.0], dtype=np.float32)
        self._v = np.linspace(0.0, 1.0, self._rows, dtype=np.float32)

    def render_to_surface(self, surface: pygame.Surface, state: SceneState, t: float) -> None:
        colours = np.zeros((4, 3), dtype=np.float32)
        total = 0.0
        for name, weight in state.palette.items():
            stops = self._palettes.get(name)
            if stops is not None and weight > 0:
                colours += stops * weight
                total += weight
        if total <= 0:
            colours[:] = 0.05
        else:
            colours /= total
        breath = 0.92 + 0.08 * np.sin(t * 0.21)
        for c in range(3):
            self._column[0, :, c] = np.interp(self._v, self._stops, colours[:, c])
        np.multiply(self._column, 255.0 * max(0.0, min(1.0, state.fade)) * breath,
                    out=self._column)
        np.clip(self._column, 0, 255, out=self._column)
        self._bytes[:] = self._column
        pygame.surfarray.blit_array(self._small, self._bytes)
        pygame.transform.smoothscale(self._small, surface.get_size(), surface)


class SafeRenderer:
    """Wraps any renderer with `render_to_surface(surface, state, t)`."""

    def __init__(self, renderer: Any, fallback: Callable[[], Any] | None = None) -> None:
        self.renderer = renderer
        self.fallback = fallback
        self.disabled: set[str] = set()
        self.failed_frames = 0
        self._in_a_row = 0
        self._logged: set[str] = set()
        self.gave_up = False

    def _once(self, key: str, message: str) -> None:
        if key not in self._logged:
            self._logged.add(key)
            log.warning(message)

    def warm(self, names: set[str]) -> None:
        """Let the engine create a schedule's motifs now (10-100 ms each) rather than on the
        frame a cue fires; a motif that cannot even be created is switched off here."""
        warm = getattr(self.renderer, "warm", None)
        if not callable(warm):
            return
        for name in sorted(names - self.disabled):
            try:
                warm([name])
            except Exception as exc:
                self.disabled.add(name)
                self._once(f"motif:{name}", f"motif {name!r} failed to start "
                           f"({type(exc).__name__}: {exc}); it is switched off")

    def follow(self, sample: Callable[[float], SceneState]) -> None:
        """Let the engine read slow motifs from the schedule (`Renderer.follow`), if it can."""
        hook = getattr(self.renderer, "follow", None)
        if callable(hook):
            hook(sample)

    def render_to_surface(self, surface: pygame.Surface, state: SceneState, t: float) -> bool:
        """True when a new frame was painted (False: the previous one stays on screen)."""
        if self.disabled and any(name in self.disabled for name in state.motifs):
            state = replace(state, motifs={k: v for k, v in state.motifs.items()
                                           if k not in self.disabled})
        try:
            self.renderer.render_to_surface(surface, state, t)
        except Exception as exc:  # the show goes on: see the module docstring
            self.failed_frames += 1
            self._in_a_row += 1
            name = motif_in_traceback(exc.__traceback__)
            if name is not None and name not in self.disabled:
                self.disabled.add(name)
                self._once(f"motif:{name}", f"motif {name!r} failed "
                           f"({type(exc).__name__}: {exc}); it is switched off")
                hook = getattr(self.renderer, "disable_motif", None)
                if callable(hook):
                    with contextlib.suppress(Exception):
                        hook(name)
            else:
                self._once(f"frame:{type(exc).__name__}:{exc}",
                           f"a frame failed ({type(exc).__name__}: {exc}); skipping it")
            if self._in_a_row >= GIVE_UP_AFTER and self.fallback and not self.gave_up:
                self.gave_up = True
                self._once("fallback", "the picture keeps failing; showing plain colours")
                self.renderer = self.fallback()
            return False
        self._in_a_row = 0
        return True
