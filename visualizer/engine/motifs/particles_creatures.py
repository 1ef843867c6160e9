"""Living things: iridescent butterflies, birds gliding far away, fish glinting under water.

Dozens, not thousands: each is a small analytic shape stamped per particle (wings as ellipses
whose width follows the wing beat, a V for a bird, a body and tail for a fish), moving on a
closed-form wandering path.
"""

from __future__ import annotations

import numpy as np

from visualizer.engine.canvas import Canvas
from visualizer.engine.particles import (
    TAU,
    ParticleMotif,
    add_taps,
    ambient,
    box_taps,
    loop_time,
    over_taps,
    palette_color,
    qfreq,
    quantize_rate,
    sine_into,
    wrap_into,
)
from visualizer.engine.registry import LAYER_PARTICLES, FrameContext, motif


def _ellipse_edge(
    out: np.ndarray,
    u: np.ndarray,
    v: np.ndarray,
    cu: np.ndarray,
    cv: np.ndarray,
    ru: np.ndarray,
    rv: np.ndarray,
    tmp: np.ndarray,
) -> None:
    """out = approximate signed distance (px, positive inside) to an axis-aligned ellipse,
    + 0.5 so that clip(out, 0, 1) is an antialiased coverage."""
    np.subtract(u, cu, out=out)
    out /= ru
    out *= out
    np.subtract(v, cv, out=tmp)
    tmp /= rv
    tmp *= tmp
    out += tmp
    np.sqrt(out, out=out)
    np.subtract(1.0, out, out=out)
    np.minimum(ru, rv, out=tmp)
    out *= tmp
    out += 0.5


BODY = (0.03, 0.025, 0.03)  # a butterfly's dark body (linear RGB)


@motif("butterflies", LAYER_PARTICLES, "iridescent butterflies fluttering")
class Butterflies(ParticleMotif):
    """A few dozen butterflies wandering on looping paths. Each is two pairs of wing lobes
    whose width beats slowly (0.5-0.9 Hz), with a dark body; the wing colour shifts hue
    across the wing and over time (iridescence) and leaves a faint shimmer in the glow."""

    N_MAX = 42
    KERNEL = 23
    SCALE_KERNEL = True

    def __init__(self, canvas: Canvas, rng: np.random.Generator) -> None:
        super().__init__(canvas, rng)
        sw = self.sw
        z = sw.z
        sw.y0[:] = 0.25 + 0.65 * sw.y0
        self.vx = quantize_rate((0.002 + 0.006 * z) * np.sign(sw.r[0] - 0.5))
        self.f1 = qfreq(0.02 + 0.03 * sw.r[1])
        self.f1b = qfreq(1.4 * (0.02 + 0.03 * sw.r[1]))
        self.fhue = float(qfreq(0.056))
        self.f2 = quantize_rate(0.05 + 0.05 * sw.r[2]) * TAU
        self.fflap = quantize_rate(0.5 + 0.4 * sw.r[3]) * TAU
        self.amp = (0.04 + 0.06 * sw.r[4]).astype(np.float32)
        self.size = ((4.0 + 6.0 * z**1.3) * self.px).astype(np.float32)  # half wingspan
        self.hue0 = np.where(sw.r[5] < 0.55, 0.55 + 0.1 * sw.r[6], 0.75 + 0.15 * sw.r[6])
        self.hue0 = self.hue0.astype(np.float32)

    def draw(self, canvas: Canvas, intensity: float, t: float, ctx: FrameContext) -> None:
        k = self.begin(intensity, ctx)
        if k == 0:
            return
        t = loop_time(t)
        sw = self.sw
        x, y, tmp = sw.buf("x")[:k], sw.buf("y")[:k], sw.buf("t1")[:k]
        np.multiply(self.vx[:k], t, out=x)
        x += sw.x0[:k]
        x += sine_into(tmp, self.f1[:k], t, sw.ph[0, :k], self.amp[:k])
        x += sine_into(tmp, self.f2[:k], t, sw.ph[1, :k], self.amp[:k] * 0.4)
        wrap_into(x, -0.06, 1.06)
        sine_into(y, self.f1b[:k], t, sw.ph[2, :k], self.amp[:k] * 0.6)
        y += sw.y0[:k]
        # wing beat: width factor 0.15 (closed, edge-on) .. 1 (open); body bobs with it
        beat = sine_into(sw.buf("beat")[:k], self.fflap[:k], t, sw.ph[3, :k])
        wf = sw.buf("wf")[:k]
        np.abs(beat, out=wf)
        wf *= 0.85
        wf += 0.15
        y += beat * 0.004
        x *= canvas.w
        y *= canvas.h
        ang = sine_into(sw.buf("ang")[:k], self.f2[:k], t, sw.ph[1, :k], 0.35)
        ca, sa = sw.buf("ca")[:k], sw.buf("sa")[:k]
        np.cos(ang, out=ca)
        np.sin(ang, out=sa)
        n = k
        S, W = self.size[:n], wf
        # Each butterfly's own box: the reach of its wing ellipses (and body) at its angle,
        # a fraction of the square stamp the largest one needs (particles.box_taps).
        fore = (0.52 * S * W, -0.2 * S, 0.5 * S * W + 0.3, 0.44 * S)
        hind = (0.36 * S * W, 0.3 * S, 0.34 * S * W + 0.3, 0.3 * S)
        um, vm = 0.35 + 0.03 * S + 0.5, 0.4 * S + 0.5  # the body bar
        for cu, cv, ru, rv in (fore, hind):
            grow = 1.0 + 0.5 / np.minimum(ru, rv)  # the antialiased rim reaches past d = 1
            um = np.maximum(um, np.abs(cu) + ru * grow)
            vm = np.maximum(vm, np.abs(cv) + rv * grow)
        um += 0.5
        vm += 0.5
        ac, as_ = np.abs(ca), np.abs(sa)
        cnt, pid, dx, dy, idx = box_taps(
            canvas.w, canvas.h, x, y, um * ac + vm * as_, um * as_ + vm * ac, self.sp.k // 2
        )
        if pid.size == 0:
            return

        def rep(per_particle: np.ndarray) -> np.ndarray:
            return np.repeat(per_particle, cnt)

        cr, sr = rep(ca), rep(sa)
        u = dx * cr
        u += dy * sr
        v = dy * cr
        v -= dx * sr
        np.abs(u, out=u)  # mirror symmetry
        a, e, tm = np.empty_like(u), np.empty_like(u), np.empty_like(u)
        # forewings, then hindwings (union = max of coverages)
        for out, (cu, cv, ru, rv) in ((a, fore), (e, hind)):
            _ellipse_edge(out, u, v, rep(cu), rep(cv), rep(ru), rep(rv), tm)
        np.maximum(a, e, out=a)
        rim = a.copy()  # distance inside the wing edge, for a darker border
        np.clip(a, 0.0, 1.0, out=a)
        # body: a slim dark bar
        Sr = rep(S)
        np.abs(v, out=tm)
        np.subtract(0.4 * Sr, tm, out=e)
        np.subtract(0.35 + 0.03 * Sr, u, out=tm)
        np.minimum(e, tm, out=e)
        e += 0.5
        np.clip(e, 0.0, 1.0, out=e)
        np.maximum(a, e, out=a)
        a *= rep(sw.buf("a")[:n])
        # Colour only the taps the butterfly covers (a fifth of its box): iridescent hue
        # drifting in time and across the wing span, darker rims, a dark body.
        np.clip(a, 0.0, 1.0, out=a)
        sel = np.flatnonzero(a > 1.0 / 512.0)
        if sel.size == 0:
            return
        cnt = np.bincount(pid[sel], minlength=n)  # kept taps per butterfly, still sorted
        Sf, Wf = rep(S), rep(W)
        hue = u[sel] / Sf * 0.18
        hue += rep(self.hue0[:n] + 0.08 * np.sin(self.fhue * t + sw.ph[0, :n]))
        hue += rep(0.06 * beat[:n])  # colour flashes as the wing turns to the light
        np.mod(hue, 1.0, out=hue)
        shade = (0.55 + 0.45 * Wf) * np.clip(rim[sel] / (0.12 * Sf + 0.8), 0.35, 1.0)
        body = e[sel] > 0.5
        amb = ambient(ctx)
        # hsv_to_rgb(hue, 0.75, 1) ** 2.2, planar (3, taps): numpy is slow on rows of 3
        h6 = hue * np.float32(6.0)
        col = np.empty((3, sel.size), dtype=np.float32)
        kc = np.empty_like(h6)
        for c, off in enumerate((5.0, 3.0, 1.0)):
            np.add(h6, off, out=kc)
            np.mod(kc, 6.0, out=kc)
            x = np.subtract(4.0, kc, out=col[c])
            np.minimum(x, kc, out=x)
            np.clip(x, 0.0, 1.0, out=x)
            x *= -0.75
            x += 1.0
            np.power(x, 2.2, out=x)
            x *= shade
            x *= amb[c]
            np.copyto(x, BODY[c], where=body)
        idx = idx[sel]
        w = a[sel]
        over_taps(canvas, canvas.rgb, idx, w, col.T)
        # shimmer: a faint copy of the wings into the glow (no body); float32 weights (a
        # float64 array would push np.add.at onto its slow casting path)
        add_taps(canvas.glow, idx, w * (np.float32(0.12) * ~body), col.T)


@motif("birds", LAYER_PARTICLES, "birds gliding far away")
class Birds(ParticleMotif):
    """Small V silhouettes far off in the sky, in two loose flocks, gliding slowly across
    with an occasional lazy wing beat."""

    N_MAX = 22
    KERNEL = 13
    SCALE_KERNEL = True

    def __init__(self, canvas: Canvas, rng: np.random.Generator) -> None:
        super().__init__(canvas, rng)
        sw = self.sw
        flock = (sw.r[0] < 0.6).astype(np.float32)
        # flock positions + loose formation offsets
        fx = np.where(flock > 0, 0.2, 0.65)
        fy = np.where(flock > 0, 0.18, 0.32)
        sw.x0[:] = fx + 0.12 * rng.standard_normal(self.N_MAX)
        sw.y0[:] = fy + 0.05 * rng.standard_normal(self.N_MAX)
        sw.z[:] = np.where(flock > 0, 0.7, 0.3) + 0.2 * (sw.r[1] - 0.5)
        self.vx = quantize_rate(np.where(flock > 0, 0.011, 0.007) + 0.0005 * sw.r[2])
        self.fb = quantize_rate(0.35 + 0.2 * sw.r[3]) * TAU
        self.fg = qfreq(0.04 + 0.04 * sw.r[4])
        self.fg2 = qfreq(0.7 * (0.04 + 0.04 * sw.r[4]))
        self.size = ((2.2 + 2.8 * sw.z) * self.px).astype(np.float32)

    def draw(self, canvas: Canvas, intensity: float, t: float, ctx: FrameContext) -> None:
        k = self.begin(intensity, ctx)
        if k == 0:
            return
        t = loop_time(t)
        sw = self.sw
        x, y, tmp = sw.buf("x")[:k], sw.buf("y")[:k], sw.buf("t1")[:k]
        np.multiply(self.vx[:k], t, out=x)
        x += sw.x0[:k]
        x += sine_into(tmp, self.fg[:k], t, sw.ph[0, :k], 0.01)
        wrap_into(x, -0.1, 1.1)
        sine_into(y, self.fg2[:k], t, sw.ph[1, :k], 0.012)
        y += sw.y0[:k]
        y *= canvas.horizon / 0.5  # keep the flocks in the sky above the horizon
        x *= canvas.w
        y *= canvas.h
        # dihedral: mostly a glide, beating now and then
        gate = sine_into(sw.buf("gate")[:k], self.fg[:k], t, sw.ph[2, :k])
        np.maximum(gate, 0.0, out=gate)
        d = sine_into(sw.buf("d")[:k], self.fb[:k], t, sw.ph[3, :k])
        d *= gate
        d *= 0.55
        d += 0.35
        sp = self.sp
        n = sp.taps(canvas.w, canvas.h, x, y)
        u, v = sp.dx[:n], sp.dy[:n]
        S = self.size[:n, None]
        au = sp.lu[:n]
        np.abs(u, out=au)
        # wing centre line v = -d |u| + droop near the tips
        c = sp.lv[:n]
        np.multiply(au, -d[:n, None], out=c)
        c += 0.35 * au * au / S
        np.subtract(v, c, out=c)
        np.abs(c, out=c)
        a = sp.alpha[:n]
        np.divide(au, S, out=a)
        np.subtract(1.0, a, out=a)  # 1 at the body, 0 at the tips
        np.minimum(a, 0.0, out=au)  # negative beyond the tips
        a *= 0.55
        a += 0.45
        a *= self.px
        a -= c
        au *= 8.0
        a += au
        a += 0.5
        np.clip(a, 0.0, 1.0, out=a)
        a *= sw.buf("a")[:n, None]
        sp.mask_offframe(n)
        near = palette_color(ctx, "near", (0.1, 0.1, 0.12))
        hz = palette_color(ctx, "horizon", (0.7, 0.7, 0.75))
        haze = (0.35 * (1.0 - sw.z[:n]))[:, None]
        col = (0.6 * near) * (1.0 - haze) + hz * haze
        sp.over(canvas, canvas.rgb, n, col.astype(np.float32))


# The pond motif's oval (engine/motifs/water_surfaces.py Pond.CX/CY/RX/RY), so fish in a pond
# circle inside it rather than swimming over the bank.
POND = (0.5, 0.8, 0.36, 0.12)


@motif("fish", LAYER_PARTICLES, "fish glinting under the water")
class Fish(ParticleMotif):
    """Dim fish shapes cruising under the water, each turning its flank to the light now
    and then: a soft silver glint that swells and fades over about a second. In a pond
    (when `pond` outweighs lake/sea/river) they circle inside its oval; otherwise they
    cruise across the open water below `canvas.water_top`. Bodies point along their motion."""

    N_MAX = 60
    KERNEL = 17
    SCALE_KERNEL = True

    def __init__(self, canvas: Canvas, rng: np.random.Generator) -> None:
        super().__init__(canvas, rng)
        sw = self.sw
        self.dir = np.where(sw.r[0] < 0.5, -1.0, 1.0).astype(np.float32)
        self.vx = quantize_rate((0.003 + 0.008 * sw.z) * self.dir)
        self.fw = qfreq(0.03 + 0.05 * sw.r[1])
        self.fw2 = qfreq(0.6 * (0.03 + 0.05 * sw.r[1]))
        self.fg = quantize_rate(0.06 + 0.12 * sw.r[2]) * TAU
        self.fswim = quantize_rate(0.6 + 0.5 * sw.r[3]) * TAU
        self.size = ((2.5 + 5.0 * sw.z**1.4) * self.px).astype(np.float32)  # half-length
        self.depth = (0.05 + 0.9 * sw.z).astype(np.float32)  # fraction down the water
        # pond orbits: radius (fraction of the oval) and angular speed (a lap in 40-100 s)
        self.orbit = (0.25 + 0.6 * np.sqrt(sw.r[4])).astype(np.float32)
        self.omega = quantize_rate(1.0 / (40.0 + 60.0 * sw.r[5])) * TAU * self.dir
        self.omega = self.omega.astype(np.float32)

    @staticmethod
    def in_pond(ctx: FrameContext) -> bool:
        m = getattr(ctx, "motifs", {}) or {}
        open_water = max(m.get("lake", 0.0), m.get("sea", 0.0), m.get("river", 0.0))
        return m.get("pond", 0.0) > open_water

    def draw(self, canvas: Canvas, intensity: float, t: float, ctx: FrameContext) -> None:
        k = self.begin(intensity, ctx)
        if k == 0:
            return
        t = loop_time(t)
        sw = self.sw
        x, y, tmp = sw.buf("x")[:k], sw.buf("y")[:k], sw.buf("t1")[:k]
        vx, vy = sw.buf("vx")[:k], sw.buf("vy")[:k]  # screen velocity, for the heading
        L = self.size[:k]
        if self.in_pond(ctx):
            cx, cy, rx, ry = POND
            ang = sw.buf("ang")[:k]
            np.multiply(self.omega[:k], t, out=ang)
            ang += sw.ph[0, :k]
            r = self.orbit[:k] * (1.0 + 0.08 * np.sin(self.fw[:k] * t + sw.ph[1, :k]))
            np.cos(ang, out=x)
            np.sin(ang, out=y)
            np.multiply(y, -rx * canvas.w, out=vx)
            vx *= r * self.omega[:k]
            np.multiply(x, ry * canvas.h, out=vy)
            vy *= r * self.omega[:k]
            x *= r * rx
            x += cx
            y *= r * ry
            y += cy
            L = L * (0.75 + 0.5 * (y - (cy - ry)) / (2 * ry))  # nearer the bank = bigger
        else:
            top = float(getattr(canvas, "water_top", canvas.horizon + 0.035)) + 0.02
            np.multiply(self.vx[:k], t, out=x)
            x += sw.x0[:k]
            x += sine_into(tmp, self.fw[:k], t, sw.ph[0, :k], 0.02)
            wrap_into(x, -0.05, 1.05)
            sine_into(y, self.fw2[:k], t, sw.ph[1, :k], 0.02)
            y += self.depth[:k]
            np.clip(y, 0.0, 0.97, out=y)
            y *= 0.98 - top
            y += top
            # d/dt of the path above (drift + wander), in pixels per second
            vx[:] = self.vx[:k] + 0.02 * self.fw[:k] * np.cos(self.fw[:k] * t + sw.ph[0, :k])
            vx *= canvas.w
            vy[:] = 0.02 * self.fw2[:k] * np.cos(self.fw2[:k] * t + sw.ph[1, :k])
            vy *= (0.98 - top) * canvas.h
        x *= canvas.w
        y *= canvas.h
        sp = self.sp
        n = sp.taps(canvas.w, canvas.h, x, y)
        speed = np.sqrt(vx[:n] ** 2 + vy[:n] ** 2) + 1e-6
        u, v = sp.rotate(n, vx[:n] / speed, vy[:n] / speed)  # u > 0 towards the head
        L = L[:n, None]
        swish = sine_into(sw.buf("sw")[:n], self.fswim[:n], t, sw.ph[2, :n], 0.12)
        v += np.minimum(u, 0.0) / L * (swish[:, None] * L)
        a, e = sp.alpha[:n], sp._v[:n]
        # body ellipse
        np.divide(u, L, out=a)
        a *= a
        np.divide(v, 0.3 * L, out=e)
        e *= e
        a += e
        np.sqrt(a, out=a)
        np.subtract(1.0, a, out=a)
        a *= 0.3 * L
        a += 0.5
        # tail fin: a wedge behind the body
        tail = -u - 0.75 * L
        tailcov = np.minimum(tail * 0.8 - np.abs(v), 0.55 * L - tail) + 0.5
        np.maximum(a, tailcov, out=a)
        np.clip(a, 0.0, 1.0, out=a)
        a *= sw.buf("a")[:n, None]
        sp.mask_offframe(n)
        # the glint is a thin highlight along the flank, not the whole fish
        glint_shape = a * np.exp(-((v / (0.12 * L + 0.4)) ** 2)) * (u > -0.7 * L)
        a *= 0.35
        water = palette_color(ctx, "water", (0.3, 0.4, 0.5))
        body = (0.45 * water + 0.02).astype(np.float32)
        sp.over(canvas, canvas.rgb, n, body)
        # glint: a smooth, sparse pulse (sin^10), on the flank, into the glow
        g = sine_into(sw.buf("g")[:n], self.fg[:n], t, sw.ph[3, :n])
        np.maximum(g, 0.0, out=g)
        g **= 10
        np.multiply(glint_shape, (g * (0.5 + 0.7 * sw.z[:n]))[:, None], out=sp.alpha[:n])
        light = palette_color(ctx, "light", (1.0, 0.97, 0.9))
        sp.add(canvas.glow, n, 0.5 * light + 0.4)
