"""Rate functions (manim style): map progress 0..1 to eased 0..1. Never linear starts/stops."""

from __future__ import annotations


def clamp01(x: float) -> float:
    return 0.0 if x <= 0.0 else 1.0 if x >= 1.0 else x


def smoothstep(x: float) -> float:
    """Eases in and out; zero slope at both ends so nothing pops."""
    x = clamp01(x)
    return x * x * (3.0 - 2.0 * x)


def smootherstep(x: float) -> float:
    x = clamp01(x)
    return x * x * x * (x * (6.0 * x - 15.0) + 10.0)


def ramp(t: float, start: float, duration: float) -> float:
    """Smooth 0->1 from `start` over `duration` seconds (a step if duration <= 0)."""
    if duration <= 0.0:
        return 1.0 if t >= start else 0.0
    return smoothstep((t - start) / duration)


def envelope(t: float, start: float, fade_in: float, release: float, fade_out: float) -> float:
    """0 before `start`, rising to 1 by start+fade_in, held until `release`, falling to 0."""
    return min(ramp(t, start, fade_in), 1.0 - ramp(t, release, fade_out))
