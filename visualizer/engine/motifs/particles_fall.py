"""Things drifting down through the air: leaves, petals, snow, soft rain.

Solid little shapes composite over `canvas.rgb` (order-independent coverage blend, see
`Splatter.over`). Each falls on a closed-form path: steady drift + slow sway, wrapped with a
margin so it leaves one edge fully before re-entering at the other. Near ones are bigger,
faster and clearer; far ones smaller, slower and hazed toward the horizon colour.
"""

from __future__ import annotations

import numpy as np

from visualizer.engine.canvas import Canvas
from visualizer.engine.particles import (
    TAU,
    ParticleMotif,
    Splatter,
    Swarm,
    ambient,
    box_taps,
    hsv_to_rgb,
    live_count,
    loop_time,
    over_taps,
    palette_color,
    qfreq,
    quantize_rate,
    rank_alpha,
    sine_into,
    soft_sigma,
    wrap_into,
)
from visualizer.engine.registry import LAYER_PARTICLES, FrameContext, Motif, motif


def _lin(rgb: list[tuple[float, float, float]]) -> np.ndarray:
    c = np.asarray(rgb, dtype=np.float64)
    return np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4).astype(np.float32)


class _Flock:
    """One depth band of a tumbling motif: its particles' constants, work buffers and a
    stamp just big enough for its largest member (far bands get small, cheap stamps)."""

    def __init__(
        self, owner: _Tumbling, n: int, z0: float, z1: float, rng: np.random.Generator
    ) -> None:
        sw = self.sw = Swarm(n, rng)
        z = sw.z = (z0 + (z1 - z0) * sw.z).astype(np.float32)
        fall, drift, size = owner.FALL, owner.DRIFT, owner.SIZE
        self.vy = quantize_rate(fall[0] + (fall[1] - fall[0]) * z)
        self.vx = quantize_rate((drift[0] + (drift[1] - drift[0]) * z) * (0.6 + 0.8 * sw.r[0]))
        self.fs = qfreq(0.04 + 0.08 * sw.r[1])  # sway
        self.spin = qfreq((0.03 + 0.08 * sw.r[2]) * np.sign(sw.r[3] - 0.5))
        self.ff = qfreq(0.08 + 0.2 * sw.r[4])  # flip (turning over)
        self.size = ((size[0] + (size[1] - size[0]) * z**1.5) * owner.px).astype(np.float32)
        self.base_col = owner.colours(rng, n)
        self.col = np.zeros((n, 3), dtype=np.float32)
        # Atmospheric perspective: far things take on up to 45% of the horizon haze.
        self.haze = (0.45 * (1.0 - z) ** 2).astype(np.float32)
        reach = float(self.size.max()) * (1.45 if owner.VEIN else 1.05) + 1.5
        self.sp = Splatter(n, max(3, int(np.ceil(2.0 * reach)) | 1))


class _Tumbling(ParticleMotif):
    """Flat things that fall while turning: a rotating, flipping lens/ellipse stamp, drawn
    in a far and a near band (so the many small far ones use small stamps)."""

    MARGIN = 0.05
    FALL = (0.012, 0.03)  # screens per second, far .. near
    DRIFT = (0.004, 0.012)
    SWAY = 0.04
    SIZE = (2.0, 6.5)  # half-length in px at 540 high, far .. near
    WIDTH = 0.45  # half-width / half-length
    POINTED = True
    VEIN = False  # leaves: midrib and stalk
    NEAR = 0.4  # share of the particles in the near band (depth z >= 0.6)

    def __init__(self, canvas: Canvas, rng: np.random.Generator) -> None:
        Motif.__init__(self, canvas, rng)  # the flocks own the swarms and stamps
        self.px = canvas.h / 540.0
        n_near = round(self.N_MAX * self.NEAR)
        self.flocks = (
            _Flock(self, self.N_MAX - n_near, 0.0, 0.6, rng),
            _Flock(self, n_near, 0.6, 1.0, rng),
        )
        self.swarms = [f.sw for f in self.flocks]

    def colours(self, rng: np.random.Generator, n: int) -> np.ndarray:
        raise NotImplementedError

    def draw(self, canvas: Canvas, intensity: float, t: float, ctx: FrameContext) -> None:
        if intensity <= 0.0:
            return
        t = loop_time(t)
        # Wind scales how far they sway (a displacement, so a change of mood eases it in;
        # scaling the drift speed instead would jump, since position = speed * t).
        sway = self.SWAY * float(np.clip(0.6 + 1.3 * getattr(ctx, "wind", 0.3), 0.5, 1.5))
        for fl in self.flocks:  # far band first
            k = rank_alpha(live_count(fl.sw.n, ctx), intensity, fl.sw.buf("a"))
            if k:
                self._draw_flock(canvas, fl, k, t, sway, ctx)

    def _draw_flock(
        self, canvas: Canvas, fl: _Flock, k: int, t: float, sway: float, ctx: FrameContext
    ) -> None:
        sw = fl.sw
        m = self.MARGIN
        x, y, tmp = sw.buf("x")[:k], sw.buf("y")[:k], sw.buf("t1")[:k]
        np.multiply(fl.vx[:k], t, out=x)
        x += sw.x0[:k]
        x += sine_into(tmp, fl.fs[:k], t, sw.ph[0, :k], sway)
        wrap_into(x, -m, 1.0 + m)
        np.multiply(fl.vy[:k], t, out=y)
        y += sw.y0[:k]
        y += sine_into(tmp, fl.fs[:k] * 2.0, t, sw.ph[1, :k], sway * 0.25)
        wrap_into(y, -m, 1.0 + m)
        x *= canvas.w
        y *= canvas.h
        ang = sw.buf("ang")[:k]
        np.multiply(fl.spin[:k], t, out=ang)
        ang += sw.ph[2, :k]
        ang += sine_into(tmp, fl.fs[:k], t, sw.ph[0, :k], 0.6)  # tilt with the sway
        ca, sa = sw.buf("ca")[:k], sw.buf("sa")[:k]
        np.cos(ang, out=ca)
        np.sin(ang, out=sa)
        flip = sine_into(sw.buf("flip")[:k], fl.ff[:k], t, sw.ph[3, :k])
        n = k
        L = fl.size[:n]
        wf = np.abs(flip) * 0.85 + 0.15  # turning edge-on narrows it
        # Keep only taps inside the shape's bounding ellipse (plus the stalk's strip), then
        # shape those: a leaf covers a small part of its rotating box, so first each
        # particle's box shrinks to the extent of that ellipse at its angle.
        ru = 1.0 / (L + 1.5)
        rb = L * self.WIDTH * wf + 1.5
        rv = 1.0 / rb
        ac, as_ = np.abs(ca), np.abs(sa)
        ex = np.hypot((L + 1.5) * ac, rb * as_)
        ey = np.hypot((L + 1.5) * as_, rb * ac)
        if self.VEIN:
            reach = 1.4 * L + 1.0
            np.maximum(ex, reach * ac + 1.8 * as_, out=ex)
            np.maximum(ey, reach * as_ + 1.8 * ac, out=ey)
        ex += 0.01  # float slack: the exact test below decides
        ey += 0.01
        cnt, pid, dx, dy, idx = box_taps(canvas.w, canvas.h, x, y, ex, ey, fl.sp.k // 2)
        if pid.size == 0:
            return
        # In place where it can be, and the box-sized arrays dropped as soon as they are
        # used: a big peak of temporaries makes glibc trim and re-fault the heap each frame.
        cr, sr = np.repeat(ca, cnt), np.repeat(sa, cnt)
        tmp = dx * sr
        v = dy * cr
        v -= tmp
        np.multiply(dy, sr, out=tmp)
        u = np.multiply(dx, cr, out=dx)
        u += tmp
        del dy, cr, sr
        e = np.repeat(ru, cnt)
        e *= u
        e *= e
        q = np.repeat(rv, cnt)
        q *= v
        q *= q
        e += q
        del q
        keep = e < 1.0
        del e
        if self.VEIN:
            Lr = np.repeat(L, cnt)
            np.abs(v, out=tmp)
            stalk = tmp < 1.8
            np.multiply(Lr, -0.8, out=tmp)
            stalk &= u < tmp
            Lr *= -1.4
            Lr -= 1.0
            stalk &= u > Lr
            keep |= stalk
            del Lr, stalk
        del tmp
        sel = np.flatnonzero(keep)
        del keep
        if sel.size == 0:
            return
        cnt = np.bincount(pid[sel], minlength=n)  # kept taps per particle, still sorted

        def rep(per_particle: np.ndarray) -> np.ndarray:
            return np.repeat(per_particle, cnt)

        uu, vv = u[sel], np.abs(v[sel])
        idx = idx[sel]
        del u, v, pid, sel
        Lf = rep(L)
        wff = rep(wf)
        # edge distance in px: half-width profile minus |v|
        prof = 1.0 - (uu / Lf) ** 2  # negative beyond the tips
        if self.POINTED:
            a = prof * Lf * self.WIDTH * wff - vv
        else:  # a rounded petal; taps beyond the tips stay outside
            s = uu / Lf  # -1 at the base .. +1 at the tip
            taper = np.clip(0.5 + 0.45 * (s + 1.0), 0.5, 1.0)  # narrow base, full tip
            a = np.sqrt(np.maximum(prof, 0.0)) * Lf * self.WIDTH * wff * taper - vv
            a += np.minimum(prof, 0.0) * Lf * 4.0
            # the little notch in the tip of a cherry petal
            a = np.minimum(a, vv - (uu - 0.72 * Lf) * 0.9 + 0.6)
        a = np.clip(a + 0.5, 0.0, 1.0)
        is_stem = None
        if self.VEIN:  # a short stalk behind the base (u < -L), drawn as a thin line
            stem = np.clip(0.75 + 0.06 * Lf - vv, 0.0, 1.0)
            stem *= np.clip(-uu - 0.9 * Lf + 0.5, 0.0, 1.0)
            stem *= np.clip(1.35 * Lf + uu + 0.5, 0.0, 1.0)
            stem *= np.clip((Lf - 3.0 * self.px) / (3.0 * self.px), 0.0, 1.0)  # near ones only
            is_stem = stem > a
            np.maximum(a, stem, out=a)
        a *= rep(sw.buf("a")[:n])
        # colour: base, darker when the underside shows, hazed with distance, lit by palette
        col = fl.col[:n]
        shade = sw.buf("shade")[:n]
        np.sign(flip[:n], out=shade)
        shade *= 0.15
        shade += 0.85
        np.multiply(fl.base_col[:n], shade[:, None], out=col)
        col *= ambient(ctx)
        hz = palette_color(ctx, "horizon", (0.7, 0.7, 0.75))
        col *= (1.0 - fl.haze[:n])[:, None]
        col += fl.haze[:n, None] * hz
        cols = np.empty((3, uu.size), dtype=np.float32)  # planar: fast per-channel math
        for c in range(3):
            cols[c] = rep(col[:, c])
        if not self.POINTED:  # petals pale towards the tip
            cols += (1.0 - cols) * (0.3 * np.clip(uu / Lf + 0.2, 0.0, 1.0))
        if self.VEIN:  # a darker midrib along the axis (no contrast edge-on), brown stalk
            rib = np.clip(0.45 + 0.04 * Lf - vv, 0.0, 1.0) * (np.abs(uu) < 0.85 * Lf)
            dark = 1.0 - 0.35 * rib * wff
            dark[is_stem] = 0.55
            cols *= dark
        over_taps(canvas, canvas.rgb, idx, a.astype(np.float32), cols.T)


@motif("leaves", LAYER_PARTICLES, "leaves drifting on the wind")
class Leaves(_Tumbling):
    """Autumn leaves: pointed lens shapes in reds, oranges, golds and a few late greens,
    turning over (narrowing edge-on) as they drift down and across."""

    N_MAX = 240
    DRIFT = (0.006, 0.02)
    SIZE = (2.5, 9.0)
    WIDTH = 0.42
    VEIN = True

    def colours(self, rng: np.random.Generator, n: int) -> np.ndarray:
        pal = _lin(
            [
                (0.62, 0.16, 0.06),
                (0.86, 0.38, 0.08),
                (0.9, 0.62, 0.16),
                (0.55, 0.5, 0.12),
                (0.7, 0.28, 0.1),
            ]
        )
        pick = rng.integers(0, len(pal), n)
        jitter = 0.8 + 0.4 * rng.random((n, 1), dtype=np.float32)
        return (pal[pick] * jitter).astype(np.float32)


@motif("petals", LAYER_PARTICLES, "petals falling and turning")
class Petals(_Tumbling):
    """Cherry-blossom petals: small rounded ovals, pink to white, fluttering down slowly."""

    N_MAX = 320
    FALL = (0.008, 0.022)
    DRIFT = (0.003, 0.01)
    SWAY = 0.05
    SIZE = (1.7, 5.5)
    WIDTH = 0.62
    POINTED = False

    def colours(self, rng: np.random.Generator, n: int) -> np.ndarray:
        hue = 0.93 + 0.06 * rng.random(n)
        sat = np.where(rng.random(n) < 0.3, 0.06, 0.2 + 0.3 * rng.random(n))
        return (hsv_to_rgb(hue % 1.0, sat, 1.0) ** 2.2).astype(np.float32)


@motif("snow", LAYER_PARTICLES, "snow falling slowly")
class Snow(ParticleMotif):
    """Soft round flakes in depth: far ones tiny and slow, near ones larger and blurred."""

    N_MAX = 1800
    KERNEL = 5

    def __init__(self, canvas: Canvas, rng: np.random.Generator) -> None:
        super().__init__(canvas, rng)
        sw = self.sw
        z = sw.z
        self.vy = quantize_rate(0.012 + 0.035 * z**1.5)
        self.vx = quantize_rate(0.002 + 0.006 * z)
        self.fs = quantize_rate(0.04 + 0.08 * sw.r[0]) * TAU
        self.amp = (0.004 + 0.01 * z).astype(np.float32)
        self.sigma, self.gain = soft_sigma((0.45 + 0.9 * z**2) * self.px, hi=1.3)
        self.opacity = (0.4 + 0.45 * z).astype(np.float32)

    def draw(self, canvas: Canvas, intensity: float, t: float, ctx: FrameContext) -> None:
        k = self.begin(intensity, ctx)
        if k == 0:
            return
        t = loop_time(t)
        sw = self.sw
        x, y, tmp = sw.buf("x")[:k], sw.buf("y")[:k], sw.buf("t1")[:k]
        np.multiply(self.vx[:k], t, out=x)
        x += sw.x0[:k]
        x += sine_into(tmp, self.fs[:k], t, sw.ph[0, :k], self.amp[:k])
        wrap_into(x, -0.02, 1.02)
        np.multiply(self.vy[:k], t, out=y)
        y += sw.y0[:k]
        wrap_into(y, -0.02, 1.02)
        x *= canvas.w
        y *= canvas.h
        a = sw.buf("w")[:k]
        np.multiply(self.opacity[:k], sw.buf("a")[:k], out=a)
        a *= self.gain[:k]
        n = self.sp.grid(canvas.w, canvas.h, x, y)
        self.sp.gaussian_sep(n, self.sigma, a)
        white = np.array([0.92, 0.95, 1.0], dtype=np.float32)
        col = 0.85 * white + 0.15 * palette_color(ctx, "sky_mid", (0.8, 0.85, 0.95))
        col = col * (0.3 + 0.7 * ambient(ctx))
        self.sp.over(canvas, canvas.rgb, n, col)


@motif("rain", LAYER_PARTICLES, "soft rain")
class Rain(ParticleMotif):
    """Soft rain: thin, faint, slightly slanted streaks (motion-blurred drops), lighter
    than the air behind them, falling at a gentle pace in depth. Each streak is a row of
    sub-pixel samples about 1.5 px apart, brighter at the head."""

    N_MAX = 1100
    KERNEL = 2
    SAMPLES = 14

    def __init__(self, canvas: Canvas, rng: np.random.Generator) -> None:
        super().__init__(canvas, rng)
        sw = self.sw
        z = sw.z
        self.vy = quantize_rate(0.06 + 0.1 * z)  # a drizzle: 6-16 s to fall the frame
        self.slant = 0.12
        self.vx = quantize_rate(self.vy * self.slant)
        self.length = ((0.012 + 0.026 * z) * canvas.h).astype(np.float32)
        self.opacity = (0.12 + 0.25 * z).astype(np.float32)
        s = self.SAMPLES
        self.sp = Splatter(self.N_MAX * s, 2)
        self.frac = (np.arange(s, dtype=np.float32) / (s - 1))[None, :]
        self.tail = (1.0 - 0.7 * self.frac).astype(np.float32)  # brighter head, fading tail
        self._px = np.zeros((self.N_MAX, s), dtype=np.float32)
        self._py = np.zeros((self.N_MAX, s), dtype=np.float32)
        self._pw = np.zeros((self.N_MAX, s), dtype=np.float32)

    def particle_count(self) -> int:
        return self.N_MAX

    def draw(self, canvas: Canvas, intensity: float, t: float, ctx: FrameContext) -> None:
        k = self.begin(intensity, ctx)
        if k == 0:
            return
        t = loop_time(t)
        sw = self.sw
        x, y = sw.buf("x")[:k], sw.buf("y")[:k]
        np.multiply(self.vx[:k], t, out=x)
        x += sw.x0[:k]
        wrap_into(x, -0.05, 1.05)
        np.multiply(self.vy[:k], t, out=y)
        y += sw.y0[:k]
        wrap_into(y, -0.05, 1.08)
        x *= canvas.w
        y *= canvas.h
        px, py, pw = self._px[:k], self._py[:k], self._pw[:k]
        ln = self.length[:k, None]
        np.multiply(self.frac, ln, out=py)  # distance back along the streak
        np.multiply(py, -self.slant * canvas.h / canvas.w * canvas.aspect, out=px)
        px += x[:, None]
        np.subtract(y[:, None], py, out=py)
        np.multiply(self.tail, (self.opacity[:k] * sw.buf("a")[:k])[:, None], out=pw)
        pw *= min(1.0, self.px)  # samples crowd closer on a small canvas
        sp = self.sp
        n = sp.grid(canvas.w, canvas.h, px.ravel(), py.ravel())
        sp.tent_sep(n, pw.ravel())
        # Rain catches the light: a faint additive sheen (cheaper than compositing, and a
        # pale streak over the sky reads the same).
        col = (0.35 * palette_color(ctx, "mist", (0.85, 0.88, 0.95)) + 0.1) * ambient(ctx)
        sp.add(canvas.rgb, n, col)
