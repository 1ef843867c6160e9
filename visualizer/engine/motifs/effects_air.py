"""Whole-frame effects: breathing low mist, colours bleeding and fraying into one another,
the brightening of waking, and darkness closing in from the edges. Painted last, over
everything."""

from __future__ import annotations

import numpy as np

from visualizer.engine.canvas import Canvas
from visualizer.engine.land import oklab_mix, rep3, row_runs, rows_mul, wide, wide3
from visualizer.engine.noise import Upsampler, fbm_2d
from visualizer.engine.registry import LAYER_EFFECT, FrameContext, Motif, motif

F32 = np.float32
TAU = 2.0 * np.pi
FLOW_STEPS = 32  # intensity steps of the bleed's flow field
_PIXEL = np.dtype((np.void, 12))  # one float32 RGB pixel, gathered as a single item


@motif("mist", LAYER_EFFECT, "low mist breathing over the ground")
class Mist(Motif):
    """Banks of low mist lying over the ground, thickest just below the horizon, drifting
    sideways and slowly breathing (thickening and thinning over ~16 s)."""

    def __init__(self, canvas: Canvas, rng: np.random.Generator) -> None:
        super().__init__(canvas, rng)
        h, w = canvas.h, canvas.w
        hz = canvas.horizon
        self.y0 = max(0, int((hz - 0.14) * h))
        rows = h - self.y0
        v = (np.arange(self.y0, h, dtype=np.float64) + 0.5) / h
        prof = np.exp(-(((v - (hz + 0.04)) / 0.09) ** 2)) + 0.35 * np.clip((v - hz) / 0.3, 0, 1)
        prof *= np.clip((v - (hz - 0.14)) / 0.06, 0, 1)
        tex = fbm_2d(rows, 2 * w, rng, cy=3, cx=8, octaves=4)
        tex = 0.55 + 0.6 * tex
        # the texture with the row profile folded in, and its step to the next column: the
        # sub-pixel drift is tex + f * step
        tex = rep3(np.concatenate([tex, tex[:, : w + 2]], axis=1) * prof[:, None])
        self.tex = tex[:, :-1]
        self.step = np.ascontiguousarray(tex[:, 1:] - tex[:, :-1])
        self.tw = 2 * w
        self.a = np.empty((rows, w, 3), F32)
        self.b = np.empty((rows, w, 3), F32)
        self.col = np.empty((rows, w, 3), F32)  # the mist colour, cached with the palette
        self._col_key: bytes | None = None

    def draw(self, canvas: Canvas, intensity: float, t: float, ctx: FrameContext) -> None:
        w = canvas.w
        off = t * 0.006 * w * ctx.pace * (0.4 + ctx.wind)
        i = int(np.floor(off)) % self.tw
        f = off - np.floor(off)
        breathe = 0.78 + 0.22 * np.sin(TAU * t / 16.0)
        gain = 0.75 * intensity * breathe
        a = self.a
        np.multiply(self.step[:, i : i + w], F32(f), out=a)
        a += self.tex[:, i : i + w]
        a *= F32(gain)
        np.clip(a, 0.0, 1.0, out=a)
        pal = ctx.palette
        col = oklab_mix(pal.mist, pal.horizon, 0.25)
        if col.tobytes() != self._col_key:
            self.col[:] = wide3(col, w)
            self._col_key = col.tobytes()
        seg = canvas.rgb[self.y0 :]
        # seg + a * (col - seg): the mist over what is there
        np.subtract(self.col, seg, out=self.b)
        self.b *= a
        seg += self.b


@motif("bleed", LAYER_EFFECT, "colours bleeding and fraying into one another")
class Bleed(Motif):
    """The picture itself runs: every pixel is pulled along a slow, domain-warped flow (so
    edges fray and smear into their neighbours) and a veil of palette colours flows over it.
    The flow and the veil are computed at 1/8 resolution and scaled up smoothly; they move a
    fraction of a pixel per frame, so they are recomputed 15 times a second (time is
    quantised, which keeps every frame a pure function of t). The flow runs at the calm pace
    whatever the mood: a bleed is a transition, where the mood blends, and a phase of
    t * pace would race (and be recomputed every frame) while the pace changes late in a
    dream.

    Cost: a frame is one gather of the picture (12-byte pixels, one item each) and four
    whole-frame passes. The veil is remade (two passes, from its small rows) only when the
    flow, the palette or the strength moves: every frame during a cross-fade or a fade."""

    SUB = 8
    RATE = 15.0  # flow updates per second

    def __init__(self, canvas: Canvas, rng: np.random.Generator) -> None:
        super().__init__(canvas, rng)
        h, w = canvas.h, canvas.w
        sh, sw = max(4, h // self.SUB), max(4, w // self.SUB)
        y, x = np.mgrid[0:sh, 0:sw].astype(F32)
        self.x = x / sw * 3.0 * canvas.aspect / 1.78
        self.y = y / sh * 2.0
        self.phase = rng.uniform(0, TAU, 8).astype(F32)
        # the flow on the small grid: displacement (dx, dy) and the veil mix in 3 lanes
        self.sdx = np.zeros((sh, sw, 1), F32)
        self.sdy = np.zeros((sh, sw, 1), F32)
        self.smix = np.zeros((sh, sw, 3), F32)
        self.up1 = Upsampler((sh, sw), (h, w), channels=1)
        self.up3 = Upsampler((sh, sw), (h, w), channels=3)
        self.mix_rows = self.up3.across_rows  # the mix at full width on the small rows
        self.veil_rows_small = np.empty_like(self.mix_rows)
        # dx and dy at full width on the small rows, and each row's step to the next
        self.hx, self.hy = np.empty((sh, w), F32), np.empty((sh, w), F32)
        self.sx, self.sy = np.zeros((sh, w), F32), np.zeros((sh, w), F32)
        # the source index is made in bands of rows that stay in cache (exact in floats
        # below 2**24 pixels, then cast)
        self.band = 32
        fdt = F32 if h * w < 2**24 else np.float64
        self.bx = np.empty((self.band, w), fdt)
        self.by = np.empty((self.band, w), fdt)
        self.bt = np.empty((self.band, w), fdt)
        x_, y_ = np.arange(w, dtype=fdt), np.arange(h, dtype=fdt)
        self.base = x_[None, :] + w * y_[:, None]  # each pixel's own index
        # only pixels this close to an edge can be pulled from outside the frame (the reach
        # is at most 0.035 w across and 0.12 of that down): clamp just those
        self.mx = min(w, int(np.ceil(0.035 * w)) + 1)
        self.my = min(h, int(np.ceil(0.035 * w * 0.12)) + 1)
        self.lo_x, self.hi_x = -x_[: self.mx], (w - 1) - x_[w - self.mx :]
        self.lo_y, self.hi_y = -y_[:, None], (h - 1) - y_[:, None]
        self.ix = np.empty(h * w, np.intp)
        self.src = np.empty((h, w, 3), F32)
        self.veil = np.empty((h, w, 3), F32)  # veil colour * its per-row weight * strength
        self.key: tuple | None = None
        self.veil_key: tuple | None = None
        # the veil of colour lies mostly over the sky; the ground keeps its shape under it
        v = canvas.v.astype(np.float64)
        below = np.clip((v - canvas.horizon) / 0.15, 0, 1)
        self.veil_rows = (1.0 - 0.6 * below).ravel().astype(F32)  # (h,)
        self.runs = row_runs(self.veil_rows)

    def _flow(self, tq: float, intensity: float, pace: float) -> None:
        h, w = self.canvas.h, self.canvas.w
        # python floats: a numpy float64 scalar here would make every small array float64
        p, s, t = [float(v) for v in self.phase], 0.05 * float(pace), float(tq)
        x, y = self.x, self.y
        qx = x + 0.8 * np.sin(y * 1.9 + t * s * 1.1 + p[0])
        qy = y + 0.8 * np.sin(x * 1.4 - t * s * 0.8 + p[1])
        reach = (0.035 * w) * intensity
        self.sdx[:, :, 0] = np.sin(qy * 2.1 + t * s * 1.7 + p[2]) * reach
        self.sdy[:, :, 0] = np.sin(qx * 1.7 - t * s * 1.3 + p[3]) * reach * 0.12
        self.smix[:] = (0.5 + 0.5 * np.sin(qx * 1.2 + qy * 0.9 + t * s + p[4]))[:, :, None]
        self.mix_rows = self.up3.across(self.smix)
        np.copyto(self.hx, self.up1.across(self.sdx))
        np.copyto(self.hy, self.up1.across(self.sdy))
        for rows, step in ((self.hx, self.sx), (self.hy, self.sy)):
            np.subtract(rows[1:], rows[:-1], out=step[:-1])
        # whole-pixel displacement (towards zero), clamped to the frame, in bands: the same
        # arithmetic as Upsampler.down, then trunc, without full-size float planes
        y0, fy = self.up1.y0, self.up1.fy
        mx, my = self.mx, self.my
        ix = self.ix.reshape(h, w)
        for a in range(0, h, self.band):
            b = min(h, a + self.band)
            n = b - a
            X, Y, T = self.bx[:n], self.by[:n], self.bt[:n]
            for out, rows, step in ((X, self.hx, self.sx), (Y, self.hy, self.sy)):
                np.take(rows, y0[a:b], axis=0, out=out, mode="clip")
                np.take(step, y0[a:b], axis=0, out=T, mode="clip")
                T *= fy[a:b]
                out += T
                np.trunc(out, out=out)
            np.maximum(X[:, :mx], self.lo_x, out=X[:, :mx])
            np.minimum(X[:, w - mx :], self.hi_x, out=X[:, w - mx :])
            if a < my:
                np.maximum(Y, self.lo_y[a:b], out=Y)
            if b > h - my:
                np.minimum(Y, self.hi_y[a:b], out=Y)
            Y *= w
            X += Y
            X += self.base[a:b]
            np.copyto(ix[a:b], X, casting="unsafe")

    def draw(self, canvas: Canvas, intensity: float, t: float, ctx: FrameContext) -> None:
        tq = np.floor(t * self.RATE) / self.RATE
        # the reach of the flow follows the intensity in 1/32 steps (under a pixel at 960 px:
        # the displacement is whole pixels anyway), so a fade does not recompute it per frame
        iq = round(intensity * FLOW_STEPS) / FLOW_STEPS
        key = (tq, iq)
        if key != self.key:
            self._flow(tq, iq, 1.0)
            self.key = key
        # smear: the displaced picture mixed over the original (a), then the veil over that
        # (b, per row; at night only a deep tinge), folded into one blend:
        # rgb*(1-a)(1-b) + displaced*a(1-b) + veil*b
        pal = ctx.palette
        a = 0.85 * intensity
        strength = 0.3 * intensity * (1.0 - 0.5 * pal.night)
        b = self.veil_rows * F32(strength)
        # the veil of two palette colours flowing through each other, times b: cached with
        # the flow, the palette and the strength
        c1, c2 = pal.accent, oklab_mix(pal.sky_mid, pal.water, 0.5)
        vkey = (key, c1.tobytes(), c2.tobytes(), strength)
        veil = self.veil
        if vkey != self.veil_key:
            # coloured on the small rows, then scaled down the height (the colours are
            # linear in the mix, so this is the same veil)
            vs = self.veil_rows_small
            np.multiply(self.mix_rows, wide(c2 - c1, canvas.w), out=vs)
            vs += wide(c1, canvas.w)
            self.up3.down_scaled(vs, veil, b)
            self.veil_key = vkey
        src = self.src
        # mode="wrap": the indices are in range, and "raise" would gather into a temporary
        # frame and copy it over
        np.take(canvas.rgb.view(_PIXEL).ravel(), self.ix, out=src.view(_PIXEL).ravel(),
                mode="wrap")
        k = F32(1.0) - b
        rows_mul(src, k * F32(a), self.runs)
        rgb = canvas.rgb
        rows_mul(rgb, k * F32(1.0 - a), self.runs)
        rgb += src
        rgb += veil


@motif("waking", LAYER_EFFECT, "the soft brightening fade of waking")
class Waking(Motif):
    """Morning light washing in, gently: a warm peach band of dawn rising along the horizon and
    a faint lift of the whole frame towards the palette's soft light. It never goes white: this
    is a bedside display at night, so the sky keeps its blue overhead, the land its shape, and
    the brightest part stays a glow low on the horizon (mist, not a flash)."""

    def __init__(self, canvas: Canvas, rng: np.random.Generator) -> None:
        super().__init__(canvas, rng)
        u, v = canvas.u, canvas.v
        hz = canvas.horizon
        dx = (u - 0.55) * canvas.aspect
        # a soft band of morning light along the horizon, widest in the middle
        band = np.exp(-((v - hz + 0.02) ** 2) / 0.012) * (0.55 + 0.45 * np.exp(-(dx**2) / 0.9))
        # a faint lift everywhere, most near the horizon, least overhead and underfoot
        lift = 0.1 + 0.1 * np.exp(-(((v - hz) / 0.25) ** 2))
        self.shape = rep3(np.clip(lift + 0.3 * band, 0, 0.5))
        # the band's glow only where it is more than a trace (rows around the horizon)
        rows = np.flatnonzero(band.max(axis=1) > 1e-6)
        self.g0, self.g1 = (int(rows[0]), int(rows[-1]) + 1) if rows.size else (0, 0)
        self.band = rep3(band[self.g0 : self.g1] * np.ones((1, canvas.w)))
        # rgb -> rgb * q + p (the lift towards the warm tone), cached for the intensity and
        # palette: a settled frame is two passes
        self.q = np.empty_like(self.shape)
        self.p = np.empty_like(self.shape)
        self._key: tuple | None = None
        self.band_glow = np.empty_like(self.band)
        self._glow_key: tuple | None = None

    def draw(self, canvas: Canvas, intensity: float, t: float, ctx: FrameContext) -> None:
        pal = ctx.palette
        # the lift goes towards a warm, mid-bright tone (never white)
        warm = oklab_mix(pal.light, pal.accent, 0.35)
        tone = oklab_mix(warm, pal.horizon, 0.4) * F32(0.72)
        key = (float(intensity), tone.tobytes(), warm.tobytes())
        if key != self._key:
            np.multiply(self.shape, F32(intensity), out=self.p)  # a = shape * intensity
            np.subtract(F32(1.0), self.p, out=self.q)
            self.p *= wide3(tone, canvas.w)
            self._key = key
        canvas.rgb *= self.q
        canvas.rgb += self.p
        # the dawn band glows softly (bloom), breathing very slowly: its colour is cached
        # with the intensity and palette, a frame scales it by the breath (scalar passes)
        breath = 0.85 + 0.15 * np.sin(TAU * t / 14.0)
        if self.g1 > self.g0:
            if key != self._glow_key:
                np.multiply(self.band, wide3(warm * F32(0.06 * intensity), canvas.w),
                            out=self.band_glow)
                self._glow_key = key
            glow = canvas.glow[self.g0 : self.g1]
            buf = canvas.scratch("waking", glow.shape)
            np.multiply(self.band_glow, F32(breath), out=buf)
            glow += buf


@motif("darkness", LAYER_EFFECT, "darkness closing in at the edges")
class Darkness(Motif):
    """Darkness gathering from the edges towards the middle as intensity rises, its edge
    softly irregular and slowly shifting, never quite closing."""

    def __init__(self, canvas: Canvas, rng: np.random.Generator) -> None:
        super().__init__(canvas, rng)
        u, v = canvas.u.astype(np.float64), canvas.v.astype(np.float64)
        dx = (u - 0.5) * canvas.aspect / 0.9
        dy = (v - 0.5) / 0.55
        r = np.sqrt(dx**2 + dy**2)
        ang = np.arctan2(dy, dx)
        wob = np.zeros_like(ang)
        for k in range(2, 7):
            wob += 0.05 / k * np.sin(k * ang + rng.uniform(0, TAU))
        self.r = rep3(r + wob)
        self.wob_slow = rep3(np.sin(3 * ang + 1.0))
        self.a = np.empty(self.r.shape, F32)

    def draw(self, canvas: Canvas, intensity: float, t: float, ctx: FrameContext) -> None:
        reach = 1.45 - 1.05 * intensity  # the radius where darkness is half
        soft = 0.35
        np.multiply(self.wob_slow, F32(0.03 * np.sin(TAU * t / 30.0)), out=self.a)
        self.a += self.r
        self.a -= F32(reach - soft)
        self.a *= F32(1.0 / (2 * soft))
        np.clip(self.a, 0, 1, out=self.a)
        self.a *= F32(0.96 * min(1.0, intensity * 3.0))
        deep = wide3(ctx.palette.near * F32(0.08), canvas.w)
        rgb = canvas.rgb
        rgb -= deep
        np.subtract(1.0, self.a, out=self.a)
        rgb *= self.a
        rgb += deep
