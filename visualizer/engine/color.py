"""Colour spaces: sRGB <-> linear light <-> OKLab, so blends stay vivid instead of going grey.

Used once per palette keyframe (not per pixel per frame).
"""

from __future__ import annotations

import numpy as np

_M1 = np.array(
    [
        [0.4122214708, 0.5363325363, 0.0514459929],
        [0.2119034982, 0.6806995451, 0.1073969566],
        [0.0883024619, 0.2817188376, 0.6299787005],
    ]
)
_M2 = np.array(
    [
        [0.2104542553, 0.7936177850, -0.0040720468],
        [1.9779984951, -2.4285922050, 0.4505937099],
        [0.0259040371, 0.7827717662, -0.8086757660],
    ]
)
_M1_INV = np.linalg.inv(_M1)
_M2_INV = np.linalg.inv(_M2)


def hex_to_srgb(value: str) -> np.ndarray:
    """'#rrggbb' -> sRGB floats 0..1."""
    v = value.strip().lstrip("#")
    if len(v) != 6:
        raise ValueError(f"not a #rrggbb colour: {value!r}")
    return np.array([int(v[i : i + 2], 16) / 255.0 for i in (0, 2, 4)])


def srgb_to_linear(c: np.ndarray) -> np.ndarray:
    c = np.asarray(c, dtype=np.float64)
    return np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)


def linear_to_srgb(c: np.ndarray) -> np.ndarray:
    c = np.clip(np.asarray(c, dtype=np.float64), 0.0, None)
    return np.where(c <= 0.0031308, c * 12.92, 1.055 * np.power(c, 1 / 2.4) - 0.055)


def linear_to_oklab(rgb: np.ndarray) -> np.ndarray:
    lms = np.cbrt(np.asarray(rgb, dtype=np.float64) @ _M1.T)
    return lms @ _M2.T


def oklab_to_linear(lab: np.ndarray) -> np.ndarray:
    lms = np.asarray(lab, dtype=np.float64) @ _M2_INV.T
    return (lms**3) @ _M1_INV.T


def mix_oklab(colors_linear: list[np.ndarray], weights: list[float]) -> np.ndarray:
    """Weighted blend of linear-RGB colours in OKLab; returns linear RGB."""
    total = float(sum(weights)) or 1.0
    lab = sum(linear_to_oklab(c) * (w / total) for c, w in zip(colors_linear, weights))
    return np.clip(oklab_to_linear(np.asarray(lab)), 0.0, None)
