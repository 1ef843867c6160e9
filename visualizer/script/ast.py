"""The syntax tree of a `.dream` script: what was written, where, before any meaning is given.

Why a separate tree: the parser only knows lines and words, lint gives the findings, and the
builder turns a clean tree into a `Script` (as Ren'Py separates parse, lint and execution).
Every node keeps its `SourcePos` so a finding can point at the exact column.
"""

from __future__ import annotations

from dataclasses import dataclass

from visualizer.script.model import SourcePos


@dataclass(frozen=True)
class Value:
    """One written value (a word or a quoted string, quotes removed) and where it starts."""

    text: str
    pos: SourcePos
    quoted: bool = False


@dataclass(frozen=True)
class Option:
    """`key=value` in a directive."""

    key: str
    value: Value
    pos: SourcePos


@dataclass(frozen=True)
class Directive:
    """A line starting with `@`: its name, bare words in order, `key=value` options, and the
    raw text after the name (for `@title`)."""

    name: str
    pos: SourcePos
    words: tuple[Value, ...]
    options: tuple[Option, ...]
    rest: Value | None
    line: int

    def option(self, key: str) -> Option | None:
        """The last `key=` option (a later one overrides an earlier one)."""
        found = None
        for opt in self.options:
            if opt.key == key:
                found = opt
        return found


@dataclass(frozen=True)
class Prose:
    """A run of consecutive prose lines: [start, end) offsets into `Document.prose_text`.
    `new_paragraph` is true when a blank line (or the start of the file) comes before it."""

    start: int
    end: int
    new_paragraph: bool
    line: int


@dataclass(frozen=True)
class Problem:
    """A syntax problem found while parsing (lint reports it with the others)."""

    message: str
    pos: SourcePos


@dataclass(frozen=True)
class Document:
    """A parsed script: its nodes in file order. `prose_text` is the source with every
    directive and comment line blanked out (same offsets), which the sentence splitter reads."""

    path: str
    text: str
    prose_text: str
    nodes: tuple[Directive | Prose, ...]
    problems: tuple[Problem, ...] = ()
    warnings: tuple[str, ...] = ()

    def directives(self, name: str | None = None) -> list[Directive]:
        return [n for n in self.nodes if isinstance(n, Directive) and name in (None, n.name)]

    def source_line(self, line: int) -> str:
        lines = self.text.split("\n")
        return lines[line - 1] if 0 < line <= len(lines) else ""
