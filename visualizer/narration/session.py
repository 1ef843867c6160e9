"""Narration-only playback: the voice through a sink, the text in the terminal.

The sink's position is the clock. Interactive terminals get a live line with the spoken word
highlighted, elapsed/total and a progress bar, and keys (Space pause, ←/→ previous/next
sentence, Q quit); anything else gets one plain line per sentence as it is spoken. A sleep
timer fades everything out over its last minute and ends the session. Clock, sink, keys and
output are injected, so tests drive it with fakes.
"""

from __future__ import annotations

import bisect
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TextIO

from visualizer.clock import Clock

TICK = 0.05
FADE = 60.0  # the sleep timer's fade, seconds

BOLD_REV = "\x1b[1;7m"
DIM = "\x1b[2m"
RESET = "\x1b[0m"
CLEAR_LINE = "\r\x1b[2K"


@dataclass(frozen=True)
class Outcome:
    reason: str  # "end", "quit", "sleep", "signal"
    position: float


def clock_text(seconds: float) -> str:
    m, s = divmod(int(max(0.0, seconds)), 60)
    h, m = divmod(m, 60)
    return f"{h:d}:{m:02d}:{s:02d}" if h else f"{m:d}:{s:02d}"


def progress_bar(fraction: float, width: int) -> str:
    width = max(4, width)
    full = max(0.0, min(1.0, fraction)) * width
    whole = int(full)
    parts = " ▏▎▍▌▋▊▉"
    tail = parts[int((full - whole) * 8)] if whole < width else ""
    return ("█" * whole + tail).ljust(width)


def highlight_line(text: str, word_char: int | None, word_len: int, width: int,
                   color: bool = True) -> str:
    """The sentence fitted into `width` columns around the spoken word, which is highlighted."""
    width = max(10, width)
    start = 0
    if len(text) > width:
        centre = word_char if word_char is not None else 0
        start = max(0, min(len(text) - width + 1, centre - width // 3))
    end = min(len(text), start + width - (1 if start else 0))
    visible = text[start:end]
    prefix = "…" if start else ""
    if end < len(text):
        visible = visible[:-1] + "…"
    if word_char is None or not color or not (start <= word_char < start + len(visible)):
        return prefix + visible
    a = word_char - start
    b = min(len(visible), a + word_len)
    return prefix + visible[:a] + BOLD_REV + visible[a:b] + RESET + visible[b:]


class NarrationSession:
    def __init__(self, schedule: Any, sink: Any, clock: Clock, out: TextIO, *,
                 interactive: bool = False, keys: Callable[[], list[str]] | None = None,
                 sleep_timer: float | None = None, json_lines: bool = False,
                 width: Callable[[], int] | None = None, voice_volume: float = 1.0,
                 ambient_volume: float = 0.7,
                 stop_requested: Callable[[], bool] | None = None) -> None:
        self.schedule = schedule
        self.sink = sink
        self.clock = clock
        self.out = out
        self.interactive = interactive
        self.keys = keys or (list)
        self.sleep_timer = sleep_timer
        self.json_lines = json_lines
        self.width = width or (lambda: 80)
        self.voice_volume = voice_volume
        self.ambient_volume = ambient_volume
        self.stop_requested = stop_requested or (lambda: False)
        self._starts = [s.start for s in schedule.sentences]
        self._announced = -1
        self._elapsed = 0.0  # listening time, for the sleep timer (pauses don't count)

    # ---- control ------------------------------------------------------------------------
    def _seek_sentence(self, delta: int, t: float) -> None:
        i = bisect.bisect_right(self._starts, t + 1e-6) - 1
        if delta < 0 and i >= 0 and t - self._starts[i] > 2.0:
            target = i  # like a music player: back to this sentence's start first
        else:
            target = i + delta
        target = max(0, min(len(self._starts) - 1, target))
        if not self._starts:
            return
        was_paused = getattr(self.sink, "paused", False)
        self.sink.play(self._starts[target])
        if was_paused:
            self.sink.pause()
        self._announced = target - 1

    def run(self) -> Outcome:
        sink = self.sink
        sink.set_voice_volume(self.voice_volume)
        sink.set_ambient_volume(self.ambient_volume)
        sink.play(0.0)
        paused = False
        last = self.clock.now()
        reason = "end"
        try:
            while True:
                now = self.clock.now()
                if not paused:
                    self._elapsed += now - last
                last = now
                for key in self.keys():
                    if key in ("q", "Q", "esc"):
                        reason = "quit"
                    elif key == " ":
                        paused = not paused
                        sink.pause() if paused else sink.resume()
                    elif key in ("right", "left"):
                        self._seek_sentence(1 if key == "right" else -1, sink.position())
                if reason == "quit":
                    break
                if self.stop_requested():
                    reason = "signal"
                    break
                t = sink.position()
                if self.sleep_timer is not None:
                    remaining = self.sleep_timer - self._elapsed
                    if remaining <= 0:
                        reason = "sleep"
                        break
                    fade = min(1.0, remaining / min(FADE, self.sleep_timer))
                    sink.set_voice_volume(self.voice_volume * fade)
                    sink.set_ambient_volume(self.ambient_volume * fade)
                self._show(t, paused)
                if not paused and not sink.busy():
                    break
                self.clock.sleep(TICK)
        finally:
            position = sink.position()
            sink.stop()
            if self.interactive and not self.json_lines:
                self.out.write(CLEAR_LINE + "\n" + CLEAR_LINE)  # wipe the live lines
                self.out.write("\x1b[1A\r")
                self.out.flush()
        if reason == "end":
            self._announce_through(len(self._starts) - 1)
        return Outcome(reason, position)

    # ---- output -------------------------------------------------------------------------
    def _announce_through(self, i: int) -> None:
        """One line per sentence once its voice begins (plain) or once it is done (live)."""
        while self._announced < i:
            self._announced += 1
            s = self.schedule.sentences[self._announced]
            if self.json_lines:
                record = {"event": "sentence", "index": s.index, "start": round(s.start, 3),
                          "end": round(s.end, 3), "text": s.text}
                self.out.write(json.dumps(record, ensure_ascii=False) + "\n")
            elif self.interactive:
                self.out.write(CLEAR_LINE + f"{DIM}{clock_text(s.start)}{RESET}  {s.text}\n")
            else:
                self.out.write(f"[{clock_text(s.start)}] {s.text}\n")
            self.out.flush()

    def _show(self, t: float, paused: bool) -> None:
        i = bisect.bisect_right(self._starts, t) - 1
        if not self.interactive or self.json_lines:
            self._announce_through(i)
            return
        self._announce_through(i - 1)  # finished sentences scroll up above the live lines
        width = max(20, self.width())
        total = self.schedule.duration
        status = f"{clock_text(t)} / {clock_text(total)}" + ("  paused" if paused else "")
        keys = "  space pause  ←/→ skip  q quit"
        if width - len(status) - len(keys) - 2 < 10:
            keys = ""
        bar = progress_bar(t / total if total else 1.0, width - len(status) - len(keys) - 2)
        line2 = f"{status} {bar}{DIM}{keys}{RESET}"
        if i >= 0:
            s = self.schedule.sentences[i]
            _, j = self.schedule.spoken_at(t)
            w = s.words[j] if j is not None and j < len(s.words) else None
            line1 = highlight_line(s.text, w.char if w else None, len(w.text) if w else 0,
                                   width - 1)
        else:
            line1 = f"{DIM}…{RESET}"
        self.out.write(CLEAR_LINE + line1 + "\n" + CLEAR_LINE + line2 + "\x1b[1A\r")
        self.out.flush()
