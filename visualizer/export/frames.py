"""Where export frames come from: the same schedule and renderer as `play`, sampled at exact
frame times (t = i / fps), so any frame is reproducible on its own."""

from __future__ import annotations

from typing import Any, Protocol

import numpy as np

from visualizer.export.burn import CaptionBurner


class FrameSource(Protocol):
    def render_into(self, index: int, t: float, out: np.ndarray) -> None:
        """Paint frame `index` (time t) into `out`, uint8 (h, w, 3)."""
        ...


class RenderedFrames:
    """Schedule -> SceneState -> Renderer, plus burned-in captions when asked."""

    def __init__(self, schedule: Any, renderer: Any, burner: CaptionBurner | None = None) -> None:
        self.schedule = schedule
        self.renderer = renderer
        self.burner = burner

    def render_into(self, index: int, t: float, out: np.ndarray) -> None:
        state = self.schedule.sample(t)
        np.copyto(out, self.renderer.render(state, t))
        if self.burner is not None:
            self.burner.apply(out, t)
