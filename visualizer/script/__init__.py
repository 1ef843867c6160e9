"""Reading dreams: plain prose or .dream scripts become a `Script` (parse, lint, auto-direct).

`load_script(path)` is the one entry point other layers call; it raises `DreamError` for
anything wrong with the file, never another exception.
"""

from __future__ import annotations

from pathlib import Path

from visualizer.errors import DreamError
from visualizer.script.build import script_from_dream, seed_of
from visualizer.script.direct import direct
from visualizer.script.model import Script
from visualizer.script.prose import heading, sentences_of, title_from_path
from visualizer.script.reader import SourceText, read_source

__all__ = ["load_script", "load_script_text", "script_from_text"]


def script_from_text(source: SourceText) -> Script:
    """Auto-direct a plain-prose dream."""
    head = heading(source.text)
    sentences = sentences_of(source.text, source.path, head[1] if head else 0)
    if not sentences:
        raise DreamError("empty dream: no sentences to read", path=source.path)
    scenes, cues = direct(sentences)
    cues = tuple(sorted(cues, key=lambda c: (c.sentence, c.char)))
    return Script(
        path=source.path,
        title=head[0] if head else title_from_path(source.path),
        sentences=sentences,
        scenes=scenes,
        cues=cues,
        seed=seed_of(sentences),
        warnings=source.warnings,
    )


def load_script(path: str | Path) -> Script:
    """Read a `.txt` dream (auto-directed) or a `.dream` script into a `Script`."""
    source = read_source(path)
    if str(path).lower().endswith(".dream"):
        return script_from_dream(source)
    return script_from_text(source)


def load_script_text(text: str, path: str = "<dream>.dream") -> Script:
    """Like `load_script`, for text already in memory (`path` names it in messages and decides
    the kind: `.dream` is a script, anything else plain prose)."""
    from visualizer.script.reader import decode

    source = decode(text.encode("utf-8", "surrogatepass"), path)
    if path.lower().endswith(".dream"):
        return script_from_dream(source)
    return script_from_text(source)
