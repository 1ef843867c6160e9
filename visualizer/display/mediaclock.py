"""Where we are in the current dream: the narration track is the master clock.

Visual time follows `sink.position()` while the sink plays, so picture and voice can never
drift apart over hours. When there is no audio device, the track has ended (the quiet tail
and the gap between dreams), or the sink stumbles, the wall clock carries on seamlessly from
the last position heard. Paused means frozen.
"""

from __future__ import annotations

from visualizer.audio.base import AudioSink
from visualizer.clock import Clock

SNAP = 0.25  # seconds of disagreement with the sink that count as a jump, not jitter
SLEW = 0.15  # fraction of the disagreement corrected per frame


class MediaClock:
    def __init__(self, clock: Clock) -> None:
        self.clock = clock
        self.paused = False
        self._base_t = 0.0
        self._base_wall = clock.now()
        self._last = 0.0

    def reset(self, t: float = 0.0) -> None:
        """Jump to `t` (a new dream, or a seek): the only way time goes backwards."""
        self._base_t = float(t)
        self._base_wall = self.clock.now()
        self._last = float(t)

    def pause(self) -> None:
        if not self.paused:
            self._base_t = self._last
            self.paused = True

    def resume(self) -> None:
        if self.paused:
            self.paused = False
            self._base_wall = self.clock.now()

    def wall(self) -> float:
        """The time the wall clock says, carried on from the last anchor."""
        if self.paused:
            return self._base_t
        return self._base_t + (self.clock.now() - self._base_wall)

    def time(self, sink: AudioSink | None) -> float:
        """Visual time now: the sink's position when it is the master, else the wall's."""
        if self.paused:
            return self._last
        t = self.wall()
        if sink is not None and sink.available:
            try:
                if sink.busy():
                    # The mixer's position moves in buffer-sized steps (~23 ms): follow it
                    # through a gentle slew so slow motion stays smooth, and snap on a real
                    # jump (a seek, a device that came back).
                    error = float(sink.position()) - t
                    t += error if abs(error) > SNAP else error * SLEW
                    self._base_t, self._base_wall = t, self.clock.now()
            except Exception:  # a dying device: keep time from the wall this frame
                pass
        t = max(t, self._last)  # a stumbling sink holds the picture, never runs it backwards
        self._last = t
        return t
