"""Built things that stand in a dream landscape: a glowing doorway standing alone, stairs
rising into light, an arched bridge over the water.

Each is a sprite built once per canvas; per frame only the light they give off breathes.
"""

from __future__ import annotations

import numpy as np

from visualizer.engine import shapes as S
from visualizer.engine.canvas import Canvas
from visualizer.engine.registry import LAYER_NEAR, FrameContext, Motif, motif
from visualizer.engine.view import DEPTH_GROUND

F32 = np.float32
WARM = np.array([1.0, 0.74, 0.42], dtype=F32)


def sd_arch(r: S.Region, cx: float, top: float, bottom: float, hw: float) -> np.ndarray:
    """A doorway shape: a rectangle with a round arch on top (semicircle of radius hw)."""
    spring = top + hw
    rect = np.maximum(
        np.abs(r.xs - F32(cx)) - F32(hw), np.maximum(F32(spring) - r.ys, r.ys - F32(bottom))
    )
    disc = S.sd_disc(r, cx, spring, hw)
    disc = np.maximum(disc, r.ys - F32(spring))
    return np.minimum(rect, disc)


@motif("door", LAYER_NEAR, "a glowing doorway standing alone")
class Door(Motif):
    def __init__(self, canvas: Canvas, rng: np.random.Generator) -> None:
        super().__init__(canvas, rng)
        W, H = canvas.w, canvas.h
        cx = W * 0.5
        bottom = (canvas.horizon + 0.17) * H
        top = bottom - 0.36 * H
        hw_o, hw_i = 0.095 * H, 0.062 * H
        self.cx, self.bottom, self.top = cx, bottom, top
        r = S.region(canvas, cx - hw_o - 4, top - 4, cx + hw_o + 4, bottom + 0.02 * H)
        self.region = r
        outer = sd_arch(r, cx, top, bottom, hw_o)
        inner = sd_arch(r, cx, top + (hw_o - hw_i) * 1.2, bottom, hw_i)
        # a threshold step at the foot
        step = S.sd_rounded_rect(r, cx, bottom + 0.006 * H, hw_o * 1.15, 0.008 * H, 0.003 * H)
        frame_sd = np.minimum(np.maximum(outer, -inner), step)
        self.frame = S.coverage(frame_sd, 1.0)
        self.opening = S.coverage(inner, 1.0)
        # stone lit by the opening: brightest on the inner edges
        self.frame_lit = (
            np.clip(1.0 - np.maximum(inner, 0.0) / F32(hw_o - hw_i + 1e-3), 0.0, 1.0).astype(F32)
            ** 2
        )
        self.frame_sprite = S.Sprite(r, self.frame, self.frame_lit)
        self.opening_sprite = S.Sprite(r, self.opening, np.ones(r.shape, F32))
        ys = (r.ys - F32(top)) / F32(bottom - top)
        xs = np.abs(r.xs - F32(cx)) / F32(hw_i)
        self.fill = (np.clip(1.0 - 0.45 * xs * xs, 0.0, 1.0) * (0.75 + 0.25 * ys)).astype(F32)
        self.glow_map = (self.opening * self.fill).astype(F32)
        # light spilling onto the ground in front, widening toward the viewer
        sp = S.region(canvas, cx - 0.5 * H, bottom, cx + 0.5 * H, min(H, bottom + 0.3 * H))
        self.spill_region = sp
        if not sp.empty:
            d = (sp.ys - F32(bottom)) / F32(0.3 * H)
            half = F32(hw_i) * (F32(1.0) + d * F32(5.0))
            w = np.clip(F32(1.0) - np.abs(sp.xs - F32(cx)) / half, 0.0, 1.0)
            self.spill = (np.sqrt(w) * np.clip(F32(1.0) - d, 0.0, 1.0) ** 1.5).astype(F32)
        else:
            self.spill = np.zeros(sp.shape, F32)

    def draw(self, canvas: Canvas, intensity: float, t: float, ctx: FrameContext) -> None:
        if intensity <= 0.0:
            return
        pal = ctx.palette
        a = float(min(1.0, intensity))
        breath = 0.85 + 0.15 * S.breathe(t, 0.1)
        light = pal.light * F32(0.6) + WARM * F32(0.4)
        # it stands on the ground: follow the ground's parallax as the camera drifts
        off = S.camera_shift(ctx, canvas, DEPTH_GROUND)
        iw = S.whole(off)
        fill = light * F32(0.9 * breath)
        self.opening_sprite.paint(canvas.rgb, fill, fill, a, off)
        S.add(canvas.glow, self.region, self.glow_map, light * F32(0.55 * a * breath), iw)
        stone = pal.near * F32(0.7) + pal.far * F32(0.2)
        self.frame_sprite.paint(canvas.rgb, stone, stone + light * F32(0.25 * breath), a, off)
        S.add(canvas.rgb, self.spill_region, self.spill, light * F32(0.16 * a * breath), iw)
        S.radial_glow(
            canvas,
            self.cx + off[0],
            (self.top + self.bottom) * 0.5 + off[1],
            0.12 * canvas.h,
            light,
            0.12 * a * breath,
            3.5,
        )


@motif("stairs", LAYER_NEAR, "stairs rising into light")
class Stairs(Motif):
    def __init__(self, canvas: Canvas, rng: np.random.Generator) -> None:
        super().__init__(canvas, rng)
        W, H = canvas.w, canvas.h
        cx = W * 0.5
        n = 15
        y0, y_top = 0.95 * H, 0.2 * H
        w0, w_top = 0.34 * H, 0.035 * H
        # geometric recession: steps shrink and crowd together as they rise away
        k = np.linspace(0.0, 1.0, n + 1)
        ys = y_top + (y0 - y_top) * (1.0 - k) ** 1.6
        ws = w_top + (w0 - w_top) * (1.0 - k) ** 1.6
        self.light_at = (cx, y_top - 0.03 * H)
        b = S.SpriteBuilder(canvas, cx - w0 - 4, y_top - 6, cx + w0 + 4, y0 + 4)
        for i in range(n):
            yb, yt = ys[i], ys[i + 1]
            hw = ws[i]
            rise = yb - yt
            lift = i / n  # higher steps are paler: they are in the light
            # riser (the face toward us), then the tread's lit nosing on top
            b.rect(cx, yb - rise * 0.5, hw, rise * 0.5, 0.0, shade=0.2 + 0.6 * lift)
            b.rect(
                cx, yt + rise * 0.1, hw * 1.02, max(0.6, rise * 0.14), 0.5, shade=0.55 + 0.45 * lift
            )
        self.body = b.build()
        r = self.body.region
        fade = np.clip((r.ys - F32(y_top)) / F32(0.25 * H), 0.35, 1.0)
        # the top steps glow: they are in the light
        self.glow_map = (self.body.alpha * self.body.shade * (1.0 - fade) ** 2).astype(F32)

    def draw(self, canvas: Canvas, intensity: float, t: float, ctx: FrameContext) -> None:
        if intensity <= 0.0:
            return
        pal = ctx.palette
        a = float(min(1.0, intensity))
        breath = 0.85 + 0.15 * S.breathe(t, 0.09)
        light = pal.light * F32(0.7) + WARM * F32(0.3)
        dark = pal.near * F32(0.8) + pal.far * F32(0.15)
        lit = pal.mist * F32(0.5) + light * F32(0.35)
        off = S.camera_shift(ctx, canvas, DEPTH_GROUND)
        self.body.paint(canvas.rgb, dark, lit, a, off)
        # the light they rise into: a bright source at the top, softly pouring down
        x, y = self.light_at[0] + off[0], self.light_at[1] + off[1]
        H = canvas.h
        S.radial_glow(canvas, x, y, 0.035 * H, light, 0.9 * a * breath, 4.0)
        S.radial_glow(canvas, x, y, 0.12 * H, light, 0.25 * a * breath, 3.5)
        S.add(
            canvas.glow,
            self.body.region,
            self.glow_map,
            light * F32(0.3 * a * breath),
            S.whole(off),
        )


@motif("bridge", LAYER_NEAR, "an arched bridge")
class Bridge(Motif):
    def __init__(self, canvas: Canvas, rng: np.random.Generator) -> None:
        super().__init__(canvas, rng)
        W, H = canvas.w, canvas.h
        u = H / 360.0
        water_top = float(getattr(canvas, "water_top", canvas.horizon + 0.035)) * H
        base = water_top + 0.07 * H
        span = 0.42 * H
        cx = W * 0.5
        rise = 0.1 * H
        self.base = base
        xs = np.linspace(cx - span, cx + span, 40)
        f = (xs - cx) / span
        deck = base - rise * np.cos(f * np.pi / 2)
        b = S.SpriteBuilder(
            canvas, cx - span - 12 * u, base - rise - 0.06 * H, cx + span + 12 * u, base + 4 * u
        )
        b.polyline(np.stack([xs, deck], axis=1), 3.2 * u, shade=0.35)
        # the stone arch under the deck: solid spandrels round a round opening, so with its
        # reflection the opening makes a full circle on the still water
        sub = b._sub(cx - span, base - rise - 4 * u, cx + span, base + 1)
        if sub is not None:
            fx = np.clip((sub.xs - F32(cx)) / F32(span), -1.0, 1.0)
            deck_y = F32(base) - F32(rise) * np.cos(fx * F32(np.pi / 2))
            solid = np.maximum(
                np.maximum(deck_y - sub.ys, sub.ys - F32(base)),
                np.abs(sub.xs - F32(cx)) - F32(span),
            )
            opening = S.sd_ellipse(sub, cx, base, span * 0.62, rise * 0.72)
            shade = np.clip(0.2 + 0.25 * (F32(base) - sub.ys) / F32(rise), 0.0, 1.0)
            b.stamp(sub, np.maximum(solid, -opening), shade)
        # railing: a handrail and posts
        rail = deck - 0.035 * H
        b.polyline(np.stack([xs, rail], axis=1), 1.3 * u, shade=0.6)
        for x, yd, yr in zip(xs[::4], deck[::4], rail[::4]):
            b.capsule(x, yd, x, yr, 1.1 * u, shade=0.45)
        # piers where it meets each bank
        for s in (-1.0, 1.0):
            b.rect(cx + s * span, base - 0.01 * H, 5 * u, 0.012 * H + 2 * u, 1.5 * u, shade=0.25)
        self.body = b.build()
        # its reflection: the same shape flipped about the water line, fading away
        r = self.body.region
        ry1 = min(H, int(2 * base - r.y0) + 1)
        rr = S.region(canvas, r.x0, base, r.x1, ry1)
        self.refl_region = rr
        if not rr.empty:
            src_rows = np.clip((2 * base - rr.ys[:, 0] - r.y0).astype(int), 0, r.shape[0] - 1)
            cols = slice(rr.x0 - r.x0, rr.x1 - r.x0)
            self.refl = (
                self.body.alpha[src_rows][:, cols]
                * np.clip(1.0 - (rr.ys - F32(base)) / F32(0.16 * H), 0.0, 1.0)
            ).astype(F32)
        else:
            self.refl = np.zeros(rr.shape, F32)
        self.refl_sprite = S.Sprite(rr, self.refl, np.zeros(rr.shape, F32))

    def draw(self, canvas: Canvas, intensity: float, t: float, ctx: FrameContext) -> None:
        if intensity <= 0.0:
            return
        pal = ctx.palette
        a = float(min(1.0, intensity))
        water = max(float(ctx.motifs.get(k, 0.0)) for k in ("lake", "pond", "river", "sea"))
        dark = pal.near * F32(0.75) + pal.far * F32(0.2)
        off = S.camera_shift(ctx, canvas, DEPTH_GROUND)
        if water > 0.0 and not self.refl_region.empty:
            shimmer = 0.8 + 0.2 * S.breathe(t, 0.2)
            self.refl_sprite.paint(canvas.rgb, dark, dark, 0.4 * a * water * shimmer, off)
        lit = pal.near * F32(0.5) + pal.horizon * F32(0.3) + pal.light * F32(0.1)
        self.body.paint(canvas.rgb, dark, lit, a, off)
