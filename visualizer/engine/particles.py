"""Shared particle machinery: struct-of-arrays float32 swarms, closed-form motion, fast splats.

Why this shape: a frame must be a pure function of (seed, t), so every position is computed
from t in closed form (base drift + slow analytic swirl, wrapped), never integrated. Per-particle
constants are drawn once; per-frame work is a handful of vectorised numpy calls into buffers
allocated once (shaped stamps add small temporaries sized by the taps they cover, never a
frame-sized array). Splatting scatters small kernels with `np.add.at` on flat pixel indices
(one strided call per channel), about 1 ms per 100k taps at 960x540: 20k soft specks of
light cost ~0.9 ms per 10k particles including their motion. Soft dots are separable
(`Splatter.grid`: a k x k stamp is the product of two per-axis factors, laid out tap-major);
rotating shapes lay out only the pixels within each one's own extent (`box_taps`).

Coordinates: pixel units, pixel i covers [i, i+1) so its centre is i + 0.5.

Mood pace and wind never scale a velocity: position = v * t, so a pace that changes through
a transition would fling everything by (change * t). Wind only scales sway amplitudes (a
displacement), which eases in with the mood.

Timing: `python -m visualizer.engine.particles` draws every particle motif at 960x540 and
prints ms per frame and per 10k particles (best of 40 frames).
"""

from __future__ import annotations

import weakref
from typing import ClassVar

import numpy as np

from visualizer.engine.canvas import Canvas
from visualizer.engine.registry import Motif

TAU = float(2.0 * np.pi)

# Fraction of a motif's full particle count per quality level, used only when the frame
# context carries no `particle_scale` (the renderer sets that from its quality ladder).
QUALITY_SCALE = {"low": 0.5, "medium": 1.0, "high": 1.0}


# Every rate (drift in screens/s, frequency in Hz) is a whole multiple of 1/LOOP, so motion is
# exactly periodic over LOOP seconds: time is reduced modulo LOOP before going to float32,
# which keeps positions precise (and seamless) however many hours the display runs.
LOOP = 3600.0


def loop_time(t: float) -> float:
    return float(t) % LOOP


def quantize_rate(r: np.ndarray) -> np.ndarray:
    """Round rates to whole cycles per LOOP (never to zero) so `loop_time` is seamless."""
    r = np.asarray(r, dtype=np.float64)
    q = np.round(r * LOOP)
    q = np.where((q == 0) & (r != 0), np.sign(r), q)
    return (q / LOOP).astype(np.float32)


def count_scale(ctx: object | None) -> float:
    """Fraction of the full count to draw: the renderer's `particle_scale` (quality level and
    adaptive budget) when present, else a fallback by quality name."""
    if ctx is None:
        return 1.0
    scale = getattr(ctx, "particle_scale", None)
    if scale is None:
        scale = QUALITY_SCALE.get(str(getattr(ctx, "quality", "medium")), 1.0)
    return max(0.0, min(1.0, float(scale)))


def live_count(n_max: int, ctx: object | None) -> int:
    """Particles drawn at full intensity for this context (at least 1 if n_max > 0)."""
    if n_max <= 0:
        return 0
    return max(1, min(n_max, round(n_max * count_scale(ctx))))


def rank_alpha(n: int, intensity: float, out: np.ndarray, softness: float = 0.2) -> int:
    """Fade particles in by rank: particle i is at alpha clip((m - i)/s, 0, 1) with
    m = intensity * (n + s). Raising intensity adds particles one by one, each fading in over
    a band of s ranks, so nothing pops. Fills out[:k] and returns k, the count with alpha > 0
    (particles are stored in random order, so any prefix is a uniform sample)."""
    if n <= 0 or intensity <= 0.0:
        return 0
    s = max(1.0, softness * n)
    m = min(1.0, float(intensity)) * (n + s)
    k = int(min(n, np.ceil(m)))
    if k <= 0:
        return 0
    a = out[:k]
    a[:] = _RANKS[:k] if k <= _RANKS.size else np.arange(k, dtype=np.float32)
    np.subtract(m, a, out=a)
    np.multiply(a, 1.0 / s, out=a)
    np.clip(a, 0.0, 1.0, out=a)
    return k


_RANKS = np.arange(65536, dtype=np.float32)


def wrap_into(a: np.ndarray, lo: float, hi: float) -> np.ndarray:
    """Wrap a (in screens, any value) in place onto [lo, hi): the fractional part of a,
    stretched over the margin-widened span, so things leave one edge fully before coming
    back at the other and never pop at the border. The period stays exactly 1 in `a`, so
    whole-cycles-per-LOOP rates keep the motion seamless where time loops."""
    np.mod(a, 1.0, out=a)
    a *= hi - lo
    a += lo
    return a


def qfreq(hz: np.ndarray | float) -> np.ndarray:
    """Angular frequency (rad/s) of `hz`, rounded to whole cycles per LOOP."""
    return (quantize_rate(np.asarray(hz, dtype=np.float64)) * TAU).astype(np.float32)


def sigma_px(size: np.ndarray, lo: float = 0.55, hi: float = 1.6) -> np.ndarray:
    """Gaussian radius in pixels, floored so sub-pixel motion never aliases (a point smaller
    than ~half a pixel twinkles as it crosses pixel centres) and capped to fit the kernel."""
    return np.clip(np.asarray(size, dtype=np.float32), lo, hi).astype(np.float32)


def soft_sigma(
    size: np.ndarray, lo: float = 0.55, hi: float = 1.6
) -> tuple[np.ndarray, np.ndarray]:
    """`sigma_px` plus the peak gain (size / sigma)^2 that keeps each dot's light (its
    integral) what the unclamped size asked for, so small canvases (low quality, tests) are
    not brighter or blotchier than large ones."""
    raw = np.maximum(np.asarray(size, dtype=np.float32), 1e-3)
    sigma = sigma_px(raw, lo, hi)
    return sigma, ((raw / sigma) ** 2).astype(np.float32)


def smoothstep(e0: float, e1: float, x):
    t = np.clip((np.asarray(x, dtype=np.float32) - e0) / (e1 - e0), 0.0, 1.0)
    return t * t * (3.0 - 2.0 * t)


def hsv_to_rgb(h: np.ndarray, s: np.ndarray | float, v: np.ndarray | float) -> np.ndarray:
    """Vectorised HSV (all 0..1) to RGB (n, 3) float32; for precomputing particle colours."""
    h = np.asarray(h, dtype=np.float32)
    s = np.broadcast_to(np.asarray(s, dtype=np.float32), h.shape)
    v = np.broadcast_to(np.asarray(v, dtype=np.float32), h.shape)
    k = np.stack([(5.0 + h * 6.0) % 6.0, (3.0 + h * 6.0) % 6.0, (1.0 + h * 6.0) % 6.0], -1)
    f = np.clip(np.minimum(k, 4.0 - k), 0.0, 1.0)
    return (v[..., None] - v[..., None] * s[..., None] * f).astype(np.float32)


class Swarm:
    """Struct-of-arrays particle constants plus per-frame work buffers (all float32).

    `x0, y0` start positions in 0..1, `z` depth 0 (far) .. 1 (near), `r` a (8, n) block of
    uniform randoms and `ph` a (4, n) block of phases for motions and pulses. `buf(name)`
    returns an (n,) buffer reused every frame."""

    def __init__(self, n: int, rng: np.random.Generator) -> None:
        self.n = int(n)
        self.x0 = rng.random(self.n, dtype=np.float32)
        self.y0 = rng.random(self.n, dtype=np.float32)
        self.z = rng.random(self.n, dtype=np.float32)
        self.r = rng.random((8, self.n), dtype=np.float32)
        self.ph = (rng.random((4, self.n), dtype=np.float32) * TAU).astype(np.float32)
        self._bufs: dict[str, np.ndarray] = {}

    def buf(self, name: str) -> np.ndarray:
        b = self._bufs.get(name)
        if b is None:
            b = np.zeros(self.n, dtype=np.float32)
            self._bufs[name] = b
        return b


def sine_into(
    out: np.ndarray,
    freq: np.ndarray | float,
    t: float,
    phase: np.ndarray,
    amp: np.ndarray | float = 1.0,
) -> np.ndarray:
    """out = amp * sin(freq * t + phase), vectorised with out=."""
    np.multiply(freq, t, out=out)
    np.add(out, phase, out=out)
    np.sin(out, out=out)
    if not (isinstance(amp, float) and amp == 1.0):
        np.multiply(out, amp, out=out)
    return out


def swirl(
    x: np.ndarray,
    y: np.ndarray,
    t: float,
    amp: float,
    k: float,
    speed: float,
    out_dx: np.ndarray,
    out_dy: np.ndarray,
    tmp: np.ndarray,
    tmp2: np.ndarray,
) -> None:
    """Add a slow, divergence-free swirl to (out_dx, out_dy) evaluated at (x, y).

    The displacement is the curl of a travelling stream function
    psi = sin(kx x + w t) sin(ky y - w2 t), so neighbouring particles move together in
    eddies instead of jittering independently; closed form in t (a displacement, not a
    velocity), so any frame can be rendered alone. The wave numbers are whole turns per
    screen (kx = 2 pi round(k / 2 pi), ky one more) and w, w2 whole cycles per LOOP, so the
    field is periodic across the wrapped screen and across the time loop."""
    nx = max(1, round(k / TAU))
    kx, ky = TAU * nx, TAU * (nx + 1)
    w = float(qfreq(speed))
    w2 = float(qfreq(0.7 * speed))
    # dpsi/dy = ky sin(a) cos(b); dpsi/dx = kx cos(a) sin(b), with a = kx x + w t,
    # b = ky y - w2 t; via product-to-sum: sin a cos b = (sin(a+b) + sin(a-b))/2,
    # cos a sin b = (sin(a+b) - sin(a-b))/2
    np.multiply(x, kx, out=tmp)
    tmp += w * t
    np.multiply(y, ky, out=tmp2)
    tmp2 -= w2 * t
    s_sum = np.add(tmp, tmp2, out=tmp)  # a + b
    np.subtract(s_sum, 2.0 * tmp2, out=tmp2)  # a - b
    np.sin(s_sum, out=s_sum)
    np.sin(tmp2, out=tmp2)
    scale = amp / kx  # displacement of about `amp` screens
    out_dx += (0.5 * ky * scale) * (s_sum + tmp2)
    out_dy -= (0.5 * kx * scale) * (s_sum - tmp2)


class Splatter:
    """Scatters a k x k tap kernel per particle into a float frame buffer.

    Work arrays are sized for `capacity` particles and reused. Two ways to paint:
    `add` (additive light: glow, sparks) and `over` (order-independent alpha compositing for
    solid little things: leaves, petals, birds), after `taps` has located each particle's
    footprint and the caller has shaped `alpha` from the local offsets `dx, dy`."""

    def __init__(self, capacity: int, k: int) -> None:
        self.cap = int(capacity)
        self.k = int(k)
        kk = self.k * self.k
        # Odd k: centre tap is the pixel holding the particle; even k: the k nearest centres.
        self._even = self.k % 2 == 0
        o = np.arange(self.k, dtype=np.float32) - (self.k // 2 - 1 if self._even else self.k // 2)
        self.ox = np.tile(o, self.k)[None, :]
        self.oy = np.repeat(o, self.k)[None, :]
        self.idx = np.zeros((self.cap, kk), dtype=np.intp)
        self.dx = np.zeros((self.cap, kk), dtype=np.float32)
        self.dy = np.zeros((self.cap, kk), dtype=np.float32)
        self.alpha = np.zeros((self.cap, kk), dtype=np.float32)
        self._fi = np.zeros((self.cap, kk), dtype=np.float32)
        self._inb = np.zeros((self.cap, kk), dtype=bool)
        self._tmpb = np.zeros((self.cap, kk), dtype=bool)
        self._fx = np.zeros(self.cap, dtype=np.float32)
        self._fy = np.zeros(self.cap, dtype=np.float32)
        self._v = np.zeros((self.cap, kk), dtype=np.float32)
        self.lu = np.zeros((self.cap, kk), dtype=np.float32)  # free work arrays for shapes
        self.lv = np.zeros((self.cap, kk), dtype=np.float32)
        self._n = 0
        self._grid = False
        self._inside = [False, False]
        self._o = o[:, None]
        self._sep = False  # the `grid` buffers, allocated on its first use

    def _alloc_sep(self) -> None:
        """Separable kernels (`grid`): flat buffers viewed tap-major, (k, n) and (k*k, n), so
        every elementwise pass runs along the particles (numpy crawls over rows of 3)."""
        f = lambda dt=np.float32, m=1: np.zeros(self.cap * self.k * m, dtype=dt)  # noqa: E731
        self._sx, self._sy, self._gx, self._gy, self._cl, self._mx, self._my = (
            f() for _ in range(7)
        )
        self._mb = f(bool)
        self._ci, self._ri = f(np.intp), f(np.intp)
        self._idxT, self._aT, self._vT = f(np.intp, self.k), f(m=self.k), f(m=self.k)
        self._sep = True

    def taps(self, w: int, h: int, x: np.ndarray, y: np.ndarray) -> int:
        """Locate the k x k pixels around each (x, y): fills idx, dx, dy (offset of each tap's
        centre from the particle), and a zero-weight mask for taps off the frame."""
        n = min(int(x.size), self.cap)
        fx, fy = self._fx[:n], self._fy[:n]
        if self._even:
            np.subtract(x[:n], 0.5, out=fx)
            np.subtract(y[:n], 0.5, out=fy)
            np.floor(fx, out=fx)
            np.floor(fy, out=fy)
        else:
            np.floor(x[:n], out=fx)
            np.floor(y[:n], out=fy)
        px, py, inb, tb = self.dx[:n], self.dy[:n], self._inb[:n], self._tmpb[:n]
        np.add(fx[:, None], self.ox, out=px)
        np.add(fy[:, None], self.oy, out=py)
        np.greater_equal(px, 0.0, out=inb)
        np.less(px, w, out=tb)
        inb &= tb
        np.greater_equal(py, 0.0, out=tb)
        inb &= tb
        np.less(py, h, out=tb)
        inb &= tb
        fi = self._fi[:n]
        np.clip(py, 0, h - 1, out=fi)
        fi *= w
        fi += np.clip(px, 0, w - 1)
        self.idx[:n] = fi  # exact: pixel counts stay far below 2**24
        px += 0.5
        px -= x[:n, None]
        py += 0.5
        py -= y[:n, None]
        self._n = n
        self._grid = False
        return n

    def _kn(self, buf: np.ndarray, n: int, rows: int = 0) -> np.ndarray:
        return buf[: (rows or self.k) * n].reshape(rows or self.k, n)

    @property
    def sy(self) -> np.ndarray:
        """Vertical offsets (k, n) of the rows of taps from each particle, after `grid`."""
        return self._kn(self._sy, self._n)

    def grid(self, w: int, h: int, x: np.ndarray, y: np.ndarray) -> int:
        """`taps` for separable kernels (soft dots): locates only each particle's k columns and
        k rows (offsets and in-frame masks) and their k x k flat pixel indices, tap-major;
        `gaussian_sep` / `tent_sep` then build the stamp as the product of two (k, n)
        factors and `add` / `over` scatter it: a k-th of the elementwise work of `taps` +
        `gaussian`, the same values."""
        if not self._sep:
            self._alloc_sep()
        n = min(int(x.size), self.cap)
        k = self.k
        lo, hi = float(self._o[0, 0]), float(self._o[-1, 0])
        self._inside = []
        for pos, size, s, m, ii, row in (
            (x, w, self._sx, self._mx, self._ci, False),
            (y, h, self._sy, self._my, self._ri, True),
        ):
            f, d0 = self._fx[:n], self._fy[:n]
            s, m, ii = self._kn(s, n), self._kn(m, n), self._kn(ii, n)
            if self._even:
                np.subtract(pos[:n], 0.5, out=f)
                np.floor(f, out=f)
            else:
                np.floor(pos[:n], out=f)
            np.subtract(f, pos[:n], out=d0)
            d0 += 0.5
            np.add(d0[None, :], self._o, out=s)  # offset of each tap's centre from the particle
            # Usually every tap is on the frame: then no masks and no clipping.
            inside = n > 0 and f.min() + lo >= 0.0 and f.max() + hi <= size - 1
            self._inside.append(inside)
            if inside:
                if row:
                    f *= w  # row offset; exact: pixel counts stay far below 2**24
                np.add(f[None, :], self._o * (w if row else 1), out=ii, casting="unsafe")
                continue
            c, mb = self._kn(self._cl, n), self._kn(self._mb, n)
            np.add(f[None, :], self._o, out=c)  # the taps' pixel coordinates
            np.clip(c, 0, size - 1, out=m)
            np.equal(c, m, out=mb)
            np.clip(c, 0, size - 1, out=c)
            np.copyto(m, mb)  # 1 on the frame, 0 off it
            if row:
                c *= w
            ii[...] = c
        np.add(
            self._kn(self._ri, n)[:, None, :],
            self._kn(self._ci, n)[None, :, :],
            out=self._idxT[: k * k * n].reshape(k, k, n),
        )
        self._n = n
        self._grid = True
        return n

    def _outer(self, n: int, gy: np.ndarray, gx: np.ndarray) -> np.ndarray:
        k = self.k
        a = self._aT[: k * k * n]
        np.multiply(gy[:, None, :], gx[None, :, :], out=a.reshape(k, k, n))
        return a.reshape(k * k, n)

    def gaussian_sep(
        self, n: int, sigma: np.ndarray | float, weight: np.ndarray | float
    ) -> np.ndarray:
        """`gaussian` after `grid`: weight * exp(-(dx^2+dy^2) / (2 sigma^2)), zero off-frame,
        as exp(dx term) * exp(dy term). Returns the (k*k, n) tap-major alpha."""
        s = np.asarray(sigma, dtype=np.float32)
        inv = np.float32(-0.5 / (s * s)) if s.ndim == 0 else (-0.5 / (s[:n] * s[:n]))[None, :]
        gx, gy = self._kn(self._gx, n), self._kn(self._gy, n)
        for g, d, m, inside in zip((gx, gy), (self._sx, self._sy), (self._mx, self._my),
                                   self._inside):
            d = self._kn(d, n)
            np.multiply(d, d, out=g)
            g *= inv
            np.exp(g, out=g)
            if not inside:
                g *= self._kn(m, n)
        wgt = np.asarray(weight, dtype=np.float32)
        gy *= wgt if wgt.ndim == 0 else wgt[None, :n]
        return self._outer(n, gy, gx)

    def tent_sep(self, n: int, weight: np.ndarray | float) -> np.ndarray:
        """`tent` after `grid` (bilinear point of energy `weight`, k=2)."""
        gx, gy = self._kn(self._gx, n), self._kn(self._gy, n)
        for g, d, m, inside in zip((gx, gy), (self._sx, self._sy), (self._mx, self._my),
                                   self._inside):
            np.abs(self._kn(d, n), out=g)
            np.subtract(1.0, g, out=g)
            np.maximum(g, 0.0, out=g)
            if not inside:
                g *= self._kn(m, n)
        wgt = np.asarray(weight, dtype=np.float32)
        gy *= wgt if wgt.ndim == 0 else wgt[None, :n]
        return self._outer(n, gy, gx)

    def gaussian(self, n: int, sigma: np.ndarray | float, weight: np.ndarray | float) -> np.ndarray:
        """alpha[:n] = weight * exp(-(dx^2+dy^2) / (2 sigma^2)), zero off-frame; peak = weight."""
        a, v = self.alpha[:n], self._v[:n]
        np.multiply(self.dx[:n], self.dx[:n], out=a)
        np.multiply(self.dy[:n], self.dy[:n], out=v)
        a += v
        s = np.asarray(sigma, dtype=np.float32)
        inv = (-0.5 / (s * s)) if s.ndim == 0 else (-0.5 / (s[:n] * s[:n]))[:, None]
        np.multiply(a, inv, out=a)
        np.exp(a, out=a)
        wgt = np.asarray(weight, dtype=np.float32)
        a *= wgt if wgt.ndim == 0 else wgt[:n, None]
        a *= self._inb[:n]
        return a

    def tent(self, n: int, weight: np.ndarray | float) -> np.ndarray:
        """alpha[:n] = weight * bilinear tent (use with k=2: a sub-pixel point of energy
        `weight`, the cheapest splat for tens of thousands of specks)."""
        a, v = self.alpha[:n], self._v[:n]
        np.abs(self.dx[:n], out=a)
        np.subtract(1.0, a, out=a)
        np.maximum(a, 0.0, out=a)
        np.abs(self.dy[:n], out=v)
        np.subtract(1.0, v, out=v)
        np.maximum(v, 0.0, out=v)
        a *= v
        wgt = np.asarray(weight, dtype=np.float32)
        a *= wgt if wgt.ndim == 0 else wgt[:n, None]
        a *= self._inb[:n]
        return a

    def rotate(self, n: int, cos_a: np.ndarray, sin_a: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Local tap coordinates in each particle's own frame (rotated by its angle):
        lu along the particle's axis, lv across it. Returns views of lu[:n], lv[:n]."""
        u, v, t = self.lu[:n], self.lv[:n], self._v[:n]
        c, s = cos_a[:n, None], sin_a[:n, None]
        np.multiply(self.dx[:n], c, out=u)
        np.multiply(self.dy[:n], s, out=t)
        u += t
        np.multiply(self.dy[:n], c, out=v)
        np.multiply(self.dx[:n], s, out=t)
        v -= t
        return u, v

    def mask_offframe(self, n: int) -> None:
        self.alpha[:n] *= self._inb[:n]

    def _live_taps(self, n: int, color: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(pixel index, alpha, colour rows) of the taps that carry any weight: shaped stamps
        are mostly empty box, so dropping zero taps first makes every scatter cheaper."""
        kk = self.k**2
        if self._grid:  # tap-major: tap i*n + j belongs to particle j
            a, idx = self._aT[: kk * n], self._idxT[: kk * n]
        else:
            a, idx = self.alpha[:n].ravel(), self.idx[:n].ravel()
        sel = np.flatnonzero(a > 1.0 / 1024.0)
        idx = idx[sel]
        w = a[sel]
        col = np.asarray(color, dtype=np.float32)
        if col.ndim == 1:
            rows = col[None, :]
        elif col.ndim == 2:
            rows = col[:n][sel % n if self._grid else sel // kk]
        elif self._grid:
            rows = col[:n].transpose(1, 0, 2).reshape(-1, 3)[sel]
        else:
            rows = col[:n].reshape(-1, 3)[sel]
        return idx, w, rows

    def add(self, buf: np.ndarray, n: int, color: np.ndarray) -> None:
        """buf[tap] += alpha * color for the first n particles (color (3,), (n, 3) or
        (n, k*k, 3) per tap)."""
        if n <= 0:
            return
        if self.k > 7 and not self._grid:
            add_taps(buf, *self._live_taps(n, color))
            return
        # small kernels (soft dots): nearly every tap carries weight, skip the compaction
        flat = buf.reshape(-1, 3)
        col = np.asarray(color, dtype=np.float32)
        if self._grid:  # tap-major (k*k, n): colours broadcast along the particles
            kk = self.k**2
            idx = self._idxT[: kk * n]
            a, v = self._kn(self._aT, n, kk), self._kn(self._vT, n, kk)
            for c in range(3):
                if col.ndim == 1:
                    np.multiply(a, col[c], out=v)
                elif col.ndim == 2:
                    np.multiply(a, col[None, :n, c], out=v)
                else:
                    np.multiply(a, col[:n, :, c].T, out=v)
                np.add.at(flat[:, c], idx, v.ravel())
            return
        idx = self.idx[:n].ravel()
        a, v = self.alpha[:n], self._v[:n]
        for c in range(3):
            if col.ndim == 1:
                np.multiply(a, col[c], out=v)
            elif col.ndim == 2:
                np.multiply(a, col[:n, c, None], out=v)
            else:
                np.multiply(a, col[:n, :, c], out=v)
            np.add.at(flat[:, c], idx, v.ravel())

    def over(self, canvas: Canvas, buf: np.ndarray, n: int, color: np.ndarray) -> None:
        """Composite `color` over buf with coverage alpha[:n] (color (3,), (n, 3) or
        (n, k*k, 3)). Overlaps blend as a coverage-weighted average (order independent), so
        two leaves crossing never cut holes in each other."""
        if n <= 0:
            return
        a = self._aT[: self.k**2 * n] if self._grid else self.alpha[:n]
        np.clip(a, 0.0, 1.0, out=a)
        over_taps(canvas, buf, *self._live_taps(n, color))


def box_taps(
    w: int, h: int, x: np.ndarray, y: np.ndarray, ex: np.ndarray, ey: np.ndarray, half: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Ragged taps for shaped stamps: for each particle, the pixels of the frame whose
    centres lie within ex, ey (n,) of (x, y) and within its (2 half + 1)^2 stamp box.

    A thin rotating shape covers a small part of the square box a Splatter must reserve
    for its largest member at its worst angle; sizing each particle's box to its own
    extent first leaves a few times fewer taps to shape. Returns (cnt, pid, dx, dy, idx):
    taps per particle (n,), then per tap (particle-major, sorted by particle, so
    np.repeat(per_particle, cnt) is a cheap gather) the particle, the offset of the tap's
    centre from the particle (float32, as `Splatter.taps` computes it) and the flat pixel."""
    fx = np.floor(x)
    fy = np.floor(y)
    c0 = np.maximum(np.ceil(x - ex - 0.5), fx - half)
    c1 = np.minimum(np.floor(x + ex - 0.5), fx + half)
    r0 = np.maximum(np.ceil(y - ey - 0.5), fy - half)
    r1 = np.minimum(np.floor(y + ey - 0.5), fy + half)
    np.clip(c0, 0, w, out=c0)
    np.clip(c1, -1, w - 1, out=c1)
    np.clip(r0, 0, h, out=r0)
    np.clip(r1, -1, h - 1, out=r1)
    # int32 throughout: half the bytes, and temporaries stay under glibc's 128 kB mmap
    # threshold (bigger ones are mapped and page-faulted afresh on every call: ~10x slower)
    i32 = np.int32
    nx = np.maximum(c1 - c0 + 1.0, 0.0).astype(i32)
    ny = np.maximum(r1 - r0 + 1.0, 0.0).astype(i32)
    cnt = nx * ny
    total = int(cnt.sum())
    pid = np.repeat(np.arange(x.size, dtype=i32), cnt)
    loc = np.arange(total, dtype=i32)
    loc -= np.repeat(np.cumsum(cnt, dtype=i32) - cnt, cnt)  # tap number in its box
    nxr = np.repeat(nx, cnt)
    row = loc // nxr
    loc -= row * nxr  # column in the box
    loc += np.repeat(c0.astype(i32), cnt)
    row += np.repeat(r0.astype(i32), cnt)
    dx = loc.astype(np.float32)
    dx += 0.5
    dx -= np.repeat(x, cnt)
    dy = row.astype(np.float32)
    dy += 0.5
    dy -= np.repeat(y, cnt)
    row *= w
    row += loc
    return cnt, pid, dx, dy, row


def add_taps(buf: np.ndarray, idx: np.ndarray, w: np.ndarray, rows: np.ndarray) -> None:
    """buf.flat_pixels[idx] += w * rows (rows (m, 3) or (1, 3)); duplicates accumulate."""
    if idx.size == 0:
        return
    idx = idx.astype(np.intp, copy=False)  # numpy gathers/scatters ~1.5x faster than int32
    flat = buf.reshape(-1, 3)
    for c in range(3):
        np.add.at(flat[:, c], idx, w * rows[:, c])


def over_taps(
    canvas: Canvas, buf: np.ndarray, idx: np.ndarray, w: np.ndarray, rows: np.ndarray
) -> None:
    """Composite colour `rows` with coverage `w` (0..1) over the pixels `idx` of buf; where
    taps overlap, coverage adds (capped at 1) and colours average by coverage.

    Written as increments: with cov the summed coverage of a pixel and f = w * min(cov, 1) /
    cov per tap (the f of a pixel sum to its cover), the result d * (1 - cover) +
    cover * sum(w * rows) / cov equals d + sum(f * (rows - d)), so one scatter-add per
    channel does it: no colour accumulators to fill, read back and re-zero."""
    if idx.size == 0:
        return
    idx = idx.astype(np.intp, copy=False)  # numpy gathers/scatters ~1.5x faster than int32
    acc_a = _accumulators(canvas)
    np.add.at(acc_a, idx, w)
    cov = acc_a[idx]
    acc_a[idx] = 0.0
    flat = buf.reshape(-1, 3)
    if rows.shape[0] == 1:  # one colour for all: a plain gather/blend/scatter
        cover = np.minimum(cov, 1.0)
        under = 1.0 - cover
        for c in range(3):  # per channel: 1-D strided gathers/scatters are ~10x faster
            ch = flat[:, c]
            ch[idx] = ch[idx] * under + cover * rows[0, c]
        return
    f = np.minimum(cov, 1.0)
    f /= np.maximum(cov, 1e-6)
    f *= w
    for c in range(3):
        ch = flat[:, c]
        d = rows[:, c] - ch[idx]
        d *= f
        np.add.at(ch, idx, d)


_ACC: weakref.WeakKeyDictionary[Canvas, np.ndarray] = weakref.WeakKeyDictionary()


def _accumulators(canvas: Canvas) -> np.ndarray:
    """Per-canvas zeroed coverage accumulator; `over_taps` re-zeroes only the pixels it
    touched, so it is all-zero between calls without a full-frame clear."""
    acc = _ACC.get(canvas)
    if acc is None or acc.size != canvas.w * canvas.h:
        acc = np.zeros(canvas.w * canvas.h, dtype=np.float32)
        _ACC[canvas] = acc
    return acc


def palette_color(ctx: object | None, name: str, default: tuple[float, float, float]) -> np.ndarray:
    """A palette colour (linear RGB) from the frame context, or `default` without one."""
    pal = getattr(ctx, "palette", None)
    c = getattr(pal, name, None) if pal is not None else None
    if c is None:
        return np.asarray(default, dtype=np.float32)
    return np.asarray(c, dtype=np.float32)


def ambient(ctx: object | None) -> np.ndarray:
    """Light falling on solid (non-glowing) particles: the palette's light colour, dimmed as
    the palette's night deepens, so petals and wings sit in a twilight scene instead of
    looking pasted on at daylight brightness."""
    light = palette_color(ctx, "light", (1.0, 0.95, 0.85))
    return ((1.0 - 0.6 * night(ctx)) * (0.55 + 0.45 * light)).astype(np.float32)


def night(ctx: object | None) -> float:
    pal = getattr(ctx, "palette", None)
    return float(getattr(pal, "night", 0.0)) if pal is not None else 0.0


class ParticleMotif(Motif):
    """Base for particle motifs: a Swarm of N_MAX particles (the high-quality count) and a
    Splatter with a KERNEL x KERNEL footprint, both allocated once. `begin` picks the live
    count for the quality and fills the rank-fade alpha buffer `self.sw.buf("a")`."""

    N_MAX: ClassVar[int] = 1000
    KERNEL: ClassVar[int] = 3
    SCALE_KERNEL: ClassVar[bool] = False  # shaped stamps: KERNEL is the size at 540 px high

    def __init__(self, canvas: Canvas, rng: np.random.Generator) -> None:
        super().__init__(canvas, rng)
        self.sw = Swarm(self.N_MAX, rng)
        self.px = canvas.h / 540.0  # pixel sizes are authored for a 540-px-high canvas
        k = self.KERNEL
        if self.SCALE_KERNEL:
            k = max(3, round(k * self.px) | 1)
        self.sp = Splatter(self.N_MAX, k)

    def particle_count(self) -> int:
        """Full count at intensity 1 and particle_scale 1 (the renderer applies its scale)."""
        return self.N_MAX

    def begin(self, intensity: float, ctx: object | None) -> int:
        """Live count for this frame's scale, then the rank fade; returns how many to draw."""
        n = live_count(self.N_MAX, ctx)
        return rank_alpha(n, intensity, self.sw.buf("a"))


def _bench(width: int = 960, height: int = 540, frames: int = 40) -> None:
    """`python -m visualizer.engine.particles`: draw time of every particle motif at full
    intensity (best of `frames`, so other load on the machine matters less) and ms per 10k
    particles. A measuring tool, not a test."""
    import time

    import visualizer.engine.motifs  # noqa: F401
    from visualizer.engine.palettes import blend_palette
    from visualizer.engine.registry import MOTIFS, FrameContext
    from visualizer.timeline.model import SceneState

    names = [n for n, c in MOTIFS.items() if c.__module__.split(".")[-1].startswith("particles_")]
    canvas = Canvas(width, height)
    state = SceneState(t=0.0, palette={"twilight": 1.0}, mood={}, motifs={})
    ctx = FrameContext(state=state, palette=blend_palette({"twilight": 1.0}))
    total_ms = total_n = 0.0
    print(f"{width}x{height}, best of {frames} frames")
    for name in sorted(names):
        m = MOTIFS[name](canvas, np.random.default_rng(0))
        best = float("inf")
        for i in range(frames):
            t0 = time.perf_counter()
            m.draw(canvas, 1.0, 100.0 + i / 30.0, ctx)
            best = min(best, time.perf_counter() - t0)
        n = m.particle_count()
        total_ms += best * 1e3
        total_n += n
        print(f"  {name:15s} {n:6d} particles {best * 1e3:6.2f} ms {best * 1e7 / n:7.2f} ms/10k")
    print(f"  {'all':15s} {int(total_n):6d} particles {total_ms:6.2f} ms")


if __name__ == "__main__":
    _bench()
