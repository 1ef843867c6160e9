"""Painting helpers shared by the landscape motifs: silhouettes, scrolling profiles, colour
ramps and glow splats. Every helper works in place on the canvas with scratch buffers.
"""

from __future__ import annotations

import numpy as np

from visualizer.engine.canvas import Canvas
from visualizer.engine.color import linear_to_oklab, oklab_to_linear


def oklab_mix(a: np.ndarray, b: np.ndarray, t: float) -> np.ndarray:
    la, lb = linear_to_oklab(a), linear_to_oklab(b)
    return np.clip(oklab_to_linear(la + (lb - la) * t), 0.0, None).astype(np.float32)


class Profile:
    """A periodic 1D height profile (fractions of h) sampled at canvas columns, scrolled by a
    parallax offset with sub-pixel interpolation (no jitter while the camera drifts)."""

    def __init__(self, values: np.ndarray, w: int) -> None:
        self.values = np.asarray(values, np.float32)
        self.n = len(self.values)
        self.w = w
        self.cols = np.arange(w, dtype=np.float32)
        self.out = np.empty(w, np.float32)
        self._i0 = np.empty(w, np.intp)
        self._tmp = np.empty(w, np.float32)

    def sample(self, shift_px: float) -> np.ndarray:
        """Heights at each column when the profile is moved right by `shift_px` pixels."""
        s = -float(shift_px)
        base = np.floor(s)
        f = np.float32(s - base)
        np.add(self.cols, base, out=self._tmp)
        np.mod(self._tmp, self.n, out=self._tmp)
        np.copyto(self._i0, self._tmp, casting="unsafe")
        np.take(self.values, self._i0, out=self.out, mode="clip")
        self._i0 += 1
        np.mod(self._i0, self.n, out=self._i0)
        np.take(self.values, self._i0, out=self._tmp, mode="clip")
        self.out *= 1.0 - f
        self._tmp *= f
        self.out += self._tmp
        return self.out


def wide(color: np.ndarray, w: int) -> np.ndarray:
    """A colour tiled along a whole row, shape (1, w*3): broadcasting this against an
    (n, w*3) view runs ~5x faster than broadcasting a (3,) colour against (n, w, 3)."""
    return np.tile(np.asarray(color, np.float32), w)[None, :]


def wide3(color: np.ndarray, w: int) -> np.ndarray:
    """A colour tiled along a row, shape (1, w, 3): fast to broadcast against (n, w, 3)."""
    return wide(color, w).reshape(1, w, 3)


def rep3(mask: np.ndarray) -> np.ndarray:
    """(h, w) or (h, w, 1) mask -> contiguous (h, w, 3) copy (for fast per-pixel factors)."""
    m = mask.reshape(mask.shape[0], mask.shape[1], 1)
    return np.ascontiguousarray(np.repeat(m, 3, axis=2), dtype=np.float32)


def flat(a: np.ndarray) -> np.ndarray:
    """(n, w, 3) -> (n, w*3) view."""
    return a.reshape(a.shape[0], -1)


def row_runs(f: np.ndarray) -> tuple[int, int]:
    """(r0, r1) for a per-row factor f (h,): rows before r0 equal f[0] and rows from r1 on
    equal f[-1], so `rows_mul` by it is two scalar passes and a short broadcast one (an
    (h, 1, 1) broadcast over a whole frame costs ~3x a scalar multiply)."""
    f = np.asarray(f).ravel()
    h = f.size
    r0 = int(np.argmax(f != f[0])) if np.any(f != f[0]) else h
    r1 = h - int(np.argmax(f[::-1] != f[-1])) if np.any(f != f[-1]) else r0
    return r0, max(r0, r1)


def rows_mul(arr: np.ndarray, f: np.ndarray, runs: tuple[int, int]) -> None:
    """arr (h, w, c) *= f (h,) row by row, in place; runs = row_runs of f's shape of rows."""
    r0, r1 = runs
    if r0:
        arr[:r0] *= f[0]
    if r1 > r0:
        arr[r0:r1] *= f[r0:r1, None, None]
    if r1 < arr.shape[0]:
        arr[r1:] *= f[-1]


def paint_silhouette(
    canvas: Canvas,
    tops: np.ndarray,
    color: np.ndarray,
    intensity: float,
    key: str,
    haze: np.ndarray | None = None,
    haze_depth: float = 0.0,
) -> None:
    """Fill everything below `tops` (per-column top edge, fractions of h) with `color`,
    anti-aliased over one pixel. With `haze`, the colour fades towards `haze` over
    `haze_depth` (fraction of h) below the highest top: mist pooling at the foot of hills."""
    h, w = canvas.h, canvas.w
    top3 = canvas.scratch(key + ":top3", (w * 3,))
    top_px = canvas.scratch(key + ":top", (w,))
    np.multiply(tops, h, out=top_px)
    y0 = max(0, int(np.floor(top_px.min())))
    y1 = min(h, int(np.ceil(top_px.max())) + 1)
    if y0 >= h:
        return
    top3.reshape(w, 3)[:] = top_px[:, None]
    c_top = wide(color, w)
    rgb = flat(canvas.rgb)
    target = canvas.scratch(key + ":target", (h - y0, w * 3))
    if haze is not None and haze_depth > 0:
        d = np.clip((np.arange(y0, h, dtype=np.float32) - y0) / max(1.0, haze_depth * h), 0, 1)
        d = (d * d * (3 - 2 * d))[:, None]
        np.multiply(d, wide(haze, w) - c_top, out=target)
        target += c_top
    else:
        target[:] = c_top
    if y1 > y0:
        band = canvas.scratch(key + ":band", (y1 - y0, w * 3))
        ys = (np.arange(y0, y1, dtype=np.float32) + 1.0)[:, None]  # +0.5 centre, +0.5 AA
        np.subtract(ys, top3[None, :], out=band)
        np.clip(band, 0.0, 1.0, out=band)
        if intensity < 1.0:
            band *= np.float32(intensity)
        seg = rgb[y0:y1]
        tb = target[: y1 - y0]
        tb -= seg
        tb *= band
        seg += tb
    if y1 < h:
        seg = rgb[y1:]
        tgt = target[y1 - y0 :]
        if intensity >= 0.999:
            np.copyto(seg, tgt)
        else:
            tgt -= seg
            tgt *= np.float32(intensity)
            seg += tgt


def radial_patch(radius_px: float, size: int, power: float = 2.0) -> np.ndarray:
    """A (size, size) array of distance from the centre in units of radius_px."""
    c = (size - 1) / 2.0
    y, x = np.mgrid[0:size, 0:size].astype(np.float32)
    return (np.sqrt((x - c) ** 2 + (y - c) ** 2) / max(radius_px, 1e-3)).astype(np.float32)


def window(d: np.ndarray) -> np.ndarray:
    """1 at the centre of a radial patch falling smoothly to 0 at its inscribed edge, so
    halos never show the square they were cut from."""
    dmax = float(d[d.shape[0] // 2, 0])
    x = np.clip(d / max(dmax, 1e-6), 0, 1)
    return ((1 - x * x) ** 2).astype(np.float32)


def add_patch(
    target: np.ndarray, patch: np.ndarray, cx: float, cy: float, color: np.ndarray, gain: float
) -> None:
    """target[region] += patch[..., None] * color * gain, centred at pixel (cx, cy), clipped
    to the frame. `patch` is (ph, pw)."""
    h, w = target.shape[:2]
    ph, pw = patch.shape
    x0 = round(cx - pw / 2)
    y0 = round(cy - ph / 2)
    tx0, ty0 = max(0, x0), max(0, y0)
    tx1, ty1 = min(w, x0 + pw), min(h, y0 + ph)
    if tx0 >= tx1 or ty0 >= ty1:
        return
    sub = patch[ty0 - y0 : ty1 - y0, tx0 - x0 : tx1 - x0]
    col = np.asarray(color, np.float32) * np.float32(gain)
    target[ty0:ty1, tx0:tx1] += sub[:, :, None] * col


def over_patch(
    target: np.ndarray,
    alpha: np.ndarray,
    cx: float,
    cy: float,
    color: np.ndarray,
    gain: float = 1.0,
) -> None:
    """Blend `color` over target with a (ph, pw) alpha patch centred at (cx, cy)."""
    h, w = target.shape[:2]
    ph, pw = alpha.shape
    x0 = round(cx - pw / 2)
    y0 = round(cy - ph / 2)
    tx0, ty0 = max(0, x0), max(0, y0)
    tx1, ty1 = min(w, x0 + pw), min(h, y0 + ph)
    if tx0 >= tx1 or ty0 >= ty1:
        return
    a = alpha[ty0 - y0 : ty1 - y0, tx0 - x0 : tx1 - x0, None] * np.float32(gain)
    seg = target[ty0:ty1, tx0:tx1]
    seg += (np.asarray(color, np.float32) - seg) * a
