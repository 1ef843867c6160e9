"""The compositor: glow, vignette, fade, tone map, linear -> sRGB and dither to bytes.

Every buffer is allocated once per internal size and a frame is a short fixed sequence of
in-place numpy passes. Two facts shape it:
- numpy is fast when every operand is contiguous (or broadcast along whole rows) and ~10x
  slower when an operand broadcasts along the last axis of length 3, so per-pixel factors are
  stored as full (h, w, 3) arrays.
- The tone map, the sRGB curve and an 8-level ordered dither live in one uint8 table, indexed
  by (dither phase * 2^14 + quantised linear light): one gather gives the final byte. The table
  steps are fine enough in the dark (2^14 entries over 0..2) that dark skies do not band, and
  the dither pattern is static, so it does not flicker.

The halo of glow is blurred at 1/4 resolution and returned as a small uint8 picture that the
renderer scales up and adds with pygame (a soft, cheap bloom).
"""

from __future__ import annotations

import numpy as np

LUT_BITS = 14  # 2^14 levels over 0..2: 0.4 LSB per step in the darkest tones, 128 KB table
LUT_SIZE = 1 << LUT_BITS
LUT_MAX = 2.0  # linear light mapped by the table; the tone map is white (0.998) by then
PHASES = 8  # ordered dither levels
BLOOM = 0.6  # halo strength relative to the glow buffer
VIGNETTE = 0.22  # darkening in the far corners


def tonemap(x: np.ndarray) -> np.ndarray:
    """Identity below the knee, then a soft shoulder towards 1: lights never clip hard."""
    knee = 0.75
    over = np.maximum(x - knee, 0.0)
    soft = knee + (1.0 - knee) * (1.0 - np.exp(-over / (1.0 - knee)))
    return np.where(x < knee, x, soft)


def srgb_curve(lin: np.ndarray) -> np.ndarray:
    lin = np.clip(lin, 0.0, 1.0)
    return np.where(lin <= 0.0031308, lin * 12.92, 1.055 * np.power(lin, 1 / 2.4) - 0.055)


def dithered_lut() -> np.ndarray:
    """uint8 table of PHASES * LUT_SIZE: entry p*LUT_SIZE + i is the byte for linear level i
    under dither phase p (phase-major, so a frame adds a static per-pixel offset)."""
    x = (np.arange(LUT_SIZE, dtype=np.float64) + 0.5) * (LUT_MAX / LUT_SIZE)
    s = srgb_curve(tonemap(x)) * 255.0
    d = (np.arange(PHASES) + 0.5) / PHASES - 0.5  # +-0.5 LSB
    v = np.floor(s[None, :] + 0.5 + d[:, None])
    return np.clip(v, 0, 255).astype(np.uint8).ravel()


def _bayer(n: int = 16) -> np.ndarray:
    m = np.zeros((1, 1))
    while m.shape[0] < n:
        m = np.block([[4 * m, 4 * m + 2], [4 * m + 3, 4 * m + 1]])
    return (m + 0.5) / m.size


def dither_phases(h: int, w: int) -> np.ndarray:
    """Static ordered dither per pixel and channel, as the LUT offset phase*LUT_SIZE of its
    phase 0..PHASES-1 (rotated per channel so the pattern stays grey rather than tinted)."""
    b = _bayer(16)
    reps = (h // 16 + 1, w // 16 + 1)
    out = np.empty((h, w, 3), dtype=np.intp)
    for c, (dy, dx) in enumerate(((0, 0), (5, 11), (9, 3))):
        tile = np.tile(np.roll(b, (dy, dx), axis=(0, 1)), reps)[:h, :w]
        out[:, :, c] = np.minimum((tile * PHASES).astype(np.intp), PHASES - 1) * LUT_SIZE
    return out


def vignette(h: int, w: int) -> np.ndarray:
    u = (np.arange(w, dtype=np.float32) + 0.5) / w - 0.5
    v = (np.arange(h, dtype=np.float32) + 0.5) / h - 0.5
    r2 = (u[None, :] * 1.2) ** 2 + (v[:, None] * 1.1) ** 2
    vig = 1.0 - VIGNETTE * np.clip(r2 / 0.5, 0, 1) ** 1.6
    return np.repeat(vig[:, :, None], 3, axis=2).astype(np.float32)


def _blur2d(buf: np.ndarray, tmp: np.ndarray, step: int) -> None:
    """Separable [1 4 6 4 1]/16 blur of an (h, w*3) view in place; `step` is 3 for the
    horizontal pass (one pixel), the vertical pass shifts whole rows. Edges clamp."""
    for axis, s in ((0, 1), (1, step)):
        n = buf.shape[axis]
        if n < 5 * s:
            continue

        def sl(a: int, b: int, ax: int = axis) -> tuple[slice, ...]:
            return (slice(None),) * ax + (slice(a, b),)

        np.multiply(buf, 6.0, out=tmp)
        tmp[sl(s, n)] += 4.0 * buf[sl(0, n - s)]
        tmp[sl(0, n - s)] += 4.0 * buf[sl(s, n)]
        tmp[sl(2 * s, n)] += buf[sl(0, n - 2 * s)]
        tmp[sl(0, n - 2 * s)] += buf[sl(2 * s, n)]
        # clamped edges: missing taps repeat the edge sample
        tmp[sl(0, s)] += 5.0 * buf[sl(0, s)]
        tmp[sl(s, 2 * s)] += buf[sl(0, s)]
        tmp[sl(n - s, n)] += 5.0 * buf[sl(n - s, n)]
        tmp[sl(n - 2 * s, n - s)] += buf[sl(n - s, n)]
        np.multiply(tmp, 1.0 / 16.0, out=buf)


class Compositor:
    """Turns a Canvas (float32 linear light + glow) into dithered sRGB bytes."""

    def __init__(self, width: int, height: int) -> None:
        if width % 4 or height % 4:
            raise ValueError("internal size must be a multiple of 4")
        self.w, self.h = width, height
        h2, h4, w4 = height // 2, height // 4, width // 4
        self.half_rows = np.zeros((h2, width * 3), np.float32)
        self.q_rows = np.zeros((h4, width * 3), np.float32)
        self.quarter = np.zeros((h4, w4, 3), np.float32)
        self.q_tmp = np.zeros((h4, w4 * 3), np.float32)
        self.halo = np.zeros((h4, w4, 3), np.uint8)
        self.has_halo = False
        self.vignette = vignette(height, width)
        self.lut = dithered_lut()
        # the dither offsets as float: clamp, add phase and truncate in float32 (cheap), then
        # one conversion to intp, which take() wants (otherwise it copies)
        self.phase = dither_phases(height, width).astype(np.float32)
        self.level = np.zeros((height, width, 3), np.float32)
        self.index = np.zeros((height, width, 3), np.intp)
        self.out = np.zeros((height, width, 3), np.uint8)
        self._vig_fade = -1.0
        self.vig_scaled = np.empty_like(self.vignette)

    def bloom(self, rgb: np.ndarray, glow: np.ndarray) -> None:
        """rgb += glow; the blurred quarter-size halo goes to `self.halo` (uint8)."""
        h, w = self.h, self.w
        g2 = glow.reshape(h, w * 3)
        np.add(g2[0::2], g2[1::2], out=self.half_rows)
        np.add(self.half_rows[0::2], self.half_rows[1::2], out=self.q_rows)
        if float(self.q_rows.max()) <= 1e-5:
            self.has_halo = False
            return
        rgb += glow
        # 4 neighbouring pixels of a quarter row summed by strided adds (a matmul would be
        # faster but hands the work to BLAS threads that then spin on the other core)
        q4 = self.q_rows.reshape(h // 4, w // 4, 4, 3)
        np.add(q4[:, :, 0], q4[:, :, 1], out=self.quarter)
        self.quarter += q4[:, :, 2]
        self.quarter += q4[:, :, 3]
        q2d = self.quarter.reshape(h // 4, -1)
        q2d *= 1.0 / 16.0
        _blur2d(q2d, self.q_tmp, 3)
        _blur2d(q2d, self.q_tmp, 3)
        # halo in display space: a gentle gamma so faint glow still shows, then bytes
        np.multiply(q2d, BLOOM, out=q2d)
        np.maximum(q2d, 0.0, out=q2d)  # (also turns a stray NaN into 0)
        np.sqrt(q2d, out=q2d)
        q2d *= 255.0
        np.minimum(q2d, 255.0, out=q2d)
        np.copyto(self.halo, self.quarter, casting="unsafe")
        self.has_halo = True

    def compose(self, rgb: np.ndarray, glow: np.ndarray, fade: float) -> np.ndarray:
        """Finish the frame; returns the internal uint8 (h, w, 3) buffer (reused)."""
        self.bloom(rgb, glow)
        fade = max(0.0, min(1.0, float(fade)))
        if fade != self._vig_fade:
            # fade is perceived brightness: in linear light that is fade^2.2, so a fade to
            # black changes evenly to the eye instead of lingering then dropping at the end
            gain = fade**2.2
            np.multiply(self.vignette, np.float32(gain * LUT_SIZE / LUT_MAX), out=self.vig_scaled)
            self._vig_fade = fade
        lv = self.level
        # scale to table steps and clamp: brighter than the table is white, negative light is
        # black; adding the (integer) phase offset before truncation gives the same index as
        # truncating first. A stray NaN truncates to a huge negative index: take() clips it
        # to entry 0, black.
        np.multiply(rgb, self.vig_scaled, out=lv)
        np.clip(lv, 0.0, LUT_SIZE - 1.0, out=lv)
        lv += self.phase
        with np.errstate(invalid="ignore"):
            np.copyto(self.index, lv, casting="unsafe")
        np.take(self.lut, self.index, out=self.out, mode="clip")
        if fade < 1.0 and self.has_halo:  # the halo is in display space: fade it as seen
            np.multiply(self.halo, fade, out=self.halo, casting="unsafe")
        return self.out
