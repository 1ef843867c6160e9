"""Where each word starts inside a spoken sentence: exact from the engine when it says,
estimated when it does not (native voices, reading pace).

The estimate gives each word a weight that approximates how long espeak-ng speaks it: a
constant, plus its vowel groups and consonant sounds (digraphs like "th" count once, a silent
final e not at all), plus the rest after a comma or dash, a quote, less for short function
words, and phrase-final lengthening. Starts are the cumulative weights scaled to the clip's
measured speech. Coefficients were fitted by least squares to espeak-ng's own word events on
the bundled dreams at 140 wpm; leaving each dream out of the fit in turn, the median error is
~61 ms (vs ~147 ms for a plain syllable count). See benchmarks/narration.md.
"""

from __future__ import annotations

import re

from visualizer.script.model import Sentence, Word

# espeak-ng leaves about this much silence after the last word of a clip.
TRAILING_SILENCE = 0.435
_VOWEL_GROUPS = re.compile(r"[aeiouy]+", re.IGNORECASE)


def syllables(word: str) -> int:
    """A rough English syllable count: vowel groups, a silent final e, at least one."""
    w = word.lower()
    n = len(_VOWEL_GROUPS.findall(w))
    if w.endswith("e") and not w.endswith(("le", "ee", "ye")) and n > 1:
        n -= 1
    if not w.isascii():
        n = max(n, len(w) // 3)
    return max(1, n)


# seconds at 140 wpm: constant, per vowel group, per consonant sound, after , ; : — –,
# after a quote, after a hyphen, function word, phrase-final, per digit
_C = (0.120, 0.068, 0.067, 0.229, 0.177, 0.006, -0.083, 0.106, 0.30)
_FUNCTION_WORDS = """a an the of to and in on at as is it its by for from with that this but
or be you your i my me we he she they them their his her our was were are am"""
_FUNCTION = frozenset(_FUNCTION_WORDS.split())
_DIGRAPH = re.compile(r"(th|sh|ch|ph|gh|ck|ng|qu|wh)")
_VOWELS = re.compile(r"[aeiouy]+")
_CONSONANT = re.compile(r"[^aeiouy\d]")
_PAUSE = ",;:—–"


def word_weights(sentence: Sentence) -> list[float]:
    text = sentence.text
    words = sentence.words
    out = []
    for i, w in enumerate(words):
        end = w.char + len(w.text)
        gap = text[end: words[i + 1].char if i + 1 < len(words) else len(text)]
        pause = any(c in gap for c in _PAUSE)
        quote = any(c in gap for c in "\"“”")
        hyphen = "-" in gap and not gap.strip(" -")
        t = w.text.lower()
        core = _DIGRAPH.sub("x", re.sub(r"(.)\1", r"\1", t))
        if core.endswith("e") and len(core) > 2:
            core = core[:-1]
        digits = sum(ch.isdigit() for ch in t)
        final = pause or i + 1 == len(words)
        weight = (_C[0] + _C[1] * len(_VOWELS.findall(core))
                  + _C[2] * len(_CONSONANT.findall(core))
                  + _C[3] * pause + _C[4] * quote + _C[5] * hyphen
                  + _C[6] * (t in _FUNCTION) + _C[7] * final + _C[8] * digits)
        out.append(max(0.05, weight))
    return out


def estimate_word_starts(sentence: Sentence, clip_duration: float, speech_end: float,
                         lead: float = 0.01) -> tuple[tuple[int, float], ...]:
    """(char offset, seconds from clip start) for every word of the sentence."""
    if not sentence.words:
        return ()
    end = max(lead, min(speech_end, clip_duration))
    weights = word_weights(sentence)
    total = sum(weights)
    out = []
    acc = 0.0
    for w, weight in zip(sentence.words, weights, strict=True):
        out.append((w.char, round(lead + (end - lead) * acc / total, 4)))
        acc += weight
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
