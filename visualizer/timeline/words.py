"""Where each word starts inside a spoken sentence: exact from the engine when it says,
estimated from syllables and punctuation when it does not."""

from __future__ import annotations

import re

from visualizer.script.model import Sentence, Word

# espeak-ng leaves about this much silence after the last word of a clip.
TRAILING_SILENCE = 0.435
_VOWEL_GROUPS = re.compile(r"[aeiouy]+", re.IGNORECASE)
_PAUSE_WEIGHTS = {",": 0.9, ";": 1.2, ":": 1.2, "—": 1.0, "–": 1.0, "-": 0.3, "(": 0.5, ")": 0.5}


def syllables(word: str) -> int:
    """A rough English syllable count: vowel groups, a silent final e, at least one."""
    w = word.lower()
    n = len(_VOWEL_GROUPS.findall(w))
    if w.endswith("e") and not w.endswith(("le", "ee", "ye")) and n > 1:
        n -= 1
    if not w.isascii():
        n = max(n, len(w) // 3)
    return max(1, n)


def _weights(sentence: Sentence) -> list[float]:
    """Relative speaking time of each word, including the pause punctuation after it."""
    text = sentence.text
    words = sentence.words
    out = []
    for i, word in enumerate(words):
        end = word.char + len(word.text)
        nxt = words[i + 1].char if i + 1 < len(words) else len(text)
        gap = text[end:nxt]
        pause = sum(_PAUSE_WEIGHTS.get(ch, 0.0) for ch in gap)
        if "..." in gap or "…" in gap:
            pause += 1.0
        out.append(0.55 + syllables(word.text) + pause)
    return out


def estimate_word_starts(
    sentence: Sentence, clip_duration: float, speech_end: float, lead: float = 0.01
) -> tuple[tuple[int, float], ...]:
    """(char offset, seconds from clip start) for every word, spread over the speech by
    syllable weight. Used where the voice engine gives no word events."""
    words = sentence.words
    if not words:
        return ()
    end = max(lead, min(speech_end, clip_duration))
    weights = _weights(sentence)
    total = sum(weights)
    span = end - lead
    out = []
    acc = 0.0
    for word, w in zip(words, weights):
        out.append((word.char, lead + span * acc / total))
        acc += w
    return tuple(out)


def align_word_starts(
    words: tuple[Word, ...], measured: tuple[tuple[int, float], ...]
) -> list[float | None]:
    """Match engine word events (char offset, seconds) to our words by char offset.

    Engines split words differently ("don't", numbers, dashes): each of our words takes the
    event at the same offset, else the latest event that starts inside or before it."""
    if not measured:
        return [None] * len(words)
    events = sorted(measured)
    out: list[float | None] = []
    j = 0
    for word in words:
        end = word.char + len(word.text)
        while j + 1 < len(events) and events[j + 1][0] < end:
            j += 1
        # prefer an event that starts within this word
        best = None
        for char, sec in events[max(0, j - 2) : j + 2]:
            if word.char <= char < end:
                best = sec
                break
        if best is None and events[j][0] <= end:
            best = events[j][1]
        out.append(best)
    return out


def reading_pace_duration(sentence: Sentence, rate_wpm: float = 140.0) -> float:
    """How long a calm reader takes over a sentence (for captions when there is no voice)."""
    syl = sum(syllables(w.text) for w in sentence.words)
    # ~1.4 syllables per English word on average; pace is given in words per minute
    seconds = (syl / 1.4) * 60.0 / max(40.0, rate_wpm)
    return max(1.2, seconds)
