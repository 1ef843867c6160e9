"""Particle lights that bloom: motes, fireflies, embers, droplets of light, the river of light.

All of them add into `canvas.glow` (the compositor blurs it into bloom) and pulse on slow
sines (0.05-0.45 Hz), never strobing. Positions are closed-form in t (see engine/particles.py).
"""

from __future__ import annotations

import numpy as np

from visualizer.engine.canvas import Canvas
from visualizer.engine.particles import (
    TAU,
    ParticleMotif,
    hsv_to_rgb,
    loop_time,
    palette_color,
    quantize_rate,
    sigma_px,
    sine_into,
    swirl,
)
from visualizer.engine.registry import LAYER_LIGHT, LAYER_PARTICLES, FrameContext, motif


def _srgb(r: float, g: float, b: float) -> np.ndarray:
    c = np.array([r, g, b], dtype=np.float64)
    return np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4).astype(np.float32)


@motif("motes", LAYER_PARTICLES, "dust motes of light floating in the air")
class Motes(ParticleMotif):
    """Tens of thousands of specks drifting on a slow swirl; far ones smaller, dimmer, slower."""

    N_MAX = 20000
    KERNEL = 2

    def __init__(self, canvas: Canvas, rng: np.random.Generator) -> None:
        super().__init__(canvas, rng)
        sw = self.sw
        z = sw.z
        self.vx = quantize_rate((0.002 + 0.006 * z) * np.where(sw.r[0] < 0.8, 1.0, -1.0))
        self.vy = quantize_rate(-(0.0008 + 0.0025 * z) * (sw.r[1] - 0.25))
        self.fr = quantize_rate(0.05 + 0.25 * sw.r[2]) * TAU
        self.bright = (0.05 + 0.3 * z**2).astype(np.float32)
        self.amp = (0.004 + 0.012 * z).astype(np.float32)

    def draw(self, canvas: Canvas, intensity: float, t: float, ctx: FrameContext) -> None:
        k = self.begin(intensity, ctx)
        if k == 0:
            return
        t = loop_time(t)
        sw = self.sw
        x, y = sw.buf("x")[:k], sw.buf("y")[:k]
        dx, dy = sw.buf("dx")[:k], sw.buf("dy")[:k]
        tmp, tmp2 = sw.buf("t1")[:k], sw.buf("t2")[:k]
        np.multiply(self.vx[:k], t, out=x)
        x += sw.x0[:k]
        np.multiply(self.vy[:k], t, out=y)
        y += sw.y0[:k]
        dx.fill(0.0)
        dy.fill(0.0)
        swirl(x, y, t, 0.02, 5.0, 0.01, dx, dy, tmp, tmp2)
        np.multiply(dx, self.amp[:k] / 0.02, out=dx)
        np.multiply(dy, self.amp[:k] / 0.02, out=dy)
        x += dx
        y += dy
        np.mod(x, 1.0, out=x)
        np.mod(y, 1.0, out=y)
        x *= canvas.w
        y *= canvas.h
        w = sine_into(tmp, self.fr[:k], t, sw.ph[0, :k])
        w *= 0.35
        w += 0.65
        w *= self.bright[:k]
        w *= sw.buf("a")[:k]
        w *= float(intensity) ** 0.5
        n = self.sp.taps(canvas.w, canvas.h, x, y)
        self.sp.tent(n, w)
        col = palette_color(ctx, "light", (1.0, 0.9, 0.7)) * 0.6 + 0.4
        self.sp.add(canvas.glow, n, col)


@motif("fireflies", LAYER_PARTICLES, "fireflies and motes blinking softly")
class Fireflies(ParticleMotif):
    """Warm points wandering low over the ground, each glowing up and fading on its own slow
    beat (0.12-0.4 Hz), sharp-ish cores inside a soft halo."""

    N_MAX = 420
    KERNEL = 7

    def __init__(self, canvas: Canvas, rng: np.random.Generator) -> None:
        super().__init__(canvas, rng)
        sw = self.sw
        # Mostly in the lower half, thinning upwards; depth follows height (higher = farther).
        sw.y0[:] = 0.38 + 0.6 * np.sqrt(sw.r[0])
        sw.z[:] = np.clip((sw.y0 - 0.38) / 0.6 + 0.15 * (sw.r[1] - 0.5), 0, 1)
        self.vx = quantize_rate((0.001 + 0.004 * sw.z) * np.sign(sw.r[2] - 0.5))
        self.fw = quantize_rate(0.01 + 0.03 * sw.r[3]) * TAU  # wander
        self.fb = quantize_rate(0.12 + 0.28 * sw.r[4]) * TAU  # blink
        self.amp = (0.01 + 0.03 * sw.z).astype(np.float32)
        self.sigma = sigma_px((0.5 + 1.0 * sw.z) * self.px, hi=1.6)
        hue = 0.13 + 0.06 * sw.r[5]
        self.col = hsv_to_rgb(hue, 0.75, 1.0) ** 2.2
        self.bright = (0.6 + 1.4 * sw.z).astype(np.float32)

    def draw(self, canvas: Canvas, intensity: float, t: float, ctx: FrameContext) -> None:
        k = self.begin(intensity, ctx)
        if k == 0:
            return
        t = loop_time(t)
        sw = self.sw
        x, y = sw.buf("x")[:k], sw.buf("y")[:k]
        tmp = sw.buf("t1")[:k]
        np.multiply(self.vx[:k], t, out=x)
        x += sw.x0[:k]
        x += sine_into(tmp, self.fw[:k], t, sw.ph[0, :k], self.amp[:k])
        np.mod(x, 1.0, out=x)
        sine_into(y, self.fw[:k] * 1.3, t, sw.ph[1, :k], self.amp[:k] * 0.6)
        y += sw.y0[:k]
        x *= canvas.w
        y *= canvas.h
        # Blink: a soft raised pulse sin^4 -> long dark spells, gentle glows.
        b = sine_into(tmp, self.fb[:k], t, sw.ph[2, :k])
        np.maximum(b, 0.0, out=b)
        b *= b
        b *= b
        b *= 0.85
        b += 0.08
        b *= self.bright[:k]
        b *= sw.buf("a")[:k]
        n = self.sp.taps(canvas.w, canvas.h, x, y)
        self.sp.gaussian(n, self.sigma, b)
        self.sp.add(canvas.glow, n, self.col)


@motif("embers", LAYER_PARTICLES, "embers rising and fading")
class Embers(ParticleMotif):
    """Orange sparks rising from below with a lazy sway, cooling (dimmer, redder) as they
    climb; each one's glow flickers slowly."""

    N_MAX = 700
    KERNEL = 5

    def __init__(self, canvas: Canvas, rng: np.random.Generator) -> None:
        super().__init__(canvas, rng)
        sw = self.sw
        sw.x0[:] = np.clip(0.5 + 0.16 * rng.standard_normal(self.N_MAX), 0.02, 0.98)
        self.vy = quantize_rate(0.012 + 0.02 * sw.z)
        self.fs = quantize_rate(0.03 + 0.08 * sw.r[0]) * TAU
        self.ff = quantize_rate(0.2 + 0.3 * sw.r[1]) * TAU
        self.amp = (0.01 + 0.03 * sw.r[2]).astype(np.float32)
        self.sigma = sigma_px((0.6 + 0.7 * sw.z) * self.px, hi=1.2)
        self.bright = (1.0 + 2.0 * sw.z**2).astype(np.float32)
        self.hot = _srgb(1.0, 0.62, 0.22)
        self.cool = _srgb(0.85, 0.22, 0.05)

    def draw(self, canvas: Canvas, intensity: float, t: float, ctx: FrameContext) -> None:
        k = self.begin(intensity, ctx)
        if k == 0:
            return
        t = loop_time(t)
        sw = self.sw
        x, y, life = sw.buf("x")[:k], sw.buf("y")[:k], sw.buf("life")[:k]
        tmp = sw.buf("t1")[:k]
        np.multiply(self.vy[:k], t, out=life)
        life += sw.y0[:k]
        np.mod(life, 1.0, out=life)  # 0 just born at the bottom .. 1 burnt out at the top
        np.multiply(life, -1.1, out=y)
        y += 1.03
        sine_into(x, self.fs[:k], t, sw.ph[0, :k], self.amp[:k])
        x *= 0.3 + life
        x += sw.x0[:k]
        x *= canvas.w
        y *= canvas.h
        # Brightness: fade in quickly after birth, fade out over the climb, slow flicker.
        b = sw.buf("b")[:k]
        np.multiply(life, 12.0, out=b)
        np.minimum(b, 1.0, out=b)
        np.subtract(1.0, life, out=tmp)
        tmp *= tmp
        b *= tmp
        sine_into(tmp, self.ff[:k], t, sw.ph[1, :k], 0.3)
        tmp += 0.7
        b *= tmp
        b *= self.bright[:k]
        b *= sw.buf("a")[:k]
        cols = self._cols(k, life)  # per-particle colour: hot -> cool with life
        n = self.sp.taps(canvas.w, canvas.h, x, y)
        self.sp.gaussian(n, self.sigma, b)
        self.sp.add(canvas.glow, n, cols)

    def _cols(self, k: int, life: np.ndarray) -> np.ndarray:
        if not hasattr(self, "_colbuf"):
            self._colbuf = np.zeros((self.N_MAX, 3), dtype=np.float32)
        c = self._colbuf[:k]
        np.multiply(life[:, None], self.cool - self.hot, out=c)
        c += self.hot
        return c


@motif("droplets", LAYER_PARTICLES, "droplets of light")
class Droplets(ParticleMotif):
    """Beads of light sinking slowly like a luminous drizzle; each is a small vertical
    teardrop that brightens and dims as it turns in the light."""

    N_MAX = 700
    KERNEL = 7

    def __init__(self, canvas: Canvas, rng: np.random.Generator) -> None:
        super().__init__(canvas, rng)
        sw = self.sw
        self.vy = quantize_rate(0.006 + 0.018 * sw.z)
        self.fs = quantize_rate(0.02 + 0.05 * sw.r[0]) * TAU
        self.fb = quantize_rate(0.1 + 0.3 * sw.r[1]) * TAU
        self.sigma = sigma_px((0.45 + 0.8 * sw.z) * self.px, hi=1.4)
        self.bright = (0.3 + 1.0 * sw.z**1.5).astype(np.float32)
        hue = 0.5 + 0.12 * sw.r[2]
        self.tint = (hsv_to_rgb(hue, 0.35, 1.0) ** 2.2).astype(np.float32)

    def draw(self, canvas: Canvas, intensity: float, t: float, ctx: FrameContext) -> None:
        k = self.begin(intensity, ctx)
        if k == 0:
            return
        t = loop_time(t)
        sw = self.sw
        x, y, tmp = sw.buf("x")[:k], sw.buf("y")[:k], sw.buf("t1")[:k]
        np.multiply(self.vy[:k], t, out=y)
        y += sw.y0[:k]
        np.mod(y, 1.0, out=y)
        sine_into(x, self.fs[:k], t, sw.ph[0, :k], 0.01)
        x += sw.x0[:k]
        np.mod(x, 1.0, out=x)
        x *= canvas.w
        y *= canvas.h
        b = sine_into(tmp, self.fb[:k], t, sw.ph[1, :k], 0.45)
        b += 0.55
        b *= self.bright[:k]
        b *= sw.buf("a")[:k]
        n = self.sp.taps(canvas.w, canvas.h, x, y)
        sp = self.sp
        # Teardrop: squash the vertical distance (taller than wide), fuller below the centre.
        dyv = sp.dy[:n]
        np.multiply(dyv, np.where(dyv > 0, 0.45, 0.7).astype(np.float32), out=dyv)
        sp.gaussian(n, self.sigma, b)
        light = palette_color(ctx, "light", (1.0, 0.95, 0.85))
        self.sp.add(canvas.glow, n, self.tint[:n] * (0.5 + 0.5 * light))


@motif(
    "river-of-light", LAYER_LIGHT, "a river of light flowing in a ring that encircles the viewer"
)
class RiverOfLight(ParticleMotif):
    """Thousands of droplets streaming around an ellipse seen in perspective: the front of
    the ring sweeps near the bottom of the frame, the back runs just below the horizon, so
    the band reads as a river circling the viewer. Near droplets are bigger and brighter;
    bright pulses travel along the stream."""

    N_MAX = 14000
    KERNEL = 3

    def __init__(self, canvas: Canvas, rng: np.random.Generator) -> None:
        super().__init__(canvas, rng)
        sw = self.sw
        n = self.N_MAX
        self.theta0 = (sw.x0 * TAU).astype(np.float32)
        lane = rng.standard_normal(n).astype(np.float32)
        self.lane = np.clip(lane, -2.5, 2.5) * 0.035  # radial offset in ring radii
        # One lap in ~70-110 s; inner lanes a little faster (like a real current).
        self.omega = (
            quantize_rate(1.0 / (70.0 + 40.0 * sw.r[0] + 150.0 * np.abs(self.lane))) * TAU
        ).astype(np.float32)
        self.fl = quantize_rate(0.03 + 0.05 * sw.r[1]) * TAU
        self.fb = quantize_rate(0.1 + 0.2 * sw.r[2]) * TAU
        hue = (0.10 + 0.08 * sw.r[3] + np.where(sw.r[4] < 0.3, 0.42, 0.0)) % 1.0
        self.col = (hsv_to_rgb(hue, 0.45 + 0.3 * sw.r[5], 1.0) ** 2.2).astype(np.float32)
        # Mostly faint droplets whose density makes the glowing band, a few bright sparks.
        self.bright = (0.06 + 0.1 * sw.r[6] + 0.6 * (sw.r[7] > 0.97)).astype(np.float32)
        self._colbuf = np.zeros((n, 3), dtype=np.float32)

    def draw(self, canvas: Canvas, intensity: float, t: float, ctx: FrameContext) -> None:
        k = self.begin(intensity, ctx)
        if k == 0:
            return
        t = loop_time(t)
        sw = self.sw
        W, H = canvas.w, canvas.h
        hz = canvas.horizon
        front, back = 0.95, hz + 0.03
        cy, ry = (front + back) * 0.5 * H, (front - back) * 0.5 * H
        cx, rx = 0.5 * W, 0.47 * W
        th, rad, s = sw.buf("th")[:k], sw.buf("rad")[:k], sw.buf("s")[:k]
        x, y, tmp = sw.buf("x")[:k], sw.buf("y")[:k], sw.buf("t1")[:k]
        np.multiply(self.omega[:k], t, out=th)
        th += self.theta0[:k]
        # radius 1 + lane + a slow meander of the band
        sine_into(rad, 3.0, 0.0, th, 0.02)  # 3 gentle bends around the ring
        rad += sine_into(tmp, self.fl[:k], t, sw.ph[0, :k], 0.006)
        rad += self.lane[:k]
        rad += 1.0
        np.sin(th, out=s)  # +1 at the front (bottom), -1 at the back (horizon)
        np.multiply(s, ry, out=y)
        y *= rad
        y += cy
        np.cos(th, out=x)
        x *= rx
        x *= rad
        x += cx
        # perspective: 0 at the back .. 1 at the front
        s += 1.0
        s *= 0.5
        sig = sw.buf("sig")[:k]
        np.multiply(s, 0.6, out=sig)
        sig += 0.45
        sig *= H / 540.0
        np.maximum(sig, 0.55, out=sig)
        # travelling pulses along the flow + per-drop shimmer
        b = sw.buf("b")[:k]
        np.multiply(th, 5.0, out=b)
        b -= t * 0.9
        np.sin(b, out=b)
        b *= 0.3
        b += 0.75
        sine_into(tmp, self.fb[:k], t, sw.ph[1, :k], 0.2)
        tmp += 0.8
        b *= tmp
        np.multiply(s, 0.9, out=tmp)
        tmp += 0.35
        b *= tmp
        b *= self.bright[:k]
        b *= sw.buf("a")[:k]
        n = self.sp.taps(W, H, x, y)
        self.sp.gaussian(n, sig, b)
        light = palette_color(ctx, "light", (1.0, 0.9, 0.7))
        c = self._colbuf[:n]
        np.multiply(self.col[:n], 0.6, out=c)
        c += 0.4 * light
        self.sp.add(canvas.glow, n, c)
