"""Smooth random fields, made once per motif in __init__ (never per frame).

Periodic value noise and fBm in 1D and 2D (so textures can scroll and wrap without seams),
and a bilinear `Upsampler` that scales a small float image to the canvas with preallocated
index/weight tables, for effects computed at low resolution.
"""

from __future__ import annotations

import numpy as np


def _interp_axis(grid: np.ndarray, n: int, axis: int) -> np.ndarray:
    """Periodic smooth (cubic Hermite fade) interpolation of `grid` along `axis` to n samples."""
    cells = grid.shape[axis]
    pos = (np.arange(n, dtype=np.float64) + 0.5) * cells / n
    i0 = np.floor(pos).astype(np.int64) % cells
    i1 = (i0 + 1) % cells
    f = pos - np.floor(pos)
    f = f * f * f * (f * (f * 6 - 15) + 10)
    a = np.take(grid, i0, axis=axis)
    b = np.take(grid, i1, axis=axis)
    shape = [1] * grid.ndim
    shape[axis] = n
    f = f.reshape(shape)
    return a * (1 - f) + b * f


def noise_1d(n: int, cells: int, rng: np.random.Generator) -> np.ndarray:
    """Periodic smooth noise in -1..1 of length n with `cells` random knots."""
    return _interp_axis(rng.uniform(-1, 1, max(2, cells)), n, 0)


def fbm_1d(
    n: int, rng: np.random.Generator, cells: int = 4, octaves: int = 5, gain: float = 0.5
) -> np.ndarray:
    """Fractal sum of periodic noise, normalised to about -1..1."""
    out = np.zeros(n)
    amp, total = 1.0, 0.0
    for k in range(octaves):
        out += amp * noise_1d(n, cells * 2**k, rng)
        total += amp
        amp *= gain
    return out / total


def noise_2d(h: int, w: int, cy: int, cx: int, rng: np.random.Generator) -> np.ndarray:
    grid = rng.uniform(-1, 1, (max(2, cy), max(2, cx)))
    return _interp_axis(_interp_axis(grid, h, 0), w, 1)


def fbm_2d(
    h: int,
    w: int,
    rng: np.random.Generator,
    cy: int = 3,
    cx: int = 6,
    octaves: int = 4,
    gain: float = 0.5,
) -> np.ndarray:
    """Periodic 2D fBm (h, w) float32 in about -1..1."""
    out = np.zeros((h, w))
    amp, total = 1.0, 0.0
    for k in range(octaves):
        out += amp * noise_2d(h, w, cy * 2**k, cx * 2**k, rng)
        total += amp
        amp *= gain
    return (out / total).astype(np.float32)


class Upsampler:
    """Bilinear resize of a (sh, sw, c) float32 image into a (dh, dw, c) buffer, in place.

    Tables are built once; a call allocates nothing. The source rows are resized across
    first (small: sh rows), then each output row is a whole-row gather of that plus its
    weighted step to the next row: only four passes over the output, all whole rows, instead
    of element gathers at full size.
    """

    def __init__(self, src_hw: tuple[int, int], dst_hw: tuple[int, int], channels: int = 3):
        sh, sw = src_hw
        dh, dw = dst_hw
        c = channels
        self.channels = c

        def table(n_src: int, n_dst: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
            pos = (np.arange(n_dst) + 0.5) * n_src / n_dst - 0.5
            pos = np.clip(pos, 0, n_src - 1)
            i0 = np.floor(pos).astype(np.intp)
            i1 = np.minimum(i0 + 1, n_src - 1)
            return i0, i1, (pos - i0).astype(np.float32)

        self.y0, _y1, fy = table(sh, dh)
        x0, x1, fx = table(sw, dw)
        lane = np.arange(c, dtype=np.intp)
        self.x0 = (x0[:, None] * c + lane[None, :]).ravel()
        self.x1 = (x1[:, None] * c + lane[None, :]).ravel()
        self.fy = fy[:, None]
        self.fx = np.repeat(fx, c)[None, :]
        self.gx = 1.0 - self.fx
        self.across_rows = np.empty((sh, dw * c), np.float32)  # source rows at the output width
        self.step = np.zeros((sh, dw * c), np.float32)  # row i+1 minus row i (0 on the last)
        self.tmp = np.empty((dh, dw * c), np.float32)
        # output rows by the source row they start from, for `down_scaled`
        starts = np.searchsorted(self.y0, np.arange(sh))
        ends = np.searchsorted(self.y0, np.arange(sh), side="right")
        self.groups = [(i, int(a), int(b)) for i, (a, b) in enumerate(zip(starts, ends)) if b > a]
        self.band = np.empty((max(b - a for _, a, b in self.groups), dw * c), np.float32)
        self.sc = np.empty((dh, 1), np.float32)
        self.sf = np.empty((dh, 1), np.float32)

    def __call__(self, src: np.ndarray, out: np.ndarray) -> np.ndarray:
        return self.down(self.across(src), out)

    def across(self, src: np.ndarray) -> np.ndarray:
        """The source rows resized to the output width, (sh, dw*c): a buffer reused by the
        next call. Small; work on it (e.g. colour it) before `down` is cheap."""
        s2 = src.reshape(src.shape[0], -1)
        a, st = self.across_rows, self.step
        # mode="clip": the tables are in range, and "raise" would gather into a temporary copy
        np.take(s2, self.x0, axis=1, out=a, mode="clip")
        a *= self.gx
        np.take(s2, self.x1, axis=1, out=st, mode="clip")
        st *= self.fx
        a += st
        return a

    def down(self, rows: np.ndarray, out: np.ndarray) -> np.ndarray:
        """Resize (sh, dw*c) rows (from `across`) down the output height into `out`."""
        o2 = out.reshape(out.shape[0], -1)
        st = self.step
        np.subtract(rows[1:], rows[:-1], out=st[:-1])
        st[-1] = 0.0
        np.take(rows, self.y0, axis=0, out=o2, mode="clip")
        np.take(st, self.y0, axis=0, out=self.tmp, mode="clip")
        self.tmp *= self.fy
        o2 += self.tmp
        return out

    def down_scaled(self, rows: np.ndarray, out: np.ndarray, scale: np.ndarray) -> np.ndarray:
        """`down` times a per-row factor scale (dh,), folded in. Made per source row (the few
        output rows between it and the next at once, in cache): two passes over `out`
        instead of five; faster than `down` for wide rows (3 channels at 960 px)."""
        o2 = out.reshape(out.shape[0], -1)
        st = self.step
        np.subtract(rows[1:], rows[:-1], out=st[:-1])
        st[-1] = 0.0
        sc, sf = self.sc, self.sf
        np.copyto(sc, scale.reshape(-1, 1))
        np.multiply(sc, self.fy, out=sf)
        for i, a, b in self.groups:
            o, t = o2[a:b], self.band[: b - a]
            np.multiply(sf[a:b], st[i], out=o)
            np.multiply(sc[a:b], rows[i], out=t)
            o += t
        return out
