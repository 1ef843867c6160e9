"""The free-standing mirror in a clearing: a frame of twisting silver willow branches around an
oval of glass that reflects the sky and refracts hidden colours (a slow prismatic band).

Why this shape: the dream says "a mirror standing freely in a clearing, its frame wrought from
the silver branches of the willow trees... refractive, bending the light to reveal hidden
colours". The frame is braided branches with drooping strands so it reads as willow, the glass
shows a slowly sweeping spectrum over a sky reflection and glows softly from within.
"""

from __future__ import annotations

import math

import numpy as np

from visualizer.engine import shapes as S
from visualizer.engine.canvas import Canvas
from visualizer.engine.lightmaps import GlowTiles
from visualizer.engine.motifs.objects_trees import BakedPoses, BakedSprite
from visualizer.engine.registry import LAYER_NEAR, FrameContext, Motif, motif
from visualizer.engine.view import DEPTH_GROUND

F32 = np.float32
SILVER = np.array([0.72, 0.76, 0.8], dtype=F32)


def rainbow(phase: np.ndarray, out: np.ndarray) -> np.ndarray:
    """Smooth spectral colours (cosine palette) for `phase` (bh, bw) into out: (bh, bw, 3),
    or channel planes (3, bh, bw) when out.shape[0] == 3 and phase's is not."""
    planar = out.shape[0] == 3 and out.shape[1:] == phase.shape
    for k, off in enumerate((0.0, 0.33, 0.67)):
        o = out[k] if planar else out[..., k]
        np.add(phase, F32(off), out=o)
        o *= F32(2.0 * math.pi)
        np.cos(o, out=o)
    out *= F32(0.5)
    out += F32(0.5)
    np.square(out, out=out)  # to linear light: deeper, more saturated hues
    return out


def mirror_geometry(canvas: Canvas) -> tuple[float, float, float, float, float]:
    """(cx, cy, rx, ry, ground_y) of the glass in pixels: centred, ~40% of frame height."""
    H = canvas.h
    ground_y = min(canvas.h - 2.0, (canvas.horizon + 0.24) * H)
    ry = 0.155 * H
    rx = 0.102 * H
    cy = ground_y - 0.075 * H - ry
    return canvas.w * 0.5, cy, rx, ry, ground_y


@motif(
    "mirror",
    LAYER_NEAR,
    "a free-standing mirror in a willow-branch frame, refracting hidden colours",
)
class Mirror(Motif):
    def __init__(self, canvas: Canvas, rng: np.random.Generator) -> None:
        super().__init__(canvas, rng)
        H = canvas.h
        cx, cy, rx, ry, gy = mirror_geometry(canvas)
        self.cx, self.cy, self.rx, self.ry, self.gy = cx, cy, rx, ry, gy
        u = H / 360.0  # one "design pixel" at 360p
        # glass: oval mask and normalised coordinates
        g = S.region_around(canvas, cx, cy, rx + 2, ry + 2)
        self.glass = g
        self.gmask = S.coverage(S.sd_ellipse(g, cx, cy, rx, ry), 1.0)
        self.gx = np.broadcast_to((g.xs - F32(cx)) / F32(rx), g.shape).astype(F32)
        self.gy_ = np.broadcast_to((g.ys - F32(cy)) / F32(ry), g.shape).astype(F32)
        rr = np.hypot(self.gx, self.gy_)
        self.center = np.clip(1.0 - rr, 0.0, 1.0).astype(F32)
        self.heart = (0.85 + 0.3 * self.center).astype(F32)  # brighter toward the middle
        # the reflection that gazes back: a soft head-and-shoulders silhouette of the one
        # standing before the glass, dark at its core and edged with light
        soft = max(1.5, 2.5 * H / 360.0)
        head = S.sd_ellipse(g, cx, cy + 0.02 * ry, 0.22 * rx, 0.2 * ry)
        neck = S.sd_capsule(g, cx, cy + 0.15 * ry, cx, cy + 0.35 * ry, 0.09 * rx)
        shoulders = S.sd_capsule(
            g, cx - 0.5 * rx, cy + 0.55 * ry, cx + 0.5 * rx, cy + 0.55 * ry, 0.26 * ry
        )
        sil_sd = np.minimum(np.minimum(head, neck), shoulders)
        self.sil = S.coverage(sil_sd, soft) * self.gmask
        self.sil_rim = (np.exp(-np.square(sil_sd / F32(soft * 1.2))) * self.gmask).astype(F32)
        # the light from within shines round the reflection, not through it
        self.inner_glow = (self.gmask * (1.0 - 0.6 * self.sil)).astype(F32)
        # sky reflection weights: 0 at top .. 1 at bottom of the glass
        self.refl_v = np.clip((0.5 + 0.5 * self.gy_) / 0.68, 0.0, 1.0).astype(F32)
        self.refl_v2 = np.square(self.refl_v)
        self.below2 = np.clip((self.gy_ - 0.34) / 0.03, 0.0, 1.0).astype(F32)
        # a soft sheen across the upper left (does not move: built once)
        self.sheen = np.exp(-np.square(self.gx + self.gy_ + F32(0.95)) / F32(0.03)).astype(F32)
        self.within = (self.center * self.inner_glow).astype(F32)  # light from within
        self.sil_half = (self.sil * F32(0.5)).astype(F32)
        # per channel planes (3, bh, bw): every per-channel pass is contiguous
        self._col = np.zeros((3, *g.shape), F32)
        self._rb = np.zeros((3, *g.shape), F32)
        self._base = np.zeros((6, *g.shape), F32)
        self._base_key: bytes | None = None
        self._ph = np.zeros(g.shape, F32)
        self._w = np.zeros(g.shape, F32)
        self._k = np.zeros(g.shape, F32)
        self._t = np.zeros(g.shape, F32)
        self._t2 = np.zeros(g.shape, F32)
        frame = self._build_frame(canvas, rng, u)
        # the glint (alpha * shade) only where the frame is: its sprite tiles' shade*coverage
        self.glint = GlowTiles(
            [(y0, y1, x0, x1, psa[:, 3:-3].copy()) for y0, y1, x0, x1, _pa, psa
             in frame._prepared()]
        )
        # both painted from baked composites (see objects_trees.BakedSprite): the frame and
        # its strands are rebaked only when the palette, the sway or the drift moves
        self.frame = BakedSprite(frame)
        self.strands = BakedPoses(S.SpritePoses(self._build_strands(canvas, rng, u)), 0.25)
        # soft ground shadow beneath
        sh = S.region_around(canvas, cx, gy, rx * 1.6, 0.03 * H)
        self.shadow_r = sh
        dx = (sh.xs - F32(cx)) / F32(rx * 1.3)
        dy = (sh.ys - F32(gy)) / F32(0.022 * H)
        self.shadow = (0.5 * np.clip(1.0 - dx * dx - dy * dy, 0.0, 1.0) ** 2).astype(F32)

    def _build_frame(self, canvas: Canvas, rng: np.random.Generator, u: float) -> S.Sprite:
        cx, cy, rx, ry, gy = self.cx, self.cy, self.rx, self.ry, self.gy
        H = canvas.h
        b = S.SpriteBuilder(canvas, cx - rx * 2.2, cy - ry - 0.09 * H, cx + rx * 2.2, gy + 0.02 * H)
        th = np.linspace(0.0, 2.0 * math.pi, 161)
        # three braided branches twisting around the oval
        for i in range(3):
            ph = 2.0 * math.pi * i / 3.0
            off = 3.2 * u + 2.6 * u * np.sin(7.0 * th + ph)
            pts = np.stack([cx + (rx + off) * np.cos(th), cy + (ry + off) * np.sin(th)], axis=1)
            radii = (1.5 + 0.7 * np.cos(7.0 * th + ph)) * u
            shade = 0.55 + 0.4 * math.cos(ph)
            b.polyline(pts, radii, shade=shade)
        # inner rim: a thin bright bead around the glass
        pts = np.stack([cx + (rx + 0.6 * u) * np.cos(th), cy + (ry + 0.6 * u) * np.sin(th)], axis=1)
        b.polyline(pts, 0.8 * u, shade=1.0)
        # legs: two branches from the lower frame to the ground, with roots
        for s in (-1.0, 1.0):
            a = math.pi / 2 - s * 0.55
            p0 = (cx + rx * math.cos(a), cy + ry * math.sin(a))
            p3 = (cx + s * rx * 0.95, gy)
            pts = S.bezier(
                p0, (p0[0] + s * 2 * u, p0[1] + 10 * u), (p3[0] - s * 6 * u, p3[1] - 8 * u), p3, 14
            )
            b.polyline(pts, np.linspace(2.2 * u, 3.0 * u, 14), shade=0.45)
            for k in range(3):
                ang = (0.15 + 0.35 * k) * s
                q = (p3[0] + s * (6 + 7 * k) * u, p3[1] + (1.5 + k * 0.8) * u)
                pts = S.bezier(p3, (p3[0] + math.sin(ang) * 6 * u, p3[1] + 1 * u), q, n=8)
                b.polyline(pts, np.linspace(1.8 * u, 0.4 * u, 8), shade=0.35)
        # a central stem under the glass, braided into the legs
        p0 = (cx, cy + ry + 3 * u)
        pts = S.bezier(p0, (cx + 3 * u, cy + ry + 12 * u), (cx - 3 * u, gy - 8 * u), (cx, gy), 12)
        b.polyline(pts, np.linspace(1.6 * u, 2.6 * u, 12), shade=0.4)
        # crown: two willow boughs rising from the top and arching out and down
        self.arches = []
        for sd in (-1.0, 1.0):
            for k in range(2):
                a0 = -math.pi / 2 + sd * (0.18 + 0.28 * k)
                p0 = (cx + (rx + 3 * u) * math.cos(a0), cy + (ry + 3 * u) * math.sin(a0))
                p1 = (cx + sd * (rx * (0.5 + 0.3 * k)), cy - ry - (30 - 10 * k) * u)
                p2 = (cx + sd * rx * (1.55 + 0.35 * k), cy - ry * (0.95 - 0.25 * k))
                p3 = (cx + sd * rx * (1.8 + 0.45 * k), cy - ry * (0.35 - 0.3 * k))
                pts = S.bezier(p0, p1, p2, p3, 24)
                b.polyline(pts, np.linspace((2.2 - 0.5 * k) * u, 0.5 * u, 24), shade=0.75)
                self.arches.append(pts)
        # little curls where the braids meet at the top
        for sd in (-1.0, 1.0):
            c = (cx + sd * 5 * u, cy - ry - 6 * u)
            ang = np.linspace(0.0, 1.7 * math.pi, 14) * sd + (math.pi if sd < 0 else 0.0)
            rad = np.linspace(4.0, 1.5, 14) * u
            cp = np.stack([c[0] + rad * np.cos(ang), c[1] + rad * np.sin(ang)], axis=1)
            b.polyline(cp, np.linspace(1.3, 0.5, 14) * u, shade=0.85)
        return b.build()

    def _build_strands(self, canvas: Canvas, rng: np.random.Generator, u: float) -> list[S.Sprite]:
        """Thin drooping willow strands hanging from the upper frame, built at three sway
        offsets; drawing cross-fades between them so they stir without per-frame geometry."""
        cx, cy, rx, ry = self.cx, self.cy, self.rx, self.ry
        H = canvas.h
        arches = self.arches
        picks = []
        for pts in arches:
            for f in np.sort(rng.uniform(0.15, 1.0, 13)):
                ln = float(rng.uniform(0.05, 0.22)) * H
                picks.append(
                    (pts, f, ln, float(rng.uniform(0.45, 1.0)), float(rng.uniform(0, 6.3)))
                )
        out = []
        for sway in (-1.0, 0.0, 1.0):
            b = S.SpriteBuilder(
                canvas, cx - rx * 2.6, cy - ry - 0.09 * H, cx + rx * 2.6, cy + ry * 1.2
            )
            for pts, f, ln, shade, ph in picks:
                p0 = pts[min(len(pts) - 1, int(f * (len(pts) - 1)))]
                side = math.copysign(1.0, p0[0] - cx)
                # keep clear of the glass: strands hang outside the oval
                start_x = p0[0] if abs(p0[0] - cx) > rx * 1.12 else cx + side * rx * 1.12
                bend = side * 3 * u + sway * 0.03 * ln
                b.hanging(start_x, p0[1], ln, bend, 0.75 * u, 0.3 * u, shade, beads=0.8, phase=ph)
            out.append(b.build())
        return out

    def _sky_reflection(self, pal) -> tuple[np.ndarray, np.ndarray]:
        """(sky, sheen) channel planes times the heart, for this palette (kept while the
        palette holds: a scene, not a dissolve)."""
        top = pal.sky_top * F32(0.7)
        mid = pal.sky_mid * F32(0.8)
        low = pal.horizon * F32(0.85)
        gnd = pal.ground * F32(0.55)
        key = b"".join(np.asarray(c, F32).tobytes() for c in (top, mid, low, gnd, pal.light))
        sky, sheen = self._base[:3], self._base[3:]
        if key != self._base_key:
            for c in range(3):
                ch = sky[c]
                np.multiply(self.refl_v, F32(mid[c] - top[c]), out=ch)
                ch += self.refl_v2 * F32(low[c] - mid[c])
                ch += self.below2 * F32(gnd[c] - low[c])
                ch += F32(top[c])
                ch *= self.heart
                np.multiply(self.sheen, F32(0.12 * pal.light[c]), out=sheen[c])
                sheen[c] *= self.heart
            self._base_key = key
        return sky, sheen

    def draw(self, canvas: Canvas, intensity: float, t: float, ctx: FrameContext) -> None:
        if intensity <= 0.0:
            return
        pal = ctx.palette
        a = float(min(1.0, intensity))
        # it stands on the ground: follow the ground's parallax as the camera drifts
        off = S.camera_shift(ctx, canvas, DEPTH_GROUND)
        iw = S.whole(off)
        # shadow grounding the mirror
        S.over(canvas.rgb, self.shadow_r, self.shadow * F32(a), pal.near * F32(0.3), iw)
        # --- the glass: sky reflection + a spectrum band drifting across ------------------
        g = self.glass
        col, rb, ph, w = self._col, self._rb, self._ph, self._w
        # the hidden colours: light bent as by a prism into a spectrum band lying across the
        # glass; it drifts slowly across and turns a little (closed form in t)
        ang = 0.75 + 0.25 * math.sin(2 * math.pi * 0.019 * t)
        m = 0.7 * math.sin(2 * math.pi * 0.023 * t + 0.7)
        np.multiply(self.gx, F32(math.cos(ang)), out=ph)
        ph += self.gy_ * F32(-math.sin(ang))
        ph += F32(0.06) * np.sin(self.gy_ * F32(2.5) + F32(0.3 * t))  # a gentle bend
        ph -= F32(m)
        # across the band: red .. violet (a true spectrum), fading at its edges
        np.multiply(ph, F32(-1.0 / 0.55), out=w)
        rainbow(w, rb)
        np.square(ph, out=w)
        w *= F32(-1.0 / 0.07)
        np.exp(w, out=w)
        # a faint second band, like a secondary rainbow, further along
        ph -= F32(0.62)
        np.square(ph, out=ph)
        ph *= F32(-1.0 / 0.05)
        np.exp(ph, out=ph)
        w += ph * F32(0.3)
        w *= F32(0.9)
        # per channel: the mirror faces us and reflects the sky behind the viewer down to a
        # horizon line two thirds of the way down, then the darker ground, kept where the
        # band is not (keep); a sheen on top; all brighter toward the middle (heart) and
        # shadowed by the reflection of the dreamer (sf), whose edge catches the light.
        # colour = (sky * keep + rb * w * 0.55 + sheen) * heart * sf + rim: the sky and the
        # sheen (times the heart) depend only on the palette, so they are kept between frames
        sky, sheen = self._sky_reflection(pal)
        seen = 0.85 + 0.15 * S.breathe(t, 0.08)
        sf = np.multiply(self.sil_half, F32(-seen), out=self._k)
        sf += F32(1.0)
        keep = np.multiply(w, F32(-0.35), out=ph)
        keep += F32(1.0)
        keep *= sf
        wb = np.multiply(w, F32(0.55), out=self._t)
        wb *= self.heart
        wb *= sf
        tmp = self._t2
        for c in range(3):
            ch = col[c]
            np.multiply(sky[c], keep, out=ch)
            np.multiply(rb[c], wb, out=tmp)
            ch += tmp
            np.multiply(sheen[c], sf, out=tmp)
            ch += tmp
            np.multiply(self.sil_rim, F32(0.35 * seen * pal.light[c]), out=tmp)
            ch += tmp
        alpha = np.multiply(self.gmask, F32(a), out=self._k)  # sf no longer needed
        got = S.shift_view(canvas.rgb, g, iw)
        if got is not None:
            dst, sl = got
            al = alpha[sl]
            for c in range(3):
                ch = col[c][sl]
                d = dst[..., c]
                ch -= d
                ch *= al
                d += ch
        # light from within the glass (blooms softly): warm light plus the spectrum's colour
        pulse = 0.75 + 0.25 * S.breathe(t, 0.13)
        # "a gentle glow that radiates from within": the glass shines brighter with the glow
        pulse *= 1.0 + 0.6 * float(ctx.motifs.get("glow", 0.0))
        w *= self.gmask
        w *= F32(0.12 * a * pulse)
        within = F32(0.16 * a * pulse * 0.8)
        got = S.shift_view(canvas.glow, g, iw)
        if got is not None:
            dst, sl = got
            for c in range(3):
                t1 = np.multiply(rb[c], w, out=col[c])
                np.multiply(self.within, within * F32(pal.light[c]), out=tmp)
                t1 += tmp
                d = dst[..., c]
                d += t1[sl]
        # --- frame of silver willow branches --------------------------------------------
        silver_lit = SILVER * F32(0.55) + pal.mist * F32(0.25) + pal.light * F32(0.1)
        silver_dark = pal.near * F32(0.6) + pal.far * F32(0.1)
        self.frame.paint(canvas.rgb, silver_dark, silver_lit, a, off)
        # strands stir: cross-fade between three sway poses with a slow breeze
        s = 0.5 + 0.5 * math.sin(2 * math.pi * 0.09 * t) * (0.6 + 0.4 * abs(ctx.wind))
        strand_lit = SILVER * F32(0.4) + pal.mist * F32(0.2) + pal.far * F32(0.15)
        lo = 0 if s < 0.5 else 1
        f = (s - 0.5 * lo) * 2.0
        self.strands.paint(canvas.rgb, silver_dark, strand_lit, a, {lo: 1.0 - f, lo + 1: f}, off)
        # a faint silver glint on the frame where it catches the light
        self.glint.add(canvas.glow, pal.light * F32(0.04 * a), iw)
