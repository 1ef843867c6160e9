"""Put the engine's word events onto the script's words.

espeak reports a word event per spoken token at a char offset of the text; the script's
tokenizer may split differently ("self-love" is one script word but may be two events, "42"
is two events "forty" "two"; quoted words may report a zero length). Each script word takes
the first event that starts inside it; words without one get a time interpolated between
their neighbours by char position.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence

from visualizer.script.model import Word


def align_word_starts(words: Sequence[Word], events: Sequence[tuple[int, float]],
                      speech_end: float) -> tuple[tuple[int, float], ...]:
    """(char, seconds) for every script word, in order, non-decreasing in time."""
    if not words:
        return ()
    if not events:
        return ()
    events = sorted(events)
    chars = [c for c, _ in events]
    times: list[float | None] = []
    for w in words:
        end = w.char + max(1, len(w.text))
        i = bisect_right(chars, w.char - 1)  # first event at or after the word's start
        if i < len(chars) and chars[i] < end:
            times.append(events[i][1])
        else:
            times.append(None)
    _fill(words, times, speech_end)
    out = []
    last = 0.0
    for w, t in zip(words, times, strict=True):
        last = max(last, float(t))  # type: ignore[arg-type]
        out.append((w.char, round(last, 4)))
    return tuple(out)


def _fill(words: Sequence[Word], times: list[float | None], speech_end: float) -> None:
    """Interpolate missing times linearly in char position between known neighbours."""
    n = len(times)
    known = [i for i, t in enumerate(times) if t is not None]
    if not known:
        for i in range(n):
            times[i] = speech_end * i / n
        return
    for i in range(n):
        if times[i] is not None:
            continue
        left = max((k for k in known if k < i), default=None)
        right = min((k for k in known if k > i), default=None)
        lc, lt = (words[left].char, times[left]) if left is not None else (0, 0.0)
        if right is not None:
            rc, rt = words[right].char, times[right]
        else:
            rc, rt = words[-1].char + len(words[-1].text), speech_end
        span = max(1, rc - lc)
        times[i] = lt + (rt - lt) * (words[i].char - lc) / span  # type: ignore[operator]
