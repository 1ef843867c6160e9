"""A gentle warm glow radiating from within: a broad soft light in the middle of the frame
that breathes slowly (one breath every ~8 s), warming what it touches.

The fall-off map is built once per canvas; a frame is one multiply-add into the glow buffer.
"""

from __future__ import annotations

import numpy as np

from visualizer.engine import shapes as S
from visualizer.engine.canvas import Canvas
from visualizer.engine.registry import LAYER_LIGHT, FrameContext, Motif, motif

F32 = np.float32
WARM = np.array([1.0, 0.66, 0.34], dtype=F32)


@motif("glow", LAYER_LIGHT, "a gentle warm glow radiating from within")
class Glow(Motif):
    def __init__(self, canvas: Canvas, rng: np.random.Generator) -> None:
        super().__init__(canvas, rng)
        cx, cy = 0.5, canvas.horizon - 0.02
        dx = (canvas.u - F32(cx)) * F32(canvas.aspect)
        dy = canvas.v - F32(cy)
        d2 = np.square(dx / F32(1.25)) + np.square(dy)
        # a bright heart plus a wide, soft reach
        self.map = (
            F32(0.55) / (F32(1.0) + d2 / F32(0.006)) + F32(0.45) / (F32(1.0) + d2 / F32(0.07))
        ).astype(F32)

    def draw(self, canvas: Canvas, intensity: float, t: float, ctx: FrameContext) -> None:
        if intensity <= 0.0:
            return
        a = float(min(1.0, intensity))
        pal = ctx.palette
        breath = 0.78 + 0.22 * S.breathe(t, 0.12)
        colour = WARM * F32(0.5) + pal.light * F32(0.35) + pal.accent * F32(0.15)
        tmp = canvas.scratch("glow.w", (canvas.h, canvas.w))
        gain = (0.18 + 0.22 * pal.night) * a * breath
        S.add_scaled(canvas.glow, self.map, colour * F32(gain), tmp)
