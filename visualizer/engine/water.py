"""Reflections for the water motifs, and where ripples start.

A reflection is the frame above the waterline flipped about `mirror`, gathered row by row with
a small horizontal ripple displacement (sub-pixel: two gathers blended, which also softens it
like real water), then darkened and tinted towards the water colour. Water motifs paint after
the far and ground layers, so everything above the waterline is reflected.
"""

from __future__ import annotations

import math

import numpy as np

from visualizer.engine.canvas import Canvas

F32 = np.float32


class Reflection:
    """Gather rows y0..y1 of the mirror image of the canvas about row `mirror` (pixels)."""

    def __init__(self, canvas: Canvas, y0: int, y1: int, mirror: float) -> None:
        w = canvas.w
        self.y0, self.y1 = y0, y1
        rows = max(0, y1 - y0)
        y = np.arange(y0, y1)
        src = np.clip(np.round(2 * mirror - 1 - y), 0, max(0, int(mirror) - 1)).astype(np.intp)
        self.rowoff = (src * w)[:, None]
        self.x = np.arange(w, dtype=np.intp)[None, :]
        self.w = w
        self.idx = np.empty((rows, w), np.intp)
        self.a = np.empty((rows, w, 3), F32)
        self.b = np.empty((rows, w, 3), F32)
        self.s0 = np.empty((rows, 1), np.intp)
        self.f = np.empty((rows, 1, 1), F32)
        self.src = src
        self.pos = np.empty((rows, 1), F32)
        self.neg = np.empty((rows, 1), F32)
        self.c = np.empty((rows, w * 3), F32)

    def gather(self, rgb: np.ndarray, shift: np.ndarray) -> np.ndarray:
        """The reflection (rows, w, 3) with each row displaced by `shift` pixels (rows,)."""
        if len(shift) and float(np.abs(shift).max()) <= 1.0:
            return self._gather_small(rgb, shift)
        flat = rgb.reshape(-1, 3)
        fl = np.floor(shift)
        self.s0[:, 0] = fl
        self.f[:, 0, 0] = shift - fl
        np.add(self.x, self.s0, out=self.idx)
        np.clip(self.idx, 0, self.w - 1, out=self.idx)
        self.idx += self.rowoff
        np.take(flat, self.idx, axis=0, out=self.a, mode="clip")
        self.s0 += 1
        np.add(self.x, self.s0, out=self.idx)
        np.clip(self.idx, 0, self.w - 1, out=self.idx)
        self.idx += self.rowoff
        np.take(flat, self.idx, axis=0, out=self.b, mode="clip")
        self.b -= self.a
        self.b *= self.f
        self.a += self.b
        return self.a


    def _gather_small(self, rgb: np.ndarray, shift: np.ndarray) -> np.ndarray:
        """Shifts of at most one pixel (still water): copy whole mirrored rows, then move each
        row by a fraction of a pixel towards its neighbour (linear interpolation), all on
        (rows, w*3) views: six fast passes instead of per-pixel gathers."""
        h, w = rgb.shape[0], self.w
        n = len(self.src)
        a = self.a.reshape(n, w * 3)
        b = self.b.reshape(n, w * 3)
        c = self.c
        np.take(rgb.reshape(h, w * 3), self.src, axis=0, out=a, mode="clip")
        np.subtract(a[:, 3:], a[:, :-3], out=b[:, :-3])  # b[x] = a[x+1] - a[x]
        b[:, -3:] = 0.0
        np.clip(shift[:, None], 0.0, 1.0, out=self.pos)
        np.clip(-shift[:, None], 0.0, 1.0, out=self.neg)
        np.multiply(b, self.neg, out=c)
        a[:, 3:] -= c[:, :-3]  # towards x-1 where the shift is negative
        b *= self.pos
        a += b  # towards x+1 where it is positive
        return self.a


class CroppedReflection:
    """The reflection of `Reflection` for rows y0..y1 and columns x0..x1 only, scaled per row
    and written straight into `out`: out = shifted(mirror) * scale. A still pond or lake
    shifts at most a pixel, so the shift is a per-row lerp with the neighbour column; the
    take reads only the columns needed, every pass runs on contiguous rows, and the per-row
    gain of the water (and its sheen) rides on the lerp weights instead of passes of its own."""

    def __init__(self, refl: Reflection, y1: int, x0: int, x1: int) -> None:
        self.refl = refl
        self.n = y1 - refl.y0
        self.x0, self.x1 = x0, x1
        w = refl.w
        self.s0, self.s1 = max(0, x0 - 1), min(w, x1 + 1)  # source columns read
        self.p0 = 3 * (self.s0 - (x0 - 1))  # where they land in the padded rows
        cols = (x1 - x0 + 2) * 3
        self.a = np.empty((self.n, cols), F32)
        self.t = np.empty((self.n, (x1 - x0) * 3), F32)
        self.wc = np.empty((self.n, 1), F32)
        self.wp = np.empty((self.n, 1), F32)
        self.wn = np.empty((self.n, 1), F32)
        # the mirrored rows: a few clamped at the waterline, then a run of rows upwards (one
        # strided copy: np.take is slow on a column slice)
        src = refl.src[: self.n]
        bad = np.flatnonzero(np.diff(src) != -1)
        self.k = int(bad[-1]) + 1 if len(bad) else 0
        self.head = [int(r) for r in src[: self.k]]
        last = int(src[-1]) if len(src) else 0
        self.rows = slice(int(src[self.k]) if self.k < len(src) else 0,
                          last - 1 if last > 0 else None, -1)

    def into(self, rgb: np.ndarray, shift: np.ndarray, scale: np.ndarray,
             out: np.ndarray) -> None:
        """out (n, (x1-x0)*3) = the mirrored rows moved by `shift` px (n,) times `scale` (n,)."""
        n, refl = self.n, self.refl
        shift = shift[:n]
        h, w = rgb.shape[0], refl.w
        if n and float(np.abs(shift).max()) > 1.0:  # rough water: the general gather
            full = refl.gather(rgb, refl_shift(refl, shift))[:n, self.x0 : self.x1]
            np.multiply(full, scale[:, None, None], out=out.reshape(full.shape))
            return
        a = self.a
        src = rgb.reshape(h, w * 3)[:, self.s0 * 3 : self.s1 * 3]
        got = a[:, self.p0 : self.p0 + src.shape[1]]
        k = self.k
        for i, r in enumerate(self.head):  # a few rows
            got[i] = src[r]
        np.copyto(got[k:], src[self.rows])
        if self.s0 == self.x0:  # at the frame edge the pixel itself stands in (no shift)
            a[:, :3] = a[:, 3:6]
        if self.s1 == self.x1:
            a[:, -3:] = a[:, -6:-3]
        pos, neg, mid = self.wp, self.wn, self.wc
        np.clip(shift[:, None], 0.0, 1.0, out=pos)
        np.clip(-shift[:, None], 0.0, 1.0, out=neg)
        np.subtract(1.0, pos, out=mid)
        mid -= neg
        sc = scale[:, None]
        mid *= sc
        pos *= sc
        neg *= sc
        t = self.t
        np.multiply(a[:, 3:-3], mid, out=out)
        np.multiply(a[:, 6:], pos, out=t)
        out += t
        if float(neg.max()) > 0.0:
            np.multiply(a[:, :-6], neg, out=t)
            out += t


def refl_shift(refl: Reflection, shift: np.ndarray) -> np.ndarray:
    """`shift` padded to all of the reflection's rows (the general gather wants them all)."""
    rows = len(refl.src)
    if len(shift) == rows:
        return shift
    full = np.zeros(rows, F32)
    full[: len(shift)] = shift
    return full


def ripple_centre(canvas: Canvas, motifs: dict[str, float], t: float) -> tuple[float, float]:
    """Where ripple rings start, in canvas pixels: where the orb lands when it is showing
    (it drifts onto the water), otherwise the middle of the pond or lake."""
    if motifs.get("orb", 0.0) > 0.0:
        try:
            from visualizer.engine.motifs.light_orb import orb_placement

            cx, cy, _r, _merge = orb_placement(canvas, t, motifs)
            top = getattr(canvas, "water_top", canvas.horizon) * canvas.h
            return float(cx), float(max(cy, top + 2))
        except (ImportError, AttributeError, TypeError, ValueError):
            pass
    if motifs.get("pond", 0.0) > 0.0:
        return 0.5 * canvas.w, 0.76 * canvas.h
    top = getattr(canvas, "water_top", canvas.horizon)
    return 0.5 * canvas.w, (top + 0.3 * (1.0 - top)) * canvas.h


def depth_rows(canvas: Canvas, y0: int, y1: int, horizon: float) -> np.ndarray:
    """Perspective depth per row (rows,), large near the horizon, small at the bottom."""
    v = (np.arange(y0, y1, dtype=np.float64) + 0.5) / canvas.h
    return 0.05 / np.maximum(v - horizon, 0.5 / canvas.h)


TAU = 2.0 * math.pi
