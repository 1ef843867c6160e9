"""Measuring sound: where speech starts and stops, and where sentences begin in a recording.

Used to set `SpokenClip.speech_end` from the PCM (espeak pads ~0.435 s of silence) and by the
sync measurements (onsets in captured audio vs the schedule).
"""

from __future__ import annotations

import numpy as np

SILENCE = 300  # int16 amplitude below which a sample counts as silence (about -40 dBFS)


def speech_bounds(pcm: np.ndarray, sample_rate: int, threshold: int = SILENCE
                  ) -> tuple[float, float]:
    """(first, last) time in seconds where |pcm| exceeds the threshold; (0, 0) if silent."""
    mono = pcm if pcm.ndim == 1 else np.abs(pcm.astype(np.int32)).max(axis=1)
    loud = np.flatnonzero(np.abs(mono.astype(np.int32)) > threshold)
    if loud.size == 0:
        return 0.0, 0.0
    return loud[0] / sample_rate, (loud[-1] + 1) / sample_rate


def envelope(pcm: np.ndarray, sample_rate: int, window: float = 0.005) -> np.ndarray:
    """Peak-amplitude envelope in windows of `window` seconds (float, 0..32767)."""
    mono = pcm.astype(np.float32)
    if mono.ndim == 2:
        mono = np.abs(mono).max(axis=1)
    hop = max(1, round(window * sample_rate))
    n = len(mono) // hop
    if n == 0:
        return np.zeros(0, np.float32)
    return np.abs(mono[: n * hop]).reshape(n, hop).max(axis=1)


def onsets(pcm: np.ndarray, sample_rate: int, threshold: int = 1000, min_gap: float = 0.6,
           window: float = 0.002) -> list[float]:
    """Times where sound begins after at least `min_gap` seconds of quiet (sentence onsets)."""
    env = envelope(pcm, sample_rate, window)
    loud = np.flatnonzero(env > threshold)
    if loud.size == 0:
        return []
    gaps = np.diff(loud) * window
    starts = np.concatenate(([loud[0]], loud[1:][gaps >= min_gap]))
    out = []
    for s in starts:  # refine to the sample inside the window
        lo = int(s * round(window * sample_rate))
        seg = np.abs(pcm[lo: lo + round(window * sample_rate) + 1].astype(np.int32))
        if seg.ndim == 2:
            seg = seg.max(axis=1)
        first = np.flatnonzero(seg > threshold)
        out.append((lo + (int(first[0]) if first.size else 0)) / sample_rate)
    return out
