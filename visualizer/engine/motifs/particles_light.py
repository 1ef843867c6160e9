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
    Splatter,
    Swarm,
    hsv_to_rgb,
    live_count,
    loop_time,
    palette_color,
    qfreq,
    quantize_rate,
    rank_alpha,
    sine_into,
    soft_sigma,
    swirl,
)
from visualizer.engine.registry import LAYER_LIGHT, LAYER_PARTICLES, FrameContext, motif


def _srgb(r: float, g: float, b: float) -> np.ndarray:
    c = np.array([r, g, b], dtype=np.float64)
    return np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4).astype(np.float32)


@motif("motes", LAYER_PARTICLES, "dust motes of light floating in the air")
class Motes(ParticleMotif):
    """Tens of thousands of specks of warm dust drifting on a slow swirl: far ones tiny,
    dim and slow (sub-pixel points), the nearest few thousand soft out-of-focus discs.
    Brightness follows a large, slowly travelling field, so the dust gathers into soft
    luminous drifts (like dust caught in shafts of light) instead of an even grain."""

    N_MAX = 20000
    NEAR = 0.1  # share of the motes near enough to be soft discs
    KERNEL = 2

    def __init__(self, canvas: Canvas, rng: np.random.Generator) -> None:
        super().__init__(canvas, rng)
        nn = int(self.N_MAX * self.NEAR)
        self.sw = Swarm(self.N_MAX - nn, rng)  # far specks
        self.sw.z *= 0.8
        self.near = Swarm(nn, rng)  # near discs
        self.near.z[:] = 0.8 + 0.2 * self.near.z
        self.nsp = Splatter(nn, 5)
        self.far_m = self._motion(self.sw)
        self.near_m = self._motion(self.near)
        self.sigma, self.gain = soft_sigma(
            (1.0 + 1.2 * (self.near.z - 0.8) / 0.2) * self.px, hi=1.5
        )
        self.w1 = float(quantize_rate(np.float64(0.011))) * TAU
        self.w2 = float(quantize_rate(np.float64(0.007))) * TAU
        self.dust = _srgb(1.0, 0.86, 0.6)

    @staticmethod
    def _motion(sw: Swarm) -> dict[str, np.ndarray]:
        z = sw.z
        return {
            "vx": quantize_rate((0.002 + 0.006 * z) * np.where(sw.r[0] < 0.8, 1.0, -1.0)),
            "vy": quantize_rate(-(0.0008 + 0.0025 * z) * (sw.r[1] - 0.25)),
            "fr": quantize_rate(0.05 + 0.25 * sw.r[2]) * TAU,
            "bright": (0.02 + 0.45 * z**2).astype(np.float32),
            "amp": (0.004 + 0.012 * z).astype(np.float32),
        }

    def _place(
        self, sw: Swarm, m: dict[str, np.ndarray], k: int, t: float, canvas: Canvas
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Pixel positions and brightness of the first k motes of a swarm."""
        x, y = sw.buf("x")[:k], sw.buf("y")[:k]
        dx, dy = sw.buf("dx")[:k], sw.buf("dy")[:k]
        tmp, tmp2 = sw.buf("t1")[:k], sw.buf("t2")[:k]
        np.multiply(m["vx"][:k], t, out=x)
        x += sw.x0[:k]
        np.multiply(m["vy"][:k], t, out=y)
        y += sw.y0[:k]
        dx.fill(0.0)
        dy.fill(0.0)
        swirl(x, y, t, 0.02, 5.0, 0.01, dx, dy, tmp, tmp2)
        np.multiply(dx, m["amp"][:k] / 0.02, out=dx)
        np.multiply(dy, m["amp"][:k] / 0.02, out=dy)
        x += dx
        y += dy
        np.mod(x, 1.0, out=x)
        np.mod(y, 1.0, out=y)
        # drifts: f = (0.5 + 0.5 sin(a) sin(b))^3 over the frame, moving slowly
        np.multiply(x, TAU, out=tmp)  # whole turns per screen: seamless at the wrap
        tmp += y * np.float32(TAU)
        tmp += self.w1 * t
        np.sin(tmp, out=tmp)
        np.multiply(x, TAU, out=tmp2)
        tmp2 -= y * np.float32(2.0 * TAU)
        tmp2 += self.w2 * t + 1.7
        np.sin(tmp2, out=tmp2)
        tmp *= tmp2
        tmp *= 0.5
        tmp += 0.5
        np.power(tmp, 3, out=tmp)
        tmp *= 0.9
        tmp += 0.1
        w = sw.buf("w")[:k]
        sine_into(w, m["fr"][:k], t, sw.ph[0, :k])
        w *= 0.35
        w += 0.65
        w *= tmp
        w *= m["bright"][:k]
        x *= canvas.w
        y *= canvas.h
        return x, y, w

    def draw(self, canvas: Canvas, intensity: float, t: float, ctx: FrameContext) -> None:
        scale = live_count(self.N_MAX, ctx) / self.N_MAX
        k = rank_alpha(live_count(self.sw.n, ctx), intensity, self.sw.buf("a"))
        kn = rank_alpha(max(1, round(self.near.n * scale)), intensity, self.near.buf("a"))
        if k == 0 and kn == 0:
            return
        t = loop_time(t)
        col = 0.5 * palette_color(ctx, "light", (1.0, 0.9, 0.7)) + 0.5 * self.dust
        fade = float(intensity) ** 0.5
        if k:
            x, y, w = self._place(self.sw, self.far_m, k, t, canvas)
            w *= self.sw.buf("a")[:k]
            w *= fade
            w *= min(1.0, self.px * self.px)  # same light per screen area at any size
            n = self.sp.grid(canvas.w, canvas.h, x, y)
            self.sp.tent_sep(n, w)
            self.sp.add(canvas.glow, n, col)
        if kn:
            x, y, w = self._place(self.near, self.near_m, kn, t, canvas)
            w *= self.near.buf("a")[:kn]
            w *= 0.5 * fade
            n = self.nsp.grid(canvas.w, canvas.h, x, y)
            w *= self.gain[:kn]
            self.nsp.gaussian_sep(n, self.sigma, w)
            self.nsp.add(canvas.glow, n, col)


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
        self.fw = qfreq(0.01 + 0.03 * sw.r[3])  # wander
        self.fw2 = qfreq(1.3 * (0.01 + 0.03 * sw.r[3]))
        self.fb = quantize_rate(0.12 + 0.28 * sw.r[4]) * TAU  # blink
        self.amp = (0.01 + 0.03 * sw.z).astype(np.float32)
        self.sigma, self.gain = soft_sigma((0.5 + 1.0 * sw.z) * self.px, hi=1.6)
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
        sine_into(y, self.fw2[:k], t, sw.ph[1, :k], self.amp[:k] * 0.6)
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
        n = self.sp.grid(canvas.w, canvas.h, x, y)
        b *= self.gain[:k]
        self.sp.gaussian_sep(n, self.sigma, b)
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
        self.sigma, self.gain = soft_sigma((0.6 + 0.7 * sw.z) * self.px, hi=1.2)
        self.bright = (1.0 + 2.0 * sw.z**2).astype(np.float32)
        self._colbuf = np.zeros((self.N_MAX, 3), dtype=np.float32)
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
        n = self.sp.grid(canvas.w, canvas.h, x, y)
        b *= self.gain[:k]
        self.sp.gaussian_sep(n, self.sigma, b)
        self.sp.add(canvas.glow, n, cols)

    def _cols(self, k: int, life: np.ndarray) -> np.ndarray:
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
        self.sigma, self.gain = soft_sigma((0.45 + 0.8 * sw.z) * self.px, hi=1.4)
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
        sp = self.sp
        n = sp.grid(canvas.w, canvas.h, x, y)
        # Teardrop: squash the vertical distance (taller than wide), fuller below the centre.
        dyv = sp.sy  # (k, n): one row of taps per line
        np.multiply(dyv, np.where(dyv > 0, 0.45, 0.7).astype(np.float32), out=dyv)
        b *= self.gain[:k]
        sp.gaussian_sep(n, self.sigma, b)
        light = palette_color(ctx, "light", (1.0, 0.95, 0.85))
        self.sp.add(canvas.glow, n, self.tint[:n] * (0.5 + 0.5 * light))


@motif(
    "river-of-light", LAYER_LIGHT, "a river of light flowing in a ring that encircles the viewer"
)
class RiverOfLight(ParticleMotif):
    """Thousands of droplets streaming around an ellipse seen in perspective: the front of
    the ring sweeps near the bottom of the frame, the back runs just below the horizon, so
    the band reads as a river circling the viewer. A few hundred large soft blobs give the
    river a luminous body; the droplets sparkle in it. Near droplets are bigger and
    brighter; bright pulses travel along the stream with the current."""

    N_MAX = 19000
    KERNEL = 3
    BLOBS = 500

    def particle_count(self) -> int:
        return self.N_MAX + self.BLOBS

    def __init__(self, canvas: Canvas, rng: np.random.Generator) -> None:
        super().__init__(canvas, rng)
        self.drops = self._stream(self.sw, rng, 0.045)
        # the body of the river: fewer, larger, dimmer blobs along the same current
        self.bsw = Swarm(self.BLOBS, rng)
        self.blobs = self._stream(self.bsw, rng, 0.03)
        self.bsp = Splatter(self.BLOBS, 11)
        hue = (0.11 + 0.06 * self.sw.r[3]) % 1.0
        self.col = (hsv_to_rgb(hue, 0.35 + 0.3 * self.sw.r[5], 1.0) ** 2.2).astype(np.float32)
        cyan = self.sw.r[4] < 0.25
        self.col[cyan] = hsv_to_rgb(0.5 + 0.05 * self.sw.r[3][cyan], 0.4, 1.0) ** 2.2
        # Mostly faint droplets whose density makes the glowing band, a few bright sparks.
        self.bright = 0.08 + 0.12 * self.sw.r[6] + 0.7 * (self.sw.r[7] > 0.97)
        self.bright = self.bright.astype(np.float32)
        self.pulse_w = float(quantize_rate(np.float64(0.15))) * TAU  # pulses move along
        # planar (3, n) colours: per-channel passes run along the particles
        self._col6 = np.ascontiguousarray(0.6 * self.col.T)
        self._colbuf = np.zeros((3, self.N_MAX), dtype=np.float32)
        self._balpha = np.zeros(self.BLOBS, dtype=np.float32)

    @staticmethod
    def _stream(sw: Swarm, rng: np.random.Generator, width: float) -> dict[str, np.ndarray]:
        lane = np.clip(rng.standard_normal(sw.n), -2.5, 2.5).astype(np.float32) * width
        # One lap in ~70-110 s; the middle of the current a little faster than its edges.
        omega = quantize_rate(1.0 / (70.0 + 40.0 * sw.r[0] + 300.0 * np.abs(lane))) * TAU
        return {
            "theta0": (sw.x0 * TAU).astype(np.float32),
            "lane": lane,
            "omega": omega.astype(np.float32),
            "fl": quantize_rate(0.03 + 0.05 * sw.r[1]) * TAU,
            "fb": quantize_rate(0.1 + 0.2 * sw.r[2]) * TAU,
        }

    def _ring(
        self, sw: Swarm, st: dict[str, np.ndarray], k: int, t: float, canvas: Canvas
    ) -> tuple[np.ndarray, ...]:
        """Positions (px) of the first k particles of a stream, their angle and nearness
        (0 at the back of the ring .. 1 at the front)."""
        W, H = canvas.w, canvas.h
        front, back = 0.95, canvas.horizon + 0.03
        cy, ry = (front + back) * 0.5 * H, (front - back) * 0.5 * H
        cx, rx = 0.5 * W, 0.47 * W
        th, rad, s = sw.buf("th")[:k], sw.buf("rad")[:k], sw.buf("s")[:k]
        x, y, tmp = sw.buf("x")[:k], sw.buf("y")[:k], sw.buf("t1")[:k]
        np.multiply(st["omega"][:k], t, out=th)
        th += st["theta0"][:k]
        sine_into(rad, 3.0, 0.0, th, 0.02)  # 3 gentle bends around the ring
        rad += sine_into(tmp, st["fl"][:k], t, sw.ph[0, :k], 0.006)
        rad += st["lane"][:k]
        rad += 1.0
        np.sin(th, out=s)  # +1 at the front (bottom), -1 at the back (horizon)
        np.multiply(s, ry, out=y)
        y *= rad
        y += cy
        np.cos(th, out=x)
        x *= rx
        x *= rad
        x += cx
        s += 1.0
        s *= 0.5
        return x, y, th, s

    def _pulse(
        self, sw: Swarm, st: dict[str, np.ndarray], k: int, t: float, th: np.ndarray, s: np.ndarray
    ) -> np.ndarray:
        """Brightness: pulses travelling with the current, a slow shimmer per particle, and
        perspective (the near side brighter)."""
        b, tmp = sw.buf("b")[:k], sw.buf("t1")[:k]
        np.multiply(th, 5.0, out=b)
        b -= self.pulse_w * t
        np.sin(b, out=b)
        b *= 0.3
        b += 0.75
        sine_into(tmp, st["fb"][:k], t, sw.ph[1, :k], 0.2)
        tmp += 0.8
        b *= tmp
        np.multiply(s, 0.9, out=tmp)
        tmp += 0.35
        b *= tmp
        return b

    def draw(self, canvas: Canvas, intensity: float, t: float, ctx: FrameContext) -> None:
        k = self.begin(intensity, ctx)
        if k == 0:
            return
        t = loop_time(t)
        H = canvas.h
        light = palette_color(ctx, "light", (1.0, 0.9, 0.7))
        # body blobs first (their count follows intensity like the droplets)
        kb = rank_alpha(self.BLOBS, intensity, self._balpha)
        if kb:
            bsw = self.bsw
            x, y, th, s = self._ring(bsw, self.blobs, kb, t, canvas)
            b = self._pulse(bsw, self.blobs, kb, t, th, s)
            b *= 0.05
            b *= self._balpha[:kb]
            sig = bsw.buf("sig")[:kb]
            np.multiply(s, 1.6, out=sig)
            sig += 1.0
            sig *= H / 540.0
            b *= sig * sig  # keep each blob's light (its integral) through the clamp below
            np.clip(sig, 0.8, 2.6, out=sig)
            b /= sig * sig
            n = self.bsp.grid(canvas.w, H, x, y)
            self.bsp.gaussian_sep(n, sig, b)
            self.bsp.add(canvas.glow, n, 0.6 * light + 0.4 * np.float32([1.0, 0.85, 0.55]))
        sw = self.sw
        x, y, th, s = self._ring(sw, self.drops, k, t, canvas)
        b = self._pulse(sw, self.drops, k, t, th, s)
        b *= self.bright[:k]
        b *= sw.buf("a")[:k]
        sig = sw.buf("sig")[:k]
        np.multiply(s, 0.6, out=sig)
        sig += 0.45
        sig *= H / 540.0
        b *= sig * sig  # keep each droplet's light through the floor below
        np.maximum(sig, 0.55, out=sig)
        b /= sig * sig
        n = self.sp.grid(canvas.w, H, x, y)
        self.sp.gaussian_sep(n, sig, b)
        c = self._colbuf[:, :n]
        np.add(self._col6[:, :n], (0.4 * light)[:, None], out=c)
        self.sp.add(canvas.glow, n, c.T)
