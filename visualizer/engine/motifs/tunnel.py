"""A dark serpent tunnel twisting ahead, its walls pulsing with an otherworldly light.

Whole-frame effect: rings recede to a vanishing point that meanders slowly; the far part of the
tunnel swings side to side (a serpent's path), ribs spiral gently, and a slow pulse (0.25 Hz)
travels down the walls. Since the pulse varies with depth the frame's mean brightness barely
moves: it breathes, never flashes. As the intensity rises the tunnel covers the landscape.

Cost: the scalar fields (light, hue) are computed at half the internal resolution from polar
coordinates built once and coloured there, a channel at a time (colour is linear in them, so
this is the same picture as colouring after the upsample); each channel is upsampled 2x across
into its lane of half-height RGB rows, which are upsampled 2x down straight into the frame:
whole rows of interleaved RGB, no per-channel pass at full size.
"""

from __future__ import annotations

import math

import numpy as np

from visualizer.engine import shapes as S
from visualizer.engine.canvas import Canvas
from visualizer.engine.motifs.objects_candle import candle_geometry
from visualizer.engine.registry import LAYER_EFFECT, FrameContext, Motif, motif
from visualizer.engine.view import DEPTH_GROUND

F32 = np.float32
TEAL = np.array([0.05, 0.55, 0.6], dtype=F32)
VIOLET = np.array([0.45, 0.12, 0.85], dtype=F32)
LUMA = np.array([0.2126, 0.7152, 0.0722], dtype=F32)
K_DEPTH = 1.0  # ring radius (in frame heights) at depth 1


def _luma(c: np.ndarray) -> float:
    return max(1e-4, float(np.dot(LUMA, c)))


def _across2x(src: np.ndarray, out: np.ndarray, work: np.ndarray) -> np.ndarray:
    """Bilinear 2x across: (n, m) -> out (n, 2m), edges held; work (n, >= m) scratch.
    Each output column is written once: src + or - a quarter of the step to its neighbour."""
    m = src.shape[1]
    d = work[:, : m - 1]
    e, o = out[:, 0::2], out[:, 1::2]
    np.subtract(src[:, 1:], src[:, :-1], out=d)
    d *= F32(0.25)
    np.add(src[:, :-1], d, out=o[:, :-1])
    o[:, -1] = src[:, -1]
    np.subtract(src[:, 1:], d, out=e[:, 1:])
    e[:, 0] = src[:, 0]
    return out


def _down2x(src: np.ndarray, out: np.ndarray, work: np.ndarray) -> np.ndarray:
    """Bilinear 2x down: (n, ...) -> out (2n, ...), edges held; work like src. Whole rows
    (interleaved RGB included), so every pass is contiguous; each output row written once."""
    d = work[:-1]
    e, o = out[0::2], out[1::2]
    np.subtract(src[1:], src[:-1], out=d)
    d *= F32(0.25)
    np.add(src[:-1], d, out=o[:-1])
    o[-1] = src[-1]
    np.subtract(src[1:], d, out=e[1:])
    e[0] = src[0]
    return out


@motif("tunnel", LAYER_EFFECT, "a dark serpent tunnel twisting ahead, its walls pulsing with light")
class Tunnel(Motif):
    def __init__(self, canvas: Canvas, rng: np.random.Generator) -> None:
        super().__init__(canvas, rng)
        sw, sh = (canvas.w + 1) // 2, (canvas.h + 1) // 2
        self.sw, self.sh = sw, sh
        self.x = (
            ((np.arange(sw, dtype=F32) + F32(0.5)) / F32(sw) - F32(0.5)) * F32(canvas.aspect)
        )[None, :]
        self.y = ((np.arange(sh, dtype=F32) + F32(0.5)) / F32(sh) - F32(0.52))[:, None]
        # polar coordinates around the frame centre, once: the depth proxy for the bend
        r0 = np.hypot(self.x, self.y) + F32(1e-3)
        self.bend = np.clip(np.log(F32(0.9) / r0) / F32(3.0), 0.0, 1.0).astype(F32) ** 2
        self.logd = np.log(F32(0.9) / r0).astype(F32)
        # angle around the frame centre, once: wall texture (scales) where the walls are near
        self.theta = np.arctan2(self.y, self.x).astype(F32)
        self.light = np.zeros((sh, sw), F32)
        self.lhue = np.zeros((sh, sw), F32)
        # a channel at half size, scratch, and the coloured half-height rows (2x across)
        self.plane = np.zeros((sh, sw), F32)
        self.work = np.zeros((sh, sw), F32)
        self.rows = np.zeros((sh, 2 * sw, 3), F32)
        self.rows_work = np.zeros((sh, 2 * sw, 3), F32)
        self.phase = float(rng.uniform(0.0, 2 * math.pi))
        self._b = [np.zeros((sh, sw), F32) for _ in range(6)]
        self._hole = None

    def _fields(self, t: float, pace: float) -> None:
        X, Y, R, D, A, B = self._b
        ph = self.phase
        # the vanishing point meanders slowly
        cx = 0.07 * math.sin(2 * math.pi * 0.029 * t + ph)
        cy = 0.035 * math.sin(2 * math.pi * 0.021 * t + 1.3 * ph)
        # serpentine: deeper rings swing left/right and up/down with a phase travelling in time
        np.multiply(self.logd, F32(1.4), out=A)
        A -= F32(0.22 * t + ph)
        np.sin(A, out=B)
        B *= F32(0.09)
        B += F32(cx)
        B *= self.bend
        np.subtract(self.x, B, out=X)
        A *= F32(0.8)
        np.cos(A, out=B)
        B *= F32(0.05)
        B += F32(cy)
        B *= self.bend
        np.subtract(self.y, B, out=Y)
        np.multiply(X, X, out=A)
        np.multiply(Y, Y, out=B)
        np.add(A, B, out=R)
        np.sqrt(R, out=R)  # (np.hypot is ~5x slower; no overflow at these sizes)
        R += F32(1e-3)
        np.divide(F32(K_DEPTH), R, out=D)  # perspective depth: rings crowd toward the end
        # twist: cos/sin of twice the angle, without atan2
        A -= B  # x^2 - y^2
        np.multiply(X, Y, out=B)
        B *= F32(2.0)  # 2xy
        np.square(R, out=X)
        A /= X  # cos 2θ
        B /= X  # sin 2θ
        # ribs: rings moving slowly toward the viewer, with a gentle spiral
        travel = 0.12 * t * pace
        np.multiply(D, F32(2 * math.pi * 0.5), out=X)
        X -= F32(2 * math.pi * travel)
        np.cos(X, out=Y)
        np.sin(X, out=R)
        # spiral = cos(phase + 2θ) = cos*cos2θ - sin*sin2θ
        A *= Y
        B *= R
        A -= B
        # ring brightness (thin glowing bands) blended with the spiral ribs
        Y *= F32(0.5)
        Y += F32(0.5)
        np.square(Y, out=Y)
        np.square(Y, out=Y)  # ^4
        A *= F32(0.5)
        A += F32(0.5)
        np.square(A, out=A)
        light = self.light
        np.multiply(Y, F32(0.65), out=light)
        A *= F32(0.35)
        light += A
        # the pulse travels down the walls: brightness varies with depth, so the mean is steady
        np.multiply(D, F32(-1.3), out=X)
        X += F32(2 * math.pi * 0.25 * t)
        np.sin(X, out=X)
        X *= F32(0.3)
        X += F32(0.7)
        light *= X
        # fog: the far end fades to black; the nearest walls fall a little into shadow
        np.multiply(D, F32(-0.14), out=X)
        np.exp(X, out=X)
        light *= X
        # rings closer than a pixel would shimmer: the far end is simply dark
        np.subtract(F32(11.0), D, out=X)
        X *= F32(1.0 / 5.0)
        np.clip(X, 0.0, 1.0, out=X)
        light *= X
        np.minimum(D, F32(6.0), out=X)
        X *= F32(0.15)
        X += F32(0.1)
        light *= X
        # serpent scales: a fine helical ribbing that twists slowly along the walls
        np.multiply(self.theta, F32(14.0), out=X)
        np.multiply(D, F32(2.2), out=Y)
        X += Y
        X -= F32(0.15 * t)
        np.cos(X, out=X)
        X *= F32(0.22)
        X += F32(0.78)
        light *= X
        # steady exposure: the walls move and pulse, but the frame's mean brightness is held
        # (a pure function of this frame, so any frame still renders alone)
        mean = float(light.mean())
        light *= F32(min(2.0, max(0.5, 0.09 / max(mean, 1e-6))))
        # hue: violet <-> teal, drifting along the tunnel and around it
        hue = self.lhue
        np.multiply(D, F32(0.12), out=hue)
        hue += F32(0.15 * t)
        np.sin(hue, out=hue)
        hue *= F32(0.8)
        np.clip(hue, -0.5, 0.5, out=hue)
        hue += F32(0.5)

    def draw(self, canvas: Canvas, intensity: float, t: float, ctx: FrameContext) -> None:
        if intensity <= 0.0:
            return
        a = float(min(1.0, intensity))
        pal = ctx.palette
        self._fields(t, ctx.pace)
        # light and light*hue: the colour is linear in them
        self.lhue *= self.light
        h, w = canvas.h, canvas.w
        c_a = pal.accent * F32(0.3) + VIOLET * F32(0.7)
        # equal brightness for both hues: the drift between them changes colour, not light
        c_b = TEAL * F32(_luma(c_a) / _luma(TEAL))
        c_d = c_b - c_a
        base = pal.near * F32(0.25) + F32(0.004)
        # a candle "ahead in the darkness" stays visible through the tunnel: keep what was
        # painted round it and lay it back after covering the frame
        candle = S.smoothstep(0.0, 0.4, float(ctx.motifs.get("candle", 0.0)))
        keep = self._keep_candle(canvas, ctx) if candle > 0.0 else None
        # (no separate bloom: the walls are already soft, so their light is simply brighter)
        k = 1.1 * 1.35 * a
        rows, plane, work = self.rows, self.plane, self.work
        for c in range(3):
            # this channel at half size, then 2x across into its lane of the RGB rows
            np.multiply(self.light, F32(k * c_a[c]), out=plane)
            np.multiply(self.lhue, F32(k * c_d[c]), out=work)
            plane += work
            plane += F32(a * base[c])
            _across2x(plane, rows[:, :, c], work)
        sh2, sw2 = 2 * self.sh, 2 * self.sw
        if a >= 1.0 and (sh2, sw2) == (h, w):
            _down2x(rows, canvas.rgb, self.rows_work)
        else:
            full = canvas.scratch("tunnel.full", (sh2, sw2, 3))
            _down2x(rows, full, self.rows_work)
            if a < 1.0:
                canvas.rgb *= F32(1.0 - a)
                canvas.rgb += full[:h, :w]
            else:
                canvas.rgb[...] = full[:h, :w]
        if keep is not None:
            dst, saved, hole = keep
            for c in range(3):
                d = dst[..., c]
                d += (saved[..., c] - d) * (hole * F32(candle))

    def _keep_candle(self, canvas: Canvas, ctx: FrameContext):
        """(view, saved copy, soft hole) of the canvas round the candle, or None."""
        if self._hole is None:
            x, top, bottom, _hw = candle_geometry(canvas)
            H = canvas.h
            r = S.region(canvas, x - 0.12 * H, top - 0.12 * H, x + 0.12 * H, bottom + 0.04 * H)
            cy = (top + bottom) * 0.5 - 0.02 * H
            d2 = np.square((r.xs - F32(x)) / F32(0.1 * H)) + np.square(
                (r.ys - F32(cy)) / F32(0.14 * H)
            )
            self._hole = (r, np.clip(F32(1.0) - d2, 0.0, 1.0) ** 2)
        r, hole = self._hole
        off = S.whole(S.camera_shift(ctx, canvas, DEPTH_GROUND))
        got = S.shift_view(canvas.rgb, r, off)
        if got is None:
            return None
        dst, sl = got
        saved = canvas.scratch("tunnel.keep", dst.shape)
        np.copyto(saved, dst)
        return dst, saved, hole[sl]
