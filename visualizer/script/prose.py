"""From prose text to `Sentence`s with paragraph numbers and source positions."""

from __future__ import annotations

from bisect import bisect_right

from visualizer.script.model import Sentence, SourcePos
from visualizer.script.text import flatten, paragraph_spans, sentence_spans, words


class LineIndex:
    """Turns a character offset into a 1-based (line, col), in O(log lines)."""

    def __init__(self, text: str) -> None:
        self.starts = [0]
        pos = text.find("\n")
        while pos >= 0:
            self.starts.append(pos + 1)
            pos = text.find("\n", pos + 1)

    def line_col(self, offset: int) -> tuple[int, int]:
        line = bisect_right(self.starts, offset)
        return line, offset - self.starts[line - 1] + 1


def make_sentence(
    text: str, start: int, end: int, index: int, paragraph: int, path: str, lines: LineIndex
) -> Sentence:
    body = flatten(text[start:end])
    line, col = lines.line_col(start)
    return Sentence(
        index=index,
        text=body,
        paragraph=paragraph,
        words=words(body),
        pos=SourcePos(path, line, col),
    )


_TITLE_MAX_WORDS = 10
_SENTENCE_ENDS = tuple(".!?…。！？\"”:;,")


def heading(text: str) -> tuple[str, int] | None:
    """A title line at the top of a plain dream: (title, offset where the dream starts).

    A first paragraph that is one short line without sentence punctuation, with more text
    after it (`The Lantern Bridge` or `# The Lantern Bridge`), names the dream; it is shown,
    not read out as the first sentence.
    """
    spans = paragraph_spans(text)
    if len(spans) < 2:
        return None
    a, b = spans[0]
    line = text[a:b]
    title = line.lstrip("#").strip()
    if "\n" in line or not title or line.rstrip().endswith(_SENTENCE_ENDS):
        return None
    if len(words(title)) > _TITLE_MAX_WORDS or not words(title):
        return None
    return title, spans[1][0]


def sentences_of(text: str, path: str, start: int = 0) -> tuple[Sentence, ...]:
    """Every sentence of a plain-prose dream from `start`, paragraphs split at blank lines."""
    lines = LineIndex(text)
    out: list[Sentence] = []
    for p, (a, b) in enumerate(paragraph_spans(text, start)):
        for s, e in sentence_spans(text, a, b):
            out.append(make_sentence(text, s, e, len(out), p, path, lines))
    return tuple(out)


def title_from_path(path: str) -> str:
    """`scenes/mirror-grove.txt` -> `Mirror Grove`."""
    from pathlib import PurePath

    stem = PurePath(path).stem.replace("_", " ").replace("-", " ").strip()
    return " ".join(w[:1].upper() + w[1:] for w in stem.split()) or "Untitled dream"
