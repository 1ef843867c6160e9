"""Progress on stderr while exporting: a redrawn bar with speed and ETA on a terminal, a
plain line every tenth of the way when stderr is a file or a pipe (logs stay readable)."""

from __future__ import annotations

import shutil
import sys
from typing import TextIO

from visualizer.clock import Clock, SystemClock


def clock_text(seconds: float) -> str:
    """0:07, 3:25, 1:02:03."""
    s = max(0, round(seconds))
    h, rest = divmod(s, 3600)
    m, s = divmod(rest, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m}:{s:02d}"


class Progress:
    """`update(done)` after each frame; `finish(note)` once. Speed is seconds of video per
    second of wall time ("2.4x"), ETA from the average rate so far."""

    WIDTH = 28
    REDRAW = 0.1  # seconds between terminal redraws

    def __init__(self, total: int, fps: int, stream: TextIO | None = None,
                 clock: Clock | None = None, label: str = "render",
                 tty: bool | None = None, quiet: bool = False) -> None:
        self.total = max(1, int(total))
        self.fps = fps
        self.stream = stream if stream is not None else sys.stderr
        self.clock = clock or SystemClock()
        self.label = label
        self.tty = self.stream.isatty() if tty is None else tty
        self.quiet = quiet
        self.start = self.clock.now()
        self._last_draw = -1e9
        self._last_tenth = 0
        self._done = 0

    def note(self, text: str) -> None:
        """A stage before the frames start ("preparing sound"); the bar replaces it."""
        if self.quiet:
            return
        self.stream.write(f"\r\x1b[K{self.label}: {text}" if self.tty else
                          f"{self.label}: {text}\n")
        self.stream.flush()

    def begin(self) -> None:
        """Frames start now: speed and ETA count from here, not from the preparations."""
        self.start = self.clock.now()

    def speed(self) -> float:
        elapsed = self.clock.now() - self.start
        return (self._done / self.fps) / elapsed if elapsed > 0 else 0.0

    def eta(self) -> float | None:
        elapsed = self.clock.now() - self.start
        if self._done <= 0 or elapsed <= 0:
            return None
        return elapsed * (self.total - self._done) / self._done

    def line(self) -> str:
        frac = self._done / self.total
        eta = self.eta()
        eta_text = clock_text(eta) if eta is not None else "--:--"
        video = f"{clock_text(self._done / self.fps)}/{clock_text(self.total / self.fps)}"
        speed = f"{self.speed():.1f}x"
        if self.tty:
            rest = f" {frac:4.0%} {video} {speed} ETA {eta_text}"
            # a line wider than the terminal wraps and \r can no longer redraw it
            room = shutil.get_terminal_size((80, 24)).columns - len(self.label) - len(rest) - 4
            width = max(0, min(self.WIDTH, room))
            filled = int(frac * width)
            bar = f" [{'#' * filled}{'-' * (width - filled)}]" if width >= 5 else ""
            return f"{self.label}{bar}{rest}"
        return f"{self.label}: {frac:.0%} ({video} of video, {speed} real time, ETA {eta_text})"

    def update(self, done: int) -> None:
        self._done = min(int(done), self.total)
        if self.quiet:
            return
        if self.tty:
            now = self.clock.now()
            if now - self._last_draw >= self.REDRAW or self._done == self.total:
                self._last_draw = now
                self.stream.write("\r\x1b[K" + self.line())
                self.stream.flush()
            return
        tenth = self._done * 10 // self.total
        if tenth > self._last_tenth:
            self._last_tenth = tenth
            self.stream.write(self.line() + "\n")
            self.stream.flush()

    def finish(self, note: str = "") -> None:
        """End the bar line (a terminal leaves the cursor after the bar otherwise)."""
        if self.quiet:
            return
        if self.tty:
            self.stream.write("\r\x1b[K" + self.line() + (f"  {note}" if note else "") + "\n")
        elif note:
            self.stream.write(f"{self.label}: {note}\n")
        self.stream.flush()

    def abandon(self) -> None:
        """Leave a clean line after an interruption."""
        if not self.quiet and self.tty:
            self.stream.write("\n")
            self.stream.flush()
