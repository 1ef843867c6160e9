"""Small shared helpers for motifs: parallax from the camera, smoothstep, soft edges.

Kept tiny and allocation-free so every motif (landscape, particles, objects) can use them.
"""

from __future__ import annotations

import numpy as np

from visualizer.engine.registry import FrameContext

# Depth factors for parallax: how much of the camera drift a layer follows.
DEPTH_SKY = 0.08
DEPTH_FAR = 0.25
DEPTH_MID = 0.5
DEPTH_GROUND = 0.75
DEPTH_NEAR = 1.0


def parallax(ctx: FrameContext, depth: float) -> tuple[float, float]:
    """Camera offset for a layer at `depth` (0 = infinitely far, 1 = nearest), as fractions
    of the frame width/height. Far layers move least, so drift reads as depth."""
    cam = ctx.state.camera
    return float(cam.x) * depth, float(cam.y) * depth


def smoothstep(e0: float, e1: float, x: float) -> float:
    if e1 == e0:
        return 1.0 if x >= e1 else 0.0
    s = min(1.0, max(0.0, (x - e0) / (e1 - e0)))
    return s * s * (3.0 - 2.0 * s)


def smoothstep_arr(x: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
    """In place (or into out) smoothstep of an array already scaled to 0..1."""
    out = x if out is None else out
    np.clip(x, 0.0, 1.0, out=out)
    # s*s*(3-2s)
    tmp = out * out
    out *= -2.0
    out += 3.0
    out *= tmp
    return out


def over(rgb: np.ndarray, alpha: np.ndarray, color: np.ndarray) -> None:
    """rgb = rgb*(1-alpha) + color*alpha, in place; alpha (h, w, 1) or broadcastable."""
    # rgb += (color - rgb) * alpha
    rgb -= color
    rgb *= 1.0 - alpha
    rgb += color
