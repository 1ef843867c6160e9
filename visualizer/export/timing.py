"""When each caption is on screen. The narration layer decides how sentences are cut into
cues (at most two lines of ~42 characters, each timed from its first word) so `narrate
--captions`, the VTT sidecar and the burned-in captions all show the same words at the same
moments; this adds what burning in needs: when each word is being spoken."""

from __future__ import annotations

import bisect
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


def trimmed(schedule: Any, seconds: float) -> Any:
    """The schedule as far as the video goes (for `--duration`): later sentences dropped."""
    if seconds >= schedule.duration:
        return schedule
    return SimpleNamespace(
        title=getattr(schedule, "title", ""),
        duration=seconds,
        sentences=tuple(s for s in schedule.sentences if s.start < seconds),
    )


def vtt_text(schedule: Any, seconds: float) -> str:
    return narration_captions.vtt_text(trimmed(schedule, seconds))


def caption_cues(schedule: Any, seconds: float | None = None) -> list[CaptionCue]:
    seconds = schedule.duration if seconds is None else seconds
    sched = trimmed(schedule, seconds)
    sentences = list(sched.sentences)
    starts = [s.start for s in sentences]
    out: list[CaptionCue] = []
    for k, cue in enumerate(narration_captions.cues(sched)):
        end = min(cue.end, seconds)
        if end <= cue.start or not cue.text.strip():
            continue
        i = bisect.bisect_right(starts, cue.start + 1e-9) - 1
        speech_end = sentences[i].speech_end if i >= 0 else end
        marks = [(0, cue.start), *cue.words]
        words = []
        for j, (char, t) in enumerate(marks):
            t_end = marks[j + 1][1] if j + 1 < len(marks) else max(t, min(speech_end, end))
            words.append((char, t, t_end))
        out.append(CaptionCue(k, cue.text, cue.start, end, tuple(words)))
    return out
