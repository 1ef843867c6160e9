"""Soft vectorised shapes: signed distances turned into anti-aliased masks over small boxes.

Why: objects (mirror, candle, figure, trees) must have soft, anti-aliased edges and must not
cost a full frame each. Every shape here works on a `Region` (a clipped pixel bounding box with
its own coordinate grids), so a candle costs a few thousand pixels, not the whole canvas.
Distances are in canvas pixels; `coverage` turns a distance into 0..1 with a ~1 px soft edge.
Static shapes are built once in a motif's `__init__`; per-frame work is compositing only.
"""

from __future__ import annotations

import math
import threading
from dataclasses import dataclass, field

import numpy as np

from visualizer.engine.canvas import Canvas

F32 = np.float32


@dataclass(frozen=True)
class Region:
    """A clipped pixel box of a canvas with pixel-centre coordinate grids.

    `xs` is (1, bw) and `ys` is (bh, 1), in canvas pixels, so shape functions broadcast to
    (bh, bw) without allocating full grids.
    """

    y0: int
    y1: int
    x0: int
    x1: int
    xs: np.ndarray
    ys: np.ndarray

    @property
    def empty(self) -> bool:
        return self.y1 <= self.y0 or self.x1 <= self.x0

    @property
    def shape(self) -> tuple[int, int]:
        return (self.y1 - self.y0, self.x1 - self.x0)

    @property
    def sl(self) -> tuple[slice, slice]:
        return (slice(self.y0, self.y1), slice(self.x0, self.x1))

    def view(self, buf: np.ndarray) -> np.ndarray:
        """The part of a full-canvas buffer (h, w[, 3]) under this region."""
        return buf[self.y0 : self.y1, self.x0 : self.x1]


def region(
    canvas: Canvas | tuple[int, int],
    x0: float,
    y0: float,
    x1: float,
    y1: float,
    margin: tuple[int, int] = (0, 0),
) -> Region:
    """Pixel box [x0, x1) x [y0, y1) clipped to the canvas (accepts a Canvas or (w, h)),
    or to the canvas grown by `margin` pixels each side (for sprites that parallax can
    bring in from beyond the edge)."""
    if isinstance(canvas, Canvas):
        w, h = canvas.w, canvas.h
    else:
        w, h = canvas
    mx, my = margin
    ix0 = max(-mx, min(w + mx, math.floor(x0)))
    ix1 = max(ix0, min(w + mx, math.ceil(x1)))
    iy0 = max(-my, min(h + my, math.floor(y0)))
    iy1 = max(iy0, min(h + my, math.ceil(y1)))
    xs = (np.arange(ix0, ix1, dtype=F32) + F32(0.5))[None, :]
    ys = (np.arange(iy0, iy1, dtype=F32) + F32(0.5))[:, None]
    return Region(iy0, iy1, ix0, ix1, xs, ys)


def region_around(
    canvas: Canvas | tuple[int, int], cx: float, cy: float, rx: float, ry: float
) -> Region:
    return region(canvas, cx - rx, cy - ry, cx + rx, cy + ry)


# --- signed distances (negative inside), pixel units -------------------------------------


def sd_disc(r: Region, cx: float, cy: float, radius: float) -> np.ndarray:
    return np.hypot(r.xs - F32(cx), r.ys - F32(cy)) - F32(radius)


def sd_ellipse(r: Region, cx: float, cy: float, rx: float, ry: float) -> np.ndarray:
    """Approximate ellipse distance (exact on the axes; good enough for soft masks)."""
    k = F32(min(rx, ry))
    d = np.hypot((r.xs - F32(cx)) / F32(rx), (r.ys - F32(cy)) / F32(ry))
    return (d - F32(1.0)) * k


def sd_ring(r: Region, cx: float, cy: float, radius: float, half_width: float) -> np.ndarray:
    return np.abs(sd_disc(r, cx, cy, radius)) - F32(half_width)


def sd_rounded_rect(
    r: Region, cx: float, cy: float, hw: float, hh: float, radius: float = 0.0
) -> np.ndarray:
    qx = np.abs(r.xs - F32(cx)) - F32(hw - radius)
    qy = np.abs(r.ys - F32(cy)) - F32(hh - radius)
    outside = np.hypot(np.maximum(qx, 0.0), np.maximum(qy, 0.0))
    inside = np.minimum(np.maximum(qx, qy), 0.0)
    return (outside + inside - F32(radius)).astype(F32, copy=False)


def sd_capsule(
    r: Region, ax: float, ay: float, bx: float, by: float, ra: float, rb: float | None = None
) -> np.ndarray:
    """Segment a-b with radius ra at a tapering linearly to rb at b (a branch, a strand)."""
    rb = ra if rb is None else rb
    px = r.xs - F32(ax)
    py = r.ys - F32(ay)
    dx, dy = bx - ax, by - ay
    ll = dx * dx + dy * dy
    if ll < 1e-9:
        return np.hypot(px, py) - F32(ra)
    h = np.clip((px * F32(dx) + py * F32(dy)) / F32(ll), 0.0, 1.0)
    d = np.hypot(px - h * F32(dx), py - h * F32(dy))
    return d - (F32(ra) + h * F32(rb - ra))


def sd_polyline(r: Region, pts: np.ndarray, radii: np.ndarray) -> np.ndarray:
    """Union of tapered capsules along a point list (N, 2) with radii (N,). Build-time use."""
    out = np.full(r.shape, 1e9, dtype=F32)
    for i in range(len(pts) - 1):
        d = sd_capsule(
            r, pts[i, 0], pts[i, 1], pts[i + 1, 0], pts[i + 1, 1], radii[i], radii[i + 1]
        )
        np.minimum(out, d, out=out)
    return out


def bezier(p0, p1, p2, p3=None, n: int = 16) -> np.ndarray:
    """Points along a quadratic (p0, p1, p2) or cubic (p0..p3) Bezier curve, (n, 2)."""
    t = np.linspace(0.0, 1.0, n)[:, None]
    a, b, c = (np.asarray(p, dtype=np.float64) for p in (p0, p1, p2))
    if p3 is None:
        pts = (1 - t) ** 2 * a + 2 * (1 - t) * t * b + t**2 * c
    else:
        d = np.asarray(p3, dtype=np.float64)
        pts = (1 - t) ** 3 * a + 3 * (1 - t) ** 2 * t * b + 3 * (1 - t) * t**2 * c + t**3 * d
    return pts


def coverage(sd: np.ndarray, soft: float = 1.0, out: np.ndarray | None = None) -> np.ndarray:
    """Signed distance -> coverage 0..1 with an edge `soft` pixels wide (anti-aliased)."""
    out = np.multiply(sd, F32(-1.0 / max(soft, 1e-3)), out=out)
    out += F32(0.5)
    return np.clip(out, 0.0, 1.0, out=out)


def falloff(sd: np.ndarray, reach: float, out: np.ndarray | None = None) -> np.ndarray:
    """A soft halo outside a shape: 1 inside, fading as 1/(1+(d/reach)^2) outside."""
    out = np.maximum(sd, F32(0.0), out=out)
    out *= F32(1.0 / max(reach, 1e-3))
    np.square(out, out=out)
    out += F32(1.0)
    return np.reciprocal(out, out=out)


# --- compositing over a region ------------------------------------------------------------


def shift_view(buf: np.ndarray, r: Region, shift: tuple[int, int] = (0, 0)):
    """The part of `buf` under region `r` moved by `shift` = (ix, iy) whole pixels, clipped
    to the buffer, and the slices of an array laid over `r` that land there (None if off
    the canvas). Lets a precomputed map follow the camera's parallax without copying it."""
    ix, iy = shift
    if r.empty:
        return None
    if ix == 0 and iy == 0:
        return r.view(buf), (slice(None), slice(None))
    h, w = buf.shape[:2]
    y0, y1, x0, x1 = r.y0 + iy, r.y1 + iy, r.x0 + ix, r.x1 + ix
    cy0, cy1, cx0, cx1 = max(0, y0), min(h, y1), max(0, x0), min(w, x1)
    if cy1 <= cy0 or cx1 <= cx0:
        return None
    return buf[cy0:cy1, cx0:cx1], (slice(cy0 - y0, cy1 - y0), slice(cx0 - x0, cx1 - x0))


def over(buf: np.ndarray, r: Region, alpha: np.ndarray, color, shift=(0, 0)) -> None:
    """Paint `color` ((3,) or (bh, bw, 3)) over a (h, w, 3) buffer with coverage `alpha`,
    optionally moved by whole pixels (`shift`).

    Works channel by channel: numpy broadcasting a 2-D map against a trailing axis of 3 is
    ~8x slower than three strided passes."""
    got = shift_view(buf, r, shift)
    if got is None:
        return
    dst, sl = got
    alpha = alpha[sl]
    col = np.asarray(color, dtype=F32)
    per_pixel = col.ndim == 3
    if per_pixel:
        col = col[sl]
    for c in range(3):
        d = dst[..., c]
        if per_pixel:
            d += (col[..., c] - d) * alpha
        else:
            d += (F32(col[c]) - d) * alpha


def add(buf: np.ndarray, r: Region, weight: np.ndarray, color, shift=(0, 0)) -> None:
    """Add light: buf += weight * color over the region (glow, rim light)."""
    got = shift_view(buf, r, shift)
    if got is None:
        return
    dst, sl = got
    weight = weight[sl]
    col = np.asarray(color, dtype=F32)
    for c in range(3):
        if col[c] != 0.0:
            dst[..., c] += weight * F32(col[c])


def camera_shift(ctx, canvas: Canvas, depth: float) -> tuple[float, float]:
    """Parallax offset in pixels for a layer at `depth` (0 far .. 1 near), matching the
    landscape's: the camera's slow drift moves near things more than far ones."""
    cam = getattr(getattr(ctx, "state", None), "camera", None)
    if cam is None:
        return 0.0, 0.0
    return float(cam.x) * depth * canvas.w, float(cam.y) * depth * canvas.h


def whole(offset: tuple[float, float]) -> tuple[int, int]:
    """Round a pixel offset to whole pixels (for precomputed maps)."""
    return round(offset[0]), round(offset[1])


def add_scaled(dst: np.ndarray, weight: np.ndarray, color, tmp: np.ndarray) -> None:
    """dst (h, w, 3) += weight (h, w) * color (3,), using `tmp` (h, w) as scratch: the
    allocation-free full-frame version of `add`."""
    col = np.asarray(color, dtype=F32)
    for c in range(3):
        np.multiply(weight, F32(col[c]), out=tmp)
        dst[..., c] += tmp


def radial_glow(
    canvas: Canvas, cx: float, cy: float, radius: float, color, gain: float, reach: float = 4.0
) -> None:
    """Add a soft light splat into canvas.glow: bright core of `radius` px with a halo
    reaching ~`reach` radii. Box-limited, so a small lamp costs a small box."""
    if gain <= 0.0 or radius <= 0.0:
        return
    ext = radius * reach
    r = region_around(canvas, cx, cy, ext, ext)
    if r.empty:
        return
    d2 = np.square((r.xs - F32(cx)) / F32(radius)) + np.square((r.ys - F32(cy)) / F32(radius))
    w = d2 + F32(1.0)
    np.reciprocal(w, out=w)
    np.square(w, out=w)
    # fade to exactly zero at the box edge so nothing shows a seam
    d2 *= F32(-1.0 / reach**2)
    d2 += F32(1.0)
    np.maximum(d2, F32(0.0), out=d2)
    w *= d2
    add(canvas.glow, r, w, np.asarray(color, dtype=F32) * F32(gain))


# --- slow time functions ------------------------------------------------------------------


def slow_noise(t: float, seed: float = 0.0, rate: float = 1.0) -> float:
    """Smooth pseudo-noise in -1..1 from incommensurate sines: closed form in t (no state)."""
    s = seed * 12.9898
    x = t * rate
    v = (
        0.5 * math.sin(x * 1.0 + s)
        + 0.3 * math.sin(x * 1.618 + 2.1 * s + 1.3)
        + 0.2 * math.sin(x * 2.718 + 3.7 * s + 4.1)
    )
    return v


def smoothstep(e0: float, e1: float, x: float) -> float:
    if e1 == e0:
        return 1.0 if x >= e1 else 0.0
    k = min(1.0, max(0.0, (x - e0) / (e1 - e0)))
    return k * k * (3.0 - 2.0 * k)


def breathe(t: float, hz: float, phase: float = 0.0) -> float:
    """0..1 slow breathing (raised cosine) at `hz` (keep 0.1-0.5 Hz: never strobe)."""
    return 0.5 - 0.5 * math.cos(2.0 * math.pi * hz * t + phase)


def mask_runs(used: np.ndarray, min_gap: int) -> list[tuple[int, int]]:
    """[start, end) runs of True in a 1-D mask, merging runs closer than `min_gap`."""
    idx = np.flatnonzero(used)
    if idx.size == 0:
        return []
    breaks = np.flatnonzero(np.diff(idx) > min_gap)
    starts = np.concatenate(([idx[0]], idx[breaks + 1]))
    ends = np.concatenate((idx[breaks], [idx[-1]])) + 1
    return [(int(a), int(b)) for a, b in zip(starts, ends)]


@dataclass(frozen=True)
class Sprite:
    """A precomputed shape: coverage `alpha` (bh, bw) and a `shade` map 0..1 over a Region.

    Painting works on the interleaved (rows, cols*3) view of the canvas with coverage and
    shade*coverage repeated per channel (prepared on first paint, after any post-build edits
    to alpha/shade, cropped to where alpha > 0, padded by one empty pixel each side for
    sub-pixel shifts): contiguous passes, several times faster than per-channel strided
    ones, and no allocation per frame (scratch comes from a small per-thread pool)."""

    region: Region
    alpha: np.ndarray
    shade: np.ndarray
    _cache: dict = field(default_factory=dict, compare=False, repr=False)

    def _prepared(self) -> list[tuple]:
        """Tiles (y0, y1, x0, x1, alpha3, shade_alpha3) covering where alpha > 0, each array
        (rows, (cols + 2) * 3) with an empty pixel column each side. Large sprites are cut
        into horizontal bands, each band into runs of columns separated by empty gaps, so the
        open middle of a frame framed by trees costs nothing; tiles never touch side by side,
        so a sub-pixel shift leaves no seam between them."""
        tiles = self._cache.get("paint")
        if tiles is None:
            a = self.alpha
            bh, bw = a.shape
            n = 1 if bh * bw < 40000 else 6
            tiles = []
            ys = np.linspace(0, bh, n + 1).astype(int)
            r = self.region
            for i in range(n):
                band = a[ys[i] : ys[i + 1]]
                if band.size == 0:
                    continue
                used = band.max(axis=0) > 0.0
                for x0, x1 in mask_runs(used, min_gap=16):
                    rows = np.flatnonzero(band[:, x0:x1].max(axis=1) > 0.0) + ys[i]
                    y0, y1 = int(rows[0]), int(rows[-1]) + 1
                    blk = a[y0:y1, x0:x1]
                    pa = np.zeros((y1 - y0, (x1 - x0 + 2) * 3), F32)
                    psa = np.zeros_like(pa)
                    pa[:, 3:-3] = np.repeat(blk, 3, axis=1)
                    psa[:, 3:-3] = np.repeat(blk * self.shade[y0:y1, x0:x1], 3, axis=1)
                    tiles.append((r.y0 + y0, r.y0 + y1, r.x0 + x0, r.x0 + x1, pa, psa))
            self._cache["paint"] = tiles
        return tiles

    def paint(
        self, buf: np.ndarray, color_dark, color_lit, intensity: float, offset=(0.0, 0.0)
    ) -> None:
        """Over-composite: colour = mix(dark, lit, shade), coverage alpha*intensity, moved by
        `offset` pixels (sub-pixel horizontally, whole pixels vertically) for parallax."""
        if self.region.empty or intensity <= 0.0:
            return
        dark = np.asarray(color_dark, dtype=F32)
        diff = np.asarray(color_lit, dtype=F32) - dark
        ix, fx, iy = _split_offset(offset)
        h, w = buf.shape[:2]
        for ya, yb, xa, xb, pa, psa in self._prepared():
            bw = xb - xa + (1 if fx else 0)  # a fractional shift spills into one more column
            y0, x0 = ya + iy, xa + ix
            cy0, cy1 = max(0, y0), min(h, y0 + (yb - ya))
            cx0, cx1 = max(0, x0), min(w, x0 + bw)
            if cy1 <= cy0 or cx1 <= cx0:
                continue
            k = bw * 3
            A, SA, T, T2 = _scratch(yb - ya, k)
            if fx:
                # shifted coverage and shade*coverage: 1-f of this column, f of the one before
                np.multiply(pa[:, 3 : 3 + k], F32(1.0 - fx), out=A)
                np.multiply(pa[:, 0:k], F32(fx), out=T)
                A += T
                np.multiply(psa[:, 3 : 3 + k], F32(1.0 - fx), out=SA)
                np.multiply(psa[:, 0:k], F32(fx), out=T)
                SA += T
            else:
                A, SA = pa[:, 3 : 3 + k], psa[:, 3 : 3 + k]
            _over_shaded(buf, (cy0, cy1, cx0, cx1), (y0, x0), (A, SA, T, T2), dark, diff,
                         intensity)


def _split_offset(offset) -> tuple[int, float, int]:
    """A parallax offset in pixels -> (whole columns, column fraction, whole rows); fractions
    within 1/64 of a column snap to it (not worth a second tap)."""
    dx, dy = float(offset[0]), float(offset[1])
    ix = math.floor(dx)
    fx = dx - ix
    if fx < 1.0 / 64.0 or fx > 63.0 / 64.0:
        ix, fx = round(dx), 0.0
    return ix, fx, round(dy)


def _over_shaded(buf, box, origin, scratch, dark, diff, intensity: float) -> None:
    """Composite a prepared tile over `buf` inside the clipped `box` (cy0, cy1, cx0, cx1):
    d += i * (sa*(lit-dark) + a*dark - a*d), with A/SA the tile's coverage and
    shade*coverage laid out as rows of interleaved RGB starting at `origin` (y0, x0)."""
    cy0, cy1, cx0, cx1 = box
    y0, x0 = origin
    A, SA, T, T2 = scratch
    d2 = buf[cy0:cy1, cx0:cx1].reshape(cy1 - cy0, (cx1 - cx0) * 3)  # a view
    rs = slice(cy0 - y0, cy1 - y0)
    cs = slice((cx0 - x0) * 3, (cx1 - x0) * 3)
    m = cx1 - cx0
    a, sa, t, t2 = A[rs, cs], SA[rs, cs], T[rs, cs], T2[rs, cs]
    np.multiply(sa, np.tile(diff, m), out=t)
    np.multiply(a, np.tile(dark, m), out=t2)
    t += t2
    np.multiply(d2, a, out=t2)
    t -= t2
    t *= F32(intensity)
    d2 += t


_POOL = threading.local()


def _scratch(rows: int, cols: int) -> tuple[np.ndarray, ...]:
    """Four (rows, cols) float32 scratch views from a per-thread pool that only grows: all
    sprites share it, so painting never allocates and memory stays one big tile's worth."""
    need = rows * cols
    bufs = getattr(_POOL, "bufs", None)
    if bufs is None or bufs[0].size < need:
        bufs = [np.empty(max(need, 1 << 16), F32) for _ in range(4)]
        _POOL.bufs = bufs
    return tuple(b[:need].reshape(rows, cols) for b in bufs)


class SpritePoses:
    """Several poses of one shape over the same region (willow strands swaying), painted as
    a weighted blend of two neighbouring poses in a single pass: coverage stays whole while
    the shape moves between poses, and it costs less than painting both poses."""

    def __init__(self, poses: list[Sprite]) -> None:
        self.poses = poses
        self.region = poses[0].region
        union = np.maximum.reduce([p.alpha for p in poses])
        layout = Sprite(self.region, union, np.zeros_like(union))._prepared()
        self.tiles = []
        for ya, yb, xa, xb, _pa, _psa in layout:
            r = self.region
            sl = (slice(ya - r.y0, yb - r.y0), slice(xa - r.x0, xb - r.x0))
            pads = []
            for p in poses:
                blk = p.alpha[sl]
                pa = np.zeros((yb - ya, (xb - xa + 2) * 3), F32)
                psa = np.zeros_like(pa)
                pa[:, 3:-3] = np.repeat(blk, 3, axis=1)
                psa[:, 3:-3] = np.repeat(blk * p.shade[sl], 3, axis=1)
                pads.append((pa, psa))
            self.tiles.append((ya, yb, xa, xb, pads))

    def paint(
        self,
        buf: np.ndarray,
        color_dark,
        color_lit,
        intensity: float,
        weights: dict[int, float],
        offset=(0.0, 0.0),
    ) -> None:
        """Over-composite the blend sum(w * pose) (weights summing to 1), moved by `offset`
        (sub-pixel horizontally, whole pixels vertically)."""
        if intensity <= 0.0:
            return
        dark = np.asarray(color_dark, dtype=F32)
        diff = np.asarray(color_lit, dtype=F32) - dark
        ix, fx, iy = _split_offset(offset)
        active = [(i, float(w)) for i, w in weights.items() if w > 1e-4]
        h, w = buf.shape[:2]
        for ya, yb, xa, xb, pads in self.tiles:
            bw = xb - xa + (1 if fx else 0)
            y0, x0 = ya + iy, xa + ix
            cy0, cy1 = max(0, y0), min(h, y0 + (yb - ya))
            cx0, cx1 = max(0, x0), min(w, x0 + bw)
            if cy1 <= cy0 or cx1 <= cx0:
                continue
            k = bw * 3
            A, SA, T, T2 = _scratch(yb - ya, k)
            for dst, which in ((A, 0), (SA, 1)):
                first = True
                for i, wt in active:
                    src = pads[i][which]
                    if first:
                        np.multiply(src[:, 3 : 3 + k], F32(wt * (1.0 - fx)), out=dst)
                        first = False
                    else:
                        np.multiply(src[:, 3 : 3 + k], F32(wt * (1.0 - fx)), out=T)
                        dst += T
                    if fx:
                        np.multiply(src[:, 0:k], F32(wt * fx), out=T)
                        dst += T
            _over_shaded(buf, (cy0, cy1, cx0, cx1), (y0, x0), (A, SA, T, T2), dark, diff,
                         intensity)


class SpriteBuilder:
    """Build a Sprite at init time by stamping shapes, each over its own small box.

    Each stamp lays coverage with a shade value (0 dark .. 1 lit) in painter's order. Used only
    in `__init__`, so a willow with 150 strands costs 150 tiny boxes, not 150 full frames.
    """

    def __init__(
        self,
        canvas: Canvas | tuple[int, int],
        x0: float,
        y0: float,
        x1: float,
        y1: float,
        margin: tuple[int, int] = (0, 0),
    ):
        self.size = (canvas.w, canvas.h) if isinstance(canvas, Canvas) else canvas
        self.margin = (int(margin[0]), int(margin[1]))
        self.region = region(self.size, x0, y0, x1, y1, self.margin)
        self.alpha = np.zeros(self.region.shape, dtype=F32)
        self.shade = np.zeros(self.region.shape, dtype=F32)

    def _sub(self, x0: float, y0: float, x1: float, y1: float) -> Region | None:
        R = self.region
        sub = region(
            self.size, max(x0, R.x0), max(y0, R.y0), min(x1, R.x1), min(y1, R.y1), self.margin
        )
        return None if sub.empty else sub

    def stamp(self, sub: Region | None, sd: np.ndarray | None, shade, soft: float = 1.0) -> None:
        """Lay coverage of signed distance `sd` (over `sub`) with `shade` (scalar or array)."""
        if sub is None or sd is None:
            return
        cov = coverage(sd, soft)
        R = self.region
        sl = (slice(sub.y0 - R.y0, sub.y1 - R.y0), slice(sub.x0 - R.x0, sub.x1 - R.x0))
        a = self.alpha[sl]
        s = self.shade[sl]
        s += (np.asarray(shade, dtype=F32) - s) * cov
        np.maximum(a, cov, out=a)

    def capsule(self, ax, ay, bx, by, ra, rb=None, shade=0.0, soft=1.0) -> None:
        rb = ra if rb is None else rb
        m = max(ra, rb) + soft + 1
        sub = self._sub(min(ax, bx) - m, min(ay, by) - m, max(ax, bx) + m, max(ay, by) + m)
        if sub is not None:
            self.stamp(sub, sd_capsule(sub, ax, ay, bx, by, ra, rb), shade, soft)

    def polyline(self, pts, radii, shade=0.0, soft=1.0) -> None:
        pts = np.asarray(pts, dtype=np.float64)
        radii = np.broadcast_to(np.asarray(radii, dtype=np.float64), (len(pts),))
        for i in range(len(pts) - 1):
            self.capsule(
                pts[i, 0],
                pts[i, 1],
                pts[i + 1, 0],
                pts[i + 1, 1],
                radii[i],
                radii[i + 1],
                shade,
                soft,
            )

    def ellipse(self, cx, cy, rx, ry, shade=0.0, soft=1.0, lit=None) -> None:
        """A soft ellipse; `lit=(lx, ly, amount)` shades it as a rounded mass lit from the
        direction (lx, ly): brighter on that side, darker on the far side."""
        m = soft + 1
        sub = self._sub(cx - rx - m, cy - ry - m, cx + rx + m, cy + ry + m)
        if sub is None:
            return
        if lit is not None:
            lx, ly, amount = lit
            k = -((sub.xs - F32(cx)) / F32(rx) * F32(lx) + (sub.ys - F32(cy)) / F32(ry) * F32(ly))
            shade = np.clip(F32(shade) + F32(amount) * k, 0.0, 1.0)
        self.stamp(sub, sd_ellipse(sub, cx, cy, rx, ry), shade, soft)

    def rect(self, cx, cy, hw, hh, radius=0.0, shade=0.0, soft=1.0) -> None:
        sub = self._sub(
            cx - hw - soft - 1, cy - hh - soft - 1, cx + hw + soft + 1, cy + hh + soft + 1
        )
        if sub is not None:
            self.stamp(sub, sd_rounded_rect(sub, cx, cy, hw, hh, radius), shade, soft)

    def hanging(
        self, x0, y0, length, bend, w0, w1, shade=0.0, beads=0.0, phase=0.0, freq=0.55
    ) -> None:
        """A near-vertical strand hanging from (x0, y0): x(y) = x0 + bend * f^2 (f = 0..1 down
        its length), width w0 -> w1, optionally beaded like leaves along a willow strand
        (`freq` radians per pixel). It grows from nothing at the top, so strands emerge from
        the crown instead of starting blunt. One stamp per strand (horizontal distance), so
        hundreds of strands build quickly."""
        m = max(w0, w1) * (1.0 + beads) + 2.0
        sub = self._sub(min(x0, x0 + bend) - m, y0 - 1, max(x0, x0 + bend) + m, y0 + length + 1)
        if sub is None:
            return
        f = np.clip((sub.ys - F32(y0)) / F32(max(length, 1e-3)), 0.0, 1.0)
        xc = F32(x0) + F32(bend) * f * f
        w = F32(w0) + F32(w1 - w0) * f
        w *= np.clip(f * F32(6.0), 0.0, 1.0)  # emerge from the crown
        if beads > 0.0:
            w = w * (F32(1.0) + F32(beads) * np.square(np.sin(sub.ys * F32(freq) + F32(phase))))
        sd = np.abs(sub.xs - xc) - w
        sd = np.maximum(sd, np.maximum(F32(y0) - sub.ys, sub.ys - F32(y0 + length)))
        self.stamp(sub, sd, shade, 1.0)

    def build(self) -> Sprite:
        return Sprite(self.region, self.alpha, self.shade)


def upsample2x(
    src: np.ndarray, out: np.ndarray, tmp: np.ndarray, work: np.ndarray | None = None
) -> np.ndarray:
    """Bilinear 2x upsample of a float32 map or image: src (n, m[, c]) -> out (2n, 2m[, c]),
    tmp and work (2n, m[, c]) scratch (work optional: else a temporary per call).

    For whole-frame effects computed at half size. 2-D passes only: much faster than a
    general resampler broadcasting over a trailing channel axis."""
    q = F32(0.25)
    n, m = src.shape[:2]
    if work is None:
        work = np.empty((2 * n, m, *src.shape[2:]), F32)
    e, o = tmp[0::2], tmp[1::2]
    w = work[:n]
    np.multiply(src, F32(0.75), out=e)
    np.multiply(src, q, out=w)
    e[1:] += w[:-1]
    e[0] += w[0]
    np.multiply(src, F32(0.75), out=o)
    o[:-1] += w[1:]
    o[-1] += w[-1]
    e, o = out[:, 0::2], out[:, 1::2]
    np.multiply(tmp, q, out=work)
    np.multiply(tmp, F32(0.75), out=e)
    e[:, 1:] += work[:, :-1]
    e[:, 0] += work[:, 0]
    np.multiply(tmp, F32(0.75), out=o)
    o[:, :-1] += work[:, 1:]
    o[:, -1] += work[:, -1]
    return out


def parallax_margin(canvas: Canvas | tuple[int, int]) -> tuple[int, int]:
    """How far beyond the frame edge to build sprites that the camera's drift can reveal."""
    w, h = (canvas.w, canvas.h) if isinstance(canvas, Canvas) else canvas
    return int(0.03 * w) + 2, int(0.015 * h) + 2
