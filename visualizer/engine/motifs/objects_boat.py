"""A small boat drifting on the water: a wooden hull with an upswept bow and stern, an oar
resting across it, bobbing gently and drifting slowly, with its reflection beneath.

Drawn analytically per frame in a small box so the bob and drift are smooth sub-pixel motion
(closed form in t).
"""

from __future__ import annotations

import math

import numpy as np

from visualizer.engine import shapes as S
from visualizer.engine.canvas import Canvas
from visualizer.engine.registry import LAYER_NEAR, FrameContext, Motif, motif
from visualizer.engine.view import DEPTH_GROUND

F32 = np.float32


def boat_position(canvas: Canvas, t: float) -> tuple[float, float, float]:
    """(x, waterline_y, tilt) at time t: a slow drift across and a gentle bob."""
    H = canvas.h
    water_top = float(getattr(canvas, "water_top", canvas.horizon + 0.035))
    x = canvas.w * 0.38 + 0.05 * canvas.w * math.sin(2 * math.pi * t / 140.0)
    y = (water_top + 0.09) * H + 0.004 * H * math.sin(2 * math.pi * 0.17 * t)
    tilt = 0.025 * math.sin(2 * math.pi * 0.13 * t + 0.7)
    return x, y, tilt


def _hull_sd(r: S.Region, length: float, depth: float, u: float) -> np.ndarray:
    """Hull in boat-local coordinates (origin on the waterline at midships): a gunwale that
    sweeps up to a pointed bow and stern, and a keel curving up to meet it at both ends."""
    half = length * 0.5
    f = r.xs / F32(half)
    af = np.minimum(np.abs(f), F32(1.0))
    top = -F32(depth * 0.5) - F32(depth * 0.6) * np.power(af, F32(3.0))
    end = F32(-depth * 1.1)
    bottom = F32(depth * 0.45) + (end - F32(depth * 0.45)) * np.power(af, F32(2.5))
    sd_y = np.maximum(top - r.ys, r.ys - bottom)
    # beyond the tips nothing: distance grows with how far past the point we are
    sd_x = (np.abs(f) - F32(1.0)) * F32(half)
    return np.maximum(sd_x, sd_y)


@motif("boat", LAYER_NEAR, "a small boat drifting on the water")
class Boat(Motif):
    def draw(self, canvas: Canvas, intensity: float, t: float, ctx: FrameContext) -> None:
        if intensity <= 0.0:
            return
        pal = ctx.palette
        a = float(min(1.0, intensity))
        H = canvas.h
        u = H / 360.0
        length, depth = 0.2 * H, 0.035 * H
        x, y, tilt = boat_position(canvas, t)
        ox, oy = S.camera_shift(ctx, canvas, DEPTH_GROUND)  # it rides the water's parallax
        x, y = x + ox, y + oy
        reg = S.region_around(canvas, x, y, length * 0.62, depth * 1.8)
        if reg.empty:
            return
        c, s = math.cos(tilt), math.sin(tilt)
        dx, dy = reg.xs - F32(x), reg.ys - F32(y)
        local = S.Region(
            reg.y0, reg.y1, reg.x0, reg.x1, dx * F32(c) + dy * F32(s), -dx * F32(s) + dy * F32(c)
        )
        hull = _hull_sd(local, length, depth, u)
        # an oar resting across the boat, blade dipping into the water
        oar = S.sd_capsule(
            local, -length * 0.22, -depth * 0.7, length * 0.42, depth * 0.35, 0.8 * u
        )
        blade = S.sd_ellipse(local, length * 0.45, depth * 0.4, 3.5 * u, 1.2 * u)
        body = S.coverage(np.minimum(hull, np.minimum(oar, blade)), 1.0)
        # the hull sits in the water: below the waterline it shows only faintly
        under = np.clip((reg.ys - F32(y)) / F32(depth * 0.35), 0.0, 1.0)
        vis = body * (F32(1.0) - F32(0.6) * under)
        wood = pal.near * F32(0.8) + pal.ground * F32(0.15)
        S.over(canvas.rgb, reg, vis * F32(a), wood)
        # the gunwale catches the sky light
        rim = S.coverage(np.abs(hull + F32(0.8 * u)) - F32(0.6 * u), 1.0)
        rim *= np.clip(F32(-1.0) * (local.ys + F32(depth * 0.2)) / F32(depth * 0.3), 0.0, 1.0)
        S.add(canvas.rgb, reg, rim, (pal.horizon * F32(0.4) + pal.light * F32(0.2)) * F32(a))
        # reflection: the hull mirrored about the waterline, broken by a slow shimmer
        rr = S.region(canvas, reg.x0, y, reg.x1, min(H, y + depth * 2.2))
        if not rr.empty:
            rdx, rdy = rr.xs - F32(x), F32(y) - rr.ys - F32(depth * 0.3)
            wob = F32(1.2 * u) * np.sin(rr.ys * F32(0.9) + F32(1.3 * t))
            mir = S.Region(rr.y0, rr.y1, rr.x0, rr.x1, rdx + wob, rdy)
            refl = S.coverage(_hull_sd(mir, length, depth, u), 1.5)
            refl *= np.clip(F32(1.0) - (rr.ys - F32(y)) / F32(depth * 2.2), 0.0, 1.0)
            S.over(canvas.rgb, rr, refl * F32(0.35 * a), wood * F32(0.8))
