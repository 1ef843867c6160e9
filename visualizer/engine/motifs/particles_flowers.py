"""Flowers blooming along a path as the narration passes them.

Flower heads line both sides of a path that winds from the foreground up to the horizon in
perspective. Each opens (its head grows, its 5 or 6 petals part from a closed bud) at a
moment staggered by its distance: the near flowers bloom first and the wave runs away from
the viewer over ~13 s, as if the voice were walking past them during the sentence. When the
flowers were cued, the wave follows the seconds since the cue began
(`SceneState.ages["flowers"]`) and the intensity only fades them in and out; otherwise (a
scene layer) the wave follows the intensity ramp. Once open they sway and breathe slowly
with t. Drawn in three depth groups, far to near, so near flowers cover far ones.
"""

from __future__ import annotations

import numpy as np

from visualizer.engine.canvas import Canvas
from visualizer.engine.particles import (
    TAU,
    Splatter,
    add_taps,
    ambient,
    hsv_to_rgb,
    live_count,
    loop_time,
    over_taps,
    palette_color,
    qfreq,
    smoothstep,
)
from visualizer.engine.registry import LAYER_NEAR, FrameContext, Motif, motif

# The ground plane and the path's centre line, as painted by the `path` motif
# (engine/motifs/land_ground.py: depth z = CAM_HEIGHT / (v - horizon), world X = (u - 0.5) *
# aspect * z, a band of half-width 0.075 winding as 0.35 sin(1.1 z + 0.8)), so the flowers
# line its edges.
CAM_HEIGHT = 0.05
PATH_HALF, PATH_AMP, PATH_FREQ, PATH_PHASE = 0.075, 0.35, 1.1, 0.8
Z_NEAR, Z_FAR = 0.14, 2.4  # depth of the nearest and farthest flowers
D_NEAR = 1.0  # perspective scale of the nearest flowers (Z_NEAR / z)
BLOOM_SECONDS = 13.0  # from the cue to the farthest flower fully open
BLOOM_END = 1.02  # bloom progress at which the farthest flower is fully open (tau + 0.3)
FADE_REACH = 0.3  # a cued bed is fully opaque from this intensity (fades in and out below)


def bloom_progress(intensity: float, ctx: FrameContext | None) -> tuple[float, float]:
    """(progress of the bloom wave 0..BLOOM_END, opacity 0..1) for this frame: by the age of
    the flowers' cue when there is one, else by the intensity ramp (fully opaque)."""
    state = getattr(ctx, "state", None)
    age = state.ages.get("flowers") if state is not None else None
    if age is None:
        return float(intensity), 1.0
    progress = BLOOM_END * min(1.0, max(0.0, float(age)) / BLOOM_SECONDS)
    x = min(1.0, max(0.0, float(intensity) / FADE_REACH))
    return progress, x * x * (3.0 - 2.0 * x)


def path_centre(z: np.ndarray) -> np.ndarray:
    """World X of the path's centre line at depth z."""
    s0 = np.sin(0.2 * PATH_FREQ + PATH_PHASE)
    return PATH_AMP * (np.sin(z * PATH_FREQ + PATH_PHASE) - s0) * np.clip(z / 0.6, 0.0, 1.0)


def ground_point(
    x_world: np.ndarray, z: np.ndarray, canvas: Canvas
) -> tuple[np.ndarray, np.ndarray]:
    """Screen fractions (u, v) of a point on the ground plane."""
    u = 0.5 + x_world / (canvas.aspect * z)
    v = canvas.horizon + CAM_HEIGHT / z
    return u.astype(np.float32), v.astype(np.float32)


@motif("flowers", LAYER_NEAR, "flowers blooming along the path as the voice passes them")
class Flowers(Motif):
    N = 80

    def __init__(self, canvas: Canvas, rng: np.random.Generator) -> None:
        super().__init__(canvas, rng)
        n = self.N
        px = canvas.h / 540.0
        # Spread evenly in 1/z (screen depth) with jitter, so rows don't crowd the horizon.
        q = (np.arange(n) + rng.random(n)) / n
        z = 1.0 / (1.0 / Z_NEAR + q * (1.0 / Z_FAR - 1.0 / Z_NEAR))
        self.z = z.astype(np.float32)
        d = z / Z_NEAR  # 1 for the nearest
        self.d = d.astype(np.float32)
        self.side = np.where(rng.random(n) < 0.5, -1.0, 1.0).astype(np.float32)
        # just outside the path's edge, in world units from its centre line
        self.off = (PATH_HALF * 1.12 + 0.06 * rng.random(n) ** 2).astype(np.float32)
        self.radius = ((11.0 + 7.0 * rng.random(n)) * px / d**0.95).astype(np.float32)
        self.petals = np.where(rng.random(n) < 0.5, 5, 6).astype(np.float32)
        self.rot = (rng.random(n) * TAU).astype(np.float32)
        self.phase = (rng.random(n) * TAU).astype(np.float32)
        fs = 0.05 + 0.08 * rng.random(n)
        self.fsway = qfreq(fs)
        self.fbreath = qfreq(0.9 * fs)
        self.fturn = float(qfreq(0.05 / TAU))  # the heads turn a little, a turn in 2 min
        # Bloom threshold on the intensity ramp: near first, far last.
        q_d = (1.0 / Z_NEAR - 1.0 / self.z) / (1.0 / Z_NEAR - 1.0 / Z_FAR)
        self.tau = (0.04 + 0.62 * q_d + 0.06 * rng.random(n)).astype(np.float32)
        # Vibrant hues: magenta, coral, violet, golden yellow, a few white.
        base = np.array([0.92, 0.02, 0.78, 0.13, 0.58], dtype=np.float32)
        pick = rng.integers(0, len(base), n)
        hue = (base[pick] + 0.04 * rng.standard_normal(n)) % 1.0
        sat = np.where(rng.random(n) < 0.1, 0.08, 0.65 + 0.3 * rng.random(n))
        self.col = (hsv_to_rgb(hue, sat, 1.0) ** 2.2).astype(np.float32)
        self.centre = np.array([[0.95, 0.62, 0.08]], dtype=np.float32) ** 2.2
        self.stem = np.array([0.16, 0.42, 0.12], dtype=np.float32) ** 2.2
        # Depth groups (far, mid, near), each with a stamp just big enough for its flowers.
        self.thin = rng.permutation(n)  # which flowers go first when the budget is lower
        self._live = n
        # The stamp is centred 0.3 R below the head centre: it spans the head (-R) to the
        # foot of the stem (+1.6 R), so its half-size is 1.3 R (+1 px of antialiasing).
        order = np.argsort(self.radius)  # small (mostly far) first, so near ones cover them
        # three groups (each costs a fixed ~60 numpy calls): half small, then 30%, then 20%
        groups = np.split(order, [int(0.5 * n), int(0.8 * n)])
        self.groups = []
        for g in groups:
            kmax = int(np.ceil(2.0 * (1.3 * float(self.radius[g].max()) + 1.5))) | 1
            self.groups.append((g, self._footprint(canvas, g, Splatter(len(g), max(3, kmax)))))

    def _footprint(self, canvas: Canvas, g: np.ndarray, sp: Splatter) -> dict:
        """The pixels a group of flowers can ever cover, found once: the flowers stand still
        but for a sway of at most 0.12 R sideways, which their stamp's 0.3 R of spare width
        holds. A frame then shapes only these taps (a superset of what it paints: taps
        outside this frame's shape get zero coverage), with static per-tap values gathered
        here rather than every frame."""
        W, H = canvas.w, canvas.h
        z = self.z[g]
        gx, cy = ground_point(path_centre(z) + self.side[g] * self.off[g], z, canvas)
        R = self.radius[g]
        n = sp.taps(W, H, (gx * W).astype(np.float32), (cy * H - 1.3 * R).astype(np.float32))
        kk = sp.k * sp.k
        Rc = R[:n, None]
        u = sp.dx[:n]
        v = sp.dy[:n] + 0.3 * Rc  # relative to the head centre
        ux = np.maximum(np.abs(u) - 0.12 * Rc, 0.0)  # nearest the head can sway to
        keep = ux * ux + v * v < (Rc + 1.0) ** 2  # the head, fully open, anywhere it sways
        keep |= (np.abs(u) < 0.4 * Rc + 1.5) & (v > 0.0)  # the stem strip, anywhere
        keep &= sp._inb[:n]
        sel = np.flatnonzero(keep)
        fi = sel // kk
        Rt = R[fi].astype(np.float32)
        vt = v.ravel()[sel].astype(np.float32)
        h = np.clip(0.5 * (1.0 - (Z_NEAR / z) * D_NEAR), 0.0, 0.5).astype(np.float32)[fi]
        return {
            "fi": fi,
            "cnt": np.bincount(fi, minlength=n),  # taps per flower (fi is sorted)
            "idx": sp.idx[:n].ravel()[sel].copy(),
            "u": u.ravel()[sel].astype(np.float32),
            "v": vt,
            "v2": vt * vt,
            "halfP": (0.5 * self.petals[g][fi]).astype(np.float32),
            "stem_w": (0.07 * Rt + 0.95).astype(np.float32),
            "stem_foot": np.clip(1.6 * Rt - vt + 0.5, 0.0, 1.0).astype(np.float32),
            "bend": (0.15 * Rt * (1.0 - np.clip(vt / (2.0 * Rt), 0.0, 1.0))).astype(np.float32),
            "h": h,
            "clear": (1.0 - h).astype(np.float32),
            "petal": np.ascontiguousarray(self.col[g][fi].T),  # (3, taps)
        }

    def particle_count(self) -> int:
        return self.N

    def draw(self, canvas: Canvas, intensity: float, t: float, ctx: FrameContext) -> None:
        if intensity <= 0.0:
            return
        t = loop_time(t)
        self._live = live_count(self.N, ctx)  # a lower particle budget thins the flowers
        progress, opacity = bloom_progress(intensity, ctx)
        if opacity <= 0.0:
            return
        for g, fp in self.groups:
            self._draw_group(canvas, fp, g, progress, opacity, t, ctx)

    def _draw_group(
        self,
        canvas: Canvas,
        fp: dict,
        g: np.ndarray,
        inten: float,
        opacity: float,
        t: float,
        ctx: FrameContext,
    ) -> None:
        show = smoothstep(0.0, 1.0, (inten - self.tau[g] + 0.1) / 0.14) * opacity
        show = show * (self.thin[g] < self._live)  # a lower budget thins the flowers
        shown = show > 0
        if not np.any(shown):
            return
        fi, cnt = fp["fi"], fp["cnt"]
        cols = ("u", "v", "v2", "halfP", "stem_w", "stem_foot", "bend", "h", "clear")
        if np.count_nonzero(shown) * 2 < len(g):  # early in the bloom: only the open ones
            sub = np.flatnonzero(shown[fi])
            cnt = cnt * shown
            tap = {k: fp[k][sub] for k in cols}
            tap["petal"] = fp["petal"][:, sub]
            idx = fp["idx"][sub]
        else:
            tap, idx = fp, fp["idx"]
        if idx.size == 0:
            return

        def rep(per_flower: np.ndarray) -> np.ndarray:
            """Per-flower values out to the flower's taps (taps are sorted by flower:
            np.repeat is ~8x cheaper than a fancy-index gather)."""
            return np.repeat(per_flower.astype(np.float32, copy=False), cnt)

        # per flower: how open, its sway (a sideways shift and the stem's bend) and turn,
        # and the radii the shapes below need (folded here: a few dozen values, not taps)
        opn = smoothstep(0.0, 1.0, (inten - self.tau[g]) / 0.3)
        opn = opn * (0.94 + 0.06 * np.sin(self.fbreath[g] * t + self.phase[g]))
        sway = np.sin(self.fsway[g] * t + self.phase[g]).astype(np.float32)
        shift = (sway * 0.12 * self.radius[g]).astype(np.float32)
        rot_f = (self.rot[g] + 0.15 * sway + self.fturn * t * np.sign(self.side[g]))
        Rh_f = (self.radius[g] * (0.4 + 0.6 * opn)).astype(np.float32)
        lobe_f = 0.6 * opn
        u = tap["u"] - rep(shift)
        v = tap["v"]
        r = np.multiply(u, u)
        r += tap["v2"]
        np.sqrt(r, out=r)
        th = np.arctan2(v, u)
        th -= rep(rot_f)
        th *= tap["halfP"]
        np.cos(th, out=th)
        np.abs(th, out=th)
        petal_shape = np.sqrt(th, out=th)
        # A bud is a small closed oval; open, the rim splits into P rounded petals:
        # head = clip(Rh (1 - lobe + lobe petal_shape) - r + 0.5, 0, 1)
        head = rep(Rh_f * lobe_f) * petal_shape
        head += rep(Rh_f * (1.0 - lobe_f) + 0.5)
        head -= r
        np.clip(head, 0.0, 1.0, out=head)
        disc = rep(Rh_f * (0.18 + 0.12 * opn) + 0.5)
        disc -= r
        np.clip(disc, 0.0, 1.0, out=disc)
        disc *= rep(opn)
        # stem: a thin gently curved line from under the head to the ground
        bend = tap["bend"] * rep(sway)
        np.subtract(u, bend, out=bend)
        np.abs(bend, out=bend)
        stem = np.subtract(tap["stem_w"], bend, out=bend)
        np.clip(stem, 0.0, 1.0, out=stem)
        low = rep(0.5 - 0.5 * Rh_f)
        low += v
        np.clip(low, 0.0, 1.0, out=low)
        stem *= low
        stem *= tap["stem_foot"]
        a = np.maximum(head, stem)
        a *= rep(show)
        # Colour per tap, one channel at a time (planar: numpy is slow on rows of 3):
        # petals lighter towards the tips, darker between petals, a golden disc in the
        # middle, a green stem; lit by the palette and hazed with distance.
        tip = rep(1.0 / np.maximum(Rh_f, 1e-3))
        tip *= r
        np.clip(tip, 0.0, 1.0, out=tip)
        tip *= 0.45
        tip += 0.55
        petal_shape *= 0.25
        petal_shape += 0.75
        shade = np.multiply(tip, petal_shape, out=tip)
        is_stem = np.greater(stem, head).astype(np.float32)  # 0/1: arithmetic, no masks
        amb = ambient(ctx)
        hz = palette_color(ctx, "horizon", (0.7, 0.7, 0.75))
        h, clear = tap["h"], tap["clear"]
        out = np.empty((3, idx.size), dtype=np.float32)
        tmp = np.empty(idx.size, dtype=np.float32)
        for c in range(3):
            x = np.multiply(tap["petal"][c], shade, out=out[c])
            np.subtract(self.centre[0, c], x, out=tmp)
            tmp *= disc
            x += tmp
            np.subtract(self.stem[c], x, out=tmp)
            tmp *= is_stem
            x += tmp
            x *= clear
            x *= amb[c]
            np.multiply(h, hz[c], out=tmp)
            x += tmp
        # About half the footprint lies outside this frame's shapes (the stem strip and the
        # sway margin): drop those zero taps before the two scatters.
        sel = np.flatnonzero(a)
        if sel.size < 0.8 * a.size:
            a, idx, is_stem = a[sel], idx[sel], is_stem[sel]
            out = np.take(out, sel, axis=1)
        over_taps(canvas, canvas.rgb, idx, a, out.T)
        # a little of the bloom's colour into the glow: vibrant hues read even at dusk
        is_stem -= 1.0
        a *= is_stem
        a *= -0.06
        add_taps(canvas.glow, idx, a, out.T)
