"""Splitting prose into paragraphs, sentences and words, in one linear pass.

Why hand-written and not one big regex: dreams have dialogue quotes, ellipses, em dashes,
abbreviations and CJK punctuation, and a pasted 300,000-character line must not make a
backtracking regex hang. Every function here walks the text once.
"""

from __future__ import annotations

import re

from visualizer.script.model import Word

WORD_RE = re.compile(r"\w+(?:['’]\w+)*")
"""A spoken word: letters/digits, with inner apostrophes (you're, serpent's). Linear time."""

MAX_SENTENCE = 600
"""Longer runs without a full stop are cut at a comma or space, so the voice can breathe."""

_TERMINALS = ".!?…"
_CJK_TERMINALS = "。！？｡"
_CLOSERS = "\"'”’)]}»」』）】〕"
_OPENERS = "\"'“‘([{«「『（【"
_NO_SPLIT_AFTER = frozenset(
    {"mr", "mrs", "ms", "mx", "dr", "st", "prof", "sr", "jr", "vs", "e.g", "i.e", "cf", "mt"}
    | {"ft", "fig", "approx", "ca"}
)


def words(text: str) -> tuple[Word, ...]:
    """The words of a sentence with their character offsets into `text`."""
    return tuple(Word(m.group(), m.start()) for m in WORD_RE.finditer(text))


def paragraph_spans(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """(start, end) of each paragraph: runs of non-blank lines, outer whitespace excluded."""
    end = len(text) if end is None else end
    spans: list[tuple[int, int]] = []
    para_start: int | None = None
    para_end = start
    pos = start
    while pos < end:
        nl = text.find("\n", pos, end)
        line_end = end if nl < 0 else nl
        if text[pos:line_end].strip():
            if para_start is None:
                para_start = pos
            para_end = line_end
        elif para_start is not None:
            spans.append((para_start, para_end))
            para_start = None
        pos = line_end + 1
    if para_start is not None:
        spans.append((para_start, para_end))
    return [_strip_span(text, s, e) for s, e in spans]


def _strip_span(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _token_before(text: str, i: int, lo: int) -> str:
    """The run of non-space characters ending just before index `i` (at most 12 chars)."""
    j = i
    while j > lo and i - j < 12 and not text[j - 1].isspace() and text[j - 1] not in _OPENERS:
        j -= 1
    return text[j:i]


def _is_boundary(text: str, i: int, j: int, k: int, lo: int, end: int) -> bool:
    """Does the punctuation run text[i:j] (closers included) end a sentence, given that the
    next non-space character is at `k`?"""
    if k >= end:
        return True
    nxt = text[k]
    run = text[i:j].rstrip(_CLOSERS)
    if run == ".":
        token = _token_before(text, i, lo).lower().lstrip(_OPENERS)
        if token in _NO_SPLIT_AFTER:
            return False
        if len(token) == 1 and text[i - 1].isupper():
            return False  # an initial: J. R. R. Tolkien
    if nxt.islower():
        return False  # "Stop!" she said / an ellipsis... that goes on
    return not (nxt in ",;:—–-" or (nxt in _CLOSERS and nxt not in _OPENERS))


def sentence_spans(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """(start, end) of each sentence in text[start:end], outer whitespace excluded."""
    end = len(text) if end is None else end
    spans: list[tuple[int, int]] = []
    s = start
    i = start
    while i < end:
        ch = text[i]
        if ch in _CJK_TERMINALS:
            j = i + 1
            while j < end and (text[j] in _CJK_TERMINALS or text[j] in _CLOSERS):
                j += 1
            spans.append((s, j))
            s = i = j
            continue
        if ch in _TERMINALS:
            j = i + 1
            while j < end and text[j] in _TERMINALS:
                j += 1
            while j < end and text[j] in _CLOSERS:
                j += 1
            if j >= end or text[j].isspace():
                k = j
                while k < end and text[k].isspace():
                    k += 1
                if _is_boundary(text, i, j, k, start, end):
                    spans.append((s, j))
                    s = i = k
                    continue
            i = j
            continue
        i += 1
    if s < end:
        spans.append((s, end))
    out: list[tuple[int, int]] = []
    for a, b in spans:
        a, b = _strip_span(text, a, b)
        if a < b:
            out.extend(_cut_long(text, a, b))
    return out


def _cut_long(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Cut a run longer than MAX_SENTENCE at the last comma-like break, else the last space."""
    out: list[tuple[int, int]] = []
    while end - start > MAX_SENTENCE:
        limit = start + MAX_SENTENCE
        cut = -1
        for marks in (",;:—–", None):
            k = limit
            while k > start + MAX_SENTENCE // 3:
                c = text[k - 1]
                if (marks is None and c.isspace()) or (
                    marks is not None and c in marks and text[k].isspace()
                ):
                    cut = k
                    break
                k -= 1
            if cut > 0:
                break
        if cut < 0:
            cut = limit
        a, b = _strip_span(text, start, cut)
        if a < b:
            out.append((a, b))
        start, _ = _strip_span(text, cut, end)
    if start < end:
        out.append((start, end))
    return out


def flatten(text: str) -> str:
    """A sentence as spoken: line breaks (and tabs) become single spaces."""
    if "\n" not in text and "\t" not in text:
        return text
    return " ".join(text.split())
