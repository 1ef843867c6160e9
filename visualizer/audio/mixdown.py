"""The narration track: every sentence's clip placed at its scheduled start in silence exactly
`schedule.duration` long; and the final mix of voice and ambient bed."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from visualizer.narration.base import Utterance


def resample(pcm: np.ndarray, src_rate: int, dst_rate: int) -> np.ndarray:
    """Linear-interpolation resampling (speech clips only; good enough for a voice)."""
    if src_rate == dst_rate or len(pcm) == 0:
        return pcm
    n = round(len(pcm) * dst_rate / src_rate)
    x = np.arange(n, dtype=np.float64) * (src_rate / dst_rate)
    out = np.interp(x, np.arange(len(pcm), dtype=np.float64), pcm.astype(np.float64))
    return np.clip(np.round(out), -32768, 32767).astype(np.int16)


def narration_track(schedule: Any, utterances: Sequence[Utterance], sample_rate: int
                    ) -> np.ndarray:
    """Mono int16, `round(schedule.duration * sample_rate)` samples, each clip at its start.

    A clip that would run past the next sentence's start (never, with a consistent schedule)
    is cut there with a 10 ms fade rather than overlapping."""
    total = round(schedule.duration * sample_rate)
    track = np.zeros(total, np.int16)
    sentences = schedule.sentences
    if len(sentences) != len(utterances):
        raise ValueError(f"{len(utterances)} utterances for {len(sentences)} sentences")
    for i, (ts, utt) in enumerate(zip(sentences, utterances, strict=True)):
        pcm = resample(utt.pcm, utt.sample_rate, sample_rate)
        a = round(ts.start * sample_rate)
        limit = total
        if i + 1 < len(sentences):
            limit = min(total, round(sentences[i + 1].start * sample_rate))
        n = max(0, min(len(pcm), limit - a))
        if n <= 0:
            continue
        piece = pcm[:n]
        if n < len(pcm):
            piece = fade_out(piece.copy(), int(0.01 * sample_rate))
        track[a: a + n] = piece
    return track


def fade_out(pcm: np.ndarray, frames: int) -> np.ndarray:
    frames = min(frames, len(pcm))
    if frames > 0:
        ramp = np.linspace(1.0, 0.0, frames, dtype=np.float32)
        pcm[-frames:] = (pcm[-frames:].astype(np.float32) * ramp).astype(pcm.dtype)
    return pcm


def mix(voice: np.ndarray, ambient: np.ndarray | None = None, voice_gain: float = 1.0,
        ambient_gain: float = 1.0) -> np.ndarray:
    """Sum voice and bed (same length, mono) into int16 with a soft limiter, no wrap-around."""
    out = voice.astype(np.float32) * voice_gain
    if ambient is not None:
        n = min(len(out), len(ambient))
        out[:n] += ambient[:n].astype(np.float32) * ambient_gain
    peak = 30000.0
    over = np.abs(out) > peak  # soft knee above the peak instead of hard clipping
    if over.any():
        x = out[over]
        out[over] = np.sign(x) * (peak + (32767 - peak) * np.tanh((np.abs(x) - peak)
                                                                  / (32767 - peak)))
    return np.clip(out, -32768, 32767).astype(np.int16)
