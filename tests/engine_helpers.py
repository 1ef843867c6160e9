"""Shared helpers for the engine tests (not a test module)."""

from __future__ import annotations

import numpy as np

from visualizer.timeline.model import SceneState

NEUTRAL = "twilight"  # mid-bright sky where lights and silhouettes both show


def state(motifs: dict[str, float] | None = None, palette: str | dict = NEUTRAL, t: float = 0.0,
          fade: float = 1.0) -> SceneState:
    return SceneState(
        t=t,
        palette={palette: 1.0} if isinstance(palette, str) else dict(palette),
        mood={"calm": 1.0},
        motifs=dict(motifs or {}),
        fade=fade,
    )


def relative_luminance(frame: np.ndarray) -> np.ndarray:
    """uint8 sRGB (h, w, 3) -> relative luminance 0..1 per pixel (WCAG)."""
    c = frame.astype(np.float32) / 255.0
    lin = np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)
    return lin @ np.array([0.2126, 0.7152, 0.0722], np.float32)
