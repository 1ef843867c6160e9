"""The ground below the horizon: meadow, a mosaic of glowing memory tiles, a winding path,
shores, sand, snow, the edge of an abyss, and cave walls. Ground textures are projected on a
perspective plane once in __init__; a frame recolours them from the palette and animates only
what moves (grass sway, tile pulses, sparkles)."""

from __future__ import annotations

import numpy as np

from visualizer.engine.canvas import Canvas
from visualizer.engine.color import oklab_to_linear
from visualizer.engine.land import Profile, oklab_mix, paint_silhouette, rep3, wide, wide3
from visualizer.engine.noise import fbm_1d, fbm_2d
from visualizer.engine.registry import LAYER_GROUND, FrameContext, Motif, Palette, motif
from visualizer.engine.view import DEPTH_GROUND, DEPTH_NEAR, parallax

F32 = np.float32
TAU = 2.0 * np.pi
CAM_HEIGHT = 0.05  # plane depth z = CAM_HEIGHT / (v - horizon)


class Plane:
    """Perspective coordinates of the ground rows: depth z per row, world X per pixel."""

    def __init__(self, canvas: Canvas) -> None:
        self.y0 = min(canvas.h - 1, int(np.floor(canvas.horizon * canvas.h)))
        self.rows = canvas.h - self.y0
        v = canvas.v[self.y0 :].astype(np.float64)
        self.dy = np.maximum(v - canvas.horizon, 0.5 / canvas.h)
        self.z = CAM_HEIGHT / self.dy  # (rows, 1)
        self.X = (canvas.u.astype(np.float64) - 0.5) * canvas.aspect * self.z  # (rows, w)
        self.pix = canvas.aspect * self.z / canvas.w  # world size of one pixel per row
        self.fog = np.exp(-self.z / 2.5)  # 1 near .. 0 at the horizon (rows, 1)

    def sample(self, tex: np.ndarray, sx: float, sz: float) -> np.ndarray:
        """Look up a periodic texture on the plane (nearest, init only)."""
        th, tw = tex.shape
        xi = np.floor(self.X * sx).astype(np.int64) % tw
        zi = np.floor(self.z * sz).astype(np.int64) % th
        return tex[zi, xi]


def ground_rows(pal: Palette, plane: Plane, base: np.ndarray, far_mix: float = 0.55) -> np.ndarray:
    """Per-row colour of a ground: hazy horizon colour far away, `base` in the middle
    distance, a little darker and nearer `near` at the bottom. (rows, 1, 3) float32."""
    far = oklab_mix(base, pal.horizon, far_mix)
    near = oklab_mix(base, pal.near, 0.3)
    f = plane.fog[:, 0]  # 0 far .. 1 near
    t = np.clip((f - 0.05) / 0.5, 0, 1)[:, None]
    t2 = np.clip((f - 0.55) / 0.45, 0, 1)[:, None]
    rows = far * (1 - t) + base * t
    rows = rows * (1 - t2) + near * t2
    return rows[:, None, :].astype(F32)


def fill(canvas: Canvas, y0: int, col: np.ndarray, intensity: float, key: str,
         tex: np.ndarray | None = None) -> np.ndarray:
    """Paint rows y0.. with col (rows,1,3) [* tex (rows,w,3)], blended by intensity. Returns
    the painted region view. Per-row colours are written one channel at a time (a (rows,1,3)
    broadcast is slow in numpy)."""
    seg = canvas.rgb[y0:]
    dst = seg if intensity >= 0.999 else canvas.scratch(key, seg.shape)
    for c in range(3):
        if tex is None:
            dst[:, :, c] = col[:, 0, c : c + 1]
        else:
            np.multiply(tex[:, :, c], col[:, 0, c : c + 1], out=dst[:, :, c])
    if dst is not seg:
        dst -= seg
        dst *= F32(intensity)
        seg += dst
    return seg


class _Ground(Motif):
    def __init__(self, canvas: Canvas, rng: np.random.Generator) -> None:
        super().__init__(canvas, rng)
        self.plane = Plane(canvas)


@motif("meadow", LAYER_GROUND, "soft grass swaying in the wind")
class Meadow(_Ground):
    """A green plain with a fine grass texture in perspective, and two rows of grass blades
    along the bottom that sway on the wind (tips lean, roots stay)."""

    def __init__(self, canvas: Canvas, rng: np.random.Generator) -> None:
        super().__init__(canvas, rng)
        p = self.plane
        noise = fbm_2d(128, 256, rng, cy=16, cx=16, octaves=3)
        streak = fbm_2d(64, 512, rng, cy=8, cx=64, octaves=2)
        patches = fbm_2d(64, 64, rng, cy=4, cx=4, octaves=3)
        tex = (1.0 + 0.12 * p.sample(noise, 3.0, 3.0) + 0.08 * p.sample(streak, 8.0, 1.0)
               + 0.15 * p.sample(patches, 0.6, 0.6))
        tex = 1.0 + (tex - 1.0) * np.clip(p.fog * 1.5, 0, 1)  # texture fades far away
        self.tex = rep3(tex)
        self.field = np.empty((p.rows, canvas.w, 3), F32)
        self.field_pal: Palette | None = None
        w, _h = canvas.w, canvas.h
        self.layers = []
        for k, (count, hmin, hmax, wmin, wmax) in enumerate(
            ((int(w * 1.2), 0.05, 0.11, 1.8, 3.2), (int(w * 0.7), 0.09, 0.2, 2.2, 4.5))
        ):
            x = rng.uniform(0, w, count)
            hh = rng.uniform(hmin, hmax, count) * rng.uniform(0.6, 1.0, count)
            half = rng.uniform(wmin, wmax, count) * w / 960.0 + 0.6
            span = int(np.ceil(half.max())) + 1
            offs = np.arange(-span, span + 1).astype(F32)
            self.layers.append(
                dict(
                    x=x.astype(F32),
                    h=hh.astype(F32),
                    half=half.astype(F32),
                    offs=offs,
                    phase=rng.uniform(0, TAU, count).astype(F32),
                    amp=(rng.uniform(0.6, 1.0, count) * (2.5 + 2.5 * k) * w / 960).astype(F32),
                    top=np.empty(w, F32),
                )
            )

    def _blades(self, layer: dict, t: float, ctx: FrameContext) -> np.ndarray:
        w = self.canvas.w
        top = layer["top"]
        top.fill(2.0)
        # a gust travels across the field: phase depends on x
        sway = np.sin(layer["phase"] * 0.3 + layer["x"] * F32(0.01) - F32(t * 0.7 * ctx.pace))
        sway += 0.4 * np.sin(layer["phase"] + F32(t * 1.3 * ctx.pace))
        tip = layer["x"] + layer["amp"] * F32(0.4 + ctx.wind) * sway
        tip += F32(parallax(ctx, DEPTH_NEAR)[0] * w)  # the near grass follows the camera
        tip %= F32(w)
        cols = np.floor(tip)[:, None] + layer["offs"][None, :]
        d = np.abs(cols + 0.5 - tip[:, None]) / layer["half"][:, None]
        val = 1.0 - layer["h"][:, None] * np.clip(1.0 - d, 0, 1) ** 0.7
        ok = (cols >= 0) & (cols < w) & (d < 1.0)
        np.minimum.at(top, cols[ok].astype(np.intp), val[ok].astype(F32))
        return top

    def _colours(self, pal: Palette) -> tuple[np.ndarray, list[tuple[np.ndarray, np.ndarray]]]:
        """The grass colours (green, and blade/tip per layer): OKLab mixes of the palette,
        cached by the colours they come from."""
        key = (pal.ground.tobytes(), pal.near.tobytes(), pal.light.tobytes())
        if key != getattr(self, "_col_key", None):
            green = oklab_mix(pal.ground, np.array([0.1, 0.3, 0.06], F32), 0.2)
            layers = []
            for k in range(len(self.layers)):
                blade = oklab_mix(green, pal.near, 0.15 + 0.2 * k)
                layers.append((blade, oklab_mix(blade, pal.light, 0.2)))
            self._cols = (green, layers)
            self._col_key = key
        return self._cols

    def _silhouette(self, canvas: Canvas, k: int, tops: np.ndarray, tip: np.ndarray,
                    blade: np.ndarray, intensity: float) -> None:
        """`paint_silhouette(canvas, tops, tip, intensity, ..., blade, 0.05)` with its
        colour ramp (tip colour hazing to the blade colour down the rows) cached by colours
        and top row: five passes over the band instead of seven."""
        h, w = canvas.h, canvas.w
        top_px = canvas.scratch(f"meadow{k}:top", (w,))
        np.multiply(tops, h, out=top_px)
        y0 = max(0, int(np.floor(top_px.min())))
        y1 = min(h, int(np.ceil(top_px.max())) + 1)
        if y0 >= h:
            return
        # the ramp depends on the distance below the top row only: rows j = 0..n-1 of it
        # change, every row from n on is the blade colour. Kept small (n rows and one row),
        # so a cross-fade, where the colours move at every refresh, rebuilds it cheaply.
        key = (tip.tobytes(), blade.tobytes(), h)
        cache = self._targets.get(k)
        if cache is None or cache[0] != key:
            n = min(h, int(np.ceil(max(1.0, 0.05 * h))) + 1)
            d = np.clip(np.arange(n + 1, dtype=np.float32) / max(1.0, 0.05 * h), 0, 1)
            d = (d * d * (3 - 2 * d))[:, None]
            c_top = wide(tip, w)
            rows = (d * (wide(blade, w) - c_top) + c_top).astype(F32)
            cache = self._targets[k] = (key, rows[:n], rows[n])
        ramp, floor = cache[1], cache[2]
        n = len(ramp)

        def target_rows(j0: int, j1: int, out: np.ndarray) -> np.ndarray:
            """Rows j0..j1 of the ramp below the top row, into `out`."""
            r = max(j0, min(j1, n))
            if r > j0:
                out[: r - j0] = ramp[j0:r]
            if j1 > r:
                out[r - j0 :] = floor
            return out

        rgb = canvas.rgb.reshape(h, w * 3)
        if y1 > y0:
            top3 = canvas.scratch(f"meadow{k}:top3", (w * 3,))
            top3.reshape(w, 3)[:] = top_px[:, None]
            band = canvas.scratch(f"meadow{k}:band", (y1 - y0, w * 3))
            ys = self._ys[y0:y1]  # +0.5 centre, +0.5 AA
            np.subtract(ys, top3[None, :], out=band)
            np.clip(band, 0.0, 1.0, out=band)
            if intensity < 1.0:
                band *= np.float32(intensity)
            seg = rgb[y0:y1]
            tb = canvas.scratch(f"meadow{k}:tb", band.shape)
            np.subtract(target_rows(0, y1 - y0, tb), seg, out=tb)
            tb *= band
            seg += tb
        if y1 < h:
            seg = rgb[y1:]
            if intensity >= 0.999 and y1 - y0 >= n:
                np.copyto(seg, floor)
            else:
                tb = canvas.scratch(f"meadow{k}:low", seg.shape)
                target_rows(y1 - y0, h - y0, tb)
                if intensity >= 0.999:
                    np.copyto(seg, tb)
                else:
                    np.subtract(tb, seg, out=tb)
                    tb *= np.float32(intensity)
                    seg += tb

    def draw(self, canvas: Canvas, intensity: float, t: float, ctx: FrameContext) -> None:
        pal = ctx.palette
        p = self.plane
        if not hasattr(self, "_targets"):
            self._targets: dict[int, tuple] = {}
            self._ys = (np.arange(canvas.h, dtype=np.float32) + 1.0)[:, None]
        green, layer_cols = self._colours(pal)
        if self.field_pal is not pal:  # the field only changes with the palette
            for c, rows in enumerate(ground_rows(pal, p, green, 0.15)[:, 0, :].T):
                np.multiply(self.tex[:, :, c], rows[:, None], out=self.field[:, :, c])
            self.field_pal = pal
        seg = canvas.rgb[p.y0 :]
        if intensity >= 0.999:
            np.copyto(seg, self.field)
        else:
            buf = canvas.scratch("meadow", seg.shape)
            np.subtract(self.field, seg, out=buf)
            buf *= F32(intensity)
            seg += buf
        for k, layer in enumerate(self.layers):
            top = self._blades(layer, t, ctx)
            blade, tip = layer_cols[k]
            self._silhouette(canvas, k, top, tip, blade, intensity)


@motif("mosaic", LAYER_GROUND, "ground made of glowing tiles of memory, each a different hue")
class Mosaic(_Ground):
    """Square tiles laid in perspective, each its own hue (like coloured glass), separated by
    dark grout; every tile glows on its own slow pulse and the glow blooms."""

    TILE = 0.045
    DEEP = 1.8  # tiles run longer in depth, so they stay readable further away

    def __init__(self, canvas: Canvas, rng: np.random.Generator) -> None:
        super().__init__(canvas, rng)
        p = self.plane
        gx = p.X / self.TILE
        gz = np.broadcast_to(p.z / (self.TILE * self.DEEP), gx.shape)
        ix, iz = np.floor(gx).astype(np.int64), np.floor(gz).astype(np.int64)
        ntab = 4096
        tid = ((ix * 73856093) ^ (iz * 19349663)) % ntab
        self.tid = tid.astype(np.intp)
        # tile colours in OKLCh: varied hues, soft chroma
        hue = rng.uniform(0, TAU, ntab)
        light = rng.uniform(0.6, 0.82, ntab)
        chroma = rng.uniform(0.035, 0.085, ntab)  # soft, like old stained glass
        lab = np.stack([light, chroma * np.cos(hue), chroma * np.sin(hue)], 1)
        self.table = np.clip(oklab_to_linear(lab), 0, None).astype(F32)  # (ntab, 3)
        # grout: distance to the tile edge in pixels, anti-aliased; fades out with distance
        fx, fz = gx - ix, gz - iz
        zpix = p.z / (p.dy * canvas.h)  # world depth covered by one pixel row
        edge = np.minimum(np.minimum(fx, 1 - fx) * self.TILE / p.pix,
                          np.minimum(fz, 1 - fz) * self.TILE * self.DEEP / zpix)
        grout = np.clip(edge - 0.5, 0, 1)
        fog = p.fog
        grout = 1.0 - (1.0 - grout) * np.clip(fog * 2.0, 0, 1)
        # each tile a little brighter in its middle (a glassy bevel), dark grout between
        bevel = np.clip(np.minimum(np.minimum(fx, 1 - fx), np.minimum(fz, 1 - fz)) * 4.0, 0, 1)
        bevel = 0.82 + 0.18 * bevel * np.clip(fog * 2.0, 0, 1)
        shade = (0.35 + 0.65 * grout) * bevel * (0.5 + 0.5 * np.clip(fog * 1.4, 0, 1))
        # tiles fade into the haze before they shrink to a few pixels (no moire far away)
        tile_px = self.TILE * self.DEEP / zpix  # tile height in pixels (the first to shrink)
        sharp = np.sqrt(np.clip((tile_px - 0.6) / 8.0, 0, 1))
        sharp = sharp * sharp * (3 - 2 * sharp)
        clear = np.clip(fog * 1.6, 0, 1) * sharp  # 1 - haze, per row
        self.clear_rows = clear.astype(F32).reshape(-1, 1)
        # the tile shade already faded by the haze (see draw)
        self.shade_clear = rep3(shade * clear)
        # rows lost in the haze (clear 0, next to the horizon) are the haze alone
        self.k0 = int(np.argmax(self.clear_rows[:, 0] > 0.0)) if clear.max() > 0 else p.rows
        self.freq = rng.uniform(0.03, 0.12, ntab).astype(F32)
        self.phase = rng.uniform(0, TAU, ntab).astype(F32)
        self.pulse = np.empty(ntab, F32)

    def draw(self, canvas: Canvas, intensity: float, t: float, ctx: FrameContext) -> None:
        pal = ctx.palette
        p = self.plane
        np.multiply(self.freq, F32(TAU * t), out=self.pulse)
        self.pulse += self.phase
        np.sin(self.pulse, out=self.pulse)
        self.pulse *= 0.35
        self.pulse += 0.85
        # per-tile colour this frame (a small table), then one gather per pixel
        tint = oklab_mix(pal.light, pal.ground, 0.15) * F32(0.9 + 0.3 * (1 - pal.night))
        table = (self.table * self.pulse[:, None] * (tint * F32(0.85))).astype(F32)
        w, k0 = canvas.w, self.k0
        n = p.rows - k0
        buf = canvas.scratch("mosaic", self.shade_clear[k0:].shape)
        np.take(table, self.tid[k0:], axis=0, out=buf, mode="clip")
        # far away the tiles blend to their average colour, then into the horizon haze
        floor = oklab_mix(pal.ground, pal.light, 0.3) * F32(0.15)
        avg = table.mean(axis=0) * F32(0.45) + floor
        haze = oklab_mix(avg, pal.horizon, 0.35)
        # X = (tile*shade + floor - haze) * clear, with the clear (per row) folded into the
        # shade at init: X = tile*shade_clear + clear x (floor - haze); the tiles glow by X
        # and the ground is X + haze (four passes fewer than step by step)
        x = buf.reshape(n, w * 3)
        x *= self.shade_clear[k0:].reshape(n, w * 3)
        tmp = canvas.scratch("mosaic:glow", x.shape)
        np.multiply(self.clear_rows[k0:], wide(floor - haze, w), out=tmp)
        x += tmp
        np.multiply(x, F32(0.4 * intensity), out=tmp)  # tiles glow, fading into the haze
        canvas.glow[p.y0 + k0 :].reshape(n, w * 3)[:] += tmp
        seg = canvas.rgb[p.y0 :].reshape(p.rows, w * 3)
        haze_row = wide(haze, w)
        if intensity >= 1.0:
            np.add(x, haze_row, out=seg[k0:])
            seg[:k0] = haze_row
        else:
            x += haze_row
            x -= seg[k0:]
            x *= F32(intensity)
            seg[k0:] += x
            far = seg[:k0]
            far += (haze_row - far) * F32(intensity)


def _winding(
    canvas: Canvas,
    plane: Plane,
    half_width: float,
    amp: float,
    freq: float,
    phase: float,
    soft: float,
) -> np.ndarray:
    """Alpha (rows, w, 1) of a band winding away into the distance on the ground plane."""
    z = plane.z
    cx = amp * (np.sin(z * freq + phase) - np.sin(0.2 * freq + phase)) * np.clip(z / 0.6, 0, 1)
    u = canvas.u.astype(np.float64)
    X = (u - 0.5) * canvas.aspect * z
    d = np.abs(X - cx) / half_width  # 1 at the edge
    edge_px = np.maximum(soft, 1.5 * plane.pix / half_width)
    a = np.clip((1.0 - d) / edge_px + 0.5, 0, 1)
    a = a * a * (3 - 2 * a)
    a *= np.clip((plane.dy - 0.004) / 0.03, 0, 1)  # melts into the haze at the horizon
    return rep3(a)


@motif("path", LAYER_GROUND, "a path winding into the distance")
class Path(_Ground):
    """A pale earthen path winding away to the horizon, soft-edged, lightly textured."""

    static = True

    def __init__(self, canvas: Canvas, rng: np.random.Generator) -> None:
        super().__init__(canvas, rng)
        self.alpha = _winding(canvas, self.plane, 0.075, 0.35, 1.1, 0.8, 0.18)
        noise = fbm_2d(128, 128, rng, cy=12, cx=12, octaves=3)
        tex = 1.0 + 0.1 * self.plane.sample(noise, 6.0, 6.0) * np.clip(self.plane.fog * 2, 0, 1)
        self.tex = rep3(tex)

    def draw(self, canvas: Canvas, intensity: float, t: float, ctx: FrameContext) -> None:
        pal = ctx.palette
        p = self.plane
        # pale earth by day; at night only faintly lighter than the grass beside it
        earth = oklab_mix(pal.ground, pal.light, 0.4 - 0.2 * pal.night)
        earth *= F32(1.0 - 0.35 * pal.night)
        rows = ground_rows(pal, p, earth, 0.4)
        seg = canvas.rgb[p.y0 :]
        buf = canvas.scratch("path", seg.shape)
        for c in range(3):
            np.multiply(self.tex[:, :, c], rows[:, 0, c : c + 1], out=buf[:, :, c])
        buf -= seg
        buf *= self.alpha
        if intensity < 1.0:
            buf *= F32(intensity)
        seg += buf


def near_shore_top(u: np.ndarray) -> np.ndarray:
    """Top edge (fraction of h) of the near shore along the bottom of the frame; water
    motifs stop there when `shore` shows. Deterministic so both sides agree."""
    return (0.905 + 0.03 * np.sin(u * 5.1 + 0.7) + 0.015 * np.sin(u * 13.3 + 2.1)).astype(F32)


def near_bank_top(w: int) -> np.ndarray:
    """Per-column top (fraction of h) of the near bank with its grass, for a canvas `w`
    wide: the same for the shore that paints it and the water that stops at it (fixed seed)."""
    rng = np.random.default_rng(20261124)
    u = (np.arange(w, dtype=np.float64) + 0.5) / w
    near = near_shore_top(u) + 0.004 * fbm_1d(w, rng, cells=40, octaves=2)
    return (near - _grass_tufts(w, rng)).astype(F32)


def _grass_tufts(w: int, rng: np.random.Generator) -> np.ndarray:
    """Heights (fractions of h) of grass and reeds standing up from a bank, per column: thin
    tapering blades gathered in clumps, so the bank's crest reads as grass, not a smooth hill."""
    out = np.zeros(w)
    clump = np.clip(0.4 + 0.9 * fbm_1d(w, rng, cells=9, octaves=3), 0, 1)
    n = int(w * 1.2)
    x = rng.uniform(0, w, n)
    keep = rng.random(n) < 0.3 + 0.7 * clump[x.astype(int)]
    x = x[keep]
    k = len(x)
    # mostly short grass, here and there a taller reed
    tall = np.where(rng.random(k) < 0.8, 0.003 + 0.007 * rng.random(k),
                    0.01 + 0.035 * rng.random(k) ** 2)
    half = rng.uniform(0.5, 0.9, len(x)) * max(1.0, w / 960.0)
    lean = np.zeros(len(x))
    span = int(np.ceil(half.max() + np.abs(lean).max())) + 1
    for off in range(-span, span + 1):
        cols = np.floor(x).astype(int) + off
        # a blade: full height at its (leaning) tip column, tapering to its width at the root
        d = np.abs(cols + 0.5 - (x + lean * 0.5)) / (half + np.abs(lean) * 0.5)
        hgt = tall * np.clip(1.0 - d, 0, 1) ** 0.5
        ok = (cols >= 0) & (cols < w)
        np.maximum.at(out, cols[ok], hgt[ok])
    return out


@motif("shore", LAYER_GROUND, "the near and far shore of a body of water")
class Shore(_Ground):
    """A far shore at the horizon (a low treeline: groves of soft rounded crowns with open
    stretches between, darker than the sky so the shoreline reads and mirrors in the water)
    and a near bank of grass along the bottom, its crest touched by the light; water painted
    later fills the space between."""

    static = True

    def __init__(self, canvas: Canvas, rng: np.random.Generator) -> None:
        super().__init__(canvas, rng)
        n = canvas.w * 2
        hz = canvas.horizon
        groves = np.clip(0.5 + 0.9 * fbm_1d(n, rng, cells=5, octaves=3), 0, 1) ** 1.3
        crowns = 0.5 + 0.5 * fbm_1d(n, rng, cells=70, octaves=3)
        far = hz - 0.003 - 0.008 * groves - 0.03 * groves * crowns**2
        self.far = Profile(far, canvas.w)
        self.near = near_bank_top(canvas.w)

    def draw(self, canvas: Canvas, intensity: float, t: float, ctx: FrameContext) -> None:
        pal = ctx.palette
        dx, dy = parallax(ctx, DEPTH_GROUND)
        # distant trees: darker than the horizon sky, a little hazed towards it
        far_col = oklab_mix(oklab_mix(pal.far, pal.near, 0.45), pal.horizon, 0.16)
        paint_silhouette(
            canvas,
            self.far.sample(dx * canvas.w) + F32(dy),
            far_col,
            intensity,
            "shore-far",
            oklab_mix(far_col, pal.near, 0.25),
            0.03,
        )
        bank = oklab_mix(pal.ground, pal.near, 0.6)
        paint_silhouette(
            canvas, self.near, oklab_mix(bank, pal.light, 0.18), intensity, "shore-near", bank,
            0.025,
        )


@motif("sand", LAYER_GROUND, "pale sand")
class Sand(_Ground):
    """Pale sand with wind ripples drawn in perspective."""

    static = True

    def __init__(self, canvas: Canvas, rng: np.random.Generator) -> None:
        super().__init__(canvas, rng)
        p = self.plane
        warp = fbm_2d(64, 64, rng, cy=4, cx=4, octaves=3)
        w = p.sample(warp, 1.5, 1.5)
        ripple = np.sin(p.z * 38.0 + 3.0 * w + p.X * 4.0) * 0.06
        grain = 0.04 * p.sample(fbm_2d(128, 128, rng, cy=32, cx=32, octaves=2), 12, 12)
        tex = 1.0 + (ripple + grain) * np.clip(p.fog * 1.6, 0, 1)
        self.tex = rep3(tex)

    def draw(self, canvas: Canvas, intensity: float, t: float, ctx: FrameContext) -> None:
        pal = ctx.palette
        sand = oklab_mix(oklab_mix(pal.ground, pal.horizon, 0.45), pal.light, 0.15)
        fill(
            canvas,
            self.plane.y0,
            ground_rows(pal, self.plane, sand, 0.4),
            intensity,
            "sand",
            self.tex,
        )


@motif("snowfield", LAYER_GROUND, "an untouched field of snow")
class Snowfield(_Ground):
    """Soft drifts of snow, blue in the hollows, with tiny sparkles that glint slowly."""

    def __init__(self, canvas: Canvas, rng: np.random.Generator) -> None:
        super().__init__(canvas, rng)
        p = self.plane
        drift = p.sample(fbm_2d(64, 128, rng, cy=3, cx=6, octaves=3), 0.8, 0.8)
        self.tex = rep3(1.0 + 0.08 * drift * np.clip(p.fog * 2, 0, 1))
        self.hollow = rep3(np.clip(-drift, 0, 1) * 0.6)
        n = canvas.w // 2
        self.sx = rng.integers(0, canvas.w, n)
        self.sy = (p.y0 + (rng.random(n) ** 0.6) * (p.rows - 1)).astype(np.intp)
        self.idx = (self.sy * canvas.w + self.sx).astype(np.intp)
        self.freq = rng.uniform(0.1, 0.4, n).astype(F32)
        self.phase = rng.uniform(0, TAU, n).astype(F32)

    def draw(self, canvas: Canvas, intensity: float, t: float, ctx: FrameContext) -> None:
        pal = ctx.palette
        p = self.plane
        snow = oklab_mix(oklab_mix(pal.ground, pal.light, 0.6), np.ones(3, F32) * 0.85, 0.3)
        seg = fill(canvas, p.y0, ground_rows(pal, p, snow, 0.3), intensity, "snow", self.tex)
        blue = oklab_mix(snow, pal.water, 0.5) - snow
        buf = canvas.scratch("snow:h", seg.shape)
        np.multiply(self.hollow, wide3(blue * F32(intensity), canvas.w), out=buf)
        seg += buf
        glint = np.clip(np.sin(self.freq * F32(TAU * t) + self.phase) * 3 - 2.2, 0, 1)
        add = (glint * F32(0.5 * intensity))[:, None] * pal.light
        canvas.rgb.reshape(-1, 3)[self.idx] += add
        canvas.glow.reshape(-1, 3)[self.idx] += add * F32(0.6)


@motif("abyss", LAYER_GROUND, "the edge of a bottomless chasm falling into darkness")
class Abyss(_Ground):
    """Standing on a ledge of rock at the edge of a chasm. Across it the far edge catches a
    bruised light; its wall falls away in striated rock that fades to black; cliffs on either
    side close in as they drop, their inner edges rim-lit; far down in the dark a faint haze
    of colour hints that it never ends. The ledge underfoot is cracked rock lit at its brink
    by the glow rising from the chasm. All static (cached with the sky)."""

    static = True
    LIP = 0.85  # the brink of the ledge (fraction of h)

    def __init__(self, canvas: Canvas, rng: np.random.Generator) -> None:
        super().__init__(canvas, rng)
        h, w = canvas.h, canvas.w
        hz = canvas.horizon
        self.y0 = min(h - 1, int((hz + 0.012) * h))
        rows = h - self.y0
        v = canvas.v[self.y0 :].astype(np.float64)  # (rows, 1)
        u = canvas.u.astype(np.float64)  # (1, w)
        depth = np.clip((v - hz) / (self.LIP - hz), 0, 1)
        # the far wall: vertical striations of rock, lit from above, gone by a third down
        streaks = fbm_2d(32, w, rng, cy=2, cx=48, octaves=4)
        ri = np.linspace(0, 31, rows).astype(int)
        face = np.exp(-depth * 5.0) * np.clip(0.7 + 0.55 * streaks[ri], 0.1, 1.4)
        # side cliffs closing in as they drop (a canyon seen from its brink)
        jag_l = 0.03 * fbm_1d(rows, rng, cells=12, octaves=4)[:, None]
        jag_r = 0.03 * fbm_1d(rows, rng, cells=12, octaves=4)[:, None]
        xl = 0.04 + 0.3 * depth**0.75 + jag_l
        xr = 0.96 - 0.26 * depth**0.75 + jag_r
        px = 1.0 / w
        inside_l = np.clip((xl - u) / (1.5 * px) + 0.5, 0, 1)
        inside_r = np.clip((u - xr) / (1.5 * px) + 0.5, 0, 1)
        cliff = np.maximum(inside_l, inside_r)
        # their faces: lit near the top and along the inner edge, darkening downwards
        dist = np.minimum(np.maximum(xl - u, 0), np.maximum(u - xr, 0))
        dist = np.where(cliff > 0.5, np.minimum(np.abs(xl - u), np.abs(u - xr)), dist)
        tex = fbm_2d(rows, w, rng, cy=6, cx=14, octaves=4)
        stri = fbm_2d(16, w, rng, cy=2, cx=60, octaves=3)[np.linspace(0, 15, rows).astype(int)]
        cliff_lit = (0.3 + 0.2 * tex + 0.2 * stri) * np.exp(-depth * 2.2) + 1.0 * np.exp(
            -dist / 0.005
        ) * (0.3 + 0.7 * np.exp(-depth * 1.5))
        # the void between: a faint bank of coloured mist far below, then only darkness
        haze = 0.3 * np.exp(-(((u - 0.5) / 0.3) ** 2) - ((depth - 0.5) / 0.16) ** 2)
        self.face = rep3(face * (1 - cliff))
        self.haze = rep3(haze * (1 - cliff))
        self.cliff = rep3(cliff * cliff_lit)
        # soft seam under the far edge
        self.alpha = np.clip((np.arange(rows) + 0.5) / 3.0, 0, 1)[:, None, None].astype(F32)
        n = w * 2
        self.far = Profile(hz + 0.006 + 0.007 * fbm_1d(n, rng, cells=8, octaves=5), w)
        uu = np.arange(n) / n
        jut = 0.04 * np.cos(2 * TAU * uu)  # the ledge juts out in the middle of the view
        self.lip = Profile(self.LIP + jut + 0.03 * fbm_1d(n, rng, cells=5, octaves=6), w)
        # the ledge: cracked rock, brightest at the brink, darker towards the viewer
        yl = int((self.LIP - 0.09) * h)
        self.ly = yl
        vl = canvas.v[yl:].astype(np.float64)
        rock = fbm_2d(h - yl, w, rng, cy=5, cx=12, octaves=5)
        cracks = np.abs(fbm_2d(h - yl, w, rng, cy=3, cx=8, octaves=4))
        grain = 0.75 + 0.35 * rock - 0.3 * np.exp(-cracks / 0.025)
        fall = np.clip(1.0 - (vl - self.LIP) / 0.3, 0.25, 1.0)
        below = np.clip((vl - self.lip.sample(0.0)[None, :]) * h + 0.5, 0, 1)
        self.ledge = rep3(1.0 + below * (np.clip(grain, 0.1, 1.5) * fall - 1.0))

    def draw(self, canvas: Canvas, intensity: float, t: float, ctx: FrameContext) -> None:
        pal = ctx.palette
        dxf, _ = parallax(ctx, DEPTH_GROUND * 0.5)
        glow = oklab_mix(pal.accent, pal.light, 0.25)
        ground = oklab_mix(pal.far, pal.near, 0.4)
        paint_silhouette(canvas, self.far.sample(dxf * canvas.w),
                         oklab_mix(ground, glow, 0.55), intensity, "abyss-far", ground, 0.012)
        seg = canvas.rgb[self.y0 :]
        buf = canvas.scratch("abyss", seg.shape)
        tmp = canvas.scratch("abyss:tmp", seg.shape)
        np.multiply(self.face, wide3(oklab_mix(pal.accent, pal.mist, 0.4) * F32(0.32), canvas.w),
                    out=buf)
        np.multiply(self.cliff, wide3(oklab_mix(pal.mist, pal.accent, 0.5) * F32(0.3), canvas.w),
                    out=tmp)
        buf += tmp
        np.multiply(self.haze, wide3(oklab_mix(pal.accent, pal.water, 0.5), canvas.w), out=tmp)
        buf += tmp
        buf += wide3(pal.sky_top * F32(0.3), canvas.w)
        buf -= seg
        buf *= self.alpha
        if intensity < 1.0:
            buf *= F32(intensity)
        seg += buf
        # the ledge underfoot, its brink rim-lit by the glow rising out of the chasm
        dx, _ = parallax(ctx, DEPTH_NEAR)
        tops = self.lip.sample(dx * canvas.w)
        stone = oklab_mix(oklab_mix(pal.far, pal.mist, 0.5), pal.accent, 0.2) * F32(0.8)
        rim = oklab_mix(stone, glow, 0.7) * F32(2.2)
        paint_silhouette(canvas, tops, rim, intensity, "abyss-lip", stone, 0.02)
        # texture the rock (static motif: the camera is still, so the brink is where the
        # texture mask was cut)
        seg = canvas.rgb[self.ly :]
        buf = canvas.scratch("abyss:ledge", seg.shape)
        np.multiply(seg, self.ledge, out=buf)
        buf -= seg
        if intensity < 1.0:
            buf *= F32(intensity)
        seg += buf


@motif("cave", LAYER_GROUND, "cave walls framing the view")
class Cave(Motif):
    """Close rock walls around us framing a wide, irregular opening ahead: craggy rock with
    stalactites overhead, its inner edges catching a little of the light ahead and the rest
    falling into darkness. No outline: the walls melt softly into the dark over a wide edge,
    so they read as rock in shadow, never as a drawn line."""

    static = True

    def __init__(self, canvas: Canvas, rng: np.random.Generator) -> None:
        super().__init__(canvas, rng)
        w, h = canvas.w, canvas.h
        u, v = canvas.u.astype(np.float64), canvas.v.astype(np.float64)
        dx = (u - 0.5) / 0.5
        dy = (v - 0.52) / 0.5
        r = np.sqrt(dx**2 + dy**2)
        ang = np.arctan2(dy, dx)
        # an irregular rim: a short Fourier series in the angle (periodic by construction)
        edge = np.ones_like(ang)
        for k in range(2, 14):
            edge += 0.08 / k**0.9 * np.sin(k * ang + rng.uniform(0, TAU))
        # stalactites hanging from the roof
        spikes = fbm_1d(w, rng, cells=50, octaves=2)[None, :]
        roof = (v < 0.3) * np.clip(spikes, 0, 1) * 0.22 * (1 - v / 0.3)
        d = r - edge + roof  # > 0 inside the rock
        soft = 0.09
        a = np.clip(d / soft + 0.35, 0, 1)
        self.alpha = rep3(a * a * (3 - 2 * a))
        # craggy rock: broad lumps, fine grain and vertical seams; lit at the opening's edge
        lumps = fbm_2d(h, w, rng, cy=5, cx=9, octaves=5)
        seams = fbm_2d(h // 4 + 1, w, rng, cy=2, cx=30, octaves=3)[
            np.linspace(0, h // 4, h).astype(int)
        ]
        tex = np.clip(0.75 + 0.45 * lumps + 0.2 * seams, 0.2, 1.6)
        lit = 0.25 + 0.75 * np.exp(-np.maximum(d, 0) / 0.2)
        self.tex = rep3(tex * lit)

    def draw(self, canvas: Canvas, intensity: float, t: float, ctx: FrameContext) -> None:
        pal = ctx.palette
        rock = oklab_mix(oklab_mix(pal.far, pal.ground, 0.5), pal.mist, 0.25) * F32(0.6)
        buf = canvas.scratch("cave", canvas.rgb.shape)
        np.multiply(self.tex, wide3(rock, canvas.w), out=buf)
        buf -= canvas.rgb
        a = canvas.scratch("cave:a", self.alpha.shape)
        np.multiply(self.alpha, F32(intensity), out=a)
        buf *= a
        canvas.rgb += buf
