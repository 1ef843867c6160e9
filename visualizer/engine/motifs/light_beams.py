"""Warm beams of light spreading from a source: soft god-rays that slowly breathe and turn.

The source is the candle's flame when a candle shows (its glow "becoming warm, inviting
beams"), otherwise a light high above the scene falling in. Rays depend only on the angle
around the source, so each frame computes a 1-D ray profile (a few hundred bins) and gathers it
through a per-pixel angle index precomputed once: two full-frame passes, no trigonometry.
"""

from __future__ import annotations

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


def ray_profile(
    t: float, seeds: np.ndarray, out: np.ndarray, spread: float, centre: float, sharp: int = 6
) -> np.ndarray:
    """Ray strength per angle bin: a handful of soft rays whose widths and phases drift slowly.
    `centre`/`spread` (radians) limit the fan (a light from above shines downward)."""
    th = np.linspace(-math.pi, math.pi, BINS, endpoint=False, dtype=F32)
    out.fill(0.0)
    for k, (freq, ph, rate) in enumerate(seeds):
        out += (F32(0.5) + F32(0.5) * np.cos(th * F32(freq) + F32(ph + rate * t))) ** 6 * F32(
            1.0 / (1 + 0.3 * k)
        )
    out *= F32(1.0 / max(1e-6, float(out.max())))
    out *= F32(0.8) + F32(0.2) * np.cos(th * F32(3) - F32(0.05 * t))
    if spread < math.pi:
        d = np.angle(np.exp(1j * (th - centre))).astype(F32)
        out *= np.clip(F32(1.0) - np.square(d / F32(spread)), 0.0, 1.0)
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
        self.profile = np.zeros(BINS, F32)
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
                ray_profile(t, self.seeds[:4] * [0.6, 1, 1], self.profile, math.pi, 0.0, sharp=3)
                self.profile *= F32(0.85)  # distinct rays over a faint haze
                self.profile += F32(0.06)
                gain = 0.12
            else:
                ray_profile(t, self.seeds, self.profile, 0.55, math.pi / 2 + 0.25)
                gain = 0.22
            # the candle's rays stay on its flame as the camera drifts (ground parallax)
            shift = (
                S.whole(S.camera_shift(ctx, canvas, DEPTH_GROUND)) if key == "candle" else (0, 0)
            )
            index, radial = f.window(shift)
            buf = canvas.scratch("beams.w", (canvas.h, canvas.w))
            np.take(self.profile, index, out=buf)
            buf *= radial
            tmp = canvas.scratch("beams.tmp", (canvas.h, canvas.w))
            S.add_scaled(canvas.glow, buf, colour * F32(gain * a * weight * breath), tmp)
