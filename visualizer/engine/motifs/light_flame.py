"""A sacred flame, a beacon burning steadily: layered teardrops (deep orange, gold, a white
heart) that lean and lick on slow noise, over a stone bowl, with a warm halo.

`paint_flame` is shared with the candle: one flame painter, two sizes.
"""

from __future__ import annotations

import numpy as np

from visualizer.engine import shapes as S
from visualizer.engine.canvas import Canvas
from visualizer.engine.registry import LAYER_LIGHT, FrameContext, Motif, motif
from visualizer.engine.view import DEPTH_GROUND

F32 = np.float32
EMBER = np.array([1.0, 0.28, 0.04], dtype=F32)  # outer flame, deep orange
GOLD = np.array([1.0, 0.62, 0.18], dtype=F32)
HEART = np.array([1.0, 0.92, 0.72], dtype=F32)
BLUE = np.array([0.18, 0.3, 1.0], dtype=F32)


def flame_sway(t: float, seed: float, unsteady: float) -> tuple[float, float, float]:
    """(lean, stretch, lick) for this moment: slow noise, more restless when `unsteady`."""
    lean = S.slow_noise(t, seed, 1.7) * (0.35 + 0.6 * unsteady)
    stretch = 1.0 + S.slow_noise(t, seed + 3.1, 2.3) * (0.05 + 0.12 * unsteady)
    lick = S.slow_noise(t, seed + 7.7, 2.9)
    return lean, stretch, lick


def paint_flame(
    canvas: Canvas,
    x: float,
    y_base: float,
    height: float,
    width: float,
    t: float,
    seed: float,
    gain: float,
    unsteady: float = 0.0,
    blue_base: bool = False,
) -> None:
    """Paint a flame standing on (x, y_base), `height` px tall, `width` px half-width at the
    belly. Mostly light (canvas.glow) with a little colour into canvas.rgb for body."""
    if gain <= 0.0 or height < 0.5:
        return
    lean, stretch, lick = flame_sway(t, seed, unsteady)
    hh = height * stretch
    reg = S.region(
        canvas,
        x - width * 2.5 - hh * 0.2,
        y_base - hh * 1.1,
        x + width * 2.5 + hh * 0.2,
        y_base + width * 1.2,
    )
    if reg.empty:
        return
    # s: 0 at the base .. 1 at the tip (negative below the base: the rounded bottom)
    s = (F32(y_base) - reg.ys) / F32(hh)
    # centre line leans with the noise and carries a slow wave up the tongue
    off = F32(hh) * (
        F32(0.16 * lean) * s * s + F32(0.03) * s * np.sin(s * F32(6.0) - F32(2.4 * t) + F32(lick))
    )
    dx = np.abs(reg.xs - (F32(x) + off))
    for scale, lift, colour, amount, soft in (
        (1.0, 0.0, EMBER, 0.55, 2.2),
        (0.7, 0.02, GOLD, 0.75, 1.8),
        (0.38, 0.05, HEART, 0.9, 1.4),
    ):
        ss = (s - F32(lift)) / F32(scale)
        # teardrop half-width: round belly low down, tapering to a point at the tip
        body = np.clip(F32(1.0) - ss, 0.0, 1.0)
        hw = np.power(body, F32(1.4)) * np.sqrt(
            np.clip(ss + F32(0.28), 0.0, None) / F32(0.28)
        ).clip(0.0, 1.0)
        hw *= F32(width * scale * 1.25)
        cov = S.coverage(dx - hw, soft * max(1.0, width / 6.0))
        cov *= np.clip((ss + F32(0.3)) / F32(0.12), 0.0, 1.0)  # soft bottom
        cov *= np.clip((F32(1.0) - ss) * F32(4.0), 0.0, 1.0)  # soft tip
        S.add(canvas.glow, reg, cov, colour * F32(gain * amount * 0.6))
        S.over(canvas.rgb, reg, cov * F32(min(1.0, gain) * 0.5), colour * F32(0.8))
    if blue_base:
        bw = np.exp(-np.square((s + F32(0.12)) / F32(0.1))) * np.exp(
            -np.square(dx / F32(width * 0.9))
        )
        S.add(canvas.glow, reg, bw, BLUE * F32(0.25 * gain))


@motif("flame", LAYER_LIGHT, "a sacred flame, a beacon burning steadily")
class Flame(Motif):
    def __init__(self, canvas: Canvas, rng: np.random.Generator) -> None:
        super().__init__(canvas, rng)
        H = canvas.h
        self.x = canvas.w * 0.5
        self.base = (canvas.horizon + 0.13) * H
        self.seed = float(rng.uniform(0.0, 100.0))
        u = H / 360.0
        # a low stone bowl the flame stands in, lit from above
        b = S.SpriteBuilder(
            canvas, self.x - 40 * u, self.base - 6 * u, self.x + 40 * u, self.base + 40 * u
        )
        b.ellipse(self.x, self.base + 2 * u, 26 * u, 9 * u, shade=0.25)
        b.rect(self.x, self.base - 0.5 * u, 25 * u, 1.6 * u, radius=1.5 * u, shade=0.9)
        b.rect(self.x, self.base + 14 * u, 7 * u, 9 * u, radius=2 * u, shade=0.2)
        b.rect(self.x, self.base + 24 * u, 17 * u, 3 * u, radius=2 * u, shade=0.3)
        self.bowl = b.build()
        yy = np.broadcast_to(self.bowl.region.ys, self.bowl.alpha.shape)
        # stone brightens toward the rim the flame lights
        self.bowl.shade[:] = np.clip(
            self.bowl.shade * (1.0 - (yy - self.base) / (40 * u)), 0.0, 1.0
        )

    def draw(self, canvas: Canvas, intensity: float, t: float, ctx: FrameContext) -> None:
        if intensity <= 0.0:
            return
        pal = ctx.palette
        a = float(min(1.0, intensity))
        H = canvas.h
        off = S.camera_shift(ctx, canvas, DEPTH_GROUND)
        x, base = self.x + off[0], self.base + off[1]
        warm = pal.light * F32(0.3) + GOLD * F32(0.7)
        self.bowl.paint(
            canvas.rgb, pal.near * F32(0.7), pal.near * F32(0.5) + warm * F32(0.35), a, off
        )
        breath = 0.9 + 0.1 * S.breathe(t, 0.15)
        height = 0.2 * H * (0.4 + 0.6 * a)
        paint_flame(
            canvas,
            x,
            base,
            height,
            0.04 * H * (0.5 + 0.5 * a),
            t,
            self.seed,
            0.6 * a * breath,
        )
        # the beacon: a warm halo and a faint column of light rising above the flame
        S.radial_glow(
            canvas,
            x,
            base - height * 0.45,
            height * 0.45,
            warm,
            0.22 * a * breath,
            reach=4.0,
        )
        col = S.region(canvas, x - 0.05 * H, 0.0, x + 0.05 * H, base - height * 0.6)
        if not col.empty:
            w = np.exp(-np.square((col.xs - F32(x)) / F32(0.018 * H)))
            w = w * np.clip(col.ys / F32(max(1.0, base - height * 0.6)), 0.0, 1.0) ** 2
            S.add(canvas.glow, col, w, warm * F32(0.07 * a * breath))
        # light pooled on the ground around the bowl
        pool = S.region_around(canvas, x, base + 0.07 * H, 0.3 * H, 0.07 * H)
        if not pool.empty:
            dx = (pool.xs - F32(x)) / F32(0.26 * H)
            dy = (pool.ys - F32(base + 0.07 * H)) / F32(0.06 * H)
            w = np.clip(F32(1.0) - dx * dx - dy * dy, 0.0, 1.0) ** 2
            S.add(canvas.rgb, pool, w, warm * F32(0.08 * a * breath))
