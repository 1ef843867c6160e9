"""What lives in the sky: stars, moon, a low sun, aurora, drifting clouds, and the warm light
of a sunrise that never breaks. Positions and textures are made once; a frame only modulates
brightness and scrolls, so any moment can be painted alone."""

from __future__ import annotations

import numpy as np

from visualizer.engine.canvas import Canvas
from visualizer.engine.land import (
    Profile,
    add_patch,
    oklab_mix,
    over_patch,
    radial_patch,
    rep3,
    wide3,
    window,
)
from visualizer.engine.noise import fbm_1d, fbm_2d
from visualizer.engine.registry import LAYER_CELESTIAL, FrameContext, Motif, motif
from visualizer.engine.view import DEPTH_SKY, parallax

F32 = np.float32
TAU = 2.0 * np.pi


@motif("stars", LAYER_CELESTIAL, "stars twinkling slowly at different rates")
class Stars(Motif):
    """Many small static stars, a few bright ones with a touch of bloom; each twinkles on its
    own slow sine (0.04-0.3 Hz). Fewer and dimmer towards the hazy horizon; daylight hides
    them."""

    def __init__(self, canvas: Canvas, rng: np.random.Generator) -> None:
        super().__init__(canvas, rng)
        w, h = canvas.w, canvas.h
        sky_rows = max(1, int(canvas.horizon * h))
        n = max(40, int(w * sky_rows / 380))
        xs = rng.integers(0, w, n)
        ys = (rng.random(n) ** 1.35 * sky_rows).astype(np.int64)  # denser up high
        flat, first = np.unique(ys * w + xs, return_index=True)
        self.n = len(flat)
        self.ys = (flat // w).astype(np.intp)
        self.xs = (flat % w).astype(np.intp)
        mag = rng.random(n)[first]
        self.base = (0.05 + 0.85 * mag**7).astype(F32)
        self.bright = np.nonzero(mag > 0.93)[0]
        self.freq = rng.uniform(0.04, 0.3, n)[first].astype(F32)
        self.phase = rng.uniform(0, TAU, n)[first].astype(F32)
        self.depth = rng.uniform(0.15, 0.55, n)[first].astype(F32)
        horizon_fade = np.clip((canvas.horizon * h - self.ys) / (0.18 * h), 0, 1)
        self.base *= horizon_fade.astype(F32)
        self.tint = rng.random(n)[first].astype(F32)[:, None]
        self.vals = np.empty(self.n, F32)
        # constant per canvas: flat pixel index, the bright ones', which lie under the moon
        self.idx = (self.ys * w + self.xs).astype(np.intp)
        self.idx_bright = self.idx[self.bright]
        r = Moon.RADIUS * h * 1.25
        dx_m = self.xs - Moon.POS[0] * w
        dy_m = self.ys - Moon.POS[1] * h
        self.under_moon = np.nonzero(dx_m * dx_m + dy_m * dy_m < r * r)[0]
        self.add = np.empty((self.n, 3), F32)
        self._col_key: bytes | None = None
        self._col = np.empty((self.n, 3), F32)

    def particle_count(self) -> int:
        return self.n

    def draw(self, canvas: Canvas, intensity: float, t: float, ctx: FrameContext) -> None:
        pal = ctx.palette
        vis = intensity * (0.15 + 0.85 * pal.night)
        if vis <= 0.002:
            return
        v = self.vals
        np.multiply(self.freq, F32(TAU * t), out=v)
        v += self.phase
        np.sin(v, out=v)
        v *= self.depth
        v += 1.0 - self.depth
        v *= self.base
        v *= F32(vis * 1.6)
        moon = float(ctx.motifs.get("moon", 0.0))
        if moon > 0.0 and len(self.under_moon):  # no star shines through the moon's disc
            v[self.under_moon] *= F32(1.0 - moon)
        # stars are infinitely far: no parallax (a whole-pixel jump of the field would show)
        key = pal.light.tobytes() + pal.accent.tobytes()
        if key != self._col_key:  # the tints depend only on the palette
            cool = pal.light
            warm = oklab_mix(pal.light, pal.accent, 0.5)
            self._col[:] = cool + (warm - cool) * self.tint
            self._col_key = key
        add = np.multiply(v[:, None], self._col, out=self.add)
        canvas.rgb.reshape(-1, 3)[self.idx] += add
        if len(self.bright):
            canvas.glow.reshape(-1, 3)[self.idx_bright] += add[self.bright] * F32(0.8)


@motif("moon", LAYER_CELESTIAL, "a soft full moon with a halo")
class Moon(Motif):
    """A pale disc with faint maria, a wide soft halo in the sky and a little bloom."""

    static = True
    POS = (0.74, 0.2)  # centre, fractions of the frame (stars avoid the disc)
    RADIUS = 0.048  # fraction of the frame height

    def __init__(self, canvas: Canvas, rng: np.random.Generator) -> None:
        super().__init__(canvas, rng)
        h = canvas.h
        self.r = max(2.5, self.RADIUS * h)
        size = int(self.r * 2.6) | 1
        d = radial_patch(self.r, size)
        edge = np.clip((1.0 - d) * self.r + 0.5, 0, 1)
        tex = fbm_2d(size, size, rng, cy=3, cx=3, octaves=4)
        shade = 0.86 + 0.14 * np.clip(tex * 1.6, -1, 1)
        limb = 1.0 - 0.18 * np.clip(d, 0, 1) ** 2  # limb darkening
        self.disc = edge.astype(F32)
        self.shade = (shade * limb * edge).astype(F32)
        self.maria = (self.shade - self.disc).astype(F32)
        hsize = int(self.r * 16) | 1
        hd = radial_patch(self.r, hsize)
        self.halo = (np.exp(-((hd / 3.2) ** 2)) * 0.22 + np.exp(-hd / 1.6) * 0.2).astype(F32)
        self.halo *= ((hd > 0.98) + (hd <= 0.98) * 0.6) * window(hd)
        self.cx, self.cy = self.POS

    def draw(self, canvas: Canvas, intensity: float, t: float, ctx: FrameContext) -> None:
        pal = ctx.palette
        dx, dy = parallax(ctx, DEPTH_SKY)
        cx = (self.cx + dx) * canvas.w
        cy = (self.cy + dy) * canvas.h
        moon = oklab_mix(pal.light, np.array([1.0, 0.98, 0.92], F32), 0.5)
        halo_col = oklab_mix(pal.horizon, pal.light, 0.5) * F32(0.5 + 0.5 * pal.night)
        add_patch(canvas.rgb, self.halo, cx, cy, halo_col, 0.55 * intensity)
        over_patch(canvas.rgb, self.disc, cx, cy, moon * F32(0.62), intensity)
        add_patch(canvas.glow, self.shade, cx, cy, moon, 0.08 * intensity)
        # maria: darken the disc gently where the texture is low
        add_patch(canvas.rgb, self.maria, cx, cy, moon, 1.4 * intensity)


@motif("sun", LAYER_CELESTIAL, "a low sun that never fully rises, glowing through haze")
class Sun(Motif):
    """A bright disc half-sunk in haze at the horizon, breathing very slowly, with a wide
    warm glow that blooms."""

    X = 0.6  # horizontal position, fraction of the width (the sea's glitter lies under it)

    def __init__(self, canvas: Canvas, rng: np.random.Generator) -> None:
        super().__init__(canvas, rng)
        h = canvas.h
        self.r = max(3.0, 0.06 * h)
        size = int(self.r * 3) | 1
        d = radial_patch(self.r, size)
        self.disc = np.clip((1.0 - d) * self.r * 0.6 + 0.5, 0, 1).astype(F32)
        gsize = int(self.r * 14) | 1
        gd = radial_patch(self.r, gsize)
        self.halo = (np.exp(-((gd / 4.0) ** 2)) * 0.5 + np.exp(-gd / 1.2) * 0.6).astype(F32)
        # the lower half of the glow is swallowed by haze at the horizon
        yy = (np.arange(gsize, dtype=F32) - gsize / 2)[:, None] / self.r
        self.halo *= np.clip(1.0 - yy / 2.5, 0.25, 1.0) * window(gd)
        self.cx = self.X

    def draw(self, canvas: Canvas, intensity: float, t: float, ctx: FrameContext) -> None:
        pal = ctx.palette
        breathe = 0.92 + 0.08 * np.sin(TAU * 0.04 * t)
        dx, dy = parallax(ctx, DEPTH_SKY)
        cx = (self.cx + dx) * canvas.w
        cy = (canvas.horizon - 0.01 + dy) * canvas.h
        warm = oklab_mix(pal.light, pal.accent, 0.35)
        add_patch(canvas.rgb, self.halo, cx, cy, warm, 0.55 * intensity * breathe)
        over_patch(canvas.rgb, self.disc, cx, cy, warm * F32(1.6), intensity)
        add_patch(canvas.glow, self.disc, cx, cy, warm, 0.9 * intensity * breathe)


@motif("sunrise", LAYER_CELESTIAL, "the warm light of a sunrise that never fully breaks")
class Sunrise(Motif):
    """A broad warm dome of light rising from below the horizon that never breaks into a sun;
    it warms the land a little too. Still (cached with the sky): the clouds and the light
    moving through the scene keep it alive."""

    static = True

    def __init__(self, canvas: Canvas, rng: np.random.Generator) -> None:
        super().__init__(canvas, rng)
        u, v = canvas.u, canvas.v
        hz = canvas.horizon
        dx = (u - 0.5) * canvas.aspect
        dy = v - (hz + 0.04)
        dome = np.exp(-(dx**2) / 0.5 - (dy**2) / 0.05)
        core = np.exp(-(dx**2) / 0.06 - (dy**2) / 0.006)
        below = 1.0 - 0.65 * np.clip((v - hz) / 0.05, 0, 1)  # the land catches less of it
        self.dome = rep3(dome * below)
        self.core = rep3(core * np.clip(1.0 - (v - hz) / 0.03, 0, 1))

    def draw(self, canvas: Canvas, intensity: float, t: float, ctx: FrameContext) -> None:
        pal = ctx.palette
        swell = 0.92
        warm = oklab_mix(pal.accent, pal.light, 0.4)
        buf = canvas.scratch("sunrise", canvas.rgb.shape)
        np.multiply(self.dome, wide3(warm * F32(0.45 * intensity * swell), canvas.w), out=buf)
        canvas.rgb += buf
        np.multiply(self.core, wide3(warm * F32(0.35 * intensity * swell), canvas.w), out=buf)
        canvas.glow += buf


@motif("aurora", LAYER_CELESTIAL, "slow curtains of green and violet light")
class Aurora(Motif):
    """Curtains with a bright lower edge fading upward, rays drifting along them, green at
    the hem and violet above; the hem sways on long slow waves."""

    def __init__(self, canvas: Canvas, rng: np.random.Generator) -> None:
        super().__init__(canvas, rng)
        w, h = canvas.w, canvas.h
        self.y0 = int(0.02 * h)
        self.y1 = int(canvas.horizon * h)
        n = w * 3
        # drifting profiles, sampled with sub-pixel shifts (no 1-pixel ticks as they move)
        self.rays_a = Profile(fbm_1d(n, rng, cells=24, octaves=4), w)
        self.rays_b = Profile(fbm_1d(n, rng, cells=9, octaves=3), w)
        self.hem = Profile(fbm_1d(n, rng, cells=3, octaves=3), w)
        self.cols = np.arange(w)
        self.ys = (np.arange(self.y0, self.y1, dtype=F32) + 0.5)[:, None]
        bh = self.y1 - self.y0
        self.D = np.empty((bh, w), F32)
        self.E = np.empty((bh, w), F32)
        self.green = np.array([0.08, 0.9, 0.35], F32)
        self.violet = np.array([0.45, 0.12, 0.8], F32)

    def draw(self, canvas: Canvas, intensity: float, t: float, ctx: FrameContext) -> None:
        w, h = canvas.w, canvas.h
        pal = ctx.palette
        s = ctx.pace
        c = self.cols
        hem = self.hem.sample(-t * 0.8 * s)
        yc = h * (0.3 + 0.09 * hem + 0.03 * np.sin(c / w * TAU * 1.3 + t * 0.05 * s))
        ra = self.rays_a.sample(-t * 2.0 * s)
        rb = self.rays_b.sample(t * 1.1 * s)
        bright = np.clip(0.25 + 0.9 * ra + 0.5 * rb, 0, 1.4) ** 1.5
        bright *= 0.6 + 0.4 * np.sin(c / w * TAU * 0.7 - t * 0.03 * s)
        D, E = self.D, self.E
        np.subtract(self.ys, yc[None, :].astype(F32), out=D)  # <0 above the hem
        np.minimum(D, 0.0, out=E)
        E *= F32(1.0 / (0.16 * h))
        np.maximum(D, 0.0, out=D)
        D *= F32(1.0 / (0.012 * h))
        np.square(D, out=D)
        np.subtract(E, D, out=D)
        np.exp(D, out=D)  # curtain profile
        D *= bright[None, :].astype(F32)
        E *= 2.5
        np.exp(E, out=E)  # 1 at the hem .. 0 high up
        vis = intensity * (0.25 + 0.75 * pal.night) * 0.5
        green = oklab_mix(self.green, pal.accent, 0.2) * F32(vis)
        violet = oklab_mix(self.violet, pal.accent, 0.2) * F32(vis * 0.7)
        seg = canvas.rgb[self.y0 : self.y1]
        glow = canvas.glow[self.y0 : self.y1]
        tmp = canvas.scratch("aurora", D.shape)
        E *= D  # the green hem part
        tmp2 = canvas.scratch("aurora:2", D.shape)
        for ch in range(3):
            np.multiply(D, violet[ch], out=tmp)
            np.multiply(E, F32(green[ch] - violet[ch]), out=tmp2)
            tmp += tmp2
            seg[:, :, ch] += tmp
            tmp *= 0.3
            glow[:, :, ch] += tmp


@motif("clouds", LAYER_CELESTIAL, "soft clouds drifting across the sky")
class Clouds(Motif):
    """Soft flattened clouds from a periodic fBm texture, lit from above and shaded below,
    drifting sideways at a few pixels a second (sub-pixel smooth)."""

    def __init__(self, canvas: Canvas, rng: np.random.Generator) -> None:
        super().__init__(canvas, rng)
        w, h = canvas.w, canvas.h
        self.rows = int(min(h, (canvas.horizon + 0.02) * h))
        tw = 2 * w
        n = fbm_2d(self.rows, tw, rng, cy=3, cx=10, octaves=4, gain=0.45)
        v = (np.arange(self.rows, dtype=F32)[:, None] + 0.5) / h
        # cloud belt in the middle of the sky, thinning at the top and near the horizon
        belt = np.exp(-(((v - 0.3) / 0.17) ** 2))
        dens = np.clip((n + 0.2 * belt - 0.05) / 0.5, 0, 1) * belt
        dens = dens * dens * (3 - 2 * dens)
        lit = np.clip(0.5 + 2.0 * (np.roll(dens, 3, axis=0) - dens), 0, 1)
        def ext(a: np.ndarray) -> np.ndarray:  # wrap-around copy, 3 channels (fast maths)
            return rep3(np.concatenate([a, a[:, : w + 2]], axis=1))

        # the density has one channel: its sub-pixel slice is the costly part of a frame (a
        # read across a wide texture), a third of the work on one channel, and the blend
        # then multiplies each colour channel by it (three strided passes, still cheaper)
        self.dens = np.ascontiguousarray(
            np.concatenate([dens * 0.9, (dens * 0.9)[:, : w + 2]], axis=1), dtype=F32)
        self.lit = ext(lit)
        self.tw = tw
        self.a = np.empty((self.rows, w), F32)
        self.b = np.empty((self.rows, w), F32)
        # the shaded cloud colour under the current palette and whole-pixel offset: it only
        # changes every ~20 frames (or through a palette blend), so it is cached
        self.base = np.empty((self.rows, w, 3), F32)
        self._base_key: tuple | None = None

    def _slice(self, tex: np.ndarray, off: float, out: np.ndarray, tmp: np.ndarray,
               gain: float = 1.0) -> None:
        i = int(np.floor(off)) % self.tw
        f = off - np.floor(off)
        w = self.canvas.w
        np.multiply(tex[:, i : i + w], F32((1.0 - f) * gain), out=out)
        np.multiply(tex[:, i + 1 : i + 1 + w], F32(f * gain), out=tmp)
        out += tmp

    def draw(self, canvas: Canvas, intensity: float, t: float, ctx: FrameContext) -> None:
        pal = ctx.palette
        dx, _ = parallax(ctx, DEPTH_SKY * 2)
        off = t * 0.004 * canvas.w * ctx.pace * (0.5 + ctx.wind) - dx * canvas.w
        self._slice(self.dens, off, self.a, self.b, intensity)
        i = int(np.floor(off)) % self.tw  # shading is smooth: whole-pixel steps do
        shadow = oklab_mix(pal.sky_mid, pal.far, 0.35)
        lit = oklab_mix(pal.mist, pal.light, 0.4) * F32(1.0 - 0.55 * pal.night)
        key = (i, shadow.tobytes(), lit.tobytes())
        if key != self._base_key:
            lit_now = self.lit[:, i : i + canvas.w]
            np.multiply(lit_now, wide3(lit - shadow, canvas.w), out=self.base)
            self.base += wide3(shadow, canvas.w)
            self._base_key = key
        seg = canvas.rgb[: self.rows]
        col = canvas.scratch("clouds", seg.shape)
        np.subtract(self.base, seg, out=col)
        for c in range(3):
            ch = col[:, :, c]
            ch *= self.a
        seg += col
