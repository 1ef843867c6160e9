"""A calm figure standing on the far shore: a small robed silhouette (head, shoulders, a robe to
the ground) with one hand extended, softly rim-lit, a faint aura, and its reflection in the
water when a lake or pond shows.

Why small and still: it is far away across the water ("a figure appears on the opposite
shore"); the only motion is the aura breathing and the reflection shimmering.
"""

from __future__ import annotations

import math

import numpy as np

from visualizer.engine import shapes as S
from visualizer.engine.canvas import Canvas
from visualizer.engine.lightmaps import GlowSplat, GlowTiles
from visualizer.engine.motifs.objects_trees import BakedSprite
from visualizer.engine.registry import LAYER_NEAR, FrameContext, Motif, motif
from visualizer.engine.view import DEPTH_GROUND

F32 = np.float32


def figure_anchor(canvas: Canvas) -> tuple[float, float, float]:
    """(x, feet_y, height) in pixels: standing on the far shore strip just below the horizon."""
    water_top = float(getattr(canvas, "water_top", canvas.horizon + 0.035))
    feet = (canvas.horizon + 0.65 * (water_top - canvas.horizon)) * canvas.h
    return canvas.w * 0.62, feet, 0.14 * canvas.h


def _figure_sd(r: S.Region, x: float, feet: float, h: float) -> np.ndarray:
    """Signed distance of the silhouette: union of head, neck, robe and the reaching arm."""
    u = h / 100.0
    top = feet - h
    head = S.sd_ellipse(r, x, top + 7 * u, 5.0 * u, 6.2 * u)
    neck = S.sd_capsule(r, x, top + 12 * u, x, top + 18 * u, 2.3 * u)
    # sloping shoulders
    sh_l = S.sd_capsule(r, x - 1 * u, top + 17.5 * u, x - 8.5 * u, top + 22 * u, 3.4 * u)
    sh_r = S.sd_capsule(r, x + 1 * u, top + 17.5 * u, x + 8.5 * u, top + 22 * u, 3.4 * u)
    # the robe: from the shoulders to the hem, a gentle flare
    s = np.clip((r.ys - F32(top + 20 * u)) / F32(h - 20 * u), 0.0, 1.0)
    hw = F32(9.5 * u) + F32(5.0 * u) * np.power(s, F32(1.5)) - F32(1.2 * u) * np.sin(s * F32(np.pi))
    robe = np.abs(r.xs - F32(x)) - hw
    robe = np.maximum(robe, np.maximum(F32(top + 21 * u) - r.ys, r.ys - F32(feet)))
    # one arm reaching out across the water, the hand open
    arm = S.sd_capsule(r, x + 9 * u, top + 23 * u, x + 18 * u, top + 34 * u, 2.8 * u, 2.2 * u)
    fore = S.sd_capsule(r, x + 18 * u, top + 34 * u, x + 28 * u, top + 36 * u, 2.2 * u, 1.7 * u)
    hand = S.sd_ellipse(r, x + 30 * u, top + 36.3 * u, 2.8 * u, 1.7 * u)
    out = np.minimum(head, neck)
    for part in (robe, sh_l, sh_r, arm, fore, hand):
        np.minimum(out, part, out=out)
    return out


@motif("figure", LAYER_NEAR, "a calm figure standing on the far shore")
class Figure(Motif):
    def __init__(self, canvas: Canvas, rng: np.random.Generator) -> None:
        super().__init__(canvas, rng)
        x, feet, h = figure_anchor(canvas)
        self.x, self.feet, self.h = x, feet, h
        u = h / 100.0
        r = S.region(canvas, x - 22 * u, feet - h - 4 * u, x + 38 * u, feet + 2 * u)
        self.region = r
        sd = _figure_sd(r, x, feet, h)
        self.alpha = S.coverage(sd, max(0.8, 0.6 * u))
        # rim light on the side facing the light (left and top): inside, near the edge
        lx, ly = -0.8, -0.6
        sd2 = _figure_sd(
            S.Region(r.y0, r.y1, r.x0, r.x1, r.xs + F32(lx * 2.4 * u), r.ys + F32(ly * 2.4 * u)),
            x,
            feet,
            h,
        )
        self.rim = np.clip(self.alpha - S.coverage(sd2, max(0.8, 0.6 * u)), 0.0, 1.0).astype(F32)
        # the reflection: the silhouette flipped about the water line, fading with depth
        water_top = float(getattr(canvas, "water_top", canvas.horizon + 0.035)) * canvas.h
        axis = max(feet + 1.0, water_top)
        ry0 = axis
        ry1 = min(canvas.h, axis + (axis - (feet - h)) + 2)
        rr = S.region(canvas, r.x0, ry0, r.x1, ry1)
        self.refl_region = rr
        if not rr.empty:
            mirrored = S.Region(rr.y0, rr.y1, rr.x0, rr.x1, rr.xs, F32(2 * axis) - rr.ys)
            sdr = _figure_sd(mirrored, x, feet, h)
            fade = np.clip(1.0 - (rr.ys - F32(axis)) / F32(h * 1.1), 0.0, 1.0)
            self.refl = (S.coverage(sdr, 1.5 * max(1.0, u)) * fade).astype(F32)
        else:
            self.refl = np.zeros(rr.shape, F32)
        # as sprites, so they follow the camera's parallax smoothly (sub-pixel)
        shade = np.where(self.alpha > 1e-3, self.rim / np.maximum(self.alpha, 1e-3), 0.0)
        sprite = S.Sprite(r, self.alpha, np.clip(shade, 0.0, 1.0).astype(F32))
        # baked: its colours hold through a scene, so a frame is two passes (rebaked when the
        # camera's drift moves it 1/8 px)
        self.sprite = BakedSprite(sprite)
        # the rim's glow, only over the silhouette's tiles (shade*coverage there is the rim)
        self.rim_glow = GlowTiles(
            [(y0, y1, x0, x1, psa[:, 3:-3].copy()) for y0, y1, x0, x1, _pa, psa
             in sprite._prepared()]
        )
        self.refl_sprite = S.Sprite(rr, self.refl, np.zeros(rr.shape, F32))
        self.aura = GlowSplat(reach=4.0)  # its map built once (the aura never changes size)

    def draw(self, canvas: Canvas, intensity: float, t: float, ctx: FrameContext) -> None:
        if intensity <= 0.0:
            return
        pal = ctx.palette
        a = float(min(1.0, intensity))
        u = self.h / 100.0
        breath = S.breathe(t, 0.1)
        # on the far shore: it moves with the shore as the camera drifts
        off = S.camera_shift(ctx, canvas, DEPTH_GROUND)
        # a faint aura: inner wisdom, gently luminous
        aura = pal.light * F32(0.6) + pal.accent * F32(0.2)
        self.aura.paint(
            canvas,
            self.x + 2 * u + off[0],
            self.feet - 0.55 * self.h + off[1],
            0.3 * self.h,
            aura,
            (0.05 + 0.03 * breath) * a,
        )
        # the silhouette: dark, a little hazed by distance
        body = pal.near * F32(0.5) + pal.far * F32(0.18) + pal.mist * F32(0.03)
        # with a soft rim light from the sky / the glow on its lit side
        rim = pal.light * F32(0.5) + pal.horizon * F32(0.3)
        self.sprite.paint(canvas.rgb, body, body + rim * F32(1.1), a, off)
        glow = rim * F32(0.3 * a * (0.8 + 0.2 * breath))
        self.rim_glow.add(canvas.glow, glow, S.whole(off))
        water = max(
            float(ctx.motifs.get("lake", 0.0)),
            float(ctx.motifs.get("pond", 0.0)),
            float(ctx.motifs.get("sea", 0.0)),
        )
        if water > 0.0 and not self.refl_region.empty:
            shimmer = 0.85 + 0.15 * math.sin(2 * math.pi * 0.23 * t)
            tone = body * F32(0.8)
            self.refl_sprite.paint(canvas.rgb, tone, tone, 0.45 * a * water * shimmer, off)
