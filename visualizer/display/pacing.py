"""Frame pacing: a fixed timestep capped at the target fps that never spirals.

The picture is a pure function of time, so a late frame is not "caught up" by rendering
extra frames: the schedule is re-anchored (clamped) and the next frame simply shows the
right moment. Sleeping to the cap keeps the CPU cool on a bedside screen.
"""

from __future__ import annotations

from visualizer.clock import Clock


class FramePacer:
    """`wait()` sleeps until the next frame slot; `late` counts frames that missed theirs."""

    def __init__(self, clock: Clock, fps: float) -> None:
        self.clock = clock
        self.late = 0
        self.set_fps(fps)
        self._next = clock.now()

    def set_fps(self, fps: float) -> None:
        self.fps = max(1.0, float(fps))
        self.step = 1.0 / self.fps

    def wait(self) -> float:
        """Sleep to the next slot; returns the time now. A frame more than one step late
        re-anchors the slots at now (clamp) instead of bursting to catch up."""
        self._next += self.step
        now = self.clock.now()
        if self._next > now + self.step:  # the clock stood still or stepped back: re-anchor
            self._next = now + self.step
        if now > self._next + self.step:
            self.late += 1
            self._next = now
            return now
        if self._next > now:
            self.clock.sleep(self._next - now)
            now = self.clock.now()
        return now
