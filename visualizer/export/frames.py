"""Where export frames come from: the same schedule and renderer as `play`, sampled at exact
frame times (t = i / fps), so any frame is reproducible on its own.

Without burned-in captions, frames leave at the renderer's internal resolution, straight from
its 32-bit surface (a memcpy, no per-pixel conversion in Python) and ffmpeg scales them up in
its own process, on the other core: Python's share of each frame stays as small as possible.
With captions, frames are painted at full size so the text is crisp."""

from __future__ import annotations

import os
import sys
from typing import Any, Protocol

import numpy as np

from visualizer.export.burn import CaptionBurner

os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")

import pygame


class FrameSource(Protocol):
    """Paints frames into buffers the export hands it. `size` (w, h) and `pix_fmt` (ffmpeg's
    name: "rgb24" for (h, w, 3), "bgr0"/"rgb0" for (h, w, 4)) describe what it paints;
    sources without them paint rgb24 at the export size."""

    def render_into(self, index: int, t: float, out: np.ndarray) -> None:
        """Paint frame `index` (time t) into `out`, uint8."""
        ...


def surface_pix_fmt(surface: pygame.Surface) -> str:
    """ffmpeg's name for a 32-bit surface's byte order (depends on masks and endianness)."""
    r, g, b, _ = surface.get_masks()
    little = sys.byteorder == "little"
    if (r, g, b) == (0xFF0000, 0xFF00, 0xFF):
        return "bgr0" if little else "0rgb"
    if (r, g, b) == (0xFF, 0xFF00, 0xFF0000):
        return "rgb0" if little else "0bgr"
    raise ValueError(f"unexpected surface masks {surface.get_masks()}")


def channels(pix_fmt: str) -> int:
    return 3 if pix_fmt in ("rgb24", "bgr24") else 4


def rgb_view(frame: np.ndarray, pix_fmt: str) -> np.ndarray:
    """The frame's colour channels as an (h, w, 3) R,G,B view (for drawing captions)."""
    if pix_fmt == "rgb24":
        return frame
    if pix_fmt == "bgr0":
        return frame[..., 2::-1]
    if pix_fmt == "rgb0":
        return frame[..., :3]
    if pix_fmt == "0rgb":
        return frame[..., 1:]
    if pix_fmt == "0bgr":
        return frame[..., :0:-1]
    raise ValueError(pix_fmt)


class RenderedFrames:
    """Schedule -> SceneState -> Renderer -> a 32-bit surface -> the export's buffer."""

    def __init__(self, schedule: Any, renderer: Any, burner: CaptionBurner | None = None,
                 full_size: bool = False) -> None:
        self.schedule = schedule
        self.renderer = renderer
        self.burner = burner
        if burner is not None or full_size:
            self.size = (int(renderer.width), int(renderer.height))
        else:
            self.size = tuple(renderer.internal_size)
        self.surface = pygame.Surface(self.size, 0, 32)
        self.pix_fmt = surface_pix_fmt(self.surface)
        follow = getattr(renderer, "follow", None)
        if callable(follow):  # slow motifs read the schedule at their own steps
            follow(schedule.sample)

    def render_into(self, index: int, t: float, out: np.ndarray) -> None:
        state = self.schedule.sample(t)
        self.renderer.render_to_surface(self.surface, state, t)
        w, h = self.size
        view = self.surface.get_view("2")  # locks the surface only while we copy
        try:
            src = np.asarray(view).T  # (h, w) uint32 in memory order
            np.copyto(out.view(np.uint32).reshape(h, w), src)
        finally:
            del view
        if self.burner is not None:
            self.burner.apply(rgb_view(out, self.pix_fmt), t)
