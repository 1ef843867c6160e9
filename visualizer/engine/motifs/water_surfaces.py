"""Water: a still pond and a glassy lake that mirror everything above them, the open sea with
slow swells and glitter, a winding river, and ripple rings spreading from a point."""

from __future__ import annotations

import numpy as np

from visualizer.engine.canvas import Canvas
from visualizer.engine.land import oklab_mix, rep3, wide, wide3
from visualizer.engine.motifs.land_ground import Plane, _winding, near_bank_top
from visualizer.engine.noise import fbm_1d
from visualizer.engine.registry import LAYER_WATER, FrameContext, Motif, motif
from visualizer.engine.water import (
    TAU,
    CroppedReflection,
    Reflection,
    depth_rows,
    ripple_centre,
)

F32 = np.float32


class _Water(Motif):
    """A reflecting surface over rows y0..h. Subclasses choose rows, mirror, ripples, mask."""

    gain_far = 0.85  # how much of the reflection shows near the horizon ..
    gain_near = 0.55  # .. and at the bottom (fresnel: grazing angles reflect more)
    amp_far, amp_near = 0.2, 1.2  # ripple displacement in pixels (at 960 px width)
    speed = 0.35

    def setup(self, canvas: Canvas, y0: int, mirror: float, horizon: float) -> None:
        self.y0 = max(0, min(canvas.h - 1, y0))
        self.refl = Reflection(canvas, self.y0, canvas.h, mirror)
        rows = canvas.h - self.y0
        near = np.linspace(0, 1, rows) ** 1.5
        gain = self.gain_far + (self.gain_near - self.gain_far) * near
        self.gain = gain[:, None, None].astype(F32)
        scale = canvas.w / 960.0
        self.amp = ((self.amp_far + (self.amp_near - self.amp_far) * near) * scale).astype(F32)
        self.z = depth_rows(canvas, self.y0, canvas.h, horizon)
        self.sheen = (1.0 + 0.04 * fbm_1d(rows, self.rng, cells=max(2, rows // 6), octaves=2))
        self.sheen = self.sheen[:, None, None].astype(F32)
        self.shift = np.empty(rows, F32)
        v = (np.arange(self.y0, canvas.h, dtype=np.float64) + 0.5) / canvas.h
        top = near_bank_top(canvas.w)[None, :]  # the near bank and its grass (shore motif)
        near_bank = np.clip((v[:, None] - top) * canvas.h + 0.5, 0, 1)
        self.bank = rep3(near_bank)

    def ripple_shift(self, t: float, ctx: FrameContext) -> np.ndarray:
        z, s = self.z, self.speed * ctx.pace
        sh = np.sin(z * 40.0 - t * s * 2.1) + 0.6 * np.sin(z * 23.0 + t * s * 1.3 + 1.7)
        np.multiply(sh, self.amp, out=self.shift)
        return self.shift

    def tint(self, ctx: FrameContext) -> np.ndarray:
        pal = ctx.palette
        return oklab_mix(pal.water, pal.near, 0.35) * F32(0.8)

    def mask(self, canvas: Canvas, ctx: FrameContext | None) -> np.ndarray | None:
        """Per-pixel coverage (rows, w, 1) or None for all of it."""
        return None

    def finish(self, buf: np.ndarray, canvas: Canvas, t: float, ctx: FrameContext) -> None:
        """Extra touches on the water colour before it is laid down."""

    def draw(self, canvas: Canvas, intensity: float, t: float, ctx: FrameContext) -> None:
        buf = self.refl.gather(canvas.rgb, self.ripple_shift(t, ctx))
        water = wide3(self.tint(ctx), canvas.w)
        buf -= water
        buf *= self.gain
        buf += water
        buf *= self.sheen
        self.finish(buf, canvas, t, ctx)
        seg = canvas.rgb[self.y0 :]
        alpha = self.mask(canvas, ctx)
        shore = float(ctx.motifs.get("shore", 0.0))
        if shore > 0.0:
            keep = canvas.scratch(f"{self.name}:keep", self.bank.shape)
            np.multiply(self.bank, F32(-shore), out=keep)
            keep += 1.0
            if alpha is not None:
                keep *= alpha
            alpha = keep
        buf -= seg
        if alpha is not None:
            buf *= alpha
        if intensity < 1.0:
            buf *= F32(intensity)
        seg += buf


class _StillWater(_Water):
    """A pond or lake: `_Water.draw` in fewer, cheaper passes over only the box where the
    water can show (`crop`). The water colour is ((R - W)*gain + W)*sheen*rows for the
    reflection R and tint W, i.e. R*G + K*W with per-row G and K: G rides on the reflection's
    lerp weights and K*W is one pass (cached while the rows hold still). The coverage
    (1 - shore*bank)*mask*intensity is cached by (shore, intensity)."""

    def crop(self, canvas: Canvas) -> tuple[int, int, int]:
        """(x0, x1, y1): the columns and the row end of the water's box."""
        return 0, canvas.w, canvas.h

    def rows_factor(self, t: float, ctx: FrameContext) -> np.ndarray | None:
        """A per-row brightness (n,) over the water colour, or None."""
        return None

    def edge(self, out: np.ndarray, canvas: Canvas, ctx: FrameContext,
             rows: np.ndarray | None) -> None:
        """Touches on the water colour (rows of interleaved RGB, after `rows_factor`)."""

    def _fast_setup(self, canvas: Canvas) -> None:
        x0, x1, y1 = self.crop(canvas)
        self.box = (x0, x1, y1)
        self.cref = CroppedReflection(self.refl, y1, x0, x1)
        n, cols = y1 - self.y0, (x1 - x0) * 3
        gain, sheen = self.gain[:n, 0, 0], self.sheen[:n, 0, 0]
        self.g_rows = (gain * sheen).astype(F32)
        self.k_rows = ((1.0 - gain) * sheen).astype(F32)
        self.kw = np.empty((n, cols), F32)
        self._kw_key: bytes | None = None
        self.wbuf = np.empty((n, cols), F32)
        self.cover = np.empty((n, cols), F32)
        self._cover_key: tuple | None = None
        self.scale = np.empty(n, F32)
        m = self.mask(canvas, None)
        sl = (slice(0, n), slice(x0, x1))
        self.bank_c = np.ascontiguousarray(self.bank[sl]).reshape(n, cols)
        self.mask_c = None if m is None else np.ascontiguousarray(m[sl]).reshape(n, cols)
        if self.mask_c is not None:
            self.bank_c *= self.mask_c  # mask * bank: the coverage is mask - shore*that
        # rows above the near bank: the coverage there is the mask (all of it for a lake)
        hit = np.flatnonzero(self.bank_c.any(axis=1))
        self.kb = int(hit[0]) if len(hit) else n

    def _coverage(self, shore: float, intensity: float) -> np.ndarray | None:
        """(1 - shore*bank) * mask * intensity over the box, or None when it is all 1."""
        if shore <= 0.0 and self.mask_c is None and intensity >= 1.0:
            return None
        key = (shore, intensity)
        if key != self._cover_key:
            c = self.cover
            if shore > 0.0:
                np.multiply(self.bank_c, F32(-shore * intensity), out=c)
                if self.mask_c is None:
                    c += F32(intensity)
                else:
                    c += self.mask_c * F32(intensity) if intensity < 1.0 else self.mask_c
            elif self.mask_c is not None:
                np.multiply(self.mask_c, F32(intensity), out=c)
            else:
                c.fill(intensity)
            self._cover_key = key
        return self.cover

    def draw(self, canvas: Canvas, intensity: float, t: float, ctx: FrameContext) -> None:
        if not hasattr(self, "box"):
            self._fast_setup(canvas)
        x0, x1, y1 = self.box
        n = y1 - self.y0
        if n <= 0 or x1 <= x0:
            return
        seg = canvas.rgb[self.y0 : y1, x0:x1].reshape(n, (x1 - x0) * 3)
        cover = self._coverage(float(ctx.motifs.get("shore", 0.0)), float(intensity))
        out = seg if cover is None else self.wbuf
        rows = self.rows_factor(t, ctx)
        g = self.g_rows
        if rows is not None:
            g = np.multiply(g, rows[:n], out=self.scale)
        self.cref.into(canvas.rgb, self.ripple_shift(t, ctx), g, out)
        tint = self.tint(ctx)
        if rows is None:  # K*W only changes with the tint
            key = tint.tobytes()
            if key != self._kw_key:
                np.multiply(self.k_rows[:, None], wide(tint, x1 - x0), out=self.kw)
                self._kw_key = key
        else:
            np.multiply((self.k_rows * rows[:n])[:, None], wide(tint, x1 - x0), out=self.kw)
            self._kw_key = None
        out += self.kw
        self.edge(out, canvas, ctx, rows)
        if cover is not None:
            k = 0
            if self.mask_c is None and intensity >= 1.0:  # clear water above the bank
                k = self.kb
                np.copyto(seg[:k], out[:k])
            low, sl = out[k:], seg[k:]
            low -= sl
            low *= cover[k:]
            sl += low


@motif("lake", LAYER_WATER, "a wide lake, still as polished glass, with a reflection")
class Lake(_StillWater):
    """Still as glass: the world above mirrored, barely trembling, a faint sheen."""

    amp_far, amp_near = 0.08, 0.6
    gain_far, gain_near = 0.9, 0.42  # a bright mirror far off, deep water underfoot
    speed = 0.25

    def __init__(self, canvas: Canvas, rng: np.random.Generator) -> None:
        super().__init__(canvas, rng)
        wt = canvas.water_top * canvas.h
        self.setup(canvas, int(np.floor(wt)), wt, canvas.horizon)
        # the soft bright line where the far shore meets the water, fading over a few rows
        n = max(2, canvas.h // 90)
        self.line = (0.16 * np.exp(-np.arange(n) / (0.4 * n)))[:, None, None].astype(F32)
        self.waves = np.empty((canvas.h - self.y0, 1, 1), F32)
        self.near = np.linspace(0, 1, canvas.h - self.y0).astype(F32)

    def rows_factor(self, t: float, ctx: FrameContext) -> np.ndarray | None:
        # when a glow shines, its light spills over the glass in slow soft waves that travel
        # towards the viewer (brightness bands in perspective, no displacement: still water)
        glow = float(ctx.motifs.get("glow", 0.0))
        if glow <= 0.0:
            return None
        w = self.waves[:, 0, 0]
        np.multiply(self.z, F32(9.0), out=w)
        w += F32(t * 0.5 * ctx.pace)
        np.sin(w, out=w)
        w *= self.near
        w *= F32(0.07 * min(1.0, glow))
        w += 1.0
        return w

    def edge(self, out: np.ndarray, canvas: Canvas, ctx: FrameContext,
             rows: np.ndarray | None) -> None:
        n = len(self.line)
        x0, x1, _y1 = self.box
        light = wide(ctx.palette.light, x1 - x0)
        if rows is not None:  # the line is drawn before the waves brighten the rows
            light = light * rows[:n, None]
        top = out[:n]
        top += (light - top) * self.line[:, :, 0]


@motif("pond", LAYER_WATER, "a small still pond mirroring the sky")
class Pond(_StillWater):
    """A small oval pond in the foreground mirroring the sky, with a soft dark bank."""

    gain_far, gain_near = 0.82, 0.7
    amp_far, amp_near = 0.15, 0.5

    CX, CY, RX, RY = 0.5, 0.8, 0.36, 0.12
    RING_MIN = 1e-7  # the bank's shade is cut where it would change a pixel by less

    def __init__(self, canvas: Canvas, rng: np.random.Generator) -> None:
        super().__init__(canvas, rng)
        top = int((self.CY - self.RY) * canvas.h)
        self.setup(canvas, top, canvas.water_top * canvas.h, canvas.horizon)
        u = canvas.u.astype(np.float64)
        v = (np.arange(self.y0, canvas.h) + 0.5)[:, None] / canvas.h
        ang = np.arctan2((v - self.CY) / self.RY, (u - 0.5) / self.RX)
        wobble = 1.0 + 0.04 * np.sin(3 * ang + 0.5) + 0.025 * np.sin(5 * ang + 2.0)
        d = np.sqrt(((u - self.CX) / self.RX) ** 2 + ((v - self.CY) / self.RY) ** 2) / wobble
        edge_px = 1.5 / (self.RY * canvas.h)
        a = np.clip((1.0 - d) / edge_px + 0.5, 0, 1)
        self.alpha = rep3(a)
        # a darker bank just outside the water and a dim inner edge
        ring = np.exp(-(((d - 1.0) / 0.05) ** 2)) * 0.5
        self.bank_ring = rep3(ring)
        # the ring's box, as rows of interleaved RGB (its shade is cached per intensity)
        ys, xs = np.nonzero(ring > self.RING_MIN)
        self.ring_box = (int(ys.min()), int(ys.max()) + 1, int(xs.min()), int(xs.max()) + 1)
        ry0, ry1, rx0, rx1 = self.ring_box
        self.ring_c = np.ascontiguousarray(self.bank_ring[ry0:ry1, rx0:rx1]).reshape(
            ry1 - ry0, (rx1 - rx0) * 3)
        self.ring_mul = np.empty_like(self.ring_c)
        self._ring_key: float | None = None

    def mask(self, canvas: Canvas, ctx: FrameContext | None) -> np.ndarray:
        return self.alpha

    def crop(self, canvas: Canvas) -> tuple[int, int, int]:
        """The oval's box: nothing outside it is water."""
        a = self.alpha[:, :, 0] > 0.0
        cols = np.flatnonzero(a.any(axis=0))
        rows = np.flatnonzero(a.any(axis=1))
        return int(cols[0]), int(cols[-1]) + 1, self.y0 + int(rows[-1]) + 1

    def draw(self, canvas: Canvas, intensity: float, t: float, ctx: FrameContext) -> None:
        ry0, ry1, rx0, rx1 = self.ring_box
        if intensity != self._ring_key:
            np.multiply(self.ring_c, F32(-0.6 * intensity), out=self.ring_mul)
            self.ring_mul += 1.0
            self._ring_key = intensity
        seg = canvas.rgb[self.y0 + ry0 : self.y0 + ry1, rx0:rx1]
        seg.reshape(ry1 - ry0, (rx1 - rx0) * 3)[:] *= self.ring_mul
        super().draw(canvas, intensity, t, ctx)


@motif("sea", LAYER_WATER, "the open sea with slow swells")
class Sea(_Water):
    """Open water to the horizon: swells rolling in (brightness bands in perspective), a
    broken reflection, and glitter under the light."""

    gain_far, gain_near = 0.7, 0.3
    amp_far, amp_near = 0.6, 6.0
    speed = 0.5

    def __init__(self, canvas: Canvas, rng: np.random.Generator) -> None:
        super().__init__(canvas, rng)
        hz = canvas.horizon * canvas.h
        self.setup(canvas, int(np.floor(hz)), hz, canvas.horizon)
        rows = canvas.h - self.y0
        near = np.linspace(0, 1, rows)
        self.swell_amp = (0.14 * near**0.7)[:, None, None].astype(F32)
        self.row_mul = np.empty((rows, 1, 1), F32)
        n = canvas.w
        spread = rng.random(n) ** 1.5
        self.gy = (self.y0 + (spread * (rows - 1))).astype(np.intp)
        self.gx = np.clip(0.62 * canvas.w + rng.normal(0, 1, n) * (0.02 + 0.12 * spread)
                          * canvas.w, 0, canvas.w - 1).astype(np.intp)
        self.gidx = np.empty(n, np.intp)
        self.g_x0 = 0.62
        self.gfreq = rng.uniform(0.2, 0.6, n).astype(F32)
        self.gphase = rng.uniform(0, TAU, n).astype(F32)
        self.gb = (0.3 + 0.7 * (1 - spread)).astype(F32)

    def tint(self, ctx: FrameContext) -> np.ndarray:
        pal = ctx.palette
        return oklab_mix(pal.water, pal.near, 0.25) * F32(0.85)

    def finish(self, buf: np.ndarray, canvas: Canvas, t: float, ctx: FrameContext) -> None:
        s = np.sin(self.z * 6.0 - t * 0.45 * ctx.pace) + 0.5 * np.sin(self.z * 13.0 - t * 0.7)
        self.row_mul[:, 0, 0] = s
        self.row_mul *= self.swell_amp
        self.row_mul += 1.0
        buf *= self.row_mul

    def draw(self, canvas: Canvas, intensity: float, t: float, ctx: FrameContext) -> None:
        super().draw(canvas, intensity, t, ctx)
        pal = ctx.palette
        # the glitter path lies under the light: the moon or the sun when they show
        from visualizer.engine.motifs.sky_celestial import Moon, Sun

        cx = self.g_x0
        if ctx.motifs.get("moon", 0.0) > 0.0:
            cx = Moon.POS[0]
        elif ctx.motifs.get("sun", 0.0) > 0.0:
            cx = Sun.X
        shift = round((cx - self.g_x0) * canvas.w)
        np.add(self.gx, shift, out=self.gidx)
        np.clip(self.gidx, 0, canvas.w - 1, out=self.gidx)
        self.gidx += self.gy * canvas.w
        g = np.clip(np.sin(self.gfreq * F32(TAU * t) + self.gphase) * 2.5 - 1.5, 0, 1)
        add = (g * self.gb * F32(0.6 * intensity))[:, None] * oklab_mix(pal.light, pal.accent, 0.2)
        canvas.rgb.reshape(-1, 3)[self.gidx] += add
        canvas.glow.reshape(-1, 3)[self.gidx] += add * F32(0.5)


@motif("river", LAYER_WATER, "a river winding through the land")
class River(_Water):
    """A river winding from the foreground to the horizon, reflecting the sky, its surface
    gently moving downstream."""

    gain_far, gain_near = 0.8, 0.5
    amp_far, amp_near = 0.2, 1.5

    def __init__(self, canvas: Canvas, rng: np.random.Generator) -> None:
        super().__init__(canvas, rng)
        hz = canvas.horizon * canvas.h
        plane = Plane(canvas)
        self.setup(canvas, plane.y0, hz, canvas.horizon)
        self.alpha = _winding(canvas, plane, 0.16, 0.55, 0.8, 2.4, 0.12)

    def ripple_shift(self, t: float, ctx: FrameContext) -> np.ndarray:
        z, s = self.z, self.speed * ctx.pace
        sh = np.sin(z * 30.0 + t * s * 2.0) + 0.5 * np.sin(z * 55.0 + t * s * 3.1 + 1.0)
        np.multiply(sh, self.amp, out=self.shift)
        return self.shift

    def mask(self, canvas: Canvas, ctx: FrameContext | None) -> np.ndarray:
        return self.alpha


@motif("ripples", LAYER_WATER, "rings spreading and fading on the water")
class Ripples(Motif):
    """Rings spreading from a point on the water (where the orb lands, if it shows), one every
    few seconds, each widening and fading over ~18 s: a bright crest and a dark trough,
    flattened by perspective."""

    PERIOD = 4.5
    LIVE = 4
    SQUASH = 0.28  # vertical flattening of the circles

    def __init__(self, canvas: Canvas, rng: np.random.Generator) -> None:
        super().__init__(canvas, rng)
        self.rmax = 0.3 * canvas.w
        pw = int(2 * self.rmax) | 1
        ph = int(2 * self.rmax * self.SQUASH) | 1
        yy, xx = np.mgrid[0:ph, 0:pw].astype(F32)
        xx -= pw / 2
        yy -= ph / 2
        self.r = np.sqrt(xx**2 + (yy / self.SQUASH) ** 2).astype(F32)
        self.g = np.empty_like(self.r)
        self.tmp = np.empty_like(self.r)
        self.acc = np.empty_like(self.r)

    def draw(self, canvas: Canvas, intensity: float, t: float, ctx: FrameContext) -> None:
        cx, cy = ripple_centre(canvas, ctx.motifs, t)
        ph, pw = self.r.shape
        x0, y0 = round(cx - pw / 2), round(cy - ph / 2)
        top = int(canvas.water_top * canvas.h)
        tx0, ty0 = max(0, x0), max(top, y0)
        tx1, ty1 = min(canvas.w, x0 + pw), min(canvas.h, y0 + ph)
        if tx0 >= tx1 or ty0 >= ty1:
            return
        sl = (slice(ty0 - y0, ty1 - y0), slice(tx0 - x0, tx1 - x0))
        r, g, tmp, acc = self.r[sl], self.g[sl], self.tmp[sl], self.acc[sl]
        acc.fill(0.0)
        width = 0.012 * canvas.w
        speed = self.rmax / (self.PERIOD * self.LIVE) * ctx.pace
        newest = np.floor(t / self.PERIOD)
        for m in range(self.LIVE):
            age = t - (newest - m) * self.PERIOD
            life = age / (self.PERIOD * self.LIVE)
            amp = (1.0 - life) ** 2 * min(1.0, age / 1.5)
            if amp <= 0.0:
                continue
            radius = 0.01 * canvas.w + speed * age
            wd = width * (1.0 + 1.5 * life)
            np.subtract(r, F32(radius), out=g)
            g *= F32(1.0 / wd)
            np.square(g, out=tmp)
            np.negative(tmp, out=tmp)
            np.exp(tmp, out=tmp)
            g *= F32(2.4)
            np.cos(g, out=g)
            g *= tmp
            g *= F32(amp)
            acc += g
        pal = ctx.palette
        seg = canvas.rgb[ty0:ty1, tx0:tx1]
        acc *= F32(0.28 * intensity)
        light = oklab_mix(pal.light, pal.water, 0.3) * F32(0.12 * intensity)
        np.multiply(acc, 1.0, out=tmp)
        tmp += 1.0
        seg *= tmp[:, :, None]
        np.maximum(acc, 0.0, out=acc)
        for c in range(3):
            np.multiply(acc, light[c], out=g)
            seg[:, :, c] += g
