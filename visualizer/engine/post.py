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
- At 960x540 the frame's float buffers are 6 MB each, so the lookup is bound by memory
  traffic, not arithmetic: it runs in bands of ~90 rows whose temporaries stay in the cache.

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
BAND_SAMPLES = 1 << 18  # samples per band of the table lookup (~90 rows at 960 wide)


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


def _blur2d(buf: np.ndarray, tmp: np.ndarray, pad: np.ndarray, step: int) -> None:
    """Separable [1 4 6 4 1] blur of an (h, w*3) view in place, NOT normalised (x256: the
    caller folds the 1/16 per pass into one final scale); `step` is 3 for the horizontal
    pass (one pixel), the vertical pass shifts whole rows. Edges clamp: the samples are
    copied into `pad` (2 pixels wider and taller on each side) with the edges repeated, so
    every tap is one whole-buffer add without temporaries."""
    h, n = buf.shape
    for axis, s in ((0, 1), (1, step)):
        size = buf.shape[axis]
        if size < 5 * s:
            buf *= 16.0  # unblurred, but scaled like a blurred pass
            continue
        if axis == 0:
            p = pad[:, : n]
            p[2 : h + 2] = buf
            p[0:2] = buf[0]
            p[h + 2 : h + 4] = buf[h - 1]
            taps = [p[k : k + h] for k in range(5)]
        else:
            p = pad[:h]
            p[:, 2 * s : n + 2 * s] = buf
            for k in (0, s):
                p[:, k : k + s] = buf[:, 0:s]
                p[:, n + 2 * s + k : n + 3 * s + k] = buf[:, n - s : n]
            taps = [p[:, k * s : k * s + n] for k in range(5)]
        np.add(taps[0], taps[4], out=tmp)
        np.add(taps[1], taps[3], out=buf)
        buf *= 4.0
        tmp += buf
        np.multiply(taps[2], 6.0, out=buf)
        buf += tmp


class Compositor:
    """Turns a Canvas (float32 linear light + glow) into dithered sRGB bytes."""

    def __init__(self, width: int, height: int) -> None:
        if width % 4 or height % 4:
            raise ValueError("internal size must be a multiple of 4")
        self.w, self.h = width, height
        h4, w4 = height // 4, width // 4
        self.q_rows = np.zeros((h4, width * 3), np.float32)
        self.quarter = np.zeros((h4, w4, 3), np.float32)
        self.q_tmp = np.zeros((h4, w4 * 3), np.float32)
        self.q_pad = np.zeros((h4 + 4, (w4 + 4) * 3), np.float32)
        self.halo = np.zeros((h4, w4, 3), np.uint8)
        self.has_halo = False
        self.vignette = vignette(height, width)
        self.lut = dithered_lut()
        # the dither offsets as float: clamp, add phase and truncate in float32 (cheap), then
        # one conversion to intp, which take() wants (otherwise it copies)
        self.phase = dither_phases(height, width).astype(np.float32)
        # the table lookup runs in bands of rows whose temporaries stay in the CPU cache (the
        # whole-frame version moved ~110 MB through memory per frame at 960x540)
        self.band = max(1, min(height, BAND_SAMPLES // (width * 3)))
        self.level = np.zeros((self.band, width, 3), np.float32)
        self.index32 = np.zeros((self.band, width, 3), np.int32)
        self.index = np.zeros((self.band, width, 3), np.intp)
        self.out = np.zeros((height, width, 3), np.uint8)
        self._vig_fade = -1.0
        self.vig_scaled = np.empty_like(self.vignette)

    def bloom(self, glow: np.ndarray) -> None:
        """The blurred quarter-size halo of `glow` goes to `self.halo` (uint8); `has_halo`
        says whether there is any glow at all (compose adds the glow itself only then)."""
        h, w = self.h, self.w
        g2 = glow.reshape(h, w * 3)
        # 4 rows summed straight into the quarter rows (no half-size buffer to write and
        # read back)
        np.add(g2[0::4], g2[1::4], out=self.q_rows)
        self.q_rows += g2[2::4]
        self.q_rows += g2[3::4]
        if float(self.q_rows.max()) <= 1e-5:
            self.has_halo = False
            return
        # 4 neighbouring pixels of a quarter row summed by strided adds, one channel at a
        # time (a long inner loop; adding (.., 3) slices is ~3x slower). A matmul would be
        # faster but hands the work to BLAS threads that then spin on the other core.
        q4 = self.q_rows.reshape(h // 4, w // 4, 4, 3)
        for c in range(3):
            qc = self.quarter[:, :, c]
            np.add(q4[:, :, 0, c], q4[:, :, 1, c], out=qc)
            qc += q4[:, :, 2, c]
            qc += q4[:, :, 3, c]
        q2d = self.quarter.reshape(h // 4, -1)
        _blur2d(q2d, self.q_tmp, self.q_pad, 3)
        _blur2d(q2d, self.q_tmp, self.q_pad, 3)
        # halo in display space: a gentle gamma so faint glow still shows, then bytes
        # (one scale: 1/16 for the pooled sum, 1/16 per blur pass, 255^2 inside the sqrt)
        np.multiply(q2d, BLOOM * 255.0**2 / 16.0**5, out=q2d)
        np.fmax(q2d, 0.0, out=q2d)  # (fmax, unlike maximum, also turns a stray NaN into 0)
        np.sqrt(q2d, out=q2d)
        np.minimum(q2d, 255.0, out=q2d)
        np.copyto(self.halo, self.quarter, casting="unsafe")
        self.has_halo = True

    def compose(self, rgb: np.ndarray, glow: np.ndarray, fade: float) -> np.ndarray:
        """Finish the frame; returns the internal uint8 (h, w, 3) buffer (reused)."""
        self.bloom(glow)
        fade = max(0.0, min(1.0, float(fade)))
        if fade != self._vig_fade:
            # fade is perceived brightness: in linear light that is fade^2.2, so a fade to
            # black changes evenly to the eye instead of lingering then dropping at the end
            gain = fade**2.2
            np.multiply(self.vignette, np.float32(gain * LUT_SIZE / LUT_MAX), out=self.vig_scaled)
            self._vig_fade = fade
        # scale to table steps and clamp: brighter than the table is white, negative light is
        # black; adding the (integer) phase offset before truncation gives the same index as
        # truncating first. A stray NaN truncates to a huge negative index: take() clips it
        # to entry 0, black. float32 -> int32 -> intp is ~2x cheaper than float32 -> intp in
        # one cast (same truncation; a NaN becomes INT32_MIN, still clipped to black).
        for y0 in range(0, self.h, self.band):
            y1 = min(self.h, y0 + self.band)
            n = y1 - y0
            lv, i32, ip = self.level[:n], self.index32[:n], self.index[:n]
            if self.has_halo:  # the glow adds to the light (the halo comes on top later)
                np.add(rgb[y0:y1], glow[y0:y1], out=lv)
                lv *= self.vig_scaled[y0:y1]
            else:
                np.multiply(rgb[y0:y1], self.vig_scaled[y0:y1], out=lv)
            np.clip(lv, 0.0, LUT_SIZE - 1.0, out=lv)
            lv += self.phase[y0:y1]
            with np.errstate(invalid="ignore"):
                np.copyto(i32, lv, casting="unsafe")
            np.copyto(ip, i32)
            np.take(self.lut, ip, out=self.out[y0:y1], mode="clip")
        if fade < 1.0 and self.has_halo:  # the halo is in display space: fade it as seen
            np.multiply(self.halo, fade, out=self.halo, casting="unsafe")
        return self.out
