"""Light maps kept between frames and added into `canvas.glow` (or `rgb`) as interleaved rows.

Why: adding a (h, w) weight times a colour into an (h, w, 3) buffer one channel at a time
(`shapes.add`, `shapes.add_scaled`) takes three strided passes, and numpy runs those at about
1 ns an element (no SIMD), several times slower than contiguous ones; computing the weight
again every frame adds ~8 more passes. A map stored once with each value repeated per channel,
(rows, cols * 3), is added in contiguous passes with the colour as a row vector, in bands of
rows whose product stays in the L2 cache. Maps are built once per canvas (`interleave`,
`GlowTiles` for a sprite's glint), or per radius for a splat (`GlowSplat`).
"""

from __future__ import annotations

import math
import threading

import numpy as np

from visualizer.engine.canvas import Canvas

F32 = np.float32
BAND_FLOATS = 1 << 16  # scratch per band (256 KB): the product of a band stays in L2
# Canvases from this many pixels up (960x540 and larger) use interleaved full-frame maps: their
# glow buffer does not stay in cache, so three strided passes cost more than reading a 3x map.
BIG_CANVAS = 400_000

_POOL = threading.local()


def _band_scratch() -> tuple[np.ndarray, np.ndarray]:
    """Two flat float32 scratch buffers of BAND_FLOATS from a per-thread pool."""
    bufs = getattr(_POOL, "bufs", None)
    if bufs is None:
        bufs = (np.empty(BAND_FLOATS, F32), np.empty(BAND_FLOATS, F32))
        _POOL.bufs = bufs
    return bufs


def interleave(m: np.ndarray) -> np.ndarray:
    """(h, w) map -> (h, w * 3) float32 with each value repeated for R, G and B."""
    return np.repeat(np.asarray(m, dtype=F32), 3, axis=1)


def colour_row(color, n: int, out: np.ndarray | None = None) -> np.ndarray:
    """The colour (3,) repeated n times as one row (n * 3,), to scale an interleaved map."""
    col = np.asarray(color, dtype=F32)
    if out is None:
        return np.tile(col, n)
    row = out[: n * 3]
    row.reshape(n, 3)[:] = col
    return row


def add_rows(dst: np.ndarray, src: np.ndarray, row: np.ndarray,
             src2: np.ndarray | None = None, row2: np.ndarray | None = None) -> None:
    """dst += src * row (+ src2 * row2): all (rows, k) with rows contiguous (views of an
    interleaved (h, w, 3) buffer are fine), row / row2 (k,). Banded: no allocation."""
    rows, k = dst.shape
    if rows == 0 or k == 0:
        return
    s1, s2 = _band_scratch()
    step = max(1, BAND_FLOATS // k)
    if step * k > BAND_FLOATS:  # a row wider than the band scratch: no banding possible
        t = src * row
        if src2 is not None:
            t += src2 * row2
        dst += t
        return
    for y in range(0, rows, step):
        e = min(rows, y + step)
        t = s1[: (e - y) * k].reshape(e - y, k)
        np.multiply(src[y:e], row, out=t)
        if src2 is not None:
            t2 = s2[: (e - y) * k].reshape(e - y, k)
            np.multiply(src2[y:e], row2, out=t2)
            t += t2
        d = dst[y:e]
        d += t  # on a name: `dst[y:e] += t` would copy the band back over itself


def rgb_rows(buf: np.ndarray, y0: int, y1: int, x0: int, x1: int) -> np.ndarray:
    """The box [y0, y1) x [x0, x1) of a C-contiguous (h, w, 3) buffer as (rows, cols * 3):
    a view, each row contiguous."""
    return buf[y0:y1, x0:x1].reshape(y1 - y0, (x1 - x0) * 3)


RADIUS_STEPS = 64  # splat radii are kept on a grid of 1/64 octave (~1.1%: no visible step)
SNAP_RADIUS = 16.0  # splats at least this wide (px) are placed at whole pixels in x too


class GlowSplat:
    """`shapes.radial_glow` with its weight map kept between frames: same fall-off, the map
    built once per radius (on a 1/RADIUS_STEPS octave grid, so a growing light rebuilds every
    few frames, a steady one never) and stored interleaved with one empty pixel each side.
    Placed at whole-pixel y, and at sub-pixel x (two taps, like a Sprite) only while it is
    small: from SNAP_RADIUS px up, half a pixel moves it by under 1% of its peak, which does
    not show. Per frame: two contiguous passes (four with the taps) over its box, cut to the
    circle its light reaches, instead of ~14 passes, three of them strided."""

    def __init__(self, reach: float = 4.0) -> None:
        self.reach = float(reach)
        self._key: float | None = None
        self._map = np.zeros(0, F32)  # flat storage, grown as needed, reused
        self._row = np.zeros(0, F32)
        self._row2 = np.zeros(0, F32)
        self._quad = np.zeros((2, 0), F32)
        self.E = 0

    def _build(self, radius: float) -> None:
        """Weights at whole-pixel offsets -E..E from the centre pixel into (2E+1, (2E+3)*3):
        computed for one quadrant (the fall-off is symmetric) and mirrored, into buffers that
        only grow, so a light that grows or shrinks rebuilds cheaply and allocates nothing."""
        E = max(1, math.ceil(radius * self.reach))
        n, m, q = 2 * E + 1, 2 * E + 3, E + 1
        if self._map.size < n * m * 3:
            self._map = np.zeros(n * m * 3, F32)
            self._row = np.zeros(m * 3, F32)
            self._row2 = np.zeros(m * 3, F32)
            self._quad = np.zeros((2, q * q), F32)
        M = self._map[: n * m * 3].reshape(n, m * 3)
        o2 = np.square(np.arange(q, dtype=F32) / F32(radius))
        d2 = np.add(o2[None, :], o2[:, None], out=self._quad[0, : q * q].reshape(q, q))
        w = np.add(d2, F32(1.0), out=self._quad[1, : q * q].reshape(q, q))
        np.reciprocal(w, out=w)
        np.square(w, out=w)
        # fade to exactly zero at the reach so nothing shows a seam
        d2 *= F32(-1.0 / self.reach**2)
        d2 += F32(1.0)
        np.maximum(d2, F32(0.0), out=d2)
        w *= d2
        M[:, :3] = 0.0
        M[:, -3:] = 0.0
        low = M[E:, 3:-3].reshape(q, n, 3)  # offsets 0..E down, -E..E across
        for c in range(3):
            low[:, E:, c] = w
            low[:, :E, c] = w[:, :0:-1]
        M[:E] = M[2 * E : E : -1]  # offsets -E..-1 down mirror 1..E
        self.E, self.M = E, M

    def paint(self, canvas: Canvas, cx: float, cy: float, radius: float, color,
              gain: float) -> None:
        """Add the splat centred on (cx, cy) px with core `radius` px into canvas.glow."""
        if gain <= 0.0 or radius <= 0.0:
            return
        key = 2.0 ** (round(math.log2(radius) * RADIUS_STEPS) / RADIUS_STEPS)
        if key != self._key:
            self._build(key)
            self._key = key
        E, M = self.E, self.M
        # the centre pixel column ix (centre at ix + 0.5 + fx) and row iy
        gx = cx - 0.5
        ix = math.floor(gx)
        fx = gx - ix
        if fx < 1.0 / 64.0 or fx > 63.0 / 64.0 or key >= SNAP_RADIUS:
            ix, fx = round(gx), 0.0
        iy = math.floor(cy)
        h, w = canvas.h, canvas.w
        x0, x1 = max(0, ix - E), min(w, ix + E + (2 if fx else 1))
        y0, y1 = max(0, iy - E), min(h, iy + E + 1)
        if x1 <= x0 or y1 <= y0:
            return
        col = np.asarray(color, dtype=F32) * F32(gain)
        ra = colour_row(col * F32(1.0 - fx), x1 - x0, self._row)
        rb = colour_row(col * F32(fx), x1 - x0, self._row2) if fx else None
        s1, s2 = _band_scratch()
        ext2 = (self._key * self.reach) ** 2
        step = max(1, BAND_FLOATS // ((x1 - x0) * 3))
        for ya in range(y0, y1, step):
            yb = min(y1, ya + step)
            # the weights are zero beyond the reach: cut the band to its chord of that circle
            ja, jb = ya - iy, yb - 1 - iy
            near = 0 if ja <= 0 <= jb else min(abs(ja), abs(jb))
            if near * near >= ext2:
                continue
            half = math.ceil(math.sqrt(ext2 - near * near))
            xa, xb = max(x0, ix - half), min(x1, ix + half + (2 if fx else 1))
            if xb <= xa:
                continue
            k = (xb - xa) * 3
            p0 = (xa - ix + E + 1) * 3  # this column's place in the padded map
            rows = slice(ya - iy + E, yb - iy + E)
            t = s1[: (yb - ya) * k].reshape(yb - ya, k)
            np.multiply(M[rows, p0 : p0 + k], ra[:k], out=t)
            if fx:
                # 1 - fx of this column, fx of the one before it
                t2 = s2[: t.size].reshape(t.shape)
                np.multiply(M[rows, p0 - 3 : p0 - 3 + k], rb[:k], out=t2)
                t += t2
            d = rgb_rows(canvas.glow, ya, yb, xa, xb)
            d += t


class GlowTiles:
    """A fixed light map that is zero outside a few boxes (a sprite's glint): stored as
    interleaved tiles over those boxes only, added at a whole-pixel shift. A frame touches
    the tiles, not the sprite's whole bounding box, in contiguous passes."""

    def __init__(self, tiles: list[tuple[int, int, int, int, np.ndarray]]) -> None:
        self.tiles = tiles  # (y0, y1, x0, x1, weights (y1-y0, (x1-x0)*3))
        widest = max((x1 - x0 for _y0, _y1, x0, x1, _w in tiles), default=0)
        self._row = np.empty(widest * 3, F32)

    def add(self, buf: np.ndarray, color, shift: tuple[int, int] = (0, 0)) -> None:
        """buf (h, w, 3) += weights * color, the tiles moved by `shift` whole pixels."""
        ix, iy = shift
        h, w = buf.shape[:2]
        row = colour_row(color, len(self._row) // 3, self._row)
        for y0, y1, x0, x1, wt in self.tiles:
            cy0, cy1 = max(0, y0 + iy), min(h, y1 + iy)
            cx0, cx1 = max(0, x0 + ix), min(w, x1 + ix)
            if cy1 <= cy0 or cx1 <= cx0:
                continue
            src = wt[cy0 - y0 - iy : cy1 - y0 - iy, (cx0 - x0 - ix) * 3 : (cx1 - x0 - ix) * 3]
            add_rows(rgb_rows(buf, cy0, cy1, cx0, cx1), src, row[: src.shape[1]])
