"""The export's sound: narration placed on the timeline plus the ambient bed, as one mono
int16 track exactly as long as the video, written to a WAV for ffmpeg to encode."""

from __future__ import annotations

import sys
import wave
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

SAMPLE_RATE = 22050  # what narration and ambient are synthesized at


def _narration(schedule: Any, utterances: Sequence[Any], sr: int) -> np.ndarray:
    try:
        from visualizer.audio.mixdown import narration_track
    except ModuleNotFoundError as exc:
        if exc.name != "visualizer.audio.mixdown":
            raise
        return _place_clips(schedule, utterances, sr)
    return np.asarray(narration_track(schedule, utterances, sr), dtype=np.int16)


def _place_clips(schedule: Any, utterances: Sequence[Any], sr: int) -> np.ndarray:
    """Each sentence's clip at its timeline start, in silence (used until audio.mixdown
    exists; same contract: exactly `schedule.duration` long)."""
    track = np.zeros(round(schedule.duration * sr), dtype=np.int16)
    for sentence, utt in zip(schedule.sentences, utterances):
        pcm = np.asarray(utt.pcm, dtype=np.int16)
        start = round(sentence.start * sr)
        n = max(0, min(len(pcm), len(track) - start))
        track[start:start + n] = pcm[:n]
    return track


def _ambient(schedule: Any, sr: int, voice: np.ndarray) -> np.ndarray | None:
    try:
        from visualizer.audio.ambient import ambient_track
    except ModuleNotFoundError as exc:
        if exc.name != "visualizer.audio.ambient":
            raise
        print("dreamviz: note: no ambient sound available yet; exporting narration only",
              file=sys.stderr)
        return None
    return np.asarray(ambient_track(schedule, sr, voice_track=voice), dtype=np.int16)


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
               ambient: bool = True, sr: int = SAMPLE_RATE) -> np.ndarray:
    """Mono int16 at `sr`, exactly `seconds` long: voice plus (ducked) bed, summed with
    headroom and clipped rather than wrapped."""
    voice = _narration(schedule, utterances, sr)
    mix = voice.astype(np.int32)
    if ambient:
        bed = _ambient(schedule, sr, voice)
        if bed is not None:
            bed = fit_length(bed, len(mix))
            mix += bed
    np.clip(mix, -32768, 32767, out=mix)
    return fit_length(mix.astype(np.int16), round(seconds * sr), fade=int(0.05 * sr))


def write_wav(path: Path, pcm: np.ndarray, sr: int = SAMPLE_RATE) -> None:
    """Plain 16-bit mono WAV (a private temp file for ffmpeg: no atomicity needed)."""
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(sr)
        w.writeframes(np.ascontiguousarray(pcm, dtype="<i2").tobytes())
