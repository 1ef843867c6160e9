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
        np.take(flat, self.idx, axis=0, out=self.a)
        self.s0 += 1
        np.add(self.x, self.s0, out=self.idx)
        np.clip(self.idx, 0, self.w - 1, out=self.idx)
        self.idx += self.rowoff
        np.take(flat, self.idx, axis=0, out=self.b)
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
        np.take(rgb.reshape(h, w * 3), self.src, axis=0, out=a)
        np.subtract(a[:, 3:], a[:, :-3], out=b[:, :-3])  # b[x] = a[x+1] - a[x]
        b[:, -3:] = 0.0
        np.clip(shift[:, None], 0.0, 1.0, out=self.pos)
        np.clip(-shift[:, None], 0.0, 1.0, out=self.neg)
        np.multiply(b, self.neg, out=c)
        a[:, 3:] -= c[:, :-3]  # towards x-1 where the shift is negative
        b *= self.pos
        a += b  # towards x+1 where it is positive
        return self.a


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
