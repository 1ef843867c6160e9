"""The frame being painted: float32 linear-light buffers at the internal resolution.

Contract for every motif:
- `rgb` (h, w, 3) float32 is the picture in linear light, painted back to front (layers
  compose over it: `rgb = rgb*(1-a) + color*a`, in place, with `out=`).
- `glow` (h, w, 3) float32 is light that should bloom (orb, candle, fireflies); it is blurred
  and added on top by the compositor. Add to it; never clear it (the compositor does).
- `u` (1, w) and `v` (h, 1) are normalised coordinates 0..1 (v=0 top), `horizon` is the
  horizon height as a fraction of h (0.62 by default), `aspect` is w/h.
- `water_top` is where a lake/sea/pond surface begins, as a fraction of h (just below the
  horizon, leaving a strip for the far shore): objects standing on or floating in water use it.
- `scratch(name, shape)` hands out preallocated float32 buffers reused every frame: never
  allocate full-frame arrays per frame in a motif's `draw`.
"""

from __future__ import annotations

import numpy as np


class Canvas:
    def __init__(self, width: int, height: int, horizon: float = 0.62) -> None:
        self.w = int(width)
        self.h = int(height)
        self.aspect = self.w / self.h
        self.horizon = float(horizon)
        self.water_top = self.horizon + 0.035
        self.rgb = np.zeros((self.h, self.w, 3), dtype=np.float32)
        self.glow = np.zeros((self.h, self.w, 3), dtype=np.float32)
        self.u = ((np.arange(self.w, dtype=np.float32) + 0.5) / self.w)[None, :]
        self.v = ((np.arange(self.h, dtype=np.float32) + 0.5) / self.h)[:, None]
        self._scratch: dict[tuple[str, tuple[int, ...]], np.ndarray] = {}

    def scratch(self, name: str, shape: tuple[int, ...]) -> np.ndarray:
        """A float32 buffer kept between frames under this name (contents undefined)."""
        key = (name, tuple(shape))
        buf = self._scratch.get(key)
        if buf is None:
            buf = np.empty(shape, dtype=np.float32)
            self._scratch[key] = buf
        return buf

    def clear(self) -> None:
        self.rgb.fill(0.0)
        self.glow.fill(0.0)
