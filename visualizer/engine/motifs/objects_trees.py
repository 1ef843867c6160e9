"""Trees: weeping willows framing the sides, an ancient grove, a single great tree.

All geometry is built once per canvas as sprites (coverage + shade) from seeded random
branches; a frame only composites them with the blended palette. Motion is cheap and calm:
willow strands cross-fade between three sway poses on a slow breeze; dappled light in the
grove and the great tree breathes between two sets of light spots.
"""

from __future__ import annotations

import math

import numpy as np

from visualizer.engine import shapes as S
from visualizer.engine.canvas import Canvas
from visualizer.engine.registry import LAYER_NEAR, FrameContext, Motif, motif
from visualizer.engine.view import DEPTH_GROUND, DEPTH_MID, DEPTH_NEAR

F32 = np.float32
SILVER_GREEN = np.array([0.36, 0.5, 0.3], dtype=F32)


def sway_pair(t: float, wind: float, rate: float = 0.08, phase: float = 0.0) -> tuple[int, float]:
    """Which two of three sway poses to blend and how far: a slow breeze, no state."""
    s = 0.5 + 0.5 * math.sin(2 * math.pi * rate * t + phase) * (
        0.55 + 0.45 * min(1.0, abs(wind) * 2)
    )
    lo = 0 if s < 0.5 else 1
    return lo, (s - 0.5 * lo) * 2.0


def trunk(b: S.SpriteBuilder, pts: np.ndarray, r0: float, r1: float, shade: float) -> None:
    b.polyline(pts, np.linspace(r0, r1, len(pts)), shade=shade)


def shade_from_left(sprite: S.Sprite, cx: float, width: float, amount: float = 0.5) -> None:
    """Light from the upper left: brighten the left flank of a trunk-like sprite."""
    r = sprite.region
    k = np.clip(0.5 - (r.xs - F32(cx)) / F32(max(width, 1.0)), 0.0, 1.0)
    sprite.shade[:] = np.clip(sprite.shade * (F32(1.0 - amount) + F32(amount) * k), 0.0, 1.0)


SHIFT_STEPS = 8  # baked sprites move in 1/8 pixel steps (1/16 of an output pixel at 1080p)
TILE_OVERHEAD = 1000  # a tile's fixed cost (a dozen numpy calls) in pixels of area, as measured


def _tiles(used: np.ndarray, overhead: int = TILE_OVERHEAD,
           min_gap: int = 16) -> list[tuple[int, int, int, int]]:
    """Boxes (y0, y1, x0, x1) in the mask's own pixels covering where `used`: the map cut into
    horizontal bands, each band into runs of columns (gaps over `min_gap` apart, so tiles
    never touch side by side and a sub-pixel shift leaves no seam), with the number of bands
    that minimises the covered area plus `overhead` per tile. Thin far trunks then cost one
    tile each, not six, and the open middle of a frame framed by trees costs nothing."""
    h = used.shape[0]
    best: tuple[int, list] | None = None
    for n in (1, 2, 3, 4, 6, 8, 12, 16):
        if n > max(1, h):
            break
        ys = np.linspace(0, h, n + 1).astype(int)
        boxes = []
        for i in range(n):
            band = used[ys[i] : ys[i + 1]]
            if band.size == 0:
                continue
            for x0, x1 in S.mask_runs(np.asarray(band.any(axis=0)), min_gap):
                rows = np.flatnonzero(band[:, x0:x1].any(axis=1)) + ys[i]
                boxes.append((int(rows[0]), int(rows[-1]) + 1, x0, x1))
        cost = sum((b - a) * (d - c) for a, b, c, d in boxes) + overhead * len(boxes)
        if best is None or cost < best[0]:
            best = (cost, boxes)
    return best[1] if best else []


def _padded(alpha: np.ndarray, shade: np.ndarray, box) -> tuple[np.ndarray, np.ndarray]:
    """Coverage and shade*coverage of a box as rows of interleaved RGB with one empty pixel
    column each side (for sub-pixel shifts), as `Sprite` prepares them."""
    y0, y1, x0, x1 = box
    blk = alpha[y0:y1, x0:x1]
    pa = np.zeros((y1 - y0, (x1 - x0 + 2) * 3), F32)
    psa = np.zeros_like(pa)
    pa[:, 3:-3] = np.repeat(blk, 3, axis=1)
    psa[:, 3:-3] = np.repeat(blk * shade[y0:y1, x0:x1], 3, axis=1)
    return pa, psa


def _wide_rows(n: int, *colors: np.ndarray) -> list[np.ndarray]:
    """Each colour tiled along `n` pixels (n*3,): one np.tile per paint, sliced per tile."""
    return [np.tile(np.asarray(c, F32), n) for c in colors]


class _Baked:
    """Shared by the baked composites: per tile, coverage A and shade*coverage SA (baked for
    the shift); for the current colours and intensity i, Q = 1 - i*A and
    P = i*(SA*(lit - dark) + A*dark), so a frame is d = d*Q + P. A fade or a palette blend
    re-derives Q and P (five passes), a shift rebakes A and SA (two to six)."""

    def _alloc(self, tiles: list[tuple[int, int, int, int]]) -> None:
        self._key: tuple | None = None
        self._ikey: tuple | None = None
        self._baked: list[tuple] = []
        self._bufs = [tuple(np.empty((yb - ya, (xb - xa + 1) * 3), F32) for _ in range(5))
                      for ya, yb, xa, xb in tiles]  # A, SA, scratch, Q, P
        self._maxm = max([xb - xa + 1 for _ya, _yb, xa, xb in tiles], default=1)

    @staticmethod
    def _place(size, ya, yb, xa, xb, ix, fx, iy):
        """Clipped placement of a tile shifted by (ix + fx, iy): (dest box, row slice, the
        padded source's column slice, and the column before it for the fractional part), or
        None when it falls off the frame."""
        h, w = size
        bw = xb - xa + (1 if fx else 0)  # a fractional shift spills into one more column
        y0, x0 = ya + iy, xa + ix
        cy0, cy1 = max(0, y0), min(h, y0 + (yb - ya))
        cx0, cx1 = max(0, x0), min(w, x0 + bw)
        if cy1 <= cy0 or cx1 <= cx0:
            return None
        rs = slice(cy0 - y0, cy1 - y0)
        cs = slice((cx0 - x0) * 3 + 3, (cx1 - x0) * 3 + 3)  # pads have one empty px first
        return (cy0, cy1, cx0, cx1), rs, cs, slice(cs.start - 3, cs.stop - 3)

    def _placed(self, size, ix, fx, iy, tiles):
        """For each tile still on the frame at this shift: (its index, the tile, its
        placement (box, rows, columns, columns before) and its A, SA, T, Q, P buffers cut to
        the box)."""
        for k, (tile, bufs) in enumerate(zip(tiles, self._bufs)):
            placed = self._place(size, *tile[:4], ix, fx, iy)
            if placed is None:
                continue
            box = placed[0]
            rows, cols = box[1] - box[0], (box[3] - box[2]) * 3
            yield k, tile, placed, tuple(b[:rows, :cols] for b in bufs)

    def _derive(self, dark: np.ndarray, lit: np.ndarray, intensity: float) -> None:
        """Q and P of every baked tile from its A and SA for these colours."""
        diff_row, dark_row = _wide_rows(self._maxm, (lit - dark) * F32(intensity),
                                        dark * F32(intensity))
        for box, A, SA, T, Q, P in self._baked:
            m3 = (box[3] - box[2]) * 3
            np.multiply(SA, diff_row[:m3], out=P)
            np.multiply(A, dark_row[:m3], out=T)
            P += T
            np.multiply(A, F32(-intensity), out=Q)
            Q += F32(1.0)

    def _composite(self, buf: np.ndarray) -> None:
        for (cy0, cy1, cx0, cx1), *_rest, Q, P in self._baked:
            d2 = buf[cy0:cy1, cx0:cx1].reshape(cy1 - cy0, (cx1 - cx0) * 3)
            d2 *= Q
            d2 += P

    def _apply(self, buf: np.ndarray, dark: np.ndarray, lit: np.ndarray,
               intensity: float) -> None:
        ikey = (dark.tobytes(), lit.tobytes(), intensity)
        if ikey != self._ikey:
            self._derive(dark, lit, intensity)
            self._ikey = ikey
        self._composite(buf)

    def _shift_key(self, offset) -> tuple[int, float, int]:
        """(whole px, fraction, rows) of the shift quantised to 1/SHIFT_STEPS px on this
        composite's grid (offset by `grid` steps, so that composites moving together do not
        all rebake on the same frame)."""
        g = getattr(self, "grid", 0.0)
        q = (round(float(offset[0]) * SHIFT_STEPS - g) + g) / SHIFT_STEPS
        ix = math.floor(q)
        return ix, q - ix, round(float(offset[1]))


class BakedSprite(_Baked):
    """A Sprite's over-composite baked (see `_Baked`) for one palette and shift: a frame is
    two passes instead of the ~10 of `Sprite.paint`. It is rebaked only when the palette or
    the shift (quantised to 1/SHIFT_STEPS pixel) changes: the camera drifts a near layer ~1 px
    a second, so every ~8 frames while the scene holds. Same result as `Sprite.paint` at the
    quantised shift. Its tiles are its own (`_tiles`): fewer and larger for thin shapes."""

    def __init__(self, sprite: S.Sprite) -> None:
        self.sprite = sprite
        r = sprite.region
        self._tiles = []
        for box in _tiles(sprite.alpha > 0.0):
            pa, psa = _padded(sprite.alpha, sprite.shade, box)
            y0, y1, x0, x1 = box
            self._tiles.append((r.y0 + y0, r.y0 + y1, r.x0 + x0, r.x0 + x1, pa, psa))
        self._alloc([t[:4] for t in self._tiles])

    def paint(self, buf: np.ndarray, color_dark, color_lit, intensity: float,
              offset=(0.0, 0.0)) -> None:
        if self.sprite.region.empty or intensity <= 0.0:
            return
        dark = np.asarray(color_dark, dtype=F32)
        lit = np.asarray(color_lit, dtype=F32)
        self._place_at(buf, offset)
        self._apply(buf, dark, lit, float(intensity))

    def _place_at(self, buf: np.ndarray, offset) -> None:
        """Rebake for `offset` (quantised) when the sprite has moved; its colour terms are
        then derived anew."""
        ix, fx, iy = self._shift_key(offset)
        key = (ix, fx, iy, buf.shape)
        if key != self._key:
            self._bake(buf.shape[:2], ix, fx, iy)
            self._key = key
            self._ikey = None

    def _bake(self, size, ix, fx, iy) -> None:
        self._baked = []
        for _k, tile, (box, rs, cs, cs1), (A, SA, T, Q, P) in self._placed(
                size, ix, fx, iy, self._tiles):
            pa, psa = tile[4], tile[5]
            if fx:
                np.multiply(pa[rs, cs], F32(1.0 - fx), out=A)
                np.multiply(psa[rs, cs], F32(1.0 - fx), out=SA)
                np.multiply(pa[rs, cs1], F32(fx), out=T)
                A += T
                np.multiply(psa[rs, cs1], F32(fx), out=T)
                SA += T
            else:  # a whole-pixel shift is a view of the padded tile: nothing to bake
                A, SA = pa[rs, cs], psa[rs, cs]
            self._baked.append((box, A, SA, T, Q, P))


SWAY_STEPS = 32  # baked sway blends move in 1/32 steps of the cross-fade between two poses


class BakedPoses(_Baked):
    """`SpritePoses` composited like `BakedSprite` (weights quantised to 1/SWAY_STEPS, ~6
    frames apart in a slow breeze: a 3% cross-fade step, invisible; the shift to
    1/SHIFT_STEPS px).

    The sway moves every few refreshes, so it is cheap to follow: for the two poses being
    blended (lo, hi) and the current colours, Q and P are kept unshifted as Ql + f*dQ and
    Pl + f*dP (f the weight of hi), and a frame is Q = Ql + f*dQ, then the sub-pixel shift
    (a lerp of two column offsets), the same for P, and d = d*Q + P: 12 passes (6 at a whole
    pixel shift) instead of the 21 of rebaking the blend. Tiles where the poses agree (the
    trunk) skip the blend. While the colours change every refresh (a fade), that cache would
    be rebuilt each time, so the blend is baked per shift as in `BakedSprite` instead."""

    def __init__(self, poses: S.SpritePoses, grid: float = 0.0) -> None:
        self.poses = poses
        self.grid = grid  # see _shift_key
        self.region = r = poses.region
        union = np.maximum.reduce([p.alpha for p in poses.poses])
        self.tiles = []
        for box in _tiles(union > 0.0):
            pads = [_padded(p.alpha, p.shade, box) for p in poses.poses]
            still = all(np.array_equal(pa, pads[0][0]) and np.array_equal(psa, pads[0][1])
                        for pa, psa in pads[1:])
            y0, y1, x0, x1 = box
            self.tiles.append((r.y0 + y0, r.y0 + y1, r.x0 + x0, r.x0 + x1, pads, still))
        self._alloc([t[:4] for t in self.tiles])
        # per tile: Ql, dQ, Pl, dP (unshifted, padded) and a padded scratch row block Y
        self._pair_bufs = [tuple(np.empty(pads[0][0].shape, F32) for _ in range(5))
                           for *_box, pads, _still in self.tiles]
        self._pair_key: tuple | None = None  # (colour key, lo, hi) the pair cache holds
        self._last_ckey: tuple | None = None  # colour key of the previous paint
        self._full: tuple | None = None  # what Q and P of `_baked` currently hold

    def paint(self, buf: np.ndarray, color_dark, color_lit, intensity: float,
              weights: dict[int, float], offset=(0.0, 0.0)) -> None:
        if intensity <= 0.0:
            return
        dark = np.asarray(color_dark, dtype=F32)
        lit = np.asarray(color_lit, dtype=F32)
        intensity = float(intensity)
        ix, fx, iy = self._shift_key(offset)
        # the blend as (pose, steps of 1/SWAY_STEPS), summing to SWAY_STEPS
        items = sorted((int(i), float(w)) for i, w in weights.items() if w > 0.0)
        total = sum(w for _, w in items) or 1.0
        steps, left = [], SWAY_STEPS
        for n, (i, w) in enumerate(items):
            k = left if n == len(items) - 1 else min(left, round(w / total * SWAY_STEPS))
            left -= k
            if k:
                steps.append((i, k))
        geo = (ix, fx, iy, tuple(steps), buf.shape)
        ckey = (dark.tobytes(), lit.tobytes(), intensity)
        full = (geo, ckey)
        if full != self._full:
            pair = self._pair(steps)
            if pair is not None and ckey in (self._last_ckey, self._pair_key and
                                             self._pair_key[0]):
                # the colours held since the last paint: follow the sway from the pair cache
                if self._pair_key != (ckey, pair[0], pair[1]):
                    self._build_pair(dark, lit, intensity, pair[0], pair[1])
                    self._pair_key = (ckey, pair[0], pair[1])
                self._from_pair(buf.shape[:2], ix, fx, iy, pair[2], pair[0] != pair[1])
            else:  # colours moving (a fade): bake the blend for the shift, derive Q and P
                if geo != self._key:
                    self._bake(buf.shape[:2], ix, fx, iy,
                               [(i, k / SWAY_STEPS) for i, k in steps])
                    self._key = geo
                self._derive(dark, lit, intensity)
            self._full = full
        self._last_ckey = ckey
        self._composite(buf)

    @staticmethod
    def _pair(steps: list[tuple[int, int]]) -> tuple[int, int, float] | None:
        """(lo, hi, weight of hi) for a blend of at most two poses, else None."""
        if len(steps) == 1:
            return steps[0][0], steps[0][0], 0.0
        if len(steps) == 2:
            return steps[0][0], steps[1][0], steps[1][1] / SWAY_STEPS
        return None

    def _build_pair(self, dark, lit, intensity: float, lo: int, hi: int) -> None:
        """Ql = 1 - i*A_lo, dQ = -i*(A_hi - A_lo), Pl = i*(SA_lo*diff + A_lo*dark),
        dP = i*((SA_hi - SA_lo)*diff + (A_hi - A_lo)*dark), unshifted and padded."""
        i = F32(intensity)
        m = self._maxm + 2
        diff_row, dark_row = _wide_rows(m, (lit - dark) * i, dark * i)
        for (*_box, pads, still), (Ql, dQ, Pl, dP, Y) in zip(self.tiles, self._pair_bufs):
            pa, psa = pads[lo]
            k = pa.shape[1]
            np.multiply(pa, -i, out=Ql)
            Ql += F32(1.0)
            np.multiply(psa, diff_row[:k], out=Pl)
            np.multiply(pa, dark_row[:k], out=Y)
            Pl += Y
            if still or hi == lo:
                continue
            pa1, psa1 = pads[hi]
            np.subtract(pa1, pa, out=Y)
            np.multiply(Y, -i, out=dQ)
            np.multiply(Y, dark_row[:k], out=dP)
            np.subtract(psa1, psa, out=Y)
            Y *= diff_row[:k]
            dP += Y

    def _from_pair(self, size, ix, fx, iy, f: float, two: bool) -> None:
        """Q and P of every placed tile from the pair cache at blend weight f (of the second
        pose, when there are `two`) and the shift."""
        self._baked = []
        self._key = None  # the baked A/SA no longer match Q and P
        moving = f != 0.0 and two
        for k, tile, (box, rs, cs, cs1), (A, SA, T, Q, P) in self._placed(
                size, ix, fx, iy, self.tiles):
            still = tile[5]
            Ql, dQ, Pl, dP, Y = self._pair_bufs[k]
            blend = moving and not still
            got = []
            for base, delta, out in ((Ql, dQ, Q), (Pl, dP, P)):
                if not fx:  # a whole-pixel shift: Q and P are the blend itself (or a view)
                    if blend:
                        np.multiply(delta[rs, cs], F32(f), out=out)
                        out += base[rs, cs]
                    else:
                        out = base[rs, cs]
                    got.append(out)
                    continue
                cols = slice(cs1.start, cs.stop)
                if blend:
                    y = Y[rs, cols]
                    np.multiply(delta[rs, cols], F32(f), out=y)
                    y += base[rs, cols]
                else:
                    y = base[rs, cols]
                np.multiply(y[:, 3:], F32(1.0 - fx), out=out)
                np.multiply(y[:, :-3], F32(fx), out=T)
                out += T
                got.append(out)
            self._baked.append((box, A, SA, T, got[0], got[1]))

    def _bake(self, size, ix, fx, iy, blend) -> None:
        self._baked = []
        for _k, tile, (box, rs, cs, cs1), (A, SA, T, Q, P) in self._placed(
                size, ix, fx, iy, self.tiles):
            pads = tile[4]
            # coverage -> A, shade*coverage -> SA: the blend of poses, shifted by fx
            for dst, which in ((A, 0), (SA, 1)):
                first = True
                for i, wt in blend:
                    src = pads[i][which]
                    for cols, f in ((cs, 1.0 - fx), (cs1, fx)):
                        if f == 0.0:
                            continue
                        if first:
                            np.multiply(src[rs, cols], F32(wt * f), out=dst)
                            first = False
                        else:
                            np.multiply(src[rs, cols], F32(wt * f), out=T)
                            dst += T
            self._baked.append((box, A, SA, T, Q, P))


# --- willows ------------------------------------------------------------------------------


@motif("willows", LAYER_NEAR, "weeping willows with silver hanging branches")
class Willows(Motif):
    def __init__(self, canvas: Canvas, rng: np.random.Generator) -> None:
        super().__init__(canvas, rng)
        W, H = canvas.w, canvas.h
        u = H / 360.0
        ground = min(H * 0.98, (canvas.horizon + 0.3) * H)
        plans = []
        for side in (-1.0, 1.0):
            base_x = W * 0.5 + side * (W * 0.5 - 0.12 * H)
            top = (base_x + side * 0.03 * H, 0.27 * H)
            limbs = []
            ccx = top[0] - side * 0.13 * H
            crx, cry, ccy = 0.32 * H, 0.18 * H, 0.22 * H
            # limbs fan up from the trunk into the crown and stay under the foliage
            for k in range(6):
                f = -1.0 + 2.0 * k / 5.0
                tip = (ccx + f * crx * 0.8, ccy - cry * (0.75 - 0.35 * f * f))
                mid = (top[0] + (tip[0] - top[0]) * 0.3, tip[1] + (top[1] - tip[1]) * 0.35)
                limbs.append(S.bezier(top, mid, tip, n=14))
            strands = []
            # a dome of hanging foliage: strands start across the crown and fall to a hem
            # that is lowest under the middle of the crown
            for _ in range(330):
                ang = float(rng.uniform(math.pi, 2 * math.pi))
                rad = math.sqrt(float(rng.uniform(0.0, 1.0)))
                px = ccx + math.cos(ang) * crx * rad
                py = ccy + math.sin(ang) * cry * rad
                across = (px - ccx) / crx
                hem = (
                    ccy + 0.3 * H * (1.0 - 0.55 * across * across) + float(rng.normal(0, 0.04)) * H
                )
                length = max(0.05 * H, min(hem, ground - 0.03 * H) - py)
                strands.append(
                    (
                        px,
                        py,
                        length,
                        float(rng.uniform(-1, 1)) + across,
                        float(rng.uniform(0.3, 1.0)),
                        float(rng.uniform(0, 6.3)),
                    )
                )
            plans.append((side, base_x, top, limbs, strands))
        self.poses = []
        self.trunks = []
        for sway in (-1.0, 0.0, 1.0):
            sprites = []
            for side, base_x, top, limbs, strands in plans:
                mx, my = S.parallax_margin(canvas)  # drift can reveal beyond the edge
                x0 = base_x - 0.75 * H if side > 0 else -mx
                x1 = W + mx if side > 0 else base_x + 0.75 * H
                box = (canvas, x0, -my, x1, ground + 0.03 * H, (mx, my))
                if sway == 0.0:  # the wood alone, for fades (see draw)
                    wood = S.SpriteBuilder(*box)
                    self.trunks.append(self._wood(canvas, wood, base_x, top, limbs, ground, side))
                b = S.SpriteBuilder(*box)
                self._wood(canvas, b, base_x, top, limbs, ground, side, lit=False)
                for x, y, length, bend, shade, ph in strands:
                    bx = (bend * 0.03 + sway * 0.035) * length
                    freq = 0.45 + 0.35 * ((ph * 7.3) % 1.0)  # leaf spacing varies by strand
                    b.hanging(x, y, length, bx, 0.5 * u, 0.3 * u, shade, 1.1, ph, freq / u)
                sprites.append(_lit_from_above(b.build(), ground))
            self.poses.append(sprites)
        # each tree's three sway poses, painted as one blended pass
        # (on shift grids half a step apart: the two trees rebake on different frames)
        self.trees = [BakedPoses(S.SpritePoses([self.poses[p][k] for p in range(3)]), 0.5 * k)
                      for k in range(2)]

    @staticmethod
    def _wood(canvas, b, base_x, top, limbs, ground, side, lit=True) -> S.Sprite | None:
        """Trunk, roots and limbs (the same in every sway pose) into `b`; with `lit`, only
        the trunk and roots (solid wood), built and shaded as a sprite of their own."""
        H = canvas.h
        u = H / 360.0
        # trunk: thick, leaning, a little twisted
        pts = S.bezier(
            (base_x, ground),
            (base_x - side * 0.05 * H, 0.7 * H),
            (top[0] - side * 0.02 * H, 0.45 * H),
            top,
            18,
        )
        trunk(b, pts, 13 * u, 6 * u, 0.12)
        for k in range(3):
            ang = side * (0.4 + 0.5 * k) - math.pi / 2
            rt = (base_x + math.cos(ang) * 0.09 * H * (1 + k * 0.4), ground + 0.01 * H * k)
            b.polyline(
                S.bezier(
                    (base_x, ground - 6 * u),
                    (base_x + (rt[0] - base_x) * 0.4, ground - 2 * u),
                    rt,
                    n=8,
                ),
                np.linspace(6 * u, 1.2 * u, 8),
                shade=0.2,
            )
        if lit:  # the solid part: limbs hide in the foliage and fade with it
            sp = _lit_from_above(b.build(), ground)
            # solid below the crown, melting into the foliage above (no blunt pole top)
            ys = sp.region.ys
            sp.alpha[:] *= np.clip((ys - F32(0.3 * H)) / F32(0.2 * H), 0.0, 1.0)
            return sp
        for pts in limbs:
            b.polyline(pts, np.linspace(5.0 * u, 1.0 * u, len(pts)), shade=0.15)
        return None

    def draw(self, canvas: Canvas, intensity: float, t: float, ctx: FrameContext) -> None:
        if intensity <= 0.0:
            return
        pal = ctx.palette
        a = float(min(1.0, intensity))
        dark = pal.near * F32(0.75)
        lit = SILVER_GREEN * F32(0.4) + pal.mist * F32(0.12) + pal.ground * F32(0.1)
        off = S.camera_shift(ctx, canvas, DEPTH_NEAR)  # nearest things drift the most
        wood = wood_opacity(a)
        for k, tree in enumerate(self.trees):
            if wood > a:
                # fading: the wood alone first, solid through most of the fade (see
                # wood_opacity), so the hills do not show through the trunk; the whole tree
                # over it at full intensity is exactly the tree as built
                self.trunks[k].paint(canvas.rgb, dark, lit, wood, off)
            lo, f = sway_pair(t, ctx.wind, 0.07, 1.7 * k)
            tree.paint(canvas.rgb, dark, lit, a, {lo: 1.0 - f, lo + 1: f}, off)


def wood_opacity(intensity: float) -> float:
    """Opacity of the willow trunks for the motif's intensity: a trunk is solid, so it does
    not turn to glass over the hills while the trees fade in or out with a scene (0.99 at
    0.9, 0.75 at half); the foliage keeps the plain intensity, so a fading tree still
    dissolves as one (no bare pole standing alone)."""
    x = min(1.0, max(0.0, float(intensity)))
    return 1.0 - (1.0 - x) ** 2


def _lit_from_above(sp: S.Sprite, ground: float) -> S.Sprite:
    """Silver lit from above, fading to shadow toward the ground (build time)."""
    r = sp.region
    sp.shade[:] *= np.clip(1.15 - (r.ys / F32(ground)) * 0.7, 0.2, 1.0)
    return sp


# --- grove --------------------------------------------------------------------------------


def canopy(
    b: S.SpriteBuilder,
    rng: np.random.Generator,
    pts: np.ndarray,
    H: float,
    n: int,
    rmin: float,
    rmax: float,
    light: tuple[float, float] = (-0.6, -0.8),
) -> None:
    """Leaf masses: many overlapping clumps around `pts`. Each clump is a shaded core with
    small leaf tufts round its rim, lit from the upper left, so the crown reads as foliage
    with depth and a broken, leafy outline rather than smooth bubbles."""
    lx, ly = -light[0], -light[1]
    for _ in range(n):
        c = pts[rng.integers(0, len(pts))]
        rx = float(rng.uniform(rmin, rmax)) * H
        ry = rx * float(rng.uniform(0.6, 0.85))
        cx = c[0] + float(rng.normal(0, 0.8)) * rx
        cy = c[1] + float(rng.normal(0, 0.6)) * ry
        base = float(rng.uniform(0.12, 0.35))
        b.ellipse(cx, cy, rx * 0.82, ry * 0.82, shade=base, soft=1.5, lit=(lx, ly, 0.3))
        # tufts round the rim: brighter on the lit side, darker underneath
        k = int(rng.integers(5, 9))
        for ang in rng.uniform(0.0, 2 * np.pi, k):
            tr = rx * float(rng.uniform(0.22, 0.36))
            tx = cx + np.cos(ang) * rx * 0.78
            ty = cy + np.sin(ang) * ry * 0.78
            side = -(np.cos(ang) * lx + np.sin(ang) * ly)  # 1 facing the light
            b.ellipse(
                tx, ty, tr, tr * 0.8, shade=base + 0.18 * side + 0.08, soft=1.2, lit=(lx, ly, 0.25)
            )


def leaf_texture(
    sprite: S.Sprite, rng: np.random.Generator, cells: int, amount: float = 0.18
) -> None:
    """Break up flat shading and soften edges into leafy, irregular ones (build time)."""
    from visualizer.engine.noise import fbm_2d

    h, w = sprite.alpha.shape
    if h < 4 or w < 4:
        return
    n = fbm_2d(h, w, rng, cy=max(2, cells * h // max(w, 1)), cx=cells, octaves=4)
    sprite.shade[:] = np.clip(sprite.shade + n * F32(amount), 0.0, 1.0)
    edge = (sprite.alpha > 0.0) & (sprite.alpha < 1.0)
    sprite.alpha[:] = np.where(edge, np.clip(sprite.alpha * (F32(1.0) + n), 0.0, 1.0), sprite.alpha)


def dapples(
    canvas: Canvas,
    rng: np.random.Generator,
    n: int,
    y0: float,
    y1: float,
    x0: float,
    x1: float,
    size: float,
) -> tuple[S.Region, np.ndarray]:
    """A map of soft flattened light spots (dappled sun through leaves)."""
    r = S.region(canvas, x0, y0, x1, y1)
    m = np.zeros(r.shape, F32)
    for _ in range(n):
        cx = float(rng.uniform(x0, x1))
        cy = float(rng.uniform(y0, y1))
        depth = (cy - y0) / max(1.0, y1 - y0)
        rx = size * (0.5 + depth) * float(rng.uniform(0.6, 1.4))
        sub = S.region(canvas, cx - rx * 2, cy - rx, cx + rx * 2, cy + rx)
        sub = S.region(
            canvas, max(sub.x0, r.x0), max(sub.y0, r.y0), min(sub.x1, r.x1), min(sub.y1, r.y1)
        )
        if sub.empty:
            continue
        d = np.hypot((sub.xs - F32(cx)) / F32(rx), (sub.ys - F32(cy)) / F32(rx * 0.35))
        w = np.clip(F32(1.0) - d, 0.0, 1.0) ** 1.5
        view = m[sub.y0 - r.y0 : sub.y1 - r.y0, sub.x0 - r.x0 : sub.x1 - r.x0]
        np.maximum(view, w, out=view)
    return r, m


class SparseLight:
    """Light maps over one Region, added as `buf += sum(map_k * colour_k)` with a whole-pixel
    shift. Kept only where a map is > 0 (tiles, see `_tiles`: dapples cover a sixth of their
    box, glints a fiftieth) and laid out as rows of interleaved RGB, so each add is a
    contiguous pass instead of three strided ones per channel over the whole box."""

    def __init__(self, r: S.Region, maps: list[np.ndarray], overhead: int = 1000) -> None:
        used = np.logical_or.reduce([m > 0.0 for m in maps])
        self.tiles = []
        for y0, y1, x0, x1 in _tiles(used, overhead, min_gap=4):
            reps = [np.repeat(m[y0:y1, x0:x1], 3, axis=1) for m in maps]
            self.tiles.append((r.y0 + y0, r.y0 + y1, r.x0 + x0, r.x0 + x1, reps,
                               np.empty(reps[0].shape, F32)))
        self.maxw = max([t[3] - t[2] for t in self.tiles], default=1)

    def add(self, buf: np.ndarray, colors: list[np.ndarray], shift=(0, 0)) -> None:
        h, w = buf.shape[:2]
        rows = _wide_rows(self.maxw, *colors)
        ix, iy = shift
        for y0, y1, x0, x1, reps, tmp in self.tiles:
            cy0, cy1 = max(0, y0 + iy), min(h, y1 + iy)
            cx0, cx1 = max(0, x0 + ix), min(w, x1 + ix)
            if cy1 <= cy0 or cx1 <= cx0:
                continue
            rs = slice(cy0 - y0 - iy, cy1 - y0 - iy)
            cs = slice((cx0 - x0 - ix) * 3, (cx1 - x0 - ix) * 3)
            m3 = (cx1 - cx0) * 3
            dst = buf[cy0:cy1, cx0:cx1].reshape(cy1 - cy0, m3)
            t = tmp[rs, cs]
            for rep, row in zip(reps, rows):
                np.multiply(rep[rs, cs], row[:m3], out=t)
                dst += t


class LightPoints:
    """A sparse light map (glints: a fiftieth of their box is lit) added as
    `buf += map * colour` at its few lit pixels: one gather-add over flat indices (cached
    per whole-pixel shift) instead of passes over the box."""

    def __init__(self, r: S.Region, m: np.ndarray) -> None:
        ys, xs = np.nonzero(m > 0.0)
        self.ys = (ys + r.y0).astype(np.intp)
        self.xs = (xs + r.x0).astype(np.intp)
        self.vals = m[ys, xs].astype(F32)
        self._key: tuple | None = None

    def add(self, buf: np.ndarray, color: np.ndarray, shift=(0, 0)) -> None:
        h, w = buf.shape[:2]
        key = (shift, h, w)
        if key != self._key:
            ys, xs = self.ys + shift[1], self.xs + shift[0]
            ok = (ys >= 0) & (ys < h) & (xs >= 0) & (xs < w)
            self._idx = (((ys * w + xs)[ok] * 3)[:, None] + np.arange(3)).ravel()
            self._v = self.vals[ok][:, None]
            self._add = np.empty((len(self._v), 3), F32)
            self._key = key
        np.multiply(self._v, np.asarray(color, F32)[None, :], out=self._add)
        flat = buf.reshape(-1)
        flat[self._idx] += self._add.ravel()


@motif("grove", LAYER_NEAR, "ancient wide trees with deep roots framing a sanctuary")
class Grove(Motif):
    def __init__(self, canvas: Canvas, rng: np.random.Generator) -> None:
        super().__init__(canvas, rng)
        W, H = canvas.w, canvas.h
        u = H / 360.0
        ground = min(H * 0.97, (canvas.horizon + 0.26) * H)
        # far trunks between the great trees, paler with distance
        mx, my = S.parallax_margin(canvas)  # drift can reveal beyond the edge
        fb = S.SpriteBuilder(canvas, 0, -my, W, canvas.horizon * H + 0.08 * H, (mx, my))
        for k in range(6):
            x = W * (0.22 + 0.56 * (k + float(rng.uniform(-0.35, 0.35))) / 5)
            fb.polyline(
                S.bezier(
                    (x, canvas.horizon * H + 0.04 * H),
                    (x + rng.uniform(-8, 8) * u, 0.35 * H),
                    (x + rng.uniform(-15, 15) * u, 0.0),
                    n=10,
                ),
                np.linspace(float(rng.uniform(3, 6)) * u, 2 * u, 10),
                shade=0.5,
            )
        self.far = BakedSprite(fb.build())
        b = S.SpriteBuilder(canvas, -mx, -my, W + mx, ground + 0.04 * H, (mx, my))
        canopy_pts = []
        for side in (-1.0, 1.0):
            bx = W * 0.5 + side * (W * 0.5 - 0.16 * H)
            # roots: deep and spreading, both ways along the ground
            for k in range(5):
                d = (-1.0 if k % 2 else 1.0) * (0.08 + 0.05 * k) * H
                rt = (bx + d, ground + (0.006 + 0.006 * k) * H)
                b.polyline(
                    S.bezier((bx, ground - 0.1 * H), (bx + d * 0.25, ground - 0.02 * H), rt, n=12),
                    np.linspace(16 * u, 1.5 * u, 12),
                    shade=0.3,
                )
            # the trunk: massive, tapering, a slight twist
            pts = S.bezier(
                (bx, ground),
                (bx - side * 0.03 * H, 0.6 * H),
                (bx + side * 0.02 * H, 0.35 * H),
                (bx - side * 0.01 * H, 0.16 * H),
                20,
            )
            trunk(b, pts, 30 * u, 17 * u, 0.35)
            canopy_pts.extend(pts[-4:])  # the crown closes over the top of the trunk
            # wide limbs reaching across toward the middle and out over the edge
            for k in range(4):
                inward = -side * (0.25 + 0.12 * k) * H
                y0 = (0.3 - 0.05 * k) * H
                start = pts[int(np.clip(12 + k * 2, 0, 19))]
                limb = S.bezier(
                    start,
                    (start[0] + inward * 0.4, y0 - 0.06 * H),
                    (start[0] + inward, y0 - 0.14 * H + 0.03 * k * H),
                    n=18,
                )
                b.polyline(limb, np.linspace((13 - 2 * k) * u, 2.5 * u, 18), shade=0.35)
                canopy_pts.extend(limb[6:])
            limb = S.bezier(
                pts[14], (bx + side * 0.12 * H, 0.22 * H), (bx + side * 0.3 * H, 0.1 * H), n=12
            )
            b.polyline(limb, np.linspace(11 * u, 3 * u, 12), shade=0.35)
            canopy_pts.extend(limb[4:])
        canopy(b, rng, np.array(canopy_pts), H, 210, 0.027, 0.066)
        # a high arch of leaves closing the sanctuary above
        arch = np.stack([np.linspace(-mx, W + mx, 30), np.full(30, 0.03 * H)], axis=1)
        canopy(b, rng, arch, H, 70, 0.037, 0.08)
        body = b.build()
        shade_from_left(body, W * 0.5, W, 0.3)
        leaf_texture(body, rng, 24)
        self.body = BakedSprite(body)
        # dappled sunlight on the ground and glinting in the leaves
        gy = canvas.horizon * H
        self.d1 = dapples(
            canvas, rng, 26, gy + 0.02 * H, ground + 0.02 * H, 0.1 * W, 0.9 * W, 0.05 * H
        )
        self.d2 = dapples(
            canvas, rng, 26, gy + 0.02 * H, ground + 0.02 * H, 0.1 * W, 0.9 * W, 0.05 * H
        )
        self.glints = dapples(canvas, rng, 60, 0.0, 0.3 * H, 0.0, W, 0.012 * H)
        self.dapple_light = SparseLight(self.d1[0], [self.d1[1], self.d2[1]])
        self.glint_light = LightPoints(*self.glints)

    def draw(self, canvas: Canvas, intensity: float, t: float, ctx: FrameContext) -> None:
        if intensity <= 0.0:
            return
        pal = ctx.palette
        a = float(min(1.0, intensity))
        far_lit = pal.far * F32(0.9) + pal.mist * F32(0.1)
        self.far.paint(
            canvas.rgb, pal.far * F32(0.8), far_lit, a * 0.8, S.camera_shift(ctx, canvas, DEPTH_MID)
        )
        # dappled sun on the ground first, so the trunks stand in front of it
        sun = pal.light * F32(0.7) + pal.accent * F32(0.3)
        b1 = S.breathe(t, 0.07)
        col = sun * F32(0.16 * a)
        ground = S.whole(S.camera_shift(ctx, canvas, DEPTH_GROUND))
        self.dapple_light.add(canvas.rgb, [col * F32(0.35 + 0.65 * b1),
                                           col * F32(0.35 + 0.65 * (1.0 - b1))], ground)
        dark = pal.near * F32(0.8)
        lit = pal.near * F32(0.7) + pal.ground * F32(0.35) + pal.light * F32(0.08)
        near = S.camera_shift(ctx, canvas, DEPTH_NEAR)
        self.body.paint(canvas.rgb, dark, lit, a, near)
        self.glint_light.add(canvas.glow, sun * F32(0.05 * a * (0.6 + 0.4 * b1)), S.whole(near))


# --- a single great tree ------------------------------------------------------------------


@motif("tree", LAYER_NEAR, "a single great tree")
class Tree(Motif):
    def __init__(self, canvas: Canvas, rng: np.random.Generator) -> None:
        super().__init__(canvas, rng)
        W, H = canvas.w, canvas.h
        u = H / 360.0
        ground = (canvas.horizon + 0.12) * H
        x = W * 0.68
        b = S.SpriteBuilder(canvas, x - 0.6 * H, 0, x + 0.6 * H, ground + 0.04 * H)
        tips = []

        def branch(p, ang, length, width, depth):
            end = (p[0] + math.cos(ang) * length, p[1] + math.sin(ang) * length)
            bend = (
                p[0] + math.cos(ang + 0.25) * length * 0.5,
                p[1] + math.sin(ang + 0.25) * length * 0.5,
            )
            pts = S.bezier(p, bend, end, n=8)
            b.polyline(pts, np.linspace(width, width * 0.62, 8), shade=0.3)
            if depth == 0:
                tips.append(end)
                return
            for da in (-0.45, 0.4) if depth % 2 else (-0.5, 0.05, 0.5):
                branch(
                    end,
                    ang + da + float(rng.uniform(-0.15, 0.15)),
                    length * float(rng.uniform(0.62, 0.78)),
                    width * 0.62,
                    depth - 1,
                )

        # trunk with flaring roots
        for d in (-1.0, -0.4, 0.5, 1.0):
            b.polyline(
                S.bezier(
                    (x, ground - 0.05 * H),
                    (x + d * 0.03 * H, ground),
                    (x + d * 0.1 * H, ground + 0.012 * H),
                    n=8,
                ),
                np.linspace(10 * u, 1.5 * u, 8),
                shade=0.25,
            )
        trunk_top = (x - 0.01 * H, ground - 0.3 * H)
        trunk(
            b,
            S.bezier((x, ground), (x + 0.02 * H, ground - 0.15 * H), trunk_top, n=12),
            18 * u,
            11 * u,
            0.3,
        )
        for ang in (-2.3, -1.75, -1.3, -0.85):
            branch(trunk_top, ang, 0.13 * H, 9 * u, 3)
        tips_arr = np.array(tips)
        canopy(b, rng, tips_arr, H, 170, 0.022, 0.05)
        body = b.build()
        shade_from_left(body, x, 0.9 * H, 0.35)
        leaf_texture(body, rng, 16)
        self.body = BakedSprite(body)
        # two sets of glints over the crown, cross-faded in draw (the rng places each anew)
        crown = (
            float(tips_arr[:, 1].min()) - 0.05 * H,
            float(tips_arr[:, 1].max()) + 0.03 * H,
            x - 0.4 * H,
            x + 0.4 * H,
            0.012 * H,
        )
        self.glints_a = dapples(canvas, rng, 30, *crown)
        self.glints_b = dapples(canvas, rng, 30, *crown)
        sh = S.region_around(canvas, x, ground + 0.01 * H, 0.45 * H, 0.03 * H)
        dx = (sh.xs - F32(x)) / F32(0.42 * H)
        dy = (sh.ys - F32(ground + 0.01 * H)) / F32(0.025 * H)
        self.shadow = (sh, (np.clip(1.0 - dx * dx - dy * dy, 0.0, 1.0) ** 2 * 0.4).astype(F32))

    def draw(self, canvas: Canvas, intensity: float, t: float, ctx: FrameContext) -> None:
        if intensity <= 0.0:
            return
        pal = ctx.palette
        a = float(min(1.0, intensity))
        off = S.camera_shift(ctx, canvas, DEPTH_GROUND)
        iw = S.whole(off)
        S.over(canvas.rgb, self.shadow[0], self.shadow[1] * F32(a), pal.near * F32(0.4), iw)
        dark = pal.near * F32(0.8)
        lit = pal.near * F32(0.6) + pal.ground * F32(0.4) + pal.light * F32(0.08)
        self.body.paint(canvas.rgb, dark, lit, a, off)
        sun = pal.light * F32(0.7) + pal.accent * F32(0.3)
        w = S.breathe(t, 0.09)
        for (r, m), k in ((self.glints_a, w), (self.glints_b, 1.0 - w)):
            S.add(canvas.rgb, r, m, sun * F32(0.1 * a * k), iw)
