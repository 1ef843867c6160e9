"""Ambient beds synthesized in numpy: pad, wind, water, night air and the abyss drone.

Every bed is rendered as a loop of `LOOP` seconds that is seamless by construction: noise is
shaped by circular FFT filtering, sine frequencies and LFO rates complete whole cycles over
the loop, droplets and chirps wrap around, and the reverb is a circular convolution. So a bed
can tile for hours without a seam, and `ambient_loop` still cross-fades the seam in case the
caller asks for an odd length. A dream's bed (`ambient_track`) tiles each scene's loop,
cross-fades scenes with equal power across their transitions, and ducks under the voice.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np

from visualizer.audio.bedcache import LayerCache

LOOP = 48.0  # seconds per rendered bed loop
BED_RMS_DB = -26.0  # bed level: well under a voice peaking near -3 dBFS
DUCK_DOWN = 0.3  # seconds to duck before a sentence
DUCK_UP = 1.0  # seconds to come back after it

MOODS = ("calm", "wonder", "fear", "relief", "joy")

# chords (Hz) for the pad; the abyss drone (A minor, low) and the relief chord (A major,
# warm) share the root A, so the cross-fade between them is heard as a resolution
CHORDS = {
    "calm": (110.0, 164.81, 246.94, 329.63),  # open A sus2: no third, no pull
    "wonder": (146.83, 220.0, 329.63, 369.99, 415.30),  # D lydian shimmer
    "relief": (110.0, 164.81, 220.0, 277.18, 329.63, 493.88),  # warm A major add9
    "joy": (174.61, 220.0, 261.63, 349.23, 440.0),  # F major, open voicing
    "fear": (55.0, 82.41, 110.0, 130.81),  # low open A minor: dark, not harsh
}

_WATER = {"pond", "lake", "sea", "river", "ripples", "shore", "rain", "droplets", "boat"}
_NIGHT = {"night-sky", "stars", "moon", "fireflies", "aurora", "lantern"}
_WIND = {"clear-sky", "hills", "mountains", "dunes", "snowfield", "meadow", "sand", "snow",
         "clouds", "leaves", "pines", "forest", "bleed-sky"}
_DARK = {"dark", "abyss", "cave", "tunnel", "darkness"}


@dataclass(frozen=True)
class Bed:
    """How much of each layer a place has (0..1)."""

    pad: float = 0.0
    wind: float = 0.0
    water: float = 0.0
    night: float = 0.0
    drone: float = 0.0
    chord: str = "calm"


def bed_for(mood: str, motifs: Iterable[str] = ()) -> Bed:
    """The bed for a mood, coloured by what is in the scene (water, night sky, open land)."""
    names = set(motifs)
    fear = mood == "fear" or bool(names & _DARK)
    base = {
        "calm": Bed(pad=1.0, wind=0.3, chord="calm"),
        "wonder": Bed(pad=0.9, night=0.35, chord="wonder"),
        "fear": Bed(drone=1.0, wind=0.3, chord="fear"),
        "relief": Bed(pad=1.0, wind=0.15, chord="relief"),
        "joy": Bed(pad=1.0, wind=0.2, chord="joy"),
    }.get(mood, Bed(pad=1.0, wind=0.3, chord="calm"))
    return Bed(
        pad=base.pad * (0.5 if fear and mood != "fear" else 1.0),
        wind=max(base.wind, 0.45 if names & _WIND else 0.0),
        water=max(base.water, 0.8 if names & _WATER else 0.0),
        night=max(base.night, 0.55 if names & _NIGHT else 0.0),
        drone=max(base.drone, 0.7 if fear else 0.0),
        chord=base.chord,
    )


# ---- layers (each returns float32 of n samples, periodic with period n, unit RMS) ----------

def _unit(x: np.ndarray) -> np.ndarray:
    rms = float(np.sqrt(np.mean(np.square(x, dtype=np.float64)))) or 1.0
    return (x / rms).astype(np.float32)


def _cycles(freq: float, seconds: float) -> float:
    """The nearest frequency completing a whole number of cycles in `seconds` (seamless)."""
    return max(1, round(freq * seconds)) / seconds


def _lfo(n: int, seconds: float, cycles: int, phase: float, depth: float) -> np.ndarray:
    t = np.arange(n, dtype=np.float32) / n
    return (1.0 - depth) + depth * 0.5 * (1.0 + np.sin(2 * np.pi * cycles * t + phase))


def _add_cos(spec: np.ndarray, n: int, cycles: int, amp: float, phase: float) -> None:
    """Add amp*cos(2*pi*cycles*k/n + phase) to a real signal given by its rfft spectrum."""
    if 0 < cycles < len(spec) - 1:
        spec[cycles] += amp * n / 2 * np.exp(1j * phase)


def _pad(n: int, sr: int, chord: str, rng: np.random.Generator) -> np.ndarray:
    """A few detuned sines per note, each breathing on its own slow LFO, soft 2nd harmonic.

    Built directly as a spectrum: every sine and LFO completes whole cycles over the loop, so
    a tone times its LFO is exactly three FFT bins, and one inverse FFT renders the pad."""
    seconds = n / sr
    spec = np.zeros(n // 2 + 1, np.complex128)
    notes = CHORDS.get(chord, CHORDS["calm"])
    depth = 0.7
    for k, f in enumerate(notes):
        weight = 1.0 / (1.0 + 0.35 * k)  # lower notes fuller
        for detune in (-0.0018, 0.0, 0.0021):
            c = max(1, round(f * (1 + detune) * seconds))
            m = int(rng.integers(2, 6))  # LFO cycles per loop
            ph, psi = rng.uniform(0, 2 * np.pi, 2)
            for harmonic, level in ((1, 1.0), (2, 0.18)):
                cc, a = c * harmonic, weight * level
                p0 = harmonic * ph
                # sin(x) * ((1 - d/2) + d/2 * sin(y)) as three cosines
                _add_cos(spec, n, cc, a * (1 - depth / 2), p0 - np.pi / 2)
                _add_cos(spec, n, cc - m, a * depth / 4, p0 - psi)
                _add_cos(spec, n, cc + m, -a * depth / 4, p0 + psi)
    return _unit(np.fft.irfft(spec, n).astype(np.float32))


def _shaped_noise(n: int, rng: np.random.Generator, sr: int, slope: float,
                  bands: list[tuple[float, float]]) -> list[np.ndarray]:
    """White noise shaped by f**-slope and split into bands, circularly (seamless)."""
    spec = np.fft.rfft(rng.standard_normal(n).astype(np.float32))
    f = np.fft.rfftfreq(n, 1.0 / sr)
    shape = 1.0 / np.maximum(f, 20.0) ** slope
    out = []
    for lo, hi in bands:
        # soft raised-cosine band edges (no ringing)
        mask = np.clip((f - lo * 0.7) / (lo * 0.6), 0, 1) * np.clip((hi * 1.3 - f) / (hi * 0.6),
                                                                      0, 1)
        out.append(_unit(np.fft.irfft(spec * shape * mask, n)))
    return out


def _wind(n: int, sr: int, rng: np.random.Generator) -> np.ndarray:
    """Band-passed pink noise whose centre wanders slowly, with gusts."""
    seconds = n / sr
    edges = [(150, 300), (300, 600), (600, 1200), (1200, 2400)]
    bands = _shaped_noise(n, rng, sr, 0.5, edges)
    t = np.arange(n, dtype=np.float32) / n
    centre = (1.5 + 0.9 * np.sin(2 * np.pi * 3 * t + rng.uniform(0, 6.28))
              + 0.6 * np.sin(2 * np.pi * 7 * t + rng.uniform(0, 6.28)))
    out = np.zeros(n, np.float32)
    for i, band in enumerate(bands):
        out += band * np.exp(-0.5 * ((centre - i) / 0.7) ** 2) * (1.0 / (1 + 0.4 * i))
    gust = _lfo(n, seconds, 5, rng.uniform(0, 6.28), 0.6) * _lfo(n, seconds, 11, 0.0, 0.3)
    return _unit(out * gust)


def _events(n: int, sr: int, rng: np.random.Generator, per_minute: float, make: Any
            ) -> np.ndarray:
    """Short sounds at random times, wrapping around the loop end (seamless)."""
    out = np.zeros(n, np.float32)
    count = rng.poisson(per_minute * n / sr / 60.0)
    for _ in range(int(count)):
        snd = make(rng)
        at = int(rng.integers(0, n))
        idx = (at + np.arange(len(snd))) % n
        np.add.at(out, idx, snd)
    return out


def _droplet(sr: int) -> Any:
    def make(rng: np.random.Generator) -> np.ndarray:
        dur = rng.uniform(0.04, 0.09)
        m = int(dur * sr)
        t = np.arange(m, dtype=np.float32) / sr
        f0 = rng.uniform(700, 1700)
        freq = f0 * (1 + 0.6 * t / dur)  # a bubble's pitch rises as it closes
        phase = 2 * np.pi * np.cumsum(freq) / sr
        env = np.exp(-t / (dur / 4)) * np.clip(t / 0.003, 0, 1)
        return (np.sin(phase) * env * rng.uniform(0.3, 1.0)).astype(np.float32)
    return make


def _chirp(sr: int) -> Any:
    def make(rng: np.random.Generator) -> np.ndarray:
        dur = rng.uniform(0.2, 0.45)
        m = int(dur * sr)
        t = np.arange(m, dtype=np.float32) / sr
        carrier = np.sin(2 * np.pi * rng.uniform(3800, 4800) * t)
        pulses = np.clip(np.sin(2 * np.pi * rng.uniform(22, 32) * t), 0, 1) ** 2
        env = np.sin(np.pi * t / dur) ** 2
        return (carrier * pulses * env * rng.uniform(0.2, 0.6)).astype(np.float32)
    return make


def _water(n: int, sr: int, rng: np.random.Generator) -> np.ndarray:
    """Brown noise under ~700 Hz, swelling slowly, with sparse soft droplets."""
    (low,) = _shaped_noise(n, rng, sr, 1.0, [(40, 700)])
    swell = _lfo(n, n / sr, 4, rng.uniform(0, 6.28), 0.5)
    drops = _events(n, sr, rng, 26.0, _droplet(sr))
    return _unit(low * swell + drops * 2.5)


def _night(n: int, sr: int, rng: np.random.Generator) -> np.ndarray:
    """Soft high air with rare insect chirps."""
    (air,) = _shaped_noise(n, rng, sr, 0.3, [(2500, 7000)])
    breath = _lfo(n, n / sr, 3, rng.uniform(0, 6.28), 0.5)
    chirps = _events(n, sr, rng, 5.0, _chirp(sr))
    return _unit(air * breath * 0.6 + chirps * 1.5)


def _drone(n: int, sr: int, rng: np.random.Generator) -> np.ndarray:
    """The abyss: low sines beating slowly over a dark rumble."""
    tone = _pad(n, sr, "fear", rng)
    (rumble,) = _shaped_noise(n, rng, sr, 1.0, [(30, 160)])
    return _unit(tone + 0.6 * rumble * _lfo(n, n / sr, 3, 0.0, 0.5))


def _room(n: int, sr: int, seed: int, seconds: float = 2.2) -> np.ndarray:
    """The room's impulse response spectrum: exponentially decaying, darkened noise."""
    key = ("room", n, sr, seed)
    hit = _LAYER_CACHE.get(key)
    if hit is not None:
        return hit
    rng = np.random.default_rng([seed, 99])
    m = min(n, int(seconds * sr))
    t = np.arange(m, dtype=np.float32) / sr
    ir = rng.standard_normal(m).astype(np.float32) * np.exp(-6.9 * t / seconds)
    ir = np.convolve(ir, np.ones(4, np.float32) / 4, mode="same")  # soften the highs
    ir /= np.float32(np.sqrt(np.sum(ir.astype(np.float64) ** 2)))
    spec = np.fft.rfft(ir.astype(np.float32), n)
    _remember(key, spec)
    return spec


def _reverb(x: np.ndarray, room: np.ndarray, wet: float = 0.35) -> np.ndarray:
    """Circular convolution with the room (seamless for a loop), mixed under the dry sound."""
    wet_sig = np.fft.irfft(np.fft.rfft(x) * room, len(x)).astype(np.float32)
    return (1 - wet) * x + wet * _unit(wet_sig)


# relative levels at equal RMS: broadband noise sounds louder than a pad of the same power
_LEVEL = {"pad": 1.0, "wind": 0.55, "water": 0.7, "night": 0.3, "drone": 1.0}
_LAYERS = {"wind": _wind, "water": _water, "night": _night, "drone": _drone}
_ORDER = ("pad", "wind", "water", "night", "drone")
_LAYER_CACHE: dict[tuple[Any, ...], np.ndarray] = {}
_KEEP = 14  # a dozen 48 s layers: ~50 MB at 22050 Hz


def _remember(key: tuple[Any, ...], value: np.ndarray) -> None:
    value.setflags(write=False)
    while len(_LAYER_CACHE) >= _KEEP:
        _LAYER_CACHE.pop(next(iter(_LAYER_CACHE)))
    _LAYER_CACHE[key] = value


def _layer(name: str, chord: str, n: int, sr: int, seed: int) -> np.ndarray:
    """One layer, in the room, unit RMS. Reverb is linear, so layers are reverbed once and
    shared by every bed (and scene) that uses them: a dream renders each sound once, and
    keeps it on disk for the next time (`bedcache`)."""
    key = (name, chord if name == "pad" else "", n, sr, seed)
    hit = _LAYER_CACHE.get(key)
    if hit is not None:
        return hit
    disk = LayerCache()
    out = disk.get(key, n)
    if out is None:
        rng = np.random.default_rng([seed, _ORDER.index(name)])
        dry = _pad(n, sr, chord, rng) if name == "pad" else _LAYERS[name](n, sr, rng)
        out = _unit(_reverb(dry, _room(n, sr, seed)))
        disk.put(key, out)
    _remember(key, out)
    return out


def render_bed(bed: Bed, seconds: float, sample_rate: int, seed: int = 0) -> np.ndarray:
    """One seamless loop of `bed`, float32 at BED_RMS_DB (full scale 1.0)."""
    n = max(1, round(seconds * sample_rate))
    out = np.zeros(n, np.float32)
    for name in _ORDER:
        w = getattr(bed, name)
        if w > 0:
            out += _layer(name, bed.chord, n, sample_rate, seed) * np.float32(w * _LEVEL[name])
    rms = float(np.sqrt(np.mean(out.astype(np.float64) ** 2)))
    if rms > 0:
        out *= np.float32(10 ** (BED_RMS_DB / 20) / rms)
    return out


def _seam(x: np.ndarray, n: int, fade: int) -> np.ndarray:
    """Make x[:n] loop: the head is cross-faded (equal power) with what follows the end."""
    out = x[:n].copy()
    fade = min(fade, len(x) - n, n)
    if fade > 0:
        a = np.sin(0.5 * np.pi * np.linspace(0, 1, fade, dtype=np.float32))
        out[:fade] = x[:fade] * a + x[n: n + fade] * np.sqrt(1 - a * a)
    return out


def ambient_loop(mood: str, seconds: float, sample_rate: int, motifs: Iterable[str] = (),
                 seed: int = 0) -> np.ndarray:
    """A seamless mono int16 loop of the mood's bed, `seconds` long."""
    n = max(1, round(seconds * sample_rate))
    bed = render_bed(bed_for(mood, motifs), LOOP, sample_rate, seed)
    long = np.resize(bed, n + int(sample_rate * 2.0))  # tiles seamlessly
    loop = _seam(long, n, int(sample_rate * 2.0)) if n % len(bed) else long[:n]
    return _to_int16(loop)


def _to_int16(x: np.ndarray) -> np.ndarray:
    return np.clip(np.round(x * 32767.0), -32768, 32767).astype(np.int16)


def _scene_motifs(scene: Any) -> tuple[str, ...]:
    return (scene.sky, scene.ground, *tuple(scene.layers))


def duck_gain(active: np.ndarray, rate: float, duck_db: float) -> np.ndarray:
    """Gain per control frame: down `duck_db` while `active`, ramping down DUCK_DOWN s before
    and back up over DUCK_UP s after (smoothstep ramps: no zipper, no click)."""
    n = len(active)
    idx = np.arange(n)
    big = n + 10 ** 6
    prev = np.where(active, idx, -big)
    prev = np.maximum.accumulate(prev)
    nxt = np.where(active, idx, big)
    nxt = np.minimum.accumulate(nxt[::-1])[::-1]
    before = np.clip(1 - (nxt - idx) / (DUCK_DOWN * rate), 0, 1)
    after = np.clip(1 - (idx - prev) / (DUCK_UP * rate), 0, 1)
    amount = np.maximum(before, after)
    amount = amount * amount * (3 - 2 * amount)
    return (10 ** (duck_db * amount / 20)).astype(np.float32)


def duck_gain_at(schedule: Any, t: float, duck_db: float = -8.0) -> float:
    """The ducking gain at time `t` from the schedule alone (for a player that loops a bed)."""
    amount = 0.0
    for s in schedule.sentences:
        if s.start - DUCK_DOWN <= t <= s.speech_end + DUCK_UP:
            if t < s.start:
                x = 1 - (s.start - t) / DUCK_DOWN
            elif t <= s.speech_end:
                x = 1.0
            else:
                x = 1 - (t - s.speech_end) / DUCK_UP
            amount = max(amount, x * x * (3 - 2 * x))
    return float(10 ** (duck_db * amount / 20))


def ambient_track(schedule: Any, sample_rate: int, voice_track: np.ndarray | None = None,
                  duck_db: float = -8.0, seed: int | None = None) -> np.ndarray:
    """The whole dream's bed, mono int16, exactly as long as the narration track.

    Each scene's bed tiles over its span; neighbours cross-fade with equal power across the
    scene's transition window; the bed fades in at the start, out at the end, and ducks
    `duck_db` under the voice (from `voice_track` if given, else the schedule)."""
    sr = sample_rate
    n = round(schedule.duration * sr)
    out = np.zeros(n, np.float32)
    seed = schedule.seed if seed is None else seed
    loops: dict[Bed, np.ndarray] = {}
    scenes = list(schedule.scenes)
    for k, sc in enumerate(scenes):
        bed = bed_for(sc.mood, _scene_motifs(sc))
        if bed not in loops:
            loops[bed] = render_bed(bed, LOOP, sr, seed)
        loop = loops[bed]
        half_in = max(1.0, sc.transition_duration) / 2 if k > 0 else 0.0
        half_out = max(1.0, scenes[k + 1].transition_duration) / 2 if k + 1 < len(scenes) \
            else 0.0
        a = max(0, int((sc.start - half_in) * sr))
        b = min(n, round((sc.end + half_out) * sr))
        if b <= a:
            continue
        # the loop tiled from absolute time a (seamless), without an index array
        piece = np.resize(np.roll(loop, -(a % len(loop))), b - a)
        # equal-power fades only where scenes overlap
        if half_in:
            m = min(b - a, round(2 * half_in * sr))
            x = np.linspace(0.0, 1.0, m, dtype=np.float32)
            piece[:m] *= np.sin(0.5 * np.pi * x)
        if half_out:
            m0 = max(0, round((sc.end - half_out) * sr) - a)
            m = b - a - m0
            if m > 0:
                x = np.linspace(0.0, 1.0, round(2 * half_out * sr), dtype=np.float32)[:m]
                piece[m0:] *= np.cos(0.5 * np.pi * x)
        out[a:b] += piece
    # gentle fade in over the lead-in and out over the waking fade
    fin = min(n, int(min(max(schedule.lead_in, 1.0), 4.0) * sr))
    fout = min(n, int(4.0 * sr))
    if fin:
        x = np.linspace(0, 1, fin, dtype=np.float32)
        out[:fin] *= x * x * (3 - 2 * x)
    if fout:
        x = np.linspace(1, 0, fout, dtype=np.float32)
        out[n - fout:] *= x * x * (3 - 2 * x)
    if duck_db:
        hop = max(1, sr // 100)
        rate = sr / hop
        frames = n // hop + 2
        if voice_track is not None:
            from visualizer.audio.analysis import envelope

            env = envelope(voice_track, sr, hop / sr)[:frames]
            active = np.zeros(frames, bool)
            active[: len(env)] = env > 500
            active = _close_gaps(active, int(0.5 * rate))
        else:
            times = np.arange(frames) / rate
            active = np.zeros(frames, bool)
            for s in schedule.sentences:
                active |= (times >= s.start) & (times <= s.speech_end)
        gain = duck_gain(active, rate, duck_db)
        out *= np.interp(np.arange(n) / sr, np.arange(frames) / rate, gain).astype(np.float32)
    return _to_int16(out)


def _close_gaps(active: np.ndarray, max_gap: int) -> np.ndarray:
    """Treat pauses between words (shorter than max_gap frames) as still speaking."""
    on = np.flatnonzero(active)
    if on.size < 2:
        return active
    out = active.copy()
    gaps = np.flatnonzero((np.diff(on) > 1) & (np.diff(on) <= max_gap))
    for g in gaps:
        out[on[g]: on[g + 1]] = True
    return out
