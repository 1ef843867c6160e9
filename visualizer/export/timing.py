"""When each caption is on screen. The narration layer decides how sentences are cut into
cues (at most two lines of ~42 characters, each timed from its first word) so `narrate
--captions`, the VTT sidecar and the burned-in captions all show the same words at the same
moments; this adds what burning in needs (when each word is being spoken) and what a partial
export needs (only the stretch of the dream in the video, on the video's clock)."""

from __future__ import annotations

import bisect
import dataclasses
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

from visualizer.narration import captions as narration_captions


@dataclass(frozen=True)
class CaptionCue:
    """One cue on screen from `start` to `end`; `text` lines joined by "\\n"; `words` are
    (char offset in `text`, start, end) in seconds, for highlighting the spoken word."""

    index: int
    text: str
    start: float
    end: float
    words: tuple[tuple[int, float, float], ...]


def _shift(sentence: Any, dt: float) -> Any:
    words = tuple(dataclasses.replace(w, start=w.start - dt, end=w.end - dt)
                  for w in sentence.words)
    return dataclasses.replace(sentence, start=sentence.start - dt, end=sentence.end - dt,
                               speech_end=sentence.speech_end - dt, words=words)


def window(schedule: Any, seconds: float, start: float = 0.0) -> Any:
    """The schedule as the video sees it: sentences whose captions show in
    [start, start + seconds), with times relative to `start` (one already under way starts
    at a negative time)."""
    if start <= 0 and seconds >= schedule.duration:
        return schedule
    hold = narration_captions.HOLD
    sentences = tuple(
        _shift(s, start) if start else s
        for s in schedule.sentences
        if s.start < start + seconds and s.speech_end + hold > start
    )
    return SimpleNamespace(title=getattr(schedule, "title", ""), duration=seconds,
                           sentences=sentences)


def vtt_text(schedule: Any, seconds: float, start: float = 0.0) -> str:
    return narration_captions.vtt_text(window(schedule, seconds, start))


def caption_cues(schedule: Any, seconds: float | None = None,
                 start: float = 0.0) -> list[CaptionCue]:
    """Cues in dream time (what the renderer's `t` is) for the stretch being exported."""
    seconds = schedule.duration - start if seconds is None else seconds
    sched = window(schedule, seconds, start)
    sentences = list(sched.sentences)
    starts = [s.start for s in sentences]
    out: list[CaptionCue] = []
    for k, cue in enumerate(narration_captions.cues(sched)):
        end = min(cue.end, seconds)
        if end <= max(cue.start, 0.0) or not cue.text.strip():
            continue
        i = bisect.bisect_right(starts, cue.start + 1e-9) - 1
        speech_end = sentences[i].speech_end if i >= 0 else end
        marks = [(0, cue.start), *cue.words]
        words = []
        for j, (char, t) in enumerate(marks):
            t_end = marks[j + 1][1] if j + 1 < len(marks) else max(t, min(speech_end, end))
            words.append((char, t + start, t_end + start))
        out.append(CaptionCue(k, cue.text, cue.start + start, end + start, tuple(words)))
    return out
