"""A sink for tests: no sound, just a record of calls, and a position that moves with an
injected FakeClock while playing (frozen while paused), like the mixer's."""

from __future__ import annotations

import numpy as np

from visualizer.clock import Clock


class FakeSink:
    def __init__(self, clock: Clock, available: bool = True) -> None:
        self.clock = clock
        self.available = available
        self.calls: list[tuple[object, ...]] = []
        self.voice: np.ndarray | None = None
        self.ambient: np.ndarray | None = None
        self.sample_rate = 22050
        self.voice_volume = 1.0
        self.ambient_volume = 1.0
        self.volume_log: list[tuple[float, str, float]] = []  # (time, which, volume)
        self.playing = False
        self.paused = False
        self._pos = 0.0
        self._since = 0.0

    @property
    def duration(self) -> float:
        return 0.0 if self.voice is None else len(self.voice) / self.sample_rate

    def load(self, voice: np.ndarray, ambient: np.ndarray | None, sample_rate: int) -> None:
        self.calls.append(("load", len(voice), sample_rate))
        self.voice, self.ambient, self.sample_rate = voice, ambient, sample_rate
        self.playing = self.paused = False
        self._pos = 0.0

    def play(self, start: float = 0.0) -> None:
        self.calls.append(("play", round(float(start), 3)))
        self._pos, self._since = max(0.0, float(start)), self.clock.now()
        self.playing, self.paused = True, False

    def position(self) -> float:
        if not self.playing or self.paused:
            return min(self._pos, self.duration)
        return min(self._pos + self.clock.now() - self._since, self.duration)

    def pause(self) -> None:
        self.calls.append(("pause",))
        if self.playing and not self.paused:
            self._pos = self.position()
            self.paused = True

    def resume(self) -> None:
        self.calls.append(("resume",))
        if self.playing and self.paused:
            self._since = self.clock.now()
            self.paused = False

    def stop(self) -> None:
        self.calls.append(("stop",))
        if self.playing:
            self._pos = self.position()
        self.playing = self.paused = False

    def set_voice_volume(self, volume: float) -> None:
        self.voice_volume = float(volume)
        self.volume_log.append((self.clock.now(), "voice", self.voice_volume))

    def set_ambient_volume(self, volume: float) -> None:
        self.ambient_volume = float(volume)
        self.volume_log.append((self.clock.now(), "ambient", self.ambient_volume))

    def busy(self) -> bool:
        return self.playing and (self.paused or self.position() < self.duration)

    def heard(self) -> np.ndarray:
        """The voice samples at the current position (what a listener hears now)."""
        if self.voice is None:
            return np.zeros(0, np.int16)
        i = int(self.position() * self.sample_rate)
        return self.voice[i: i + int(0.02 * self.sample_rate)]
