"""Named palettes from assets/palettes.json, blended in OKLab so transitions stay vivid.

Blending happens once per distinct weight set (weights are quantised and cached), never per
pixel, so a slow cross-fade costs a few hundred blends over its whole length.
"""

from __future__ import annotations

from functools import cache, lru_cache

import numpy as np

from visualizer.engine.color import hex_to_srgb, linear_to_oklab, oklab_to_linear, srgb_to_linear
from visualizer.engine.registry import Palette
from visualizer.resources import load_json_asset

FIELDS = (
    "sky_top",
    "sky_mid",
    "horizon",
    "far",
    "near",
    "ground",
    "water",
    "mist",
    "accent",
    "light",
)
FALLBACK = "dawn"
_QUANT = 512  # weight steps: finer than any visible colour change


@cache
def palette_names() -> tuple[str, ...]:
    return tuple(sorted(load_json_asset("palettes.json")))


@cache
def _lab_table() -> dict[str, tuple[np.ndarray, float]]:
    """name -> (OKLab colours (len(FIELDS), 3) float64, night)."""
    table = {}
    for name, spec in load_json_asset("palettes.json").items():
        lin = np.array([srgb_to_linear(hex_to_srgb(spec[f])) for f in FIELDS])
        table[name] = (linear_to_oklab(lin), float(spec.get("night", 0.0)))
    return table


def quantise(weights: dict[str, float], steps: int = _QUANT) -> tuple[tuple[str, int], ...]:
    """A hashable, order-free key for a weight set in `steps` steps; unknown names and ~0
    weights dropped."""
    table = _lab_table()
    items = [(n, float(w)) for n, w in weights.items() if n in table and w > 0]
    total = sum(w for _, w in items)
    if total <= 0:
        return ((FALLBACK, steps),)
    key = tuple(sorted((n, round(w / total * steps)) for n, w in items))
    key = tuple((n, q) for n, q in key if q > 0)
    return key or ((max(items, key=lambda it: it[1])[0], steps),)


@lru_cache(maxsize=2048)
def _blend_key(key: tuple[tuple[str, int], ...]) -> Palette:
    table = _lab_table()
    total = float(sum(q for _, q in key))
    lab = sum(table[n][0] * (q / total) for n, q in key)
    night = sum(table[n][1] * (q / total) for n, q in key)
    lin = np.clip(oklab_to_linear(np.asarray(lab)), 0.0, None).astype(np.float32)
    colours = {f: lin[i] for i, f in enumerate(FIELDS)}
    for c in colours.values():
        c.flags.writeable = False
    return Palette(**colours, night=float(night))


def blend_palette(weights: dict[str, float], steps: int = _QUANT) -> Palette:
    """The palette for a frame: `weights` name -> weight (any scale); unknown names skipped.
    Weights are quantised to `steps` (coarser for slowly repainted motifs)."""
    return _blend_key(quantise(weights, steps))
