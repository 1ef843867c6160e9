"""Distant silhouettes: hills, mountain ridges, a forest treeline, pines, a city skyline,
dunes. Each is a few layers of periodic 1D profiles, paler and hazier with distance, moved by
the camera with parallax (far layers least)."""

from __future__ import annotations

import numpy as np

from visualizer.engine.canvas import Canvas
from visualizer.engine.land import Profile, oklab_mix, paint_silhouette
from visualizer.engine.noise import fbm_1d, noise_1d
from visualizer.engine.registry import LAYER_FAR, FrameContext, Motif, Palette, motif
from visualizer.engine.view import DEPTH_FAR, DEPTH_MID, parallax

F32 = np.float32
TAU = 2.0 * np.pi


def _depth_colour(pal: Palette, k: int, n: int) -> tuple[np.ndarray, np.ndarray]:
    """(colour, haze at its foot) for layer k of n (0 = farthest): atmospheric perspective,
    far layers close to the horizon colour, near ones towards `near`."""
    f = (k + 1) / n
    far = oklab_mix(pal.horizon, pal.far, 0.35 + 0.45 * f)
    col = oklab_mix(far, pal.near, 0.55 * f * f)
    haze = oklab_mix(col, pal.mist, 0.45 * (1.0 - 0.6 * f))
    return col, haze


class _Layered(Motif):
    """Base for silhouettes made of several profiles (far to near)."""

    static = True

    haze_depth = 0.05
    depths: tuple[float, ...] = (0.2, 0.35, 0.5)

    def __init__(self, canvas: Canvas, rng: np.random.Generator) -> None:
        super().__init__(canvas, rng)
        n = canvas.w * 2
        self.profiles = [Profile(p, canvas.w) for p in self.make_profiles(n, rng)]

    def make_profiles(self, n: int, rng: np.random.Generator) -> list[np.ndarray]:
        raise NotImplementedError

    def colours(self, pal: Palette, k: int, n: int) -> tuple[np.ndarray, np.ndarray]:
        return _depth_colour(pal, k, n)

    def draw(self, canvas: Canvas, intensity: float, t: float, ctx: FrameContext) -> None:
        n = len(self.profiles)
        for k, prof in enumerate(self.profiles):
            depth = DEPTH_FAR + (DEPTH_MID - DEPTH_FAR) * k / max(1, n - 1)
            dx, dy = parallax(ctx, depth)
            tops = prof.sample(dx * canvas.w)
            if dy:
                tops = tops + F32(dy)
            col, haze = self.colours(ctx.palette, k, n)
            paint_silhouette(canvas, tops, col, intensity, f"{self.name}{k}", haze, self.haze_depth)
        self.after(canvas, intensity, t, ctx)

    def after(self, canvas: Canvas, intensity: float, t: float, ctx: FrameContext) -> None:
        """Details on top of the silhouettes (lit windows...)."""


@motif("hills", LAYER_FAR, "rolling hills in layers, paler with distance")
class Hills(_Layered):
    def make_profiles(self, n: int, rng: np.random.Generator) -> list[np.ndarray]:
        hz = self.canvas.horizon
        out = []
        for k, (lift, amp, cells) in enumerate(
            ((0.06, 0.07, 3), (0.03, 0.06, 4), (-0.01, 0.06, 3))
        ):
            p = 0.5 + 0.5 * fbm_1d(n, rng, cells=cells, octaves=3, gain=0.35)
            out.append(hz - lift - amp * p + 0.004 * k)
        return out


@motif("mountains", LAYER_FAR, "distant mountain ridges")
class Mountains(_Layered):
    haze_depth = 0.12

    def make_profiles(self, n: int, rng: np.random.Generator) -> list[np.ndarray]:
        hz = self.canvas.horizon
        out = []
        for lift, amp, cells in ((0.1, 0.2, 3), (0.04, 0.14, 4), (0.0, 0.07, 5)):
            r = fbm_1d(n, rng, cells=cells, octaves=6, gain=0.5)
            ridge = 1.0 - np.abs(r)  # sharp crests
            ridge = (ridge - ridge.min()) / (np.ptp(ridge) + 1e-9)
            out.append(hz - lift - amp * ridge**1.8)
        return out

    def colours(self, pal: Palette, k: int, n: int) -> tuple[np.ndarray, np.ndarray]:
        col, haze = _depth_colour(pal, k, n)
        if k == 0:  # the far range catches the light on its snowy heads
            col = oklab_mix(col, pal.light, 0.25)
        return col, haze


def _crowns(n: int, rng: np.random.Generator, count: int, rmin: float, rmax: float,
            base: np.ndarray, aspect_k: float) -> np.ndarray:
    """A treeline: a continuous mass (`base`, fractions of h) topped by many overlapping
    crowns of half-width rmin..rmax px (some rounded, some taller and pointed), with leafy
    roughness, as a periodic profile."""
    x = np.arange(n, dtype=np.float64)
    top = base.copy()
    cx = rng.uniform(0, n, count)
    r = rng.uniform(rmin, rmax, count) * rng.uniform(0.6, 1.0, count) ** 2 / 0.8
    lift = rng.uniform(0.3, 1.6, count) ** 1.3
    point = rng.random(count) < 0.35  # a conifer among the broadleaves
    for i in range(count):  # init only: a few hundred crowns
        d = (x - cx[i] + n / 2) % n - n / 2
        inside = np.abs(d) < r[i]
        q = np.abs(d[inside]) / r[i]
        shape = (1.0 - q) ** 1.2 if point[i] else np.sqrt(np.clip(1 - q * q, 0, 1)) ** 0.8
        height = r[i] * aspect_k * lift[i] * (1.8 if point[i] else 1.0)
        top[inside] = np.minimum(top[inside], base[inside] - height * shape)
    leafy = noise_1d(n, n // 3, rng) + 0.5 * noise_1d(n, n // 7, rng)
    return top + 0.0022 * leafy


@motif("forest", LAYER_FAR, "a treeline of a deep forest, layered")
class Forest(_Layered):
    haze_depth = 0.04

    def make_profiles(self, n: int, rng: np.random.Generator) -> list[np.ndarray]:
        c = self.canvas
        hz, w, h = c.horizon, c.w, c.h
        out = []
        for rmin, rmax, mass in ((0.005, 0.011, 0.11), (0.007, 0.015, 0.08), (0.01, 0.022, 0.045)):
            base = hz - mass * (0.8 + 0.4 * (0.5 + 0.5 * fbm_1d(n, rng, cells=4, octaves=3)))
            count = int(n / (w * (rmin + rmax) / 2) * 1.4)
            out.append(_crowns(n, rng, count, rmin * w, rmax * w, base, 1.0 / h))
        return out

    def colours(self, pal: Palette, k: int, n: int) -> tuple[np.ndarray, np.ndarray]:
        col, haze = _depth_colour(pal, k, n)
        return oklab_mix(col, pal.near, 0.2 * k), haze


def _pines(
    n: int,
    rng: np.random.Generator,
    count: int,
    base: np.ndarray,
    hmin: float,
    hmax: float,
    aspect: float,
    w: int,
) -> np.ndarray:
    """Narrow conifers with softly tiered branches, rising from a low mass of undergrowth."""
    x = np.arange(n, dtype=np.float64)
    top = base.copy()
    cx = rng.uniform(0, n, count)
    hh = rng.uniform(hmin, hmax, count)
    for i in range(count):
        half = hh[i] * 0.16 * w / aspect  # half width in px at the foot
        d = (x - cx[i] + n / 2) % n - n / 2
        inside = np.abs(d) < half
        frac = np.abs(d[inside]) / half  # 0 centre .. 1 edge
        height = 1.0 - frac**0.9
        # tiers: branches droop a little every fifth of the height (smooth, no steps)
        tier = 0.05 * np.sin(height * 5 * np.pi) ** 2 * frac
        crown = base[inside] - hh[i] * np.clip(height - tier, 0, 1)
        top[inside] = np.minimum(top[inside], crown)
    return top


@motif("pines", LAYER_FAR, "a silhouette of pine trees")
class Pines(_Layered):
    haze_depth = 0.03

    def make_profiles(self, n: int, rng: np.random.Generator) -> list[np.ndarray]:
        c = self.canvas
        hz = c.horizon
        under = [
            hz - 0.02 - 0.015 * (0.5 + 0.5 * fbm_1d(n, rng, cells=5, octaves=3)),
            hz + 0.02 - 0.02 * (0.5 + 0.5 * fbm_1d(n, rng, cells=4, octaves=3)),
        ]
        return [
            _pines(n, rng, 110, under[0], 0.04, 0.1, c.aspect, c.w),
            _pines(n, rng, 40, under[1], 0.12, 0.28, c.aspect, c.w),
        ]

    def colours(self, pal: Palette, k: int, n: int) -> tuple[np.ndarray, np.ndarray]:
        col, haze = _depth_colour(pal, k + 1, n + 1)
        return oklab_mix(col, pal.near, 0.35 + 0.4 * k), haze


@motif("city", LAYER_FAR, "a distant skyline with a few lit windows")
class City(_Layered):
    static = False  # lit windows come and go
    haze_depth = 0.06

    def make_profiles(self, n: int, rng: np.random.Generator) -> list[np.ndarray]:
        c = self.canvas
        hz, w, h = c.horizon, c.w, c.h
        profiles: list[np.ndarray] = []
        self.windows: list | np.ndarray = []
        for k, (wmin, wmax, hmin, hmax) in enumerate(
            ((0.01, 0.03, 0.03, 0.09), (0.02, 0.05, 0.04, 0.16))
        ):
            top = np.full(n, hz + 0.01)
            x = 0
            wins = []
            while x < n:
                bw = int(rng.uniform(wmin, wmax) * w) + 2
                bh = rng.uniform(hmin, hmax) * (0.4 + 0.6 * rng.random() ** 0.5)
                y = hz + 0.01 - bh
                top[x : x + bw] = y
                if k == 1 and bh * h > 6:  # windows on the near row
                    gy = np.arange(int(y * h) + 3, int((hz + 0.005) * h) - 1, 3)
                    gx = np.arange(x + 2, x + bw - 1, 3)
                    if len(gx) and len(gy):
                        yy, xx = np.meshgrid(gy, gx, indexing="ij")
                        wins.append(np.stack([yy.ravel(), xx.ravel() % n], 1))
                x += bw + int(rng.integers(0, 3))
            profiles.append(top)
            if wins:
                self.windows = np.concatenate(wins)
        win = np.asarray(self.windows) if len(self.windows) else np.zeros((0, 2), int)
        lit = rng.random(len(win)) < 0.22
        self.win_y = win[lit, 0].astype(np.intp)
        self.win_x = win[lit, 1].astype(np.intp)
        self.win_n = n
        m = len(self.win_y)
        self.win_freq = rng.uniform(1 / 400, 1 / 90, m).astype(F32)  # on/off over minutes
        self.win_phase = rng.uniform(0, TAU, m).astype(F32)
        self.win_b = rng.uniform(0.4, 1.0, m).astype(F32)
        return profiles

    def after(self, canvas: Canvas, intensity: float, t: float, ctx: FrameContext) -> None:
        if not len(self.win_y):
            return
        pal = ctx.palette
        dx, _ = parallax(ctx, DEPTH_MID)
        xs = (self.win_x + round(dx * canvas.w)) % self.win_n
        ok = (xs < canvas.w) & (self.win_y >= 0) & (self.win_y < canvas.h)
        on = np.sin(self.win_freq * F32(TAU * t) + self.win_phase)
        on = np.clip((on + 0.3) * 3.0, 0, 1)  # a window switches over a few seconds
        val = (on * self.win_b * F32(intensity * (0.25 + 0.75 * pal.night)))[ok]
        warm = oklab_mix(pal.light, pal.accent, 0.4) * F32(0.8)
        idx = self.win_y[ok] * canvas.w + xs[ok]
        add = val[:, None] * warm
        canvas.rgb.reshape(-1, 3)[idx] += add
        canvas.glow.reshape(-1, 3)[idx] += add * F32(0.5)


@motif("dunes", LAYER_FAR, "desert dunes")
class Dunes(_Layered):
    haze_depth = 0.08

    def make_profiles(self, n: int, rng: np.random.Generator) -> list[np.ndarray]:
        hz = self.canvas.horizon
        out = []
        for lift, amp, cells in ((0.03, 0.05, 3), (0.0, 0.06, 2), (-0.05, 0.08, 2)):
            p = fbm_1d(n, rng, cells=cells, octaves=2, gain=0.3)
            # asymmetric crests: gentle windward slope, steeper lee
            p = np.sign(p) * np.abs(p) ** 0.7
            p = (p - p.min()) / (np.ptp(p) + 1e-9)
            out.append(hz - lift - amp * p)
        return out

    def colours(self, pal: Palette, k: int, n: int) -> tuple[np.ndarray, np.ndarray]:
        sand = oklab_mix(pal.ground, pal.horizon, 0.35 - 0.1 * k)
        col = oklab_mix(sand, pal.far, 0.45 - 0.15 * k)
        return col, oklab_mix(col, pal.mist, 0.25)
