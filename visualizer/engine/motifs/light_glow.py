"""A gentle warm glow radiating from within: a broad soft light in the middle of the frame
that breathes slowly (one breath every ~8 s), warming what it touches.

The fall-off maps are built once per canvas; a frame is one multiply-add into the glow buffer.
On a large canvas (whose glow buffer does not stay in cache) the maps are stored with each
value repeated for R, G and B (see lightmaps): one contiguous pass instead of three strided
per-channel ones, 1.35x faster at 960x540; on a small one the strided passes hit the cache and
the 3x larger maps would cost more (7% slower at 640x360), so they stay (h, w).
"""

from __future__ import annotations

import numpy as np

from visualizer.engine import shapes as S
from visualizer.engine.canvas import Canvas
from visualizer.engine.lightmaps import BIG_CANVAS, add_rows, colour_row, interleave
from visualizer.engine.motifs.light_orb import orb_placement
from visualizer.engine.registry import LAYER_LIGHT, FrameContext, Motif, motif

F32 = np.float32
WARM = np.array([1.0, 0.66, 0.34], dtype=F32)


@motif("glow", LAYER_LIGHT, "a gentle warm glow radiating from within")
class Glow(Motif):
    def __init__(self, canvas: Canvas, rng: np.random.Generator) -> None:
        super().__init__(canvas, rng)
        W, H = canvas.w, canvas.h
        self.cx, self.cy = 0.5 * W, (canvas.horizon - 0.02) * H
        # built with a margin so the glow can gather round a light source (the orb) by
        # taking a shifted window: a view, no per-frame work beyond the one add
        self.mx, self.my = int(0.1 * W) + 1, int(0.2 * H) + 1
        xs = (np.arange(-self.mx, W + self.mx, dtype=F32) + F32(0.5) - F32(self.cx)) / F32(H)
        ys = (np.arange(-self.my, H + self.my, dtype=F32) + F32(0.5) - F32(self.cy)) / F32(H)
        d2 = np.square(xs[None, :] / F32(1.25)) + np.square(ys[:, None])
        # a bright heart plus a wide, soft reach; round the orb only the reach (the orb is
        # its own bright heart)
        self.wide = (F32(0.45) / (F32(1.0) + d2 / F32(0.035))).astype(F32)
        self.map = (F32(0.55) / (F32(1.0) + d2 / F32(0.006)) + self.wide).astype(F32)
        self.rgb_rows = W * H >= BIG_CANVAS
        if self.rgb_rows:
            self.wide, self.map = interleave(self.wide), interleave(self.map)
            self._rows = (np.empty(W * 3, F32), np.empty(W * 3, F32))

    def centre(
        self, canvas: Canvas, t: float, motifs: dict[str, float]
    ) -> tuple[float, float, float]:
        """(x, y, k): where the glow gathers, in the middle or round the orb while it is
        held (k = how much it is round the orb)."""
        orb = S.smoothstep(0.0, 0.5, float(motifs.get("orb", 0.0)))
        if orb <= 0.0:
            return self.cx, self.cy, 0.0
        ox, oy, _r, merge = orb_placement(canvas, t, motifs)
        k = orb * (1.0 - merge)
        return self.cx + (ox - self.cx) * k, self.cy + (oy - self.cy) * k, k

    def draw(self, canvas: Canvas, intensity: float, t: float, ctx: FrameContext) -> None:
        if intensity <= 0.0:
            return
        a = float(min(1.0, intensity))
        pal = ctx.palette
        breath = 0.78 + 0.22 * S.breathe(t, 0.12)
        colour = WARM * F32(0.5) + pal.light * F32(0.35) + pal.accent * F32(0.15)
        tx, ty, k = self.centre(canvas, t, ctx.motifs)
        ix = max(-self.mx, min(self.mx, round(tx - self.cx)))
        iy = max(-self.my, min(self.my, round(ty - self.cy)))
        ys = slice(self.my - iy, self.my - iy + canvas.h)
        gain = (0.1 - 0.03 * pal.night) * a * breath  # in the dark a little light goes far
        if not self.rgb_rows:
            xs = slice(self.mx - ix, self.mx - ix + canvas.w)
            tmp = canvas.scratch("glow.w", (canvas.h, canvas.w))
            if k < 1.0:
                S.add_scaled(canvas.glow, self.map[ys, xs], colour * F32(gain * (1.0 - k)), tmp)
            if k > 0.0:
                S.add_scaled(canvas.glow, self.wide[ys, xs], colour * F32(gain * k), tmp)
            return
        xs = slice((self.mx - ix) * 3, (self.mx - ix + canvas.w) * 3)
        dst = canvas.glow.reshape(canvas.h, canvas.w * 3)
        heart = colour_row(colour * F32(gain * (1.0 - k)), canvas.w, self._rows[0])
        reach = colour_row(colour * F32(gain * k), canvas.w, self._rows[1])
        if k <= 0.0:
            add_rows(dst, self.map[ys, xs], heart)
        elif k >= 1.0:
            add_rows(dst, self.wide[ys, xs], reach)
        else:
            add_rows(dst, self.map[ys, xs], heart, self.wide[ys, xs], reach)
