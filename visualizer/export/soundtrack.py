"""The export's sound: narration placed on the timeline plus the ambient bed (ducked under
the voice), mixed with the narration layer's soft limiter into one mono int16 track exactly
as long as the video, written to a WAV for ffmpeg to encode."""

from __future__ import annotations

import wave
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from visualizer.audio.ambient import ambient_track
from visualizer.audio.mixdown import mix, narration_track

SAMPLE_RATE = 22050  # what narration and ambient are synthesized at
CUT_FADE = 0.05  # seconds of fade where `--start` / `--duration` cut the sound


def fit_length(track: np.ndarray, n: int, fade: int = 0) -> np.ndarray:
    """Trim or pad with silence to exactly n samples; when trimming, fade the last `fade`
    samples so the cut is not a click."""
    if len(track) >= n:
        out = track[:n].copy()
        if fade and len(track) > n:
            k = min(fade, n)
            ramp = np.linspace(1.0, 0.0, k, dtype=np.float32)
            out[n - k:] = (out[n - k:].astype(np.float32) * ramp).astype(np.int16)
        return out
    out = np.zeros(n, dtype=np.int16)
    out[: len(track)] = track
    return out


def soundtrack(schedule: Any, utterances: Sequence[Any], seconds: float, *,
               ambient: bool = True, sr: int = SAMPLE_RATE, start: float = 0.0) -> np.ndarray:
    """Mono int16 at `sr`, exactly `seconds` long from `start`: the voice where the timeline
    puts each sentence, plus the bed (unless `ambient` is False)."""
    voice = narration_track(schedule, utterances, sr)
    bed = fit_length(ambient_track(schedule, sr, voice_track=voice), len(voice)) \
        if ambient else None
    full = mix(voice, bed)
    first = min(len(full), round(start * sr))
    fade = int(CUT_FADE * sr)
    out = fit_length(full[first:], round(seconds * sr), fade=fade)
    if first > 0:  # cut in mid-sound: fade in, no click
        k = min(fade, len(out))
        ramp = np.linspace(0.0, 1.0, k, dtype=np.float32)
        out[:k] = (out[:k].astype(np.float32) * ramp).astype(np.int16)
    return out


def write_wav(path: Path, pcm: np.ndarray, sr: int = SAMPLE_RATE) -> None:
    """Plain 16-bit mono WAV (a private temp file for ffmpeg: no atomicity needed)."""
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(sr)
        w.writeframes(np.ascontiguousarray(pcm, dtype="<i2").tobytes())
