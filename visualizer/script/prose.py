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


def sentences_of(text: str, path: str) -> tuple[Sentence, ...]:
    """Every sentence of a plain-prose dream, paragraphs split at blank lines."""
    lines = LineIndex(text)
    out: list[Sentence] = []
    for p, (a, b) in enumerate(paragraph_spans(text)):
        for s, e in sentence_spans(text, a, b):
            out.append(make_sentence(text, s, e, len(out), p, path, lines))
    return tuple(out)


def title_from_path(path: str) -> str:
    """`scenes/mirror-grove.txt` -> `Mirror Grove`."""
    from pathlib import PurePath

    stem = PurePath(path).stem.replace("_", " ").replace("-", " ").strip()
    return " ".join(w[:1].upper() + w[1:] for w in stem.split()) or "Untitled dream"
