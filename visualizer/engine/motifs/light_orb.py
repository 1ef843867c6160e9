"""The luminous orb held close: a warm sphere pulsing at ~0.2 Hz with a slow inner swirl and a
halo; when a pond or lake shows, it floats down onto the water and merges into it.

Why a pure function of (t, intensities): the descent is driven by the water motif's own
intensity (which the timeline fades in), so any frame can be rendered alone and `still --at T`
matches playback.
"""

from __future__ import annotations

import math

import numpy as np

from visualizer.engine import shapes as S
from visualizer.engine.canvas import Canvas
from visualizer.engine.lightmaps import GlowSplat
from visualizer.engine.motifs.objects_trees import BakedSprite
from visualizer.engine.registry import LAYER_LIGHT, MOTIFS, FrameContext, Motif, motif
from visualizer.engine.view import DEPTH_GROUND

F32 = np.float32
AMBER = np.array([1.0, 0.3, 0.05], dtype=F32)  # the orb is warm under any palette
GOLD = np.array([1.0, 0.52, 0.16], dtype=F32)
HELD_Y, HELD_R = 0.7, 0.085  # where the orb is held (fraction of height) and its radius


class PulsedSprite(BakedSprite):
    """A BakedSprite whose lit colour breathes: lit = dark + diff0 + pulse * diff1. The
    coverage terms for dark, diff0 and diff1 are kept while the palette and intensity hold,
    so the pulse costs two passes per tile a frame instead of re-deriving them (six)."""

    def __init__(self, sprite: S.Sprite) -> None:
        super().__init__(sprite)
        biggest = max((b[0].size for b in self._bufs), default=0)
        self._p1 = [np.empty(biggest, F32) for _ in self._bufs]

    def paint_pulsed(self, buf: np.ndarray, dark, diff0, diff1, pulse: float,
                     intensity: float, offset=(0.0, 0.0)) -> None:
        if self.sprite.region.empty or intensity <= 0.0:
            return
        self._place_at(buf, offset)
        dark, diff0, diff1 = (np.asarray(c, dtype=F32) for c in (dark, diff0, diff1))
        i = float(intensity)
        ikey = (dark.tobytes(), diff0.tobytes(), diff1.tobytes(), i)
        p1s = [p[: e[1].size].reshape(e[1].shape) for p, e in zip(self._p1, self._baked)]
        if ikey != self._ikey:
            for (box, A, SA, T, Q, P), P1 in zip(self._baked, p1s):
                m = box[3] - box[2]
                np.multiply(SA, np.tile(diff0 * F32(i), m), out=P)
                np.multiply(A, np.tile(dark * F32(i), m), out=T)
                P += T
                np.multiply(SA, np.tile(diff1 * F32(i), m), out=P1)
                np.multiply(A, F32(-i), out=Q)
                Q += F32(1.0)
            self._ikey = ikey
        for ((cy0, cy1, cx0, cx1), _A, _SA, T, Q, P), P1 in zip(self._baked, p1s):
            d2 = buf[cy0:cy1, cx0:cx1].reshape(cy1 - cy0, (cx1 - cx0) * 3)
            np.multiply(P1, F32(pulse), out=T)
            T += P
            d2 *= Q
            d2 += T


def water_target(canvas: Canvas, motifs: dict[str, float]) -> tuple[float, float, float]:
    """(x, y, spread) where the orb meets the water, in pixels: the middle of the pond (read
    from the pond motif's own geometry when it has one) or the near part of a lake."""
    H = canvas.h
    top = float(getattr(canvas, "water_top", canvas.horizon + 0.035))
    if float(motifs.get("pond", 0.0)) >= float(motifs.get("lake", 0.0)):
        pond = MOTIFS.get("pond")
        cx = float(getattr(pond, "CX", 0.5))
        cy = float(getattr(pond, "CY", top + 0.14))
        ry = float(getattr(pond, "RY", 0.12))
        return cx * canvas.w, cy * H, ry * H
    return 0.5 * canvas.w, (top + 0.12) * H, 0.12 * H


def water_level(canvas: Canvas) -> float:
    """Where the orb settles on a pond, in pixels."""
    return water_target(canvas, {"pond": 1.0})[1]


def orb_placement(
    canvas: Canvas, t: float, motifs: dict[str, float]
) -> tuple[float, float, float, float]:
    """(cx, cy, radius, merge) of the orb for this moment. `merge` 0 = held close .. 1 = gone
    into the water. Closed form in (t, water intensity)."""
    H = canvas.h
    water = max(float(motifs.get("pond", 0.0)), float(motifs.get("lake", 0.0)))
    p = S.smoothstep(0.05, 0.85, water)
    # held close: low centre, large; a slow hover so it feels alive in the hands
    hover = 1.0 - p
    hx = 0.5 * canvas.w + 0.012 * H * math.sin(2 * math.pi * 0.05 * t) * hover
    hy = HELD_Y * H + 0.01 * H * math.sin(2 * math.pi * 0.07 * t + 1.0) * hover
    wx, wy, _spread = water_target(canvas, motifs)
    # it floats gently down and away onto the surface, drifting a little sideways
    cx = hx + (wx - hx) * p + 0.02 * H * math.sin(math.pi * p)
    cy = hy + (wy - hy) * p
    merge = S.smoothstep(0.7, 1.0, water)
    r = HELD_R * H * (1.0 - 0.55 * p) * (1.0 - 0.6 * merge)
    return cx, cy, r, merge


@motif(
    "orb",
    LAYER_LIGHT,
    "a luminous orb pulsing warmly, held close; drifts to the water when a pond shows",
)
class Orb(Motif):
    def __init__(self, canvas: Canvas, rng: np.random.Generator) -> None:
        super().__init__(canvas, rng)
        # baked (see objects_trees.BakedSprite): rebaked only when the hover moves them 1/8 px
        self.hands = PulsedSprite(self._build_hands(canvas))
        self.halo = GlowSplat(reach=4.0)
        self._flat = np.empty((7, 0), F32)

    @staticmethod
    def _build_hands(canvas: Canvas) -> S.Sprite:
        """Two cupped hands holding the orb from below, seen from behind: a dark silhouette
        whose fingers catch the orb's warm light (shade 1 nearest the orb)."""
        H = canvas.h
        cx, cy, r = 0.5 * canvas.w, HELD_Y * H, HELD_R * H
        b = S.SpriteBuilder(canvas, cx - 4.2 * r, cy - 0.4 * r, cx + 4.2 * r, canvas.h + 2)
        for s in (-1.0, 1.0):
            # wrist and forearm running down out of the frame, wider as they come nearer
            b.capsule(
                cx + s * 1.3 * r,
                cy + 1.2 * r,
                cx + s * 3.1 * r,
                cy + 5.0 * r,
                0.4 * r,
                0.85 * r,
                shade=0.0,
            )
            # the palm, cupped under the orb
            b.ellipse(cx + s * 0.62 * r, cy + 1.02 * r, 0.85 * r, 0.42 * r, shade=0.2)
            # fingers curling up round the lower side of the orb
            for k, (ang, ln) in enumerate(((0.25, 0.7), (0.55, 0.75), (0.85, 0.7), (1.1, 0.55))):
                a0 = math.pi / 2 - s * (0.55 + 0.22 * k)
                bx = cx + math.cos(a0) * 1.02 * r
                by = cy + math.sin(a0) * 1.02 * r
                tip_a = a0 - s * 0.5
                tx = cx + math.cos(tip_a) * (1.02 + 0.08 * ang) * r
                ty = cy + math.sin(tip_a) * (1.02 + 0.08 * ang) * r - 0.1 * ln * r
                b.capsule(bx, by, tx, ty, 0.16 * r, 0.12 * r, shade=0.6)
            # the thumb, resting against the side
            b.capsule(
                cx + s * 1.1 * r,
                cy + 0.85 * r,
                cx + s * 1.12 * r,
                cy + 0.2 * r,
                0.17 * r,
                0.13 * r,
                shade=0.5,
            )
        sprite = b.build()
        # light from the orb: brightest on what is nearest it
        reg = sprite.region
        dist = np.hypot(reg.xs - F32(cx), reg.ys - F32(cy)) / F32(r)
        near = np.clip(1.6 - dist, 0.0, 1.0) ** 2
        sprite.shade[:] = np.clip(sprite.shade * 0.4 + near, 0.0, 1.0)
        return sprite

    def draw(self, canvas: Canvas, intensity: float, t: float, ctx: FrameContext) -> None:
        if intensity <= 0.0:
            return
        pal = ctx.palette
        a = float(min(1.0, intensity))
        cx, cy, r, merge = orb_placement(canvas, t, ctx.motifs)
        # held close it moves with the viewer (no parallax); on the water, with the ground
        water = max(float(ctx.motifs.get("pond", 0.0)), float(ctx.motifs.get("lake", 0.0)))
        off = S.camera_shift(ctx, canvas, DEPTH_GROUND * S.smoothstep(0.05, 0.85, water))
        cx, cy = cx + off[0], cy + off[1]
        pulse = S.breathe(t, 0.2)  # ~0.2 Hz warm pulse, never a strobe
        body = a * (1.0 - merge)
        rr = r * (1.0 + 0.035 * (pulse - 0.5))
        warm = pal.light * F32(0.25) + pal.accent * F32(0.1) + AMBER * F32(0.65)
        if body > 0.002 and rr > 0.5:
            reg = S.region_around(canvas, cx, cy, rr + 2, rr + 2)
            if not reg.empty:
                self._body(canvas, reg, cx, cy, rr, t, pulse, body, pal, warm)
        # the hands holding it, while it is held; they lower away as it floats off
        held = a * (1.0 - S.smoothstep(0.0, 0.35, water))
        if held > 0.002:
            hx, hy = 0.5 * canvas.w, HELD_Y * canvas.h
            drop = (1.0 - held) * 0.1 * canvas.h
            dark = pal.near * F32(0.55)
            # lit = dark + warm * 0.45 * (0.8 + 0.2 * pulse)
            self.hands.paint_pulsed(canvas.rgb, dark, warm * F32(0.36), warm * F32(0.09), pulse,
                                    held, (cx - hx, cy - hy + drop))
        # halo (bloomed by the compositor); sized by the unpulsed radius so its map is built
        # once while the orb is held (the pulse shows in its brightness)
        halo = a * (1.0 - merge) * (0.25 + 0.15 * pulse)
        self.halo.paint(canvas, cx, cy, max(r, 1.0) * 1.7, warm, halo)
        # on the water: light spreads in a widening pool and a column of reflection
        self._water_light(canvas, t, cx, cy, merge, a, pal.light, ctx.motifs)

    def _maps(self, shape: tuple[int, int]) -> list[np.ndarray]:
        """Seven (bh, bw) scratch maps over the body's box (its size follows the pulse by a
        pixel or so: views of flat buffers that only grow, so no allocation per frame)."""
        n = shape[0] * shape[1]
        if self._flat.shape[1] < n:
            self._flat = np.empty((7, n), F32)
        return [b[:n].reshape(shape) for b in self._flat]

    def _body(self, canvas: Canvas, reg: S.Region, cx, cy, rr, t, pulse, body, pal, warm):
        """The glass sphere of light: deep amber limb, bright gold heart, a fresnel rim, and
        two sets of thin filaments swirling slowly in opposite directions. Two-dimensional
        maps and a per-channel composite (no (bh, bw, 3) broadcasts, no hypot)."""
        d, ang, f1, f2, cov, tmp, col = self._maps(reg.shape)
        dx = (reg.xs - F32(cx)) / F32(rr)
        dy = (reg.ys - F32(cy)) / F32(rr)
        np.add(np.square(dx), np.square(dy), out=d)
        np.sqrt(d, out=d)
        # coverage of the disc, soft over 1.2 px
        np.subtract(d, F32(1.0), out=cov)
        cov *= F32(-rr / 1.2)
        cov += F32(0.5)
        np.clip(cov, 0.0, 1.0, out=cov)
        np.arctan2(dy, dx, out=ang)
        np.multiply(ang, F32(2.0), out=f1)
        np.multiply(d, F32(6.5), out=tmp)
        f1 += tmp
        f1 -= F32(0.5 * t)
        np.cos(f1, out=f1)
        np.multiply(ang, F32(3.0), out=f2)
        np.multiply(d, F32(5.0), out=tmp)
        f2 -= tmp
        f2 += F32(0.33 * t) + F32(1.0)
        np.cos(f2, out=f2)
        core = ang  # angle no longer needed: core = clip(1 - d, 0, 1)
        np.subtract(F32(1.0), d, out=core)
        np.clip(core, 0.0, 1.0, out=core)
        fil = f1
        np.maximum(f1, f2, out=fil)
        fil -= F32(1.0)
        fil *= F32(9.0)
        np.exp(fil, out=fil)
        np.sqrt(core, out=tmp)
        fil *= tmp
        rim = f2
        np.subtract(d, F32(1.0), out=rim)
        rim *= F32(7.0)
        np.exp(rim, out=rim)
        rim *= cov
        # light added on top of the limb-to-heart blend: e = fil * 0.45 + rim * 0.2
        e = rim
        e *= F32(0.2)
        np.multiply(fil, F32(0.45), out=tmp)
        e += tmp
        k = d  # d no longer needed: k = core^1.3 * (0.9 + 0.1 pulse)
        np.power(core, F32(1.3), out=k)
        k *= F32(0.9 + 0.1 * pulse)
        deep = AMBER * F32(0.3) + pal.accent * F32(0.04)
        bright = GOLD * F32(0.52) + pal.light * F32(0.06)
        alpha = np.multiply(cov, F32(body), out=cov)
        dst = reg.view(canvas.rgb)
        for c in range(3):
            # colour deep + (bright - deep) * k + bright * e, composited over with alpha
            np.multiply(k, F32(bright[c] - deep[c]), out=col)
            col += F32(deep[c])
            np.multiply(e, F32(bright[c]), out=tmp)
            col += tmp
            ch = dst[..., c]
            col -= ch
            col *= alpha
            ch += col
        # the heart's glow: (core^2 * 0.2 + fil * 0.1) * coverage
        np.square(core, out=tmp)
        tmp *= F32(0.2)
        fil *= F32(0.1)
        tmp += fil
        tmp *= alpha  # alpha = cov * body: fold `body` out of the colour below
        gcol = warm * F32(0.6 + 0.4 * pulse)
        S.add(canvas.glow, reg, tmp, gcol)

    def _water_light(
        self, canvas: Canvas, t: float, cx, cy, merge, a, light, motifs: dict[str, float]
    ) -> None:
        """Once on the water its light spreads: a warm pool, a glade of reflected light
        toward the viewer, and rings moving outward and fading (closed form in t), all kept
        on the water (inside the pond's oval when it is a pond)."""
        if merge <= 0.0:
            return
        H = canvas.h
        _wx, _wy, half_h = water_target(canvas, motifs)
        spread = 0.04 * H + 0.18 * H * merge
        reg = S.region(
            canvas, cx - spread * 2.2, cy - spread * 0.45, cx + spread * 2.2, cy + spread * 0.8
        )
        if reg.empty:
            return
        dx = (reg.xs - F32(cx)) / F32(spread)  # a row
        dy = (reg.ys - F32(cy)) / F32(spread * 0.28)  # a column; perspective: rings lie flat
        dd, w, glade, rings, tmp, keep, _spare = self._maps(reg.shape)
        dx2, dy2 = np.square(dx), np.square(dy)
        np.add(dx2, dy2, out=dd)
        np.sqrt(dd, out=dd)
        # a soft warm pool where it went in (bloomed), and its reflection running toward us;
        # both separable in x and y, so one outer product each
        np.multiply(np.exp(dx2 * F32(-6.0)) * F32(0.5), np.exp(dy2 * F32(-6.0)), out=w)
        down = np.clip(dy * F32(0.25), 0.0, 1.0)
        down *= np.clip(F32(1.0) - (reg.ys - F32(cy)) / F32(spread * 0.8), 0.0, 1.0)
        np.multiply(np.exp(-np.square(dx * F32(2.6))), down * F32(0.3), out=glade)
        w += glade
        # rings of light on the crests: thin, faint and crisp (added to the picture only, not
        # to the bloom, which would smear them into a spiral haze)
        rings.fill(0.0)
        for k in range(3):
            radius = ((0.09 * t + k / 3.0) % 1.0) * 2.0
            fade = (1.0 - radius / 2.0) ** 2 * min(1.0, radius * 4.0)
            if fade <= 0.0:
                continue
            width = 0.025 + 0.02 * radius
            np.subtract(dd, F32(radius), out=tmp)
            np.square(tmp, out=tmp)
            tmp *= F32(-1.0 / width**2)
            np.exp(tmp, out=tmp)
            tmp *= F32(0.25 * fade)
            rings += tmp
        if float(motifs.get("pond", 0.0)) >= float(motifs.get("lake", 0.0)):
            # keep it on the pond: fade out toward the pond's own edge
            pond = MOTIFS.get("pond")
            prx = float(getattr(pond, "RX", 0.36)) * canvas.w
            ex = (reg.xs - F32(cx)) / F32(prx * 0.95)
            ey = (reg.ys - F32(cy)) / F32(half_h * 0.9)
            np.add(np.square(ex), np.square(ey), out=keep)
            keep *= F32(-4.0)
            keep += F32(4.0)
            np.clip(keep, 0.0, 1.0, out=keep)
            w *= keep
            rings *= keep
        gain = a * merge * (0.2 + 0.05 * S.breathe(t, 0.2))
        gold = GOLD * F32(0.8) + light * F32(0.15)
        for buf, k in ((canvas.glow, 0.7), (canvas.rgb, 0.2)):
            col = gold * F32(k * gain)
            if buf is canvas.rgb:
                w += rings  # the picture gets the rings too, the bloom does not
            dst = reg.view(buf)
            for c in range(3):
                np.multiply(w, F32(col[c]), out=tmp)
                ch = dst[..., c]
                ch += tmp
