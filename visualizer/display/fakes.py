"""Stand-ins with the same shape as the real parts, for headless tests and the soak run.

`RecordingSink` plays a track on an injected clock and records every call, so tests can
assert what the listener heard (paused, seeked, muted). `ReadingSchedule` is a tiny schedule
at a calm reading pace with the shape of the timeline's `Schedule` (duration, sentences with
timed words, `sample(t)`); it stands in when the real pipeline is unavailable.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np

from visualizer.audio.fake import FakeSink
from visualizer.clock import Clock
from visualizer.timeline.model import SceneState, TimedSentence, TimedWord


class RecordingSink(FakeSink):
    """The audio layer's `FakeSink` (position advances with the clock while playing, every
    call recorded) plus a fault to inject: `fail_next` is raised by the next load or play,
    as a lost audio device would."""

    def __init__(self, clock: Clock, available: bool = True) -> None:
        super().__init__(clock, available)
        self.fail_next: Exception | None = None

    def _raise(self) -> None:
        if self.fail_next is not None:
            exc, self.fail_next = self.fail_next, None
            raise exc

    def load(self, voice: np.ndarray, ambient: np.ndarray | None, sample_rate: int) -> None:
        self._raise()
        super().load(voice, ambient, sample_rate)

    def play(self, start: float = 0.0) -> None:
        self._raise()
        super().play(start)

    def names(self) -> list[str]:
        return [c[0] for c in self.calls]


@dataclass(frozen=True)
class ReadingSchedule:
    """Sentences at a calm reading pace (140 wpm), a lead-in and a tail, one palette."""

    sentences: tuple[TimedSentence, ...]
    duration: float
    palette: str = "dusk"
    lead_in: float = 2.0
    tail: float = 4.0
    scenes: tuple = field(default=())

    @classmethod
    def from_text(cls, text: str, palette: str = "dusk", wpm: float = 140.0,
                  pause: float = 0.9, lead_in: float = 2.0, tail: float = 4.0
                  ) -> ReadingSchedule:
        parts = [p.strip() for p in re.split(r"(?<=[.!?])\s+", " ".join(text.split()))]
        t = lead_in
        sentences = []
        for i, part in enumerate(p for p in parts if p):
            words = []
            w_t = t
            for m in re.finditer(r"\S+", part):
                length = 60.0 / wpm * (0.6 + 0.08 * len(m.group()))
                words.append(TimedWord(m.group(), m.start(), w_t, w_t + length))
                w_t += length
            sentences.append(TimedSentence(i, part, t, w_t, w_t, 0, 0, tuple(words)))
            t = w_t + pause
        return cls(tuple(sentences), t + tail, palette, lead_in, tail)

    def sample(self, t: float) -> SceneState:
        fade = min(1.0, max(0.0, t / self.lead_in), max(0.0, (self.duration - t) / self.tail))
        sentence = word = None
        for s in self.sentences:
            if s.start <= t < s.end:
                sentence = s.index
                for j, w in enumerate(s.words):
                    if w.start <= t:
                        word = j
                break
        return SceneState(t=t, palette={self.palette: 1.0}, mood={"calm": 1.0},
                          motifs={"night-sky": 1.0}, fade=fade, sentence=sentence, word=word)
