"""Warm beams of light spreading from a source: soft god-rays that slowly breathe and turn.

The source is the candle's flame when a candle shows (its glow "becoming warm, inviting
beams"), otherwise a light high above the scene falling in. Rays depend only on the angle
around the source, so each frame computes a 1-D ray profile (a few thousand bins) and gathers
it through a per-pixel angle index precomputed once: no per-pixel trigonometry, and a fan of
light from above only works on the cone it lights.
"""

from __future__ import annotations

import itertools
import math

import numpy as np

from visualizer.engine import shapes as S
from visualizer.engine.canvas import Canvas
from visualizer.engine.motifs.objects_candle import candle_flame_point
from visualizer.engine.registry import LAYER_LIGHT, FrameContext, Motif, motif
from visualizer.engine.view import DEPTH_GROUND

F32 = np.float32
BINS = 8192  # fine enough that no step between bins shows, even far from the source
WARM = np.array([1.0, 0.7, 0.36], dtype=F32)


class RayField:
    """Angle index and radial fall-off around one source point (built once per canvas),
    with a margin all round so the source can follow the camera's parallax by taking a
    shifted window of it (a view, no copy)."""

    def __init__(
        self, canvas: Canvas, sx: float, sy: float, reach: float, inner: float, margin=(0, 0)
    ) -> None:
        self.mx, self.my = margin
        self.w, self.h = canvas.w, canvas.h
        self._bands: dict = {}
        xs = (np.arange(-self.mx, canvas.w + self.mx, dtype=F32) + F32(0.5))[None, :] - F32(sx)
        ys = (np.arange(-self.my, canvas.h + self.my, dtype=F32) + F32(0.5))[:, None] - F32(sy)
        ang = np.arctan2(ys, xs)
        self.index = ((ang + np.pi) * (BINS / (2 * np.pi))).astype(np.int32) % BINS
        r = np.hypot(xs, ys) / F32(canvas.h)
        # rays begin a little way out from the source and fade with distance
        self.radial = (
            np.clip((r - F32(inner * 0.3)) / F32(inner), 0.0, 1.0)
            / (F32(1.0) + np.square(r / F32(reach)))
        ).astype(F32)

    def window(self, shift: tuple[int, int]) -> tuple[np.ndarray, np.ndarray]:
        """(index, radial) for the frame with the source moved by `shift` whole pixels."""
        ix = max(-self.mx, min(self.mx, shift[0]))
        iy = max(-self.my, min(self.my, shift[1]))
        sl = (
            slice(self.my - iy, self.my - iy + self.h),
            slice(self.mx - ix, self.mx - ix + self.w),
        )
        return self.index[sl], self.radial[sl]

    def bands(self, fan: np.ndarray | None, key, n: int = 8) -> list[tuple[int, int, int, int]]:
        """Boxes (y0, y1, x0, x1) of n row bands of the unshifted window, each cut to the
        columns where the fan lets any light through: a light from above lights a cone, about
        half the frame, and the rest needs no work (it would add exact zeros)."""
        key = None if fan is None else key
        got = self._bands.get(key)
        if got is None:
            got = [(0, self.h, 0, self.w)]
            if fan is not None:
                index, _radial = self.window((0, 0))
                lit = fan[index] > 0.0
                got = []
                ys = np.linspace(0, self.h, n + 1).astype(int)
                for y0, y1 in itertools.pairwise(ys):
                    cols = np.flatnonzero(lit[y0:y1].any(axis=0))
                    if cols.size:
                        got.append((int(y0), int(y1), int(cols[0]), int(cols[-1]) + 1))
            self._bands[key] = got
        return got


TH = np.linspace(-math.pi, math.pi, BINS, endpoint=False, dtype=F32)  # each bin's angle
_FANS: dict[tuple[float, float], np.ndarray | None] = {}


def fan_mask(spread: float, centre: float) -> np.ndarray | None:
    """Per bin 1 - (d/spread)^2 clipped to 0..1, d the angle from `centre` (None for a full
    circle): constant per call site, so built once."""
    key = (float(spread), float(centre))
    if key not in _FANS:
        if spread >= math.pi:
            _FANS[key] = None
        else:
            d = np.angle(np.exp(1j * (TH - F32(centre)))).astype(F32)
            _FANS[key] = np.clip(F32(1.0) - np.square(d / F32(spread)), 0.0, 1.0)
    return _FANS[key]


def ray_profile(
    t: float, seeds: np.ndarray, out: np.ndarray, spread: float, centre: float, sharp: int = 6,
    scratch: tuple[np.ndarray, np.ndarray] | None = None,
) -> np.ndarray:
    """Ray strength per angle bin: a handful of soft rays whose widths and phases drift slowly.
    `centre`/`spread` (radians) limit the fan (a light from above shines downward).
    In place, no allocation with `scratch` (two BINS buffers); the 6th power as three
    multiplies (np.power with 6 is a slow generic pow)."""
    x, y = scratch if scratch is not None else (np.empty(BINS, F32), np.empty(BINS, F32))
    out.fill(0.0)
    for k, (freq, ph, rate) in enumerate(seeds):
        np.multiply(TH, F32(freq), out=x)
        x += F32(ph + rate * t)
        np.cos(x, out=x)
        x *= F32(0.5)
        x += F32(0.5)
        np.square(x, out=x)
        np.multiply(x, x, out=y)
        y *= x  # (0.5 + 0.5 cos)^6
        y *= F32(1.0 / (1 + 0.3 * k))
        out += y
    out *= F32(1.0 / max(1e-6, float(out.max())))
    np.multiply(TH, F32(3), out=x)
    x -= F32(0.05 * t)
    np.cos(x, out=x)
    x *= F32(0.2)
    x += F32(0.8)
    out *= x
    fan = fan_mask(spread, centre)
    if fan is not None:
        out *= fan
    return out


@motif("beams", LAYER_LIGHT, "warm beams of light spreading from a source")
class Beams(Motif):
    def __init__(self, canvas: Canvas, rng: np.random.Generator) -> None:
        super().__init__(canvas, rng)
        self.fields: dict[str, RayField] = {}
        self.sources = {
            "candle": candle_flame_point(canvas),
            "above": (canvas.w * 0.62, -0.25 * canvas.h),
        }
        self.seeds = np.stack(
            [
                rng.integers(5, 17, 6).astype(F32),
                rng.uniform(0, 2 * np.pi, 6),
                rng.uniform(-0.06, 0.06, 6),
            ],
            axis=1,
        )
        self.candle_seeds = self.seeds[:4] * [0.6, 1, 1]
        self.profile = np.zeros(BINS, F32)
        self.scratch = (np.empty(BINS, F32), np.empty(BINS, F32))
        # both fields now, so a candle lighting up mid-scene costs no stalled frame
        for key in self.sources:
            self.field(canvas, key)

    def field(self, canvas: Canvas, key: str) -> RayField:
        f = self.fields.get(key)
        if f is None:
            sx, sy = self.sources[key]
            if key == "candle":
                margin = (int(0.03 * canvas.w) + 1, int(0.015 * canvas.h) + 1)
                f = RayField(canvas, sx, sy, reach=0.3, inner=0.05, margin=margin)
            else:
                f = RayField(canvas, sx, sy, reach=0.75, inner=0.12)
            self.fields[key] = f
        return f

    def draw(self, canvas: Canvas, intensity: float, t: float, ctx: FrameContext) -> None:
        if intensity <= 0.0:
            return
        a = float(min(1.0, intensity))
        pal = ctx.palette
        colour = WARM * F32(0.55) + pal.light * F32(0.45)
        candle = S.smoothstep(0.0, 0.3, float(ctx.motifs.get("candle", 0.0)))
        breath = 0.8 + 0.2 * S.breathe(t, 0.12)
        for key, weight in (("candle", candle), ("above", 1.0 - candle)):
            if weight <= 0.002:
                continue
            f = self.field(canvas, key)
            if key == "candle":
                spread, centre = math.pi, 0.0
                ray_profile(t, self.candle_seeds, self.profile, spread, centre, 3, self.scratch)
                self.profile *= F32(0.85)  # distinct rays over a faint haze
                self.profile += F32(0.06)
                gain = 0.12
            else:
                spread, centre = 0.55, math.pi / 2 + 0.25
                ray_profile(t, self.seeds, self.profile, spread, centre, 6, self.scratch)
                gain = 0.22
            # the candle's rays stay on its flame as the camera drifts (ground parallax)
            shift = (
                S.whole(S.camera_shift(ctx, canvas, DEPTH_GROUND)) if key == "candle" else (0, 0)
            )
            index, radial = f.window(shift)
            fan = fan_mask(spread, centre) if shift == (0, 0) else None
            bands = f.bands(fan, (spread, centre))
            col = colour * F32(gain * a * weight * breath)
            buf = canvas.scratch("beams.w", (canvas.h, canvas.w)).reshape(-1)
            tmp = canvas.scratch("beams.tmp", (canvas.h, canvas.w)).reshape(-1)
            for y0, y1, x0, x1 in bands:
                shape = (y1 - y0, x1 - x0)
                b = buf[: shape[0] * shape[1]].reshape(shape)
                tb = tmp[: b.size].reshape(shape)
                # mode="wrap": the indices are always in range, and the default "raise"
                # buffers the output (twice the cost)
                np.take(self.profile, index[y0:y1, x0:x1], out=b, mode="wrap")
                b *= radial[y0:y1, x0:x1]
                g = canvas.glow[y0:y1, x0:x1]
                for c in range(3):
                    np.multiply(b, F32(col[c]), out=tb)
                    gc = g[..., c]
                    gc += tb
