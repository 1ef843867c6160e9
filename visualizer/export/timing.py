"""When each caption is on screen, from the schedule: shared by the burned-in captions and the
WebVTT sidecar so both show the same words at the same moments."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

HOLD = 1.2  # seconds a caption stays after the voice stops (reading time)
MIN_SHOW = 1.5  # never flash a caption for less than this


@dataclass(frozen=True)
class CaptionCue:
    """One sentence on screen from `start` to `end`; `words` are (char offset, start, end)
    in absolute seconds for word highlighting."""

    index: int
    text: str
    start: float
    end: float
    words: tuple[tuple[int, float, float], ...]


def caption_cues(sentences: Sequence[Any], duration: float) -> list[CaptionCue]:
    cues: list[CaptionCue] = []
    for i, s in enumerate(sentences):
        start = float(s.start)
        speech_end = float(getattr(s, "speech_end", s.end))
        end = max(speech_end + HOLD, start + MIN_SHOW)
        if i + 1 < len(sentences):
            end = min(end, float(sentences[i + 1].start))
        end = min(end, duration)
        if end <= start or not s.text.strip():
            continue
        words = tuple(
            (int(w.char), float(w.start), float(w.end))
            for w in getattr(s, "words", ())
        )
        cues.append(CaptionCue(int(getattr(s, "index", i)), s.text, start, end, words))
    return cues
