"""The compositor: glow bloom, vignette, fade, tone map, linear -> sRGB and dither to bytes.

Every buffer is allocated once per internal size; a frame is a fixed sequence of in-place numpy
passes. The tone map and sRGB curve live in one float32 table indexed by sqrt(linear), which
gives fine steps in the dark (where 8-bit skies band) without a per-pixel pow. A static
ordered dither of +-0.5 LSB is added before truncation: no banding and, being static, no
flicker.
"""

from __future__ import annotations

import numpy as np

LUT_SIZE = 16384
LUT_MAX = 4.0  # linear light mapped by the table; anything brighter is white
BLOOM = 0.9  # halo strength relative to the glow buffer
VIGNETTE = 0.22  # darkening in the far corners


def _tonemap(x: np.ndarray) -> np.ndarray:
    """Identity below the knee, then a soft shoulder towards 1: lights never clip hard."""
    knee = 0.75
    over = np.maximum(x - knee, 0.0)
    soft = knee + (1.0 - knee) * (1.0 - np.exp(-over / (1.0 - knee)))
    return np.where(x < knee, x, soft)


def _srgb_lut() -> np.ndarray:
    s = np.linspace(0.0, np.sqrt(LUT_MAX), LUT_SIZE)
    lin = _tonemap(s * s)
    srgb = np.where(lin <= 0.0031308, lin * 12.92, 1.055 * np.power(lin, 1 / 2.4) - 0.055)
    return np.clip(srgb * 255.0, 0.0, 254.999).astype(np.float32)


def _bayer(n: int = 16) -> np.ndarray:
    m = np.zeros((1, 1))
    while m.shape[0] < n:
        m = np.block([[4 * m, 4 * m + 2], [4 * m + 3, 4 * m + 1]])
    return (m + 0.5) / m.size


def dither_pattern(h: int, w: int) -> np.ndarray:
    """Static ordered dither in [0, 1), rotated per channel so it stays grey (not tinted)."""
    b = _bayer(16)
    reps = (h // 16 + 1, w // 16 + 1)
    out = np.empty((h, w, 3), dtype=np.float32)
    for c, (dy, dx) in enumerate(((0, 0), (5, 11), (9, 3))):
        out[:, :, c] = np.tile(np.roll(b, (dy, dx), axis=(0, 1)), reps)[:h, :w]
    return out


def _down2(src: np.ndarray, dst: np.ndarray) -> None:
    """2x2 box average, in place into dst (src dims are even)."""
    np.add(src[0::2, 0::2], src[1::2, 0::2], out=dst)
    dst += src[0::2, 1::2]
    dst += src[1::2, 1::2]
    dst *= 0.25


def _blur(buf: np.ndarray, tmp: np.ndarray) -> None:
    """Separable [1 4 6 4 1]/16 blur with clamped edges, in place."""
    for axis in (0, 1):
        n = buf.shape[axis]
        if n < 5:
            continue

        def sl(a: int, b: int, ax: int = axis) -> tuple[slice, ...]:
            return (slice(None),) * ax + (slice(a, b),)

        np.multiply(buf, 6.0, out=tmp)
        tmp[sl(1, n)] += 4.0 * buf[sl(0, n - 1)]
        tmp[sl(0, n - 1)] += 4.0 * buf[sl(1, n)]
        tmp[sl(2, n)] += buf[sl(0, n - 2)]
        tmp[sl(0, n - 2)] += buf[sl(2, n)]
        # clamped edges: the missing taps repeat the edge sample
        tmp[sl(0, 1)] += 5.0 * buf[sl(0, 1)]
        tmp[sl(1, 2)] += buf[sl(0, 1)]
        tmp[sl(n - 1, n)] += 5.0 * buf[sl(n - 1, n)]
        tmp[sl(n - 2, n - 1)] += buf[sl(n - 1, n)]
        np.multiply(tmp, 1.0 / 16.0, out=buf)


def _up2_add(src: np.ndarray, dst: np.ndarray, tmp: np.ndarray, gain: float) -> None:
    """dst += gain * bilinear 2x upsample of src. tmp has shape (2h, w, 3) of src."""
    h, w = src.shape[:2]
    # rows
    np.multiply(src, 0.75, out=tmp[0::2])
    tmp[2::2] += 0.25 * src[: h - 1]
    tmp[0:1] += 0.25 * src[0:1]
    np.multiply(src, 0.75, out=tmp[1::2])
    tmp[1 : 2 * h - 2 : 2] += 0.25 * src[1:]
    tmp[2 * h - 1 :] += 0.25 * src[h - 1 :]
    if gain != 1.0:
        tmp *= gain
    # columns, added straight into dst
    a = 0.75
    dst[:, 0::2] += a * tmp
    dst[:, 2::2] += 0.25 * tmp[:, : w - 1]
    dst[:, 0:1] += 0.25 * tmp[:, 0:1]
    dst[:, 1::2] += a * tmp
    dst[:, 1 : 2 * w - 2 : 2] += 0.25 * tmp[:, 1:]
    dst[:, 2 * w - 1 :] += 0.25 * tmp[:, w - 1 :]


class Compositor:
    """Turns a Canvas (float32 linear light + glow) into dithered sRGB bytes, in place."""

    def __init__(self, width: int, height: int) -> None:
        if width % 4 or height % 4:
            raise ValueError("internal size must be a multiple of 4")
        self.w, self.h = width, height
        h2, w2, h4, w4 = height // 2, width // 2, height // 4, width // 4
        self.half = np.zeros((h2, w2, 3), np.float32)
        self.half_tmp = np.zeros((h2, w2, 3), np.float32)
        self.quarter = np.zeros((h4, w4, 3), np.float32)
        self.quarter_tmp = np.zeros((h4, w4, 3), np.float32)
        self.up_q = np.zeros((h2, w4, 3), np.float32)
        self.up_h = np.zeros((height, w2, 3), np.float32)
        u = (np.arange(width, dtype=np.float32) + 0.5) / width - 0.5
        v = (np.arange(height, dtype=np.float32) + 0.5) / height - 0.5
        r2 = (u[None, :] * 1.2) ** 2 + (v[:, None] * 1.1) ** 2
        self.vignette = (1.0 - VIGNETTE * np.clip(r2 / 0.5, 0, 1) ** 1.6)[:, :, None].astype(
            np.float32
        )
        self.lut = _srgb_lut()
        self.dither = dither_pattern(height, width)
        self.work = np.zeros((height, width, 3), np.float32)
        self.index = np.zeros((height, width, 3), np.int32)
        self.out = np.zeros((height, width, 3), np.uint8)

    def bloom(self, rgb: np.ndarray, glow: np.ndarray) -> None:
        """rgb += glow + a soft halo of glow (downsampled twice, blurred, upsampled)."""
        _down2(glow, self.half)
        _down2(self.half, self.quarter)
        if float(self.quarter.max()) <= 1e-5:
            return
        rgb += glow
        _blur(self.quarter, self.quarter_tmp)
        _blur(self.quarter, self.quarter_tmp)
        _blur(self.half, self.half_tmp)
        self.half *= 0.5
        _up2_add(self.quarter, self.half, self.up_q, 1.0)
        _up2_add(self.half, rgb, self.up_h, BLOOM)

    def compose(self, rgb: np.ndarray, glow: np.ndarray, fade: float) -> np.ndarray:
        """Finish the frame; returns the internal uint8 (h, w, 3) buffer (reused)."""
        self.bloom(rgb, glow)
        np.multiply(rgb, self.vignette, out=self.work)
        np.maximum(self.work, 0.0, out=self.work)
        np.sqrt(self.work, out=self.work)
        scale = (LUT_SIZE - 1) / np.sqrt(LUT_MAX) * float(np.sqrt(max(0.0, min(1.0, fade))))
        self.work *= scale
        np.minimum(self.work, LUT_SIZE - 1, out=self.work)
        np.copyto(self.index, self.work, casting="unsafe")
        np.take(self.lut, self.index, out=self.work)
        self.work += self.dither
        np.copyto(self.out, self.work, casting="unsafe")
        return self.out
