"""WebVTT sidecar captions: one cue per sentence, with inline word timestamps so players that
support them (and karaoke-style styling) can follow the voice word by word."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from visualizer.export.timing import CaptionCue


def vtt_time(seconds: float) -> str:
    ms = max(0, round(seconds * 1000))
    h, rest = divmod(ms, 3_600_000)
    m, rest = divmod(rest, 60_000)
    s, ms = divmod(rest, 1000)
    return f"{h:02d}:{m:02d}:{s:02d}.{ms:03d}"


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _cue_text(cue: CaptionCue) -> str:
    """Sentence text with `<hh:mm:ss.mmm>` before every word after the first (the first word
    starts with the cue)."""
    text = cue.text
    marks = sorted((c, t) for c, t, _ in cue.words if 0 < c < len(text) and cue.start < t < cue.end)
    out, pos = [], 0
    for char, t in marks:
        out.append(_escape(text[pos:char]))
        out.append(f"<{vtt_time(t)}>")
        pos = char
    out.append(_escape(text[pos:]))
    return "".join(out).replace("\n", " ").replace("-->", "--&gt;")


def vtt_text(cues: Sequence[CaptionCue], title: str = "") -> str:
    title = " ".join(title.replace("-->", "->").split())
    lines = ["WEBVTT" + (f" - {title}" if title else ""), ""]
    for cue in cues:
        lines.append(str(cue.index + 1))
        lines.append(f"{vtt_time(cue.start)} --> {vtt_time(cue.end)}")
        lines.append(_cue_text(cue))
        lines.append("")
    return "\n".join(lines)


def write_vtt(path: Path, cues: Sequence[CaptionCue], title: str = "") -> None:
    """UTF-8, LF line ends; flushed to disk (it is renamed into place by the caller)."""
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write(vtt_text(cues, title))
        f.flush()
        os.fsync(f.fileno())
