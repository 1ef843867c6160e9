"""A single candle flickering to life in darkness: wax body, wick, and a small flame whose glow
grows with the intensity (restless when it first catches, steady once alight).

`candle_flame_point` is where the flame burns, so `beams` can spread from it.
"""

from __future__ import annotations

import numpy as np

from visualizer.engine import shapes as S
from visualizer.engine.canvas import Canvas
from visualizer.engine.lightmaps import GlowSplat, GlowTiles, interleave
from visualizer.engine.motifs.light_flame import GOLD, paint_flame
from visualizer.engine.motifs.light_orb import PulsedSprite
from visualizer.engine.registry import LAYER_NEAR, FrameContext, Motif, motif
from visualizer.engine.view import DEPTH_GROUND

F32 = np.float32
WAX = np.array([0.85, 0.72, 0.55], dtype=F32)


def candle_geometry(canvas: Canvas) -> tuple[float, float, float, float]:
    """(x, top, bottom, half_width) of the wax body in pixels."""
    H = canvas.h
    bottom = (canvas.horizon + 0.2) * H
    top = bottom - 0.15 * H
    return canvas.w * 0.5, top, bottom, 0.026 * H


def candle_flame_point(canvas: Canvas) -> tuple[float, float]:
    """The middle of the flame (where light comes from), in pixels."""
    x, top, _bottom, _hw = candle_geometry(canvas)
    return x, top - 0.045 * canvas.h


@motif("candle", LAYER_NEAR, "a single candle flickering to life")
class Candle(Motif):
    def __init__(self, canvas: Canvas, rng: np.random.Generator) -> None:
        super().__init__(canvas, rng)
        H = canvas.h
        x, top, bottom, hw = candle_geometry(canvas)
        self.x, self.top, self.bottom, self.hw = x, top, bottom, hw
        self.seed = float(rng.uniform(0.0, 100.0))
        u = H / 360.0
        b = S.SpriteBuilder(canvas, x - hw * 3, top - 8 * u, x + hw * 3, bottom + 4 * u)
        b.rect(x, (top + bottom) / 2, hw, (bottom - top) / 2, radius=1.5 * u, shade=1.0)
        # the melted rim: a soft lip and a drip or two running down
        b.ellipse(x, top + 0.5 * u, hw, 1.6 * u, shade=1.0)
        b.capsule(
            x - hw * 0.55, top + 1 * u, x - hw * 0.62, top + 9 * u, 1.1 * u, 1.5 * u, shade=1.0
        )
        b.capsule(
            x + hw * 0.7, top + 1 * u, x + hw * 0.72, top + 5 * u, 0.9 * u, 1.2 * u, shade=1.0
        )
        # a small dish it stands in
        b.ellipse(x, bottom + 0.5 * u, hw * 1.9, 2.6 * u, shade=0.35)
        self.body = b.build()
        # light falls from the flame above: bright near the top, dim below; a rounded body
        reg = self.body.region
        yy = (reg.ys - F32(top)) / F32(bottom - top)
        xx = (reg.xs - F32(x)) / F32(hw)
        roll = np.clip(1.0 - np.square(xx) * 0.55, 0.0, 1.0)
        lit = np.clip(1.0 - yy, 0.0, 1.0) ** 1.9 * roll**1.2
        self.body.shade[:] = np.clip(self.body.shade * lit, 0.0, 1.0)
        # translucent wax glows near the top when lit from inside
        self.inner = (
            np.exp(-np.square(np.clip(yy, 0.0, None) / 0.18)) * roll * self.body.alpha
        ).astype(F32)
        # painted baked, its breathing light a kept term scaled per frame (see PulsedSprite)
        self.wax = PulsedSprite(self.body)
        self.halo = GlowSplat(reach=3.0)  # the wide glow, its map kept between frames
        # the pool of light on the ground round the dish: built once, added at whole pixels
        pool = S.region_around(canvas, x, bottom + 0.01 * H, 0.3 * H, 0.06 * H)
        dx = (pool.xs - F32(x)) / F32(0.28 * H)
        dy = (pool.ys - F32(bottom + 0.01 * H)) / F32(0.05 * H)
        w = np.clip(F32(1.0) - dx * dx - dy * dy, 0.0, 1.0) ** 2
        self.pool = GlowTiles([] if pool.empty else [(pool.y0, pool.y1, pool.x0, pool.x1,
                                                      interleave(w))])
        self.wick = S.region(canvas, x - 2 * u, top - 6 * u, x + 2 * u, top + 1 * u)
        self.wick_mask = S.coverage(
            S.sd_capsule(self.wick, x, top, x + 0.6 * u, top - 4.5 * u, 0.55 * u), 1.0
        )

    def draw(self, canvas: Canvas, intensity: float, t: float, ctx: FrameContext) -> None:
        if intensity <= 0.0:
            return
        pal = ctx.palette
        a = float(min(1.0, intensity))
        H = canvas.h
        # it stands on the ground: follow the ground's parallax as the camera drifts
        off = S.camera_shift(ctx, canvas, DEPTH_GROUND)
        iw = S.whole(off)
        x, top = self.x + off[0], self.top + off[1]
        alight = S.smoothstep(0.05, 0.85, a)  # the flame catches, then grows and steadies
        breath = 0.92 + 0.08 * S.breathe(t, 0.17)
        warm = GOLD * F32(0.75) + pal.light * F32(0.25)
        # wax lit by its own flame: dark wax when unlit, warm cream once burning
        dark = pal.near * F32(0.6) + WAX * F32(0.025)
        # lit = WAX * (0.05 + 0.3 * alight * breath) + warm * 0.08 * alight
        steady = WAX * F32(0.05) + warm * F32(0.08 * alight) - dark
        self.wax.paint_pulsed(canvas.rgb, dark, steady, WAX * F32(0.3 * alight), breath,
                              S.smoothstep(0.0, 0.25, a), off)
        S.add(canvas.glow, self.body.region, self.inner, warm * F32(0.18 * alight * breath), iw)
        S.over(canvas.rgb, self.wick, self.wick_mask * F32(a), pal.near * F32(0.2), iw)
        # the flame: small and restless as it catches, taller and calm once alight
        fh = 0.052 * H * (0.35 + 0.65 * alight)
        paint_flame(
            canvas,
            x,
            top - 0.01 * H,
            fh,
            0.011 * H,
            t,
            self.seed,
            gain=0.35 + 0.75 * alight,
            unsteady=1.0 - alight,
            blue_base=True,
        )
        fx, fy = x, top - 0.01 * H - fh * 0.4
        # its soft glow grows with the intensity: a warm sphere of light in the dark
        S.radial_glow(canvas, fx, fy, 0.012 * H, warm, 0.7 * a * breath, reach=3.0)
        self.halo.paint(canvas, fx, fy, (0.04 + 0.1 * alight) * H, warm, 0.16 * alight * breath)
        # a pool of light on the ground around the dish
        self.pool.add(canvas.rgb, warm * F32(0.09 * alight * breath), iw)
