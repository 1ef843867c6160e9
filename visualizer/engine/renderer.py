"""The renderer: paints a SceneState into a frame, as a pure function of (seed, state, t).

Pipeline per frame: blend the palette (OKLab, cached) -> base sky gradient -> every motif with
intensity > 0 in layer order -> compositor (bloom, vignette, fade, tone map, sRGB, dither) at
the internal resolution -> scale up to the output (pygame smoothscale, with the camera zoom as
a crop). All buffers are allocated at construction; `render_to_surface` is the hot path and
allocates no full frame.
"""

from __future__ import annotations

import math
import time
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace

import numpy as np
import pygame

import visualizer.engine.motifs  # noqa: F401  (registers every motif)
from visualizer.engine.canvas import Canvas
from visualizer.engine.color import linear_to_oklab, oklab_to_linear
from visualizer.engine.palettes import blend_palette, quantise
from visualizer.engine.post import Compositor
from visualizer.engine.quality import Quality, level
from visualizer.engine.rates import READ_BY_OTHERS
from visualizer.engine.registry import LAYER_FAR, MOTIFS, FrameContext, Motif, Palette
from visualizer.timeline.model import Camera, SceneState

MIN_INTENSITY = 1.0 / 512.0  # below this a motif is invisible after dithering

# Mood -> (pace, wind): fear is slower and heavier, joy a little livelier.
MOODS = {
    "calm": (1.0, 0.3),
    "wonder": (1.1, 0.35),
    "fear": (0.75, 0.2),
    "relief": (0.95, 0.3),
    "joy": (1.2, 0.45),
}


def internal_size(width: int, height: int, scale: float) -> tuple[int, int]:
    """Internal canvas size: output * scale rounded to a multiple of 4 (for the bloom
    pyramid), at least 16x16 and never larger than the output rounded up."""
    w = max(16, round(width * scale / 4.0) * 4)
    h = max(16, round(height * scale / 4.0) * 4)
    return w, h


def mood_pace(mood: dict[str, float]) -> tuple[float, float]:
    total = sum(w for m, w in mood.items() if m in MOODS and w > 0)
    if total <= 0:
        return MOODS["calm"]
    pace = sum(MOODS[m][0] * w for m, w in mood.items() if m in MOODS and w > 0) / total
    wind = sum(MOODS[m][1] * w for m, w in mood.items() if m in MOODS and w > 0) / total
    return pace, wind


def sky_rows(palette: Palette, h: int, horizon: float) -> np.ndarray:
    """Per-row base colours (h, 3) float32: sky_top -> sky_mid -> horizon, then a hazy plain
    below the horizon (horizon colour settling into far/ground). Interpolated in OKLab."""
    v = (np.arange(h, dtype=np.float64) + 0.5) / h
    keys_v = np.array([0.0, horizon * 0.55, horizon, horizon + 0.06, 1.0])
    cols = np.array(
        [
            palette.sky_top,
            palette.sky_mid,
            palette.horizon,
            0.55 * palette.horizon + 0.45 * palette.far,
            0.35 * palette.far + 0.65 * palette.ground,
        ],
        dtype=np.float64,
    )
    lab = linear_to_oklab(cols)
    idx = np.clip(np.searchsorted(keys_v, v, side="right") - 1, 0, len(keys_v) - 2)
    f = (v - keys_v[idx]) / (keys_v[idx + 1] - keys_v[idx])
    rows = lab[idx] * (1.0 - f)[:, None] + lab[idx + 1] * f[:, None]
    # soften the corners of the piecewise-linear ramp (no Mach bands at the keys)
    radius = max(1, int(h * 0.06))
    k = np.exp(-0.5 * (np.arange(-2 * radius, 2 * radius + 1) / radius) ** 2)
    k /= k.sum()
    padded = np.pad(rows, ((2 * radius, 2 * radius), (0, 0)), mode="edge")
    rows = np.stack([np.convolve(padded[:, c], k, mode="valid") for c in range(3)], axis=1)
    return np.clip(oklab_to_linear(rows), 0.0, None).astype(np.float32)


STATIC_STEPS = 256  # intensity quantum of cached (static) motifs
# weight quantum of a cross-fade between two cached backgrounds: a step is 1.6% of the
# difference between the scenes (a level or two), taken ~10-16 times a second in a dissolve,
# and the blended background is recomputed and the slow base repainted only at a step
BLEND_STEPS = 64
# intensity and palette/mood weight quantum of slow motifs (same reasoning as BLEND_STEPS)
SLOW_STEPS = 64
# slow motifs see the camera in 1/4 internal pixel steps: the drift is ~1 internal pixel a
# second at most, so this adds a refresh now and then, not every frame
CAMERA_STEPS = 4
SLOW_HZ = 15.0  # the time quantum given to a static motif painted with the slow ones
FADE_STEPS = 1024  # the fade to and from dark, in steps far under one level
# backgrounds kept: both sides of a cross-fade (the settled scene is one), and one more for
# the next step painted ahead while a dissolve begins or ends
BG_CACHE = 3
F32 = np.float32
# Static motifs see a still camera: far layers would drift only a few pixels over minutes,
# and following the camera would rebuild the cached background several times a second.
# Moving motifs (particles, objects, clouds) still drift, which reads as the near world
# moving against a distant, still backdrop.
STILL_CAMERA = Camera()


def _fade(state: SceneState) -> float:
    """The frame's fade from dark, clamped and in 1/FADE_STEPS."""
    return round(max(0.0, min(1.0, float(state.fade))) * FADE_STEPS) / FADE_STEPS


def _slow(inst: Motif) -> bool:
    """Painted at a quantised time and intensity: slow motifs, and static ones (which ignore
    the time) when they come after a moving motif and cannot join the cached background."""
    return inst.static or inst.hz > 0


def _slow_level(value: float) -> float:
    """A slow motif's intensity, in 1/SLOW_STEPS (never 0: it is showing)."""
    return max(1, round(value * SLOW_STEPS)) / SLOW_STEPS


def _slow_time(t: float, hz: float) -> float:
    """t quantised down to a multiple of 1/hz (the epsilon keeps t = k/hz on step k)."""
    return math.floor(t * hz + 1e-6) / hz


@dataclass
class _Plan:
    """One frame's painting plan (see `Renderer._plan`)."""

    ctx: FrameContext
    bg: Callable[[], dict[str, np.ndarray]]  # the background (a cross-fade's is blended now)
    layered: bool
    sky_moving: list[tuple[Motif, float]]
    base: list[tuple[Motif, float]]  # the slow motifs of the cached base, painting order
    per_frame: list[tuple[Motif, float]]  # painted over the base every frame (lights first)
    base_key: tuple | None  # None: no slow base this frame
    slow_ctx: Callable[[float], FrameContext]
    all_slow: bool  # the whole frame is the slow base: the finished frame can be reused
    step_hz: float | None  # when the base is read from the schedule: its steps per second
    t_base: float  # the time the base is painted at (the step's, when read from the schedule)


@dataclass
class _Ahead:
    """The next step's slow base, being painted a little each frame (`_paint_ahead`)."""

    t: float
    key: tuple
    evictions: int  # backgrounds evicted when it began: if that moves, it is dropped
    has_glow: list[bool]
    steps: Iterator[None]
    left: int  # steps left (an estimate of the motifs still to paint)
    spent: float = 0.0  # seconds spent painting it so far
    done: bool = False


def _restore_glow(canvas: Canvas, bg: dict, which: str) -> None:
    glow = bg.get(which + "g")
    if glow is None:
        canvas.glow.fill(0.0)
    else:
        np.copyto(canvas.glow, glow)


def _sky_image(rows: np.ndarray, w: int) -> np.ndarray:
    """Full (h, w, 3) image of per-row colours, built per channel (fast strided fills)."""
    img = np.empty((rows.shape[0], w, 3), np.float32)
    for c in range(3):
        img[:, :, c] = rows[:, c : c + 1]
    return img


class Renderer:
    """`Renderer(width, height, seed=0, quality="medium")`.

    `render(state, t)` returns a new uint8 (height, width, 3) array; `render_to_surface`
    paints into a pygame Surface without allocating. Same (seed, state, t) -> same bytes.
    `set_quality` switches level (used by the adaptive controller in the player).

    Frame budget: motifs marked `static` that come first in painting order (sky gradient,
    far silhouettes, ground textures...) are painted once into a cached background, keyed by
    the palette and their quantised intensities; each frame restores it with one copy and
    paints only the moving motifs on top. Static motifs always see the quantised intensity
    and a still camera, cached or not, so a frame never depends on what was rendered before.
    During a cross-fade each visible scene (`state.sides`) has its own cached background,
    painted once with its palette and its static motifs settled, and a frame blends them.
    """

    def __init__(self, width: int, height: int, seed: int = 0, quality: str = "medium") -> None:
        self.width = int(width)
        self.height = int(height)
        self.seed = int(seed)
        self._sky_cache: dict[tuple, np.ndarray] = {}
        self._surface_cache: dict[tuple, tuple[pygame.Surface, ...]] = {}
        self._out_surface: pygame.Surface | None = None
        self._sample: Callable[[float], SceneState] | None = None
        self._sample_id = 0
        self.disabled: set[str] = set()
        self._built = False
        self.canvas: Canvas
        self.set_quality(level(quality))

    # -- configuration -------------------------------------------------------------------
    def set_quality(self, quality: Quality) -> None:
        """Change internal scale / particle budget; rebuilds buffers only if the size moves."""
        self.quality = quality
        size = internal_size(self.width, self.height, quality.scale)
        if self._built and (self.canvas.w, self.canvas.h) == size:
            return
        self._built = True
        self.canvas = Canvas(*size)
        self.compositor = Compositor(*size)
        self._motifs: dict[str, Motif] = {}
        self._sky_cache.clear()
        out = memoryview(self.compositor.out)  # type: ignore[arg-type]
        self._small = pygame.image.frombuffer(out, size, "RGB")
        h4, w4 = self.compositor.halo.shape[:2]
        halo = memoryview(self.compositor.halo)  # type: ignore[arg-type]
        self._halo_small = pygame.image.frombuffer(halo, (w4, h4), "RGB")
        self._surface_cache.clear()
        self._bgs: dict[tuple, dict[str, np.ndarray]] = {}  # cached backgrounds, oldest first
        self._free: list[np.ndarray] = []  # frame-sized buffers of evicted backgrounds
        self._diffs: dict[tuple, dict[str, np.ndarray]] = {}  # side b - side a, per pair
        # the blended background of a cross-fade, per pool ("now": this frame's, "pre": the
        # next step's, painted ahead): pool -> (key, layers, buffers)
        self._mixes: dict[str, tuple[tuple | None, dict, dict]] = {}
        self._means: dict[tuple, tuple[float, float]] = {}  # mean light of each side's A
        self._base_key: tuple | None = None
        self._base_rgb: np.ndarray | None = None
        self._base_glow: np.ndarray | None = None
        self._base_has_glow = False
        self._frame_key: tuple | None = None  # key of the finished frame in `_frame_surface`
        self._pre: _Ahead | None = None  # the next step's base, painted ahead
        self._pre_canvas: Canvas | None = None
        self._pre_rgb: np.ndarray | None = None
        self._pre_glow: np.ndarray | None = None
        self._evictions = 0
        self._last_t: float | None = None
        self._ahead_cost: float | None = None  # seconds the last step painted ahead took
        self._src_plans: dict[tuple, tuple] = {}  # slow plans of the last steps (`_plan`)
        self._frame_surface: pygame.Surface | None = None

    def follow(self, sample: Callable[[float], SceneState] | None) -> None:
        """Read slow motifs from `sample` (a schedule's `sample`: t -> SceneState) at their
        quantised time, instead of quantising the frame's own state. Everything they show
        (fades, palette, the weights of a cross-fade) then steps together once per step, so
        a dissolve repaints them 15 times a second rather than whenever any level moves.
        Frames stay a pure function of (seed, schedule, t). None: back to the frame's state."""
        self._sample = sample
        self._sample_id += 1

    def disable_motif(self, name: str) -> None:
        """Never paint `name` again (a motif that failed: the show goes on without it)."""
        self.disabled.add(name)
        self._base_key = self._frame_key = None

    @property
    def internal_size(self) -> tuple[int, int]:
        return self.canvas.w, self.canvas.h

    def motif(self, name: str) -> Motif | None:
        """The motif instance for `name` on this canvas (created once), None if unknown."""
        inst = self._motifs.get(name)
        if inst is None:
            cls = MOTIFS.get(name)
            if cls is None:
                return None
            rng = np.random.default_rng([self.seed & 0xFFFFFFFF, zlib.crc32(name.encode())])
            inst = cls(self.canvas, rng)
            self._motifs[name] = inst
        return inst

    def warm(self, names: Iterable[str]) -> None:
        """Create the motifs that will be needed (their textures take 10-100 ms each), so a
        scene change later does not stall a frame. The player calls this with every motif of
        the schedule before playback starts."""
        for name in names:
            self.motif(name)

    def active(self, state: SceneState) -> list[tuple[Motif, float]]:
        """Motifs to draw this frame, back to front (layer, then name for determinism)."""
        found = []
        for name, value in state.motifs.items():
            if value > MIN_INTENSITY and name in MOTIFS and name not in self.disabled:
                found.append((MOTIFS[name].layer, name, min(1.0, float(value))))
        found.sort()
        out = []
        for _layer, name, value in found:
            inst = self.motif(name)
            if inst is not None:
                out.append((inst, value))
        return out

    def particle_count(self, state: SceneState) -> int:
        """Live particles this frame: each active motif's count scaled by its intensity."""
        total = 0.0
        for inst, value in self.active(state):
            total += inst.particle_count() * value * self.quality.particles
        return round(total)

    # -- painting ------------------------------------------------------------------------
    def context(self, state: SceneState) -> FrameContext:
        palette = blend_palette(state.palette)
        pace, wind = mood_pace(state.mood)
        return FrameContext(
            state=state,
            palette=palette,
            pace=pace,
            wind=wind,
            quality=self.quality.name,
            motifs=dict(state.motifs),
            particle_scale=self.quality.particles,
        )

    def _sky(self, key: tuple, palette: Palette) -> np.ndarray:
        img = self._sky_cache.get(key)
        if img is None:
            if len(self._sky_cache) > 8:
                self._sky_cache.clear()
            rows = sky_rows(palette, self.canvas.h, self.canvas.horizon)
            img = _sky_image(rows, self.canvas.w)
            self._sky_cache[key] = img
        return img

    def paint(self, state: SceneState, t: float) -> Canvas:
        """Fill the canvas (float linear light + glow) for this frame (see `_plan`)."""
        picture = self._paint(self._plan(state, t), t)
        if picture is not self.canvas.rgb:
            np.copyto(self.canvas.rgb, picture)
        return self.canvas

    def _plan(self, state: SceneState, t: float, pool: str = "now") -> _Plan:
        """What this frame paints, and the keys that say which cached parts still hold.

        Order: the sky gradient and static sky motifs (S), then the moving sky motifs
        (clouds, stars, aurora...), then the leading static far/ground motifs, then everything
        else. The static parts are cached: S, and A = S with the static far/ground layers
        over it. When moving sky motifs are present, the far/ground layers are put back over
        them with their transmission T (painted once over black and over white: T = white -
        black), so hills still hide the clouds behind them without being repainted:
        frame = A + (sky - S) * T.

        During a cross-fade (`state.sides` lists two or more scenes) each side keeps its own
        settled background (its palette, its static motifs at full) and the frame's is their
        blend by the sides' weights, in 1/BLEND_STEPS steps: a dissolve costs a lerp now and
        then, not a repaint.

        Slow motifs (`Motif.hz` > 0: clouds, grass, trees, water...) are painted at t
        quantised to 1/hz, with their intensity and context quantised too (`_slow_context`).
        The leading run of them in painting order is kept as a cached base: while its key
        holds, a frame restores it with one copy and paints only the quick motifs on top.
        When every motif of the frame is slow, the finished frame itself is reused.
        """
        ctx = self.context(state)
        real = self.active(state)
        t_src, step_hz, cache_key = t, None, None
        if self._sample is not None and any(_slow(i) for i, _ in real):
            # the slow parts read the schedule at their own quantised time: fades, palette
            # and cross-fade weights then step together, once per step of the fastest rate;
            # the same step of the schedule gives the same slow plan (kept for its frames)
            step_hz = max(i.hz or SLOW_HZ for i, _ in real if _slow(i))
            t_src = _slow_time(t, step_hz)
            cache_key = (pool, self._sample_id, t_src, step_hz, self._evictions,
                         self.quality, frozenset(self.disabled))
        got = self._src_plans.get(cache_key) if cache_key is not None else None
        if got is None:
            src = state if cache_key is None or self._sample is None else self._sample(t_src)
            got = self._src_plan(ctx, real, src, state, t_src, pool)
            if cache_key is not None:
                if len(self._src_plans) >= 4:
                    self._src_plans.pop(next(iter(self._src_plans)))
                self._src_plans[cache_key] = got
        bg, layered, sky_moving, base, base_key, slow_ctx, held, top = got
        # painted every frame, from the frame's own state: what the base does not hold
        # (a slow motif that is only just showing joins the base at its next step)
        per_frame = [(i, v) for i, v in real if i.layer >= LAYER_FAR and i.name not in held
                     and not (_slow(i) and i.layer <= top)]
        return _Plan(ctx=ctx, bg=bg, layered=layered, sky_moving=sky_moving, base=base,
                     per_frame=per_frame, base_key=base_key, slow_ctx=slow_ctx,
                     all_slow=base_key is not None and not per_frame,
                     step_hz=step_hz if base_key is not None else None, t_base=t_src)

    def _src_plan(self, ctx: FrameContext, real: list[tuple[Motif, float]], src: SceneState,
                  state: SceneState, t_src: float, pool: str) -> tuple:
        """The part of a plan that comes from the slow parts' state `src` (the frame's own
        state, or the schedule at the step's time, when it is kept for the step's frames):
        (bg, layered, sky_moving, base, base_key, slow_ctx, held names, top base layer)."""
        sctx = ctx if src is state else self.context(src)
        active = real if src is state else self.active(src)
        quant = [(inst, max(1, round(v * STATIC_STEPS)) / STATIC_STEPS) for inst, v in active]
        sky_static = [(i, q) for i, q in quant if i.static and i.layer < LAYER_FAR]
        sky_moving = [(i, v) for i, v in active if not i.static and i.layer < LAYER_FAR]
        rest = [(i, v) for i, v in active if i.layer >= LAYER_FAR]
        prefix: list[tuple[Motif, float]] = []
        for inst, value in rest:
            if not inst.static:
                break
            prefix.append((inst, max(1, round(value * STATIC_STEPS)) / STATIC_STEPS))
        after = rest[len(prefix) :]
        if len(src.sides) > 1:
            mix_key, layered, bg = self._blended(sctx, src, after, sky_static, prefix,
                                                 bool(sky_moving), pool)
            bg_key: tuple = ("mix", mix_key)
        else:
            layered = bool(sky_moving) and bool(prefix)
            pal_key = quantise(src.palette)
            key = (pal_key, tuple((i.name, v) for i, v in sky_static),
                   tuple((i.name, v) for i, v in prefix), layered)
            one = self._background(key, sctx, src, sky_static, prefix, layered)
            bg = lambda: one  # noqa: E731
            bg_key = ("one", key)
        # the slow run: every moving sky motif (they are put behind the far layers together)
        # and the slow motifs that follow them in painting order (a static motif after a
        # moving one, e.g. a path over the grass, belongs to it). Lights that only add into
        # the glow may sit among them: they are painted after the base, every frame.
        n_run = 0
        if all(i.hz > 0 for i, _ in sky_moving):
            for k, (inst, _v) in enumerate(after):
                if _slow(inst):
                    n_run = k + 1
                elif not inst.glow_only:
                    break
        slow_names = {i.name for i, _ in sky_moving if i.hz > 0}
        slow_names.update(i.name for i, _ in after if _slow(i))
        slow_key, slow_ctx = self._slow_context(src, sctx, t_src, slow_names)
        base = [(i, v) for i, v in after[:n_run] if _slow(i)]
        base_key = None
        if all(i.hz > 0 for i, _ in sky_moving) and (sky_moving or base):
            base_key = (bg_key, layered, slow_key, self._sample_id if src is not state else 0,
                        tuple((i.name, _slow_level(v), _slow_time(t_src, i.hz or SLOW_HZ))
                              for i, v in [*sky_moving, *base]))
        held = {i.name for i, _ in (*sky_static, *sky_moving, *prefix, *base)}
        top = max((i.layer for i, _ in base), default=LAYER_FAR - 1)
        return bg, layered, sky_moving, base, base_key, slow_ctx, held, top

    def _slow_context(self, state: SceneState, ctx: FrameContext, t: float,
                      names: set[str]) -> tuple[tuple, Callable[[float], FrameContext]]:
        """(key, context for a refresh rate) for slow motifs (`names`): palette and mood
        weights and the intensities they can see (theirs and `READ_BY_OTHERS`) in
        1/SLOW_STEPS, the camera in 1/CAMERA_STEPS internal pixel, cue start times to 10 ms
        (ages then follow the quantised time). Everything a slow motif reads is in the key,
        so a reused base equals a fresh one."""
        if not names:
            return (), lambda hz: ctx
        pal = quantise(state.palette, SLOW_STEPS)
        mood = quantise(state.mood, SLOW_STEPS) if state.mood else ()
        # the levels a slow motif can see: its own kind and those other motifs read
        levels = tuple(sorted((n, _slow_level(v)) for n, v in state.motifs.items()
                              if v > MIN_INTENSITY and (n in names or n in READ_BY_OTHERS)))
        cam = state.camera
        w, h = self.canvas.w * CAMERA_STEPS, self.canvas.h * CAMERA_STEPS
        camq = (round(cam.x * w), round(cam.y * h), round(cam.zoom * 1024))
        # cue start times to 10 ms (ages come rounded to 0.1 ms, so t - age jitters below that)
        starts = tuple(sorted((n, round((t - a) * 100)) for n, a in state.ages.items()))
        key = (pal, mood, levels, camq, starts, self.quality.particles)
        made: dict[float, FrameContext] = {}

        def at_rate(hz: float) -> FrameContext:
            got = made.get(hz)
            if got is None:
                tq = _slow_time(t, hz)
                mood_w = {m: q / SLOW_STEPS for m, q in mood}
                pace, wind = mood_pace(mood_w)
                sstate = replace(
                    state, t=tq, palette={n: q / SLOW_STEPS for n, q in pal},
                    mood=mood_w or state.mood, motifs=dict(levels),
                    camera=Camera(camq[0] / w, camq[1] / h, camq[2] / 1024),
                    ages={n: max(0.0, tq - s / 100) for n, s in starts})
                got = made[hz] = replace(ctx, state=sstate, palette=blend_palette(
                    sstate.palette), pace=pace, wind=wind, motifs=dict(levels))
            return got

        return key, at_rate

    def _paint(self, plan: _Plan, t: float) -> np.ndarray:
        """Paint the frame: the slow base (reused, taken from the step painted ahead, or
        painted now), then the per-frame motifs over it. Returns the frame's picture: the
        canvas's, or the kept base itself when only lights (glow) go over it (no copy)."""
        canvas = self.canvas
        t = float(t)
        key = plan.base_key
        if key is not None and key != self._base_key:
            pre = self._pre
            if pre is not None and pre.key == key and pre.evictions == self._evictions:
                for _ in pre.steps:  # finish what is left of the step painted ahead
                    pass
                self._base_rgb, self._pre_rgb = self._pre_rgb, self._base_rgb
                self._base_glow, self._pre_glow = self._pre_glow, self._base_glow
                self._base_has_glow = pre.has_glow[0]
                self._base_key = key
                self._pre = None
        picture = canvas.rgb
        if key is not None and key == self._base_key:
            assert self._base_rgb is not None and self._base_glow is not None
            if all(inst.glow_only for inst, _ in plan.per_frame):
                picture = self._base_rgb
            else:
                np.copyto(canvas.rgb, self._base_rgb)
            if self._base_has_glow:
                np.copyto(canvas.glow, self._base_glow)
            else:
                canvas.glow.fill(0.0)
        else:
            self._pre = None  # painted now: whatever was being painted ahead is stale
            for _ in self._base_steps(canvas, plan, plan.t_base):
                pass
            if key is not None:
                self._keep_base(key)
        for inst, value in plan.per_frame:
            self._draw(canvas, plan, inst, value, t)
        return picture

    def _draw(self, canvas: Canvas, plan: _Plan, inst: Motif, value: float, t: float) -> None:
        if _slow(inst):
            hz = inst.hz or SLOW_HZ
            inst.draw(canvas, _slow_level(value), _slow_time(t, hz), plan.slow_ctx(hz))
        else:
            inst.draw(canvas, value, t, plan.ctx)

    def _base_steps(self, canvas: Canvas, plan: _Plan, t: float) -> Iterator[None]:
        """Paint the slow base of `plan` into `canvas`, one motif per step (a generator, so
        the next step's base can be painted a little in each frame ahead of it)."""
        bg = plan.bg()
        yield
        if plan.sky_moving:
            np.copyto(canvas.rgb, bg["S"])
            _restore_glow(canvas, bg, "S")
            for inst, value in plan.sky_moving:
                self._draw(canvas, plan, inst, value, t)
                yield
            if plan.layered:
                for buf, s_key, a_key in ((canvas.rgb, "S", "A"), (canvas.glow, "Sg", "Ag")):
                    if s_key not in bg and a_key not in bg and not buf.any():
                        continue  # no glow anywhere: nothing to occlude
                    if s_key in bg:
                        buf -= bg[s_key]
                    buf *= bg["T"]
                    if a_key in bg:
                        buf += bg[a_key]
        else:
            np.copyto(canvas.rgb, bg["A"])
            _restore_glow(canvas, bg, "A")
        for inst, value in plan.base:
            yield
            self._draw(canvas, plan, inst, value, t)

    def _paint_ahead(self, plan: _Plan, t: float) -> None:
        """Paint part of the next step's slow base, so no frame pays for a whole repaint.
        The work is shared out over the frames left before it is needed (judged from the
        time between frames; after a jump, all at once) by time: each frame spends about its
        share of what the last step took, a motif at a time. The step is painted into a
        canvas of its own and taken over by `_paint` when its frame comes. Only when the
        work is done depends on the clock; what is painted does not."""
        if plan.step_hz is None or self._sample is None:
            self._pre = None
            return
        begin = time.perf_counter()
        t_next = _slow_time(t, plan.step_hz) + 1.0 / plan.step_hz
        pre = self._pre
        if pre is None or pre.t != t_next or pre.evictions != self._evictions:
            nplan = self._plan(self._sample(t_next), t_next, pool="pre")
            if nplan.base_key is None or nplan.base_key == self._base_key:
                self._pre = None
                return
            if self._pre_canvas is None:
                self._pre_canvas = Canvas(self.canvas.w, self.canvas.h, self.canvas.horizon)
                self._pre_rgb = np.empty_like(self.canvas.rgb)
                self._pre_glow = np.empty_like(self.canvas.glow)
            has_glow = [False]
            pre = self._pre = _Ahead(t_next, nplan.base_key, self._evictions, has_glow,
                                     self._ahead_steps(nplan, t_next, has_glow),
                                     len(nplan.sky_moving) + len(nplan.base) + 3)
        if pre.done:
            return
        dt = t - self._last_t if self._last_t is not None else 0.0
        frames_left = round((t_next - t) / dt) if 0.0 < dt < 0.25 else 1
        if frames_left <= 1 or self._ahead_cost is None:  # last chance, or no estimate yet
            share = None if frames_left <= 1 else -(-pre.left // frames_left)
        else:
            share = None
            budget = max(0.0, self._ahead_cost - pre.spent) / frames_left
        done_steps = 0
        while True:
            if next(pre.steps, "done") == "done":
                pre.done = True
                break
            pre.left -= 1
            done_steps += 1
            if share is not None and done_steps >= share:
                break
            if (share is None and frames_left > 1 and self._ahead_cost is not None
                    and time.perf_counter() - begin >= budget):
                break
        pre.spent += time.perf_counter() - begin
        if pre.done:
            self._ahead_cost = pre.spent

    def _ahead_steps(self, plan: _Plan, t: float, has_glow: list[bool]) -> Iterator[None]:
        assert self._pre_canvas is not None and self._pre_rgb is not None
        canvas, rgb, glow = self._pre_canvas, self._pre_rgb, self._pre_glow
        assert rgb is not None and glow is not None
        yield from self._base_steps(canvas, plan, t)
        np.copyto(rgb, canvas.rgb)
        has_glow[0] = bool(canvas.glow.any())
        if has_glow[0]:
            np.copyto(glow, canvas.glow)

    def _keep_base(self, key: tuple) -> None:
        """Remember the canvas as the base for `key` (the slow run painted)."""
        canvas = self.canvas
        if self._base_rgb is None or self._base_glow is None:
            self._base_rgb = np.empty_like(canvas.rgb)
            self._base_glow = np.empty_like(canvas.glow)
        np.copyto(self._base_rgb, canvas.rgb)
        self._base_has_glow = bool(canvas.glow.any())
        if self._base_has_glow:
            np.copyto(self._base_glow, canvas.glow)
        self._base_key = key

    def _background(self, key: tuple, ctx: FrameContext, state: SceneState, sky_static: list,
                    prefix: list, layered: bool, keep: tuple = ()) -> dict[str, np.ndarray]:
        """The cached background for `key`, painted if missing. A few are kept (the two
        sides of a cross-fade and the settled scene share them); `keep` are keys in use
        that must not be evicted to make room."""
        bg = self._bgs.get(key)
        if bg is not None:
            return bg
        while len(self._bgs) >= max(BG_CACHE, len(keep)):
            old = next((k for k in self._bgs if k not in keep), None)
            if old is None:
                break
            self._free.extend(self._bgs.pop(old).values())
            self._evictions += 1
            self._diffs.clear()
        bg = self._build_background(ctx, state, key[0], sky_static, prefix, layered)
        self._bgs[key] = bg
        return bg

    def _buffer(self) -> np.ndarray:
        if self._free:
            return self._free.pop()
        return np.empty_like(self.canvas.rgb)

    def _side_levels(self, state: SceneState, names: set[str]) -> list[dict[str, float]]:
        """Each side's settled intensity of the candidate background motifs `names`: full for
        the side's own motifs; a motif no side owns (a cue) at its level in every side; a
        motif another side owns only where a cue lifts it above that side's weight."""
        sides = state.sides
        own: dict[str, float] = {}
        for side in sides:
            for n in side.motifs:
                own[n] = max(own.get(n, 0.0), side.weight)
        levels = []
        for side in sides:
            lv = {}
            for n in names:
                v = 1.0 if n in side.motifs else min(1.0, float(state.motifs.get(n, 0.0)))
                if n not in side.motifs and v <= own.get(n, 0.0) + 1.0 / STATIC_STEPS:
                    continue
                if v > MIN_INTENSITY:
                    lv[n] = max(1, round(v * STATIC_STEPS)) / STATIC_STEPS
            levels.append(lv)
        return levels

    def _blended(self, ctx: FrameContext, state: SceneState, moving_rest: list,
                 sky_static: list, prefix: list, sky_moving: bool, pool: str = "now",
                 ) -> tuple[tuple, bool, Callable[[], dict[str, np.ndarray]]]:
        """The background of a cross-fade: one cached background per side, blended.
        Returns (key, layered, blend): the blend is computed when called (into `pool`'s
        buffers), so a frame that reuses its slow base never pays for it."""
        # candidates: static sky motifs, and static far/ground motifs before the first moving
        # one (later ones are painted per frame, as usual)
        first = (moving_rest[0][0].layer, moving_rest[0][0].name) if moving_rest else None
        names = {i.name for i, _ in sky_static} | {i.name for i, _ in prefix}
        for side in state.sides:
            for n in side.motifs:
                cls = MOTIFS.get(n)
                if cls is None or not cls.static:
                    continue
                if cls.layer < LAYER_FAR or first is None or (cls.layer, n) < first:
                    names.add(n)
        levels = self._side_levels(state, names)
        plans = []
        for side, lv in zip(state.sides, levels, strict=True):
            found = sorted((MOTIFS[n].layer, n, v) for n, v in lv.items())
            made = [(layer, m, v) for layer, n, v in found if (m := self.motif(n)) is not None]
            s_static = [(m, v) for layer, m, v in made if layer < LAYER_FAR]
            s_prefix = [(m, v) for layer, m, v in made if layer >= LAYER_FAR]
            plans.append((side, s_static, s_prefix))
        layered = sky_moving and any(p for _, _, p in plans)
        keys = []
        for side, s_static, s_prefix in plans:
            pal_key = quantise({side.palette: 1.0})
            keys.append((pal_key, tuple((i.name, v) for i, v in s_static),
                         tuple((i.name, v) for i, v in s_prefix), layered))
        bgs = []
        for (side, s_static, s_prefix), key in zip(plans, keys, strict=True):
            pal = blend_palette({side.palette: 1.0})
            sctx = replace(ctx, palette=pal)
            bgs.append(self._background(key, sctx, state, s_static, s_prefix, layered,
                                        keep=tuple(keys)))
        total = sum(max(0.0, s.weight) for s in state.sides) or 1.0
        share = [max(0.0, s.weight) / total for s in state.sides]
        if len(bgs) == 2:
            share = [1.0 - (b := self._perceptual(tuple(keys), bgs, share[1])), b]
        weights = tuple(round(w * BLEND_STEPS) for w in share)
        want = ["S", "Sg"] if sky_moving else []
        if layered or not sky_moving:
            want += ["A", "Ag"]
        if layered:
            want.append("T")
        mix_key = (tuple(keys), weights, tuple(want))
        return mix_key, layered, lambda: self._mix(pool, mix_key, bgs, keys, weights, want)

    def _mix(self, pool: str, mix_key: tuple, bgs: list, keys: list, weights: tuple,
             want: list) -> dict[str, np.ndarray]:
        have_key, have, buffers = self._mixes.get(pool, (None, {}, {}))
        if mix_key == have_key:
            return have
        mix: dict[str, np.ndarray] = {}
        pair = tuple(keys) if len(bgs) == 2 else None
        for name in want:
            parts = [(bg[name], w / BLEND_STEPS) for bg, w in zip(bgs, weights, strict=True)
                     if name in bg and w > 0]
            if not parts:
                continue
            out = buffers.get(name)
            if out is None:
                out = buffers[name] = np.empty_like(self.canvas.rgb)
            if pair is not None and all(name in bg for bg in bgs):
                # out = a + (b - a) * w: two passes, with b - a cached per pair of sides
                if pair not in self._diffs:
                    self._diffs.clear()  # only the current pair of sides is kept
                diffs = self._diffs.setdefault(pair, {})
                d = diffs.get(name)
                if d is None:
                    d = diffs[name] = np.subtract(bgs[1][name], bgs[0][name])
                np.multiply(d, F32(weights[1] / BLEND_STEPS), out=out)
                out += bgs[0][name]
            else:
                np.multiply(parts[0][0], F32(parts[0][1]), out=out)
                tmp = self.canvas.scratch("bg_mix:" + pool, out.shape)
                for arr, w in parts[1:]:
                    np.multiply(arr, F32(w), out=tmp)
                    out += tmp
            mix[name] = out
        self._mixes[pool] = (mix_key, mix, buffers)
        return mix

    def _perceptual(self, pair: tuple, bgs: list, w: float) -> float:
        """The light-linear blend weight of side b that makes a dissolve look even: the mean
        lightness (cube root of the mean light, as in OKLab) moves linearly with `w`, as the
        OKLab palette blend did. A straight lerp of a dark scene into a bright one would
        brighten most of the way in its first moments."""
        means = self._means.get(pair)
        if means is None:
            if len(self._means) > 4:
                self._means.clear()
            means = self._means[pair] = (float(bgs[0]["A"].mean()), float(bgs[1]["A"].mean()))
        ya, yb = means
        if abs(yb - ya) < 1e-6 or w <= 0.0 or w >= 1.0:
            return min(1.0, max(0.0, w))
        la, lb = np.cbrt(max(ya, 0.0)), np.cbrt(max(yb, 0.0))
        y = ((1.0 - w) * la + w * lb) ** 3
        return float(min(1.0, max(0.0, (y - ya) / (yb - ya))))

    def _build_background(self, ctx: FrameContext, state: SceneState, pal_key: tuple,
                          sky_static: list, prefix: list, layered: bool) -> dict:
        """Paint the cached static layers (see `paint`)."""
        canvas = self.canvas
        sctx = replace(ctx, state=replace(state, camera=STILL_CAMERA))
        bg: dict[str, np.ndarray] = {}

        def keep(name: str, src: np.ndarray) -> None:
            buf = self._buffer()
            np.copyto(buf, src)
            bg[name] = buf

        def paint_prefix() -> None:
            for inst, value in prefix:
                inst.draw(canvas, value, 0.0, sctx)

        np.copyto(canvas.rgb, self._sky(pal_key, ctx.palette))
        canvas.glow.fill(0.0)
        for inst, value in sky_static:
            inst.draw(canvas, value, 0.0, sctx)
        keep("S", canvas.rgb)
        if canvas.glow.any():
            keep("Sg", canvas.glow)
        if not layered:
            paint_prefix()
            keep("A", canvas.rgb)
            if canvas.glow.any():
                keep("Ag", canvas.glow)
            return bg
        # layered: the static layers are affine in what lies behind them (that is what the
        # transmission T assumes), so two passes give everything: over black (B, and the
        # glow over S's glow: Ag) and over white (W); T = W - B and A = B + S * T.
        canvas.rgb.fill(0.0)
        paint_prefix()
        keep("B", canvas.rgb)
        if canvas.glow.any():
            keep("Ag", canvas.glow)
        canvas.rgb.fill(1.0)
        canvas.glow.fill(0.0)
        paint_prefix()
        keep("T", canvas.rgb)
        black = bg.pop("B")
        bg["T"] -= black
        np.multiply(bg["S"], bg["T"], out=canvas.rgb)
        canvas.rgb += black
        keep("A", canvas.rgb)
        self._free.append(black)
        return bg

    def render_internal(self, state: SceneState, t: float) -> np.ndarray:
        """The finished frame at the internal resolution (uint8, reused buffer), without the
        bloom halo (see `render_to_surface`)."""
        canvas = self.paint(state, t)
        return self.compositor.compose(canvas.rgb, canvas.glow, _fade(state))

    def _surfaces(self, target: pygame.Surface) -> tuple[pygame.Surface, ...]:
        """Intermediate surfaces in the target's pixel format (smoothscale needs source and
        destination in the same format): the frame, the halo, and the small halo."""
        key = (target.get_bitsize(), target.get_masks())
        group = self._surface_cache.get(key)
        if group is None:
            group = (pygame.Surface(self.internal_size, 0, target),
                     pygame.Surface(self.internal_size, 0, target),
                     pygame.Surface(self._halo_small.get_size(), 0, target))
            self._surface_cache[key] = group
        return group

    def render_to_surface(self, surface: pygame.Surface, state: SceneState, t: float) -> None:
        """Paint the frame for (state, t) into `surface`, scaled to the surface's size.

        When every motif of the frame is slow (a settled lake, the abyss, waking...), the
        finished frame is kept at the output size and reused while its key holds: such a
        frame costs one blit."""
        fade = _fade(state)
        if fade <= 0.0:  # the dark before a dream: black, without the work
            surface.fill((0, 0, 0))
            self._frame_key = None
            return
        plan = self._plan(state, t)
        size = surface.get_size()
        inter, halo, halo_small = self._surfaces(surface)
        frame_key = None
        if plan.all_slow and plan.base_key is not None:
            frame_key = (plan.base_key, fade, size, surface.get_bitsize(), surface.get_masks())
        keep = self._frame_surface if inter.get_size() != size else inter
        if frame_key is not None and frame_key == self._frame_key and keep is not None:
            surface.blit(keep, (0, 0))
            self._paint_ahead(plan, t)
            self._last_t = t
            return
        self._frame_key = None
        picture = self._paint(plan, t)
        self.compositor.compose(picture, self.canvas.glow, fade)
        inter.blit(self._small, (0, 0))
        if self.compositor.has_halo:
            halo_small.blit(self._halo_small, (0, 0))
            pygame.transform.smoothscale(halo_small, self.internal_size, halo)
            inter.blit(halo, (0, 0), special_flags=pygame.BLEND_RGB_ADD)
        if inter.get_size() == size:
            surface.blit(inter, (0, 0))
        elif frame_key is None:
            pygame.transform.smoothscale(inter, size, surface)
        else:  # scaled once into a kept surface, then copied (0.2 ms at 1080p)
            full = self._frame_surface
            if full is None or full.get_size() != size or (
                    (full.get_bitsize(), full.get_masks())
                    != (surface.get_bitsize(), surface.get_masks())):
                full = self._frame_surface = pygame.Surface(size, 0, surface)
            pygame.transform.smoothscale(inter, size, full)
            surface.blit(full, (0, 0))
        self._frame_key = frame_key
        self._paint_ahead(plan, t)
        self._last_t = t

    def render(self, state: SceneState, t: float) -> np.ndarray:
        """A new uint8 (height, width, 3) RGB array of the frame."""
        if self._out_surface is None:
            self._out_surface = pygame.Surface((self.width, self.height), 0, 32)
        self.render_to_surface(self._out_surface, state, t)
        return np.ascontiguousarray(pygame.surfarray.array3d(self._out_surface).transpose(1, 0, 2))
