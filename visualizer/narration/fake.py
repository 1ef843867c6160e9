"""A deterministic narrator for tests: a soft tone burst per word at known times.

Every word's start is known exactly, so tests of sync, captions, mixdown and ducking can check
numbers rather than listen. `fail_on` makes chosen sentences raise, to test the fallback.
"""

from __future__ import annotations

import numpy as np

from visualizer.narration.base import SAMPLE_RATE, NarrationFailed, Utterance, VoiceInfo
from visualizer.script.model import Voice
from visualizer.script.text import words
from visualizer.timeline.model import SpokenClip

LEAD = 0.010  # espeak starts its first sound within ~15 ms
TAIL = 0.435
GAP = 0.06


def word_seconds(word: str, rate: int) -> float:
    """Length of one word's burst: scaled by letters and by the voice's rate."""
    return (0.05 + 0.045 * len(word)) * 140.0 / max(40, rate)


def tone_words(text: str, rate: int, sample_rate: int, freq: float = 220.0
               ) -> tuple[np.ndarray, tuple[tuple[int, float], ...], float]:
    """(pcm, word starts, speech end) for a burst per word with 5 ms fades."""
    starts = []
    spans: list[tuple[float, float, int]] = []
    t = LEAD
    for w in words(text):
        length = word_seconds(w.text, rate)
        starts.append((w.char, round(t, 6)))
        spans.append((t, length, len(spans)))
        t += length + GAP
    speech_end = (t - GAP) if spans else 0.0
    frames = round((max(speech_end, 0.0) + TAIL) * sample_rate)
    pcm = np.zeros(frames, np.float32)
    for start, length, k in spans:
        a = round(start * sample_rate)
        n = round(length * sample_rate)
        ts = np.arange(n, dtype=np.float32) / sample_rate
        burst = np.sin(2 * np.pi * (freq * (1 + 0.03 * (k % 5))) * ts)
        ramp = min(n // 2, int(0.005 * sample_rate))
        if ramp:
            fade = np.linspace(0.0, 1.0, ramp, dtype=np.float32)
            burst[:ramp] *= fade
            burst[n - ramp:] *= fade[::-1]
        pcm[a: a + n] = burst * 12000.0
    # exact speech starts/ends: snap to the sample grid used above
    starts = [(c, round(round(s * sample_rate) / sample_rate, 6)) for c, s in starts]
    return pcm.astype(np.int16), tuple(starts), speech_end


class FakeNarrator:
    """Tone bursts per word; records every text it was asked to speak."""

    speaks = True

    def __init__(self, sample_rate: int = SAMPLE_RATE, fail_on: tuple[str, ...] = (),
                 engine_id: str = "fake-1") -> None:
        self.sample_rate = sample_rate
        self.fail_on = tuple(fail_on)
        self.engine_id = engine_id
        self.calls: list[str] = []

    def synthesize(self, text: str, voice: Voice) -> Utterance:
        self.calls.append(text)
        if any(marker in text for marker in self.fail_on):
            raise NarrationFailed(f"fake failure for {text[:30]!r}")
        pcm, starts, speech_end = tone_words(text, voice.rate, self.sample_rate)
        clip = SpokenClip(duration=len(pcm) / self.sample_rate, speech_end=speech_end,
                          word_starts=starts)
        return Utterance(text=text, pcm=pcm, sample_rate=self.sample_rate, clip=clip)

    def voices(self) -> list[VoiceInfo]:
        return [VoiceInfo("fake", "Fake tones", ("en",))]

    def close(self) -> None:
        pass
