"""Parsing a `.dream` script into a `Document`: lines become directives or prose.

The grammar is line based so a non-programmer can read it and a diff shows one change per line:
a line whose first non-space character is `@` is a directive, `#` a comment, a blank line ends
a paragraph, and everything else is the dream's prose. `\\@` or `\\#` at the start of a line
keeps a prose line that really begins with that character. Parsing never fails: a syntax
problem is recorded for lint to report, with its line and column.
"""

from __future__ import annotations

import re

from visualizer.script.ast import Directive, Document, Option, Problem, Prose, Value
from visualizer.script.model import SourcePos
from visualizer.script.reader import SourceText

_NAME_RE = re.compile(r"[A-Za-z][A-Za-z0-9_-]*")
_KEY_RE = re.compile(r"[A-Za-z][A-Za-z0-9_-]*")
_QUOTES = {'"': '"', "“": "”", "'": "'", "‘": "’"}


def _tokens(
    path: str, line_no: int, line: str, start: int, problems: list[Problem]
) -> tuple[list[Value], list[Option]]:
    """Bare words, quoted strings and key=value options of a directive, from column `start`."""
    words: list[Value] = []
    options: list[Option] = []
    i = start
    n = len(line)

    def pos(col0: int) -> SourcePos:
        return SourcePos(path, line_no, col0 + 1)

    def read_value(j: int) -> tuple[Value, int]:
        if j < n and line[j] in _QUOTES:
            close = _QUOTES[line[j]]
            k = line.find(close, j + 1)
            if k < 0:
                problems.append(Problem(f"unterminated quote: add a closing {close}", pos(j)))
                return Value(line[j + 1 :], pos(j), True), n
            return Value(line[j + 1 : k], pos(j), True), k + 1
        k = j
        while k < n and not line[k].isspace():
            k += 1
        return Value(line[j:k], pos(j)), k

    while i < n:
        if line[i].isspace():
            i += 1
            continue
        m = _KEY_RE.match(line, i)
        if m and m.end() < n and line[m.end()] == "=":
            value, i = read_value(m.end() + 1)
            options.append(Option(m.group().lower(), value, pos(m.start())))
            continue
        value, i = read_value(i)
        words.append(value)
    return words, options


def _directive(path: str, line_no: int, line: str, at: int, problems: list[Problem]) -> Directive:
    m = _NAME_RE.match(line, at + 1)
    here = SourcePos(path, line_no, at + 1)
    if not m:
        problems.append(Problem("a directive needs a name after @, like @scene or @cue", here))
        return Directive("", here, (), (), None, line_no)
    rest_at = m.end()
    while rest_at < len(line) and line[rest_at].isspace():
        rest_at += 1
    rest_text = line[rest_at:].rstrip()
    rest = Value(rest_text, SourcePos(path, line_no, rest_at + 1)) if rest_text else None
    words, options = _tokens(path, line_no, line, m.end(), problems)
    return Directive(m.group().lower(), here, tuple(words), tuple(options), rest, line_no)


def parse(source: SourceText) -> Document:
    """Split a script into directives and prose runs, keeping every position."""
    text = source.text
    path = source.path
    lines = text.split("\n")
    prose_lines: list[str] = []
    nodes: list[Directive | Prose] = []
    problems: list[Problem] = []
    offset = 0
    run_start: int | None = None
    run_end = 0
    run_line = 0
    new_paragraph = True
    run_new_paragraph = True

    def flush() -> None:
        nonlocal run_start, new_paragraph
        if run_start is not None:
            nodes.append(Prose(run_start, run_end, run_new_paragraph, run_line))
            run_start = None
            new_paragraph = False

    for number, line in enumerate(lines, start=1):
        stripped = line.lstrip()
        indent = len(line) - len(stripped)
        if not stripped:
            flush()
            new_paragraph = True
            prose_lines.append(line)
        elif stripped[0] == "#":
            flush()
            prose_lines.append(" " * len(line))
        elif stripped[0] == "@":
            flush()
            nodes.append(_directive(path, number, line, indent, problems))
            prose_lines.append(" " * len(line))
        else:
            if stripped[:2] in ("\\@", "\\#"):
                line = line[:indent] + " " + line[indent + 1 :]
            if run_start is None:
                run_start = offset + indent
                run_line = number
                run_new_paragraph = new_paragraph
            run_end = offset + len(line.rstrip())
            prose_lines.append(line)
        offset += len(line) + 1
    flush()
    return Document(
        path=path,
        text=text,
        prose_text="\n".join(prose_lines),
        nodes=tuple(nodes),
        problems=tuple(problems),
        warnings=source.warnings,
    )
