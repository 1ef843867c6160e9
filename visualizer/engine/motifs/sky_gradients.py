"""Sky motifs that reshape the base gradient: open sky, deep night, a bleeding dream sky and
the void. The renderer paints the palette's gradient first; these work on top of it."""

from __future__ import annotations

import numpy as np

from visualizer.engine.canvas import Canvas
from visualizer.engine.land import flat, oklab_mix, rep3, row_runs, rows_mul, wide, wide3
from visualizer.engine.noise import Upsampler, fbm_2d
from visualizer.engine.palettes import quantise
from visualizer.engine.registry import LAYER_SKY, FrameContext, Motif, Palette, motif

F32 = np.float32
TAU = 2.0 * np.pi


@motif(
    "clear-sky", LAYER_SKY, "open sky: the palette's gradient with a soft sun glow at the horizon"
)
class ClearSky(Motif):
    """A clean, slightly brighter sky with a warm glow low on the horizon (where a sun would
    be), fading with night."""

    static = True

    def __init__(self, canvas: Canvas, rng: np.random.Generator) -> None:
        super().__init__(canvas, rng)
        hz = canvas.horizon
        self.rows = int(min(canvas.h, np.ceil((hz + 0.12) * canvas.h)))
        u, v = canvas.u, canvas.v[: self.rows]
        dx = (u - 0.66) * canvas.aspect
        dy = v - hz
        glow = np.exp(-(dx**2) / 0.35 - (dy**2) / 0.02) * 0.8 + np.exp(
            -(dx**2) / 0.03 - (dy**2) / 0.004
        )
        glow *= np.clip(1.0 - (v - hz) / 0.12, 0.0, 1.0)  # fades out below the horizon
        self.glow = rep3(glow)
        # a gentle lift of the whole upper sky (clearer air)
        self.lift = (0.06 * (1.0 - v / max(hz, 1e-3)).clip(0, 1)).astype(F32)  # (rows, 1)

    def draw(self, canvas: Canvas, intensity: float, t: float, ctx: FrameContext) -> None:
        pal = ctx.palette
        seg = canvas.rgb[: self.rows]
        day = 1.0 - 0.7 * pal.night
        warm = oklab_mix(pal.horizon, pal.light, 0.6) * F32(0.28 * intensity * day)
        buf = canvas.scratch("clear-sky", seg.shape)
        np.multiply(self.glow, wide3(warm, canvas.w), out=buf)
        seg += buf
        np.multiply(self.lift, wide(pal.sky_mid * F32(intensity * day), canvas.w), out=flat(buf))
        seg += buf


@motif("night-sky", LAYER_SKY, "deep night sky: darker gradient, stars come through")
class NightSky(Motif):
    """Darkens the sky towards a deep blue-black and adds a faint band of the milky way."""

    static = True

    def __init__(self, canvas: Canvas, rng: np.random.Generator) -> None:
        super().__init__(canvas, rng)
        hz = canvas.horizon
        self.rows = int(min(canvas.h, np.ceil((hz + 0.08) * canvas.h)))
        v = canvas.v[: self.rows]
        s = np.clip(v / hz, 0, 1)
        # darkest at the zenith, keeps a little light at the horizon, no edge below it
        below = np.clip(1.0 - (v - hz) / 0.08, 0, 1)
        self.dark = ((0.8 - 0.5 * s**2) * below)[:, :, None].astype(F32)
        u = canvas.u
        band_d = (v - (0.12 + 0.55 * u * hz)) / 0.11
        tex = fbm_2d(self.rows, canvas.w, rng, cy=6, cx=16, octaves=5)
        band = np.exp(-(band_d**2)) * np.clip(0.5 + 0.8 * tex, 0, 1.5) * (1 - s) ** 0.5
        self.band = rep3(band * 0.012)

    def draw(self, canvas: Canvas, intensity: float, t: float, ctx: FrameContext) -> None:
        pal = ctx.palette
        seg = canvas.rgb[: self.rows]
        deep = wide3(pal.sky_top * F32(0.35), canvas.w)
        a = canvas.scratch("night-sky:a", self.dark.shape)
        np.multiply(self.dark, F32(intensity), out=a)
        seg -= deep
        seg *= 1.0 - a
        seg += deep
        buf = canvas.scratch("night-sky:b", seg.shape)
        star = oklab_mix(pal.light, pal.sky_mid, 0.4) * F32(intensity * (0.2 + 0.8 * pal.night))
        np.multiply(self.band, wide3(star, canvas.w), out=buf)
        seg += buf


@motif("bleed-sky", LAYER_SKY, "dreamlike sky whose colours run and bleed into each other")
class BleedSky(Motif):
    """Three palette colours flowing through each other along a slowly domain-warped field,
    computed at 1/6 resolution and smoothly scaled up.

    Cost: the frame is seg*(1-a) + a*field, two passes over the sky; a*field is remade (the
    field resized down the height with the per-row a folded in) when the field or the
    intensity moves, the field's small rows when the time step or the palette does."""

    def __init__(self, canvas: Canvas, rng: np.random.Generator) -> None:
        super().__init__(canvas, rng)
        self.rows = int(min(canvas.h, np.ceil((canvas.horizon + 0.05) * canvas.h)))
        sh, sw = max(4, self.rows // 6), max(4, canvas.w // 6)
        self.small = np.zeros((sh, sw, 3), F32)
        y, x = np.mgrid[0:sh, 0:sw].astype(F32)
        self.x = x / sw * 3.0 * canvas.aspect / 1.78
        self.y = y / sh * 2.0
        self.phase = rng.uniform(0, TAU, 6).astype(F32)
        self.up = Upsampler((sh, sw), (self.rows, canvas.w))
        v = canvas.v[: self.rows]
        fade = np.clip((canvas.horizon + 0.05 - v) / 0.15, 0, 1)
        self.alpha = (0.8 * fade * fade * (3 - 2 * fade)).ravel().astype(F32)  # (rows,)
        self.runs = row_runs(self.alpha)
        self.w1 = np.empty((sh, sw), F32)
        self.w2 = np.empty((sh, sw), F32)
        self.w3 = np.empty((sh, sw), F32)
        self.w4 = np.empty((sh, sw), F32)
        self.field_rows = self.up.across_rows  # the field at full width on the small rows
        self.big = np.empty((self.rows, canvas.w, 3), F32)  # a * field
        self.key: tuple | None = None
        self.big_key: tuple | None = None

    RATE = 15.0  # the flow moves a fraction of a pixel per frame: recompute 15x a second

    def _field(self, t: float, pal: Palette, pace: float) -> None:
        # python floats: a numpy float64 scalar here would make every small array float64
        p, s, t = [float(v) for v in self.phase], 0.035 * float(pace), float(t)
        x, y = self.x, self.y
        # domain warp: the field is displaced by another slow field
        qx = x + 0.9 * np.sin(y * 1.7 + t * s * 1.3 + p[0]) + 0.4 * np.sin(x * 0.8 - t * s + p[1])
        qy = y + 0.7 * np.sin(x * 1.3 - t * s * 0.9 + p[2])
        np.sin(qx * 1.1 + qy * 0.7 + t * s * 0.6 + p[3], out=self.w1)
        np.sin(qy * 1.6 - qx * 0.4 - t * s * 0.8 + p[4], out=self.w2)
        w1, w2, w3 = self.w1, self.w2, self.w3
        w1 *= 0.5
        w1 += 0.5
        w1 *= w1  # b's weight
        w2 *= 0.5
        w2 += 0.5
        np.power(w2, 3, out=w2)  # c's weight over that
        np.subtract(F32(1.0), w2, out=w3)
        dim = F32(1.0 - 0.4 * pal.night)  # a night sky bleeds in deep, dim colours
        a, b, c = pal.sky_mid, pal.accent * dim, pal.horizon * dim
        sm, tmp = self.small, self.w4
        # (a + (b - a) w1) (1 - w2) + c w2, a channel at a time (2-D passes)
        for ch in range(3):
            plane = sm[:, :, ch]
            np.multiply(w1, F32(b[ch] - a[ch]), out=plane)
            plane += F32(a[ch])
            plane *= w3
            np.multiply(w2, F32(c[ch]), out=tmp)
            plane += tmp
        self.field_rows = self.up.across(sm)

    def draw(self, canvas: Canvas, intensity: float, t: float, ctx: FrameContext) -> None:
        tq = np.floor(t * self.RATE) / self.RATE  # quantised: still a pure function of t
        key = (tq, quantise(ctx.state.palette), ctx.pace)
        if key != self.key:
            self._field(tq, ctx.palette, ctx.pace)
            self.key = key
        a = self.alpha * F32(intensity)
        big_key = (key, float(intensity))
        if big_key != self.big_key:
            self.up.down_scaled(self.field_rows, self.big, a)
            self.big_key = big_key
        seg = canvas.rgb[: self.rows]
        np.subtract(F32(1.0), a, out=a)
        rows_mul(seg, a, self.runs)
        seg += self.big


@motif("dark", LAYER_SKY, "near-black void, for the abyss and the tunnel")
class Dark(Motif):
    """Sinks the whole frame to a near-black tinted by the palette, leaving the faintest
    gradient so the void has depth rather than being flat black."""

    static = True

    def __init__(self, canvas: Canvas, rng: np.random.Generator) -> None:
        super().__init__(canvas, rng)
        v = canvas.v
        d = np.abs(v - canvas.horizon)
        self.keep = (0.03 + 0.05 * np.exp(-(d**2) / 0.008))[:, :, None].astype(F32)

    def draw(self, canvas: Canvas, intensity: float, t: float, ctx: FrameContext) -> None:
        rgb = canvas.rgb
        a = canvas.scratch("dark:a", self.keep.shape)
        # factor = 1 - intensity * (1 - keep)
        np.subtract(self.keep, 1.0, out=a)
        a *= F32(intensity)
        a += 1.0
        rgb *= a
        rgb += wide3(ctx.palette.sky_top * F32(0.02 * intensity), canvas.w)
