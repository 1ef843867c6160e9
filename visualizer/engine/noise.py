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

    Tables are built once; a call is a few passes on (rows, width*c) views with no
    allocation (gathers of whole rows, then of single elements: both run at full speed).
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

        self.y0, self.y1, fy = table(sh, dh)
        x0, x1, fx = table(sw, dw)
        lane = np.arange(c, dtype=np.intp)
        self.x0 = (x0[:, None] * c + lane[None, :]).ravel()
        self.x1 = (x1[:, None] * c + lane[None, :]).ravel()
        self.fy = fy[:, None]
        self.gy = 1.0 - self.fy
        self.fx = np.repeat(fx, c)[None, :]
        self.gx = 1.0 - self.fx
        self.rows_a = np.empty((dh, sw * c), np.float32)
        self.rows_b = np.empty((dh, sw * c), np.float32)
        self.tmp = np.empty((dh, dw * c), np.float32)

    def __call__(self, src: np.ndarray, out: np.ndarray) -> np.ndarray:
        s2 = src.reshape(src.shape[0], -1)
        o2 = out.reshape(out.shape[0], -1)
        np.take(s2, self.y0, axis=0, out=self.rows_a)
        np.take(s2, self.y1, axis=0, out=self.rows_b)
        self.rows_a *= self.gy
        self.rows_b *= self.fy
        self.rows_a += self.rows_b
        np.take(self.rows_a, self.x0, axis=1, out=o2)
        o2 *= self.gx
        np.take(self.rows_a, self.x1, axis=1, out=self.tmp)
        self.tmp *= self.fx
        o2 += self.tmp
        return out
