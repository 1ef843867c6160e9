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

from visualizer.clock import Clock
from visualizer.timeline.model import SceneState, TimedSentence, TimedWord


class RecordingSink:
    """An `AudioSink` on a clock: position advances with the clock while playing."""

    def __init__(self, clock: Clock, available: bool = True) -> None:
        self.clock = clock
        self.available = available
        self.calls: list[tuple] = []
        self.voice: np.ndarray | None = None
        self.ambient: np.ndarray | None = None
        self.sample_rate = 22050
        self.voice_volume = 1.0
        self.ambient_volume = 1.0
        self.playing = False
        self.paused = False
        self._start = 0.0
        self._since = 0.0
        self.fail_next: Exception | None = None

    @property
    def duration(self) -> float:
        return 0.0 if self.voice is None else len(self.voice) / self.sample_rate

    def _raise(self) -> None:
        if self.fail_next is not None:
            exc, self.fail_next = self.fail_next, None
            raise exc

    def load(self, voice: np.ndarray, ambient: np.ndarray | None, sample_rate: int) -> None:
        self._raise()
        self.calls.append(("load", len(voice), sample_rate))
        self.voice, self.ambient, self.sample_rate = voice, ambient, sample_rate
        self.playing = self.paused = False

    def play(self, start: float = 0.0) -> None:
        self._raise()
        self.calls.append(("play", round(float(start), 3)))
        self._start, self._since = float(start), self.clock.now()
        self.playing, self.paused = True, False

    def position(self) -> float:
        if not self.playing:
            return self._start
        if self.paused:
            return min(self._start, self.duration)
        return min(self._start + self.clock.now() - self._since, self.duration)

    def pause(self) -> None:
        self.calls.append(("pause",))
        if self.playing and not self.paused:
            self._start = self.position()
            self.paused = True

    def resume(self) -> None:
        self.calls.append(("resume",))
        if self.playing and self.paused:
            self._since = self.clock.now()
            self.paused = False

    def stop(self) -> None:
        self.calls.append(("stop",))
        self.playing = self.paused = False

    def set_voice_volume(self, volume: float) -> None:
        self.voice_volume = float(volume)

    def set_ambient_volume(self, volume: float) -> None:
        self.ambient_volume = float(volume)

    def busy(self) -> bool:
        return self.playing and self.position() < self.duration

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
