"""Camera parallax shared by motifs: depth constants and the offset for a layer.

Kept tiny and allocation-free so every motif (landscape, particles, objects) can use them.
"""

from __future__ import annotations

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
