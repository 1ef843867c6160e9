"""A paper lantern with a warm glow, hanging on a cord and swinging a little in the breeze.

The lantern is small, so it is drawn analytically each frame in its own box, in coordinates
rotated about the cord's top: the swing is a smooth closed-form pendulum (~0.1 Hz).
"""

from __future__ import annotations

import math

import numpy as np

from visualizer.engine import shapes as S
from visualizer.engine.canvas import Canvas
from visualizer.engine.registry import LAYER_NEAR, FrameContext, Motif, motif
from visualizer.engine.view import DEPTH_NEAR

F32 = np.float32
PAPER = np.array([1.0, 0.55, 0.22], dtype=F32)  # warm paper lit from inside


@motif("lantern", LAYER_NEAR, "a paper lantern with a warm glow")
class Lantern(Motif):
    def __init__(self, canvas: Canvas, rng: np.random.Generator) -> None:
        super().__init__(canvas, rng)
        H = canvas.h
        self.pivot = (canvas.w * 0.34, -0.02 * H)
        self.cord = 0.3 * H
        self.rx, self.ry = 0.05 * H, 0.062 * H
        self.phase = float(rng.uniform(0.0, 6.28))

    def geometry(self, t: float, wind: float) -> tuple[float, float, float]:
        """(cx, cy, angle) of the lantern body at time t."""
        ang = (0.035 + 0.03 * min(1.0, abs(wind))) * math.sin(2 * math.pi * 0.1 * t + self.phase)
        px, py = self.pivot
        length = self.cord + self.ry
        return px + math.sin(ang) * length, py + math.cos(ang) * length, ang

    def draw(self, canvas: Canvas, intensity: float, t: float, ctx: FrameContext) -> None:
        if intensity <= 0.0:
            return
        pal = ctx.palette
        a = float(min(1.0, intensity))
        H = canvas.h
        u = H / 360.0
        cx, cy, ang = self.geometry(t, ctx.wind)
        rx, ry = self.rx, self.ry
        px, py = self.pivot
        # hanging close by: it drifts with the nearest layer as the camera moves
        ox, oy = S.camera_shift(ctx, canvas, DEPTH_NEAR)
        cx, cy, px, py = cx + ox, cy + oy, px + ox, py + oy
        # the cord
        top_x, top_y = cx - math.sin(ang) * ry * 1.1, cy - math.cos(ang) * ry * 1.1
        cr = S.region(canvas, min(px, top_x) - 3, 0, max(px, top_x) + 3, top_y + 2)
        if not cr.empty:
            cord = S.coverage(S.sd_capsule(cr, px, py, top_x, top_y, 0.5 * u), 1.0)
            S.over(canvas.rgb, cr, cord * F32(a), pal.near * F32(0.6))
        reg = S.region_around(canvas, cx, cy, rx * 1.4 + 4, ry * 1.9 + 4)
        if reg.empty:
            return
        # lantern-local coordinates (rotated with the swing)
        c, s = math.cos(ang), math.sin(ang)
        dx = reg.xs - F32(cx)
        dy = reg.ys - F32(cy)
        lx = dx * F32(c) - dy * F32(s)
        ly = dx * F32(s) + dy * F32(c)
        local = S.Region(reg.y0, reg.y1, reg.x0, reg.x1, lx, ly)
        body_sd = S.sd_ellipse(local, 0.0, 0.0, rx, ry)
        body = S.coverage(body_sd, 1.2)
        # ribs: the bamboo hoops show as faint darker bands across the paper
        nx = np.clip(lx / F32(rx), -1.0, 1.0)
        ny = np.clip(ly / F32(ry), -1.0, 1.0)
        ribs = F32(1.0) - F32(0.28) * np.power(
            np.cos(ny * F32(math.pi * 4.5)) * F32(0.5) + F32(0.5), F32(8.0)
        )
        # brighter in the middle (the flame inside), darker toward the rim
        heart = np.clip(F32(1.0) - (nx * nx * F32(0.7) + ny * ny * F32(0.6)), 0.0, 1.0)
        flicker = 0.92 + 0.08 * S.breathe(t, 0.23, self.phase)
        paper = PAPER * F32(0.55) + pal.light * F32(0.2)
        col_w = (F32(0.25) + F32(0.75) * heart) * ribs * F32(flicker)
        S.over(canvas.rgb, reg, body * F32(a), np.zeros(3, F32))
        S.add(canvas.rgb, reg, body * col_w, paper * F32(a))
        S.add(canvas.glow, reg, body * heart * heart, paper * F32(0.5 * a * flicker))
        # dark caps at top and bottom, and a small tassel
        caps = np.minimum(
            S.sd_rounded_rect(local, 0.0, -ry * 0.98, rx * 0.45, ry * 0.09, 1.0 * u),
            S.sd_rounded_rect(local, 0.0, ry * 0.98, rx * 0.4, ry * 0.08, 1.0 * u),
        )
        tassel = S.sd_capsule(local, 0.0, ry * 1.05, 0.0, ry * 1.6, 1.0 * u, 0.5 * u)
        S.over(
            canvas.rgb, reg, S.coverage(np.minimum(caps, tassel), 1.0) * F32(a), pal.near * F32(0.5)
        )
        S.radial_glow(canvas, cx, cy, rx * 1.4, paper, 0.25 * a * flicker, 4.0)
