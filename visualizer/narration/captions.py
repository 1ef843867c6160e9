"""Captions for the narration: SRT, and WebVTT with inline word timings.

A cue shows at most two lines of ~42 characters (the broadcast norm), so long sentences are
split at word boundaries into several cues, each timed from its first word. A cue stays until
its last word is spoken (plus a short hold, never past the next cue) so it can be read.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

LINE = 42
HOLD = 0.6  # seconds a cue lingers after its speech ends
MIN_SHOW = 1.0
_PUNCT = (",", ";", ":", "—")


@dataclass(frozen=True)
class Cue:
    start: float
    end: float
    text: str  # lines joined by "\n"
    words: tuple[tuple[int, float], ...]  # (char offset in `text`, time), after the first


def _wrap(words: list[str], width: int = LINE) -> list[str]:
    lines: list[str] = []
    cur = ""
    for w in words:
        if cur and len(cur) + 1 + len(w) > width:
            lines.append(cur)
            cur = w
        else:
            cur = f"{cur} {w}" if cur else w
    if cur:
        lines.append(cur)
    return lines


def cues(schedule: Any, width: int = LINE) -> list[Cue]:
    """Cues for every sentence of a schedule (TimedSentence with TimedWord times)."""
    out: list[Cue] = []
    sentences = list(schedule.sentences)
    for i, s in enumerate(sentences):
        tokens = _tokens(s)
        next_start = sentences[i + 1].start if i + 1 < len(sentences) else schedule.duration
        first = len(out)
        for n, chunk in enumerate(_chunks(tokens, width)):
            t0 = chunk[0][1] if chunk[0][1] is not None and n else s.start
            out.append(_cue(chunk, t0, width))
        # cue ends: next cue's start, or speech end + hold for the last one of the sentence
        for k in range(first, len(out)):
            if k + 1 < len(out):
                end = out[k + 1].start
            else:
                end = min(max(s.speech_end + HOLD, out[k].start + MIN_SHOW), next_start)
            out[k] = Cue(out[k].start, max(end, out[k].start + 0.001), out[k].text, out[k].words)
    return out


def _tokens(sentence: Any) -> list[tuple[str, float | None]]:
    """The sentence split on spaces, each token timed by the first word that starts in it."""
    text = sentence.text
    words = sorted(sentence.words, key=lambda w: w.char)
    out: list[tuple[str, float | None]] = []
    pos = 0
    for raw in text.split(" "):
        start, end = pos, pos + len(raw)
        pos = end + 1
        if not raw:
            continue
        t = next((w.start for w in words if start <= w.char < end), None)
        out.append((raw, t))
    if out and out[0][1] is None:
        out[0] = (out[0][0], sentence.start)
    return out


def _chunks(tokens: list[tuple[str, float | None]], width: int) -> list[list[Any]]:
    """Groups of tokens that fit in two lines, balanced in length (no one-word orphan cue),
    broken after punctuation when it is near the balance point."""
    greedy = 0
    chunk: list[str] = []
    for tok, _ in tokens:
        if chunk and len(_wrap([*chunk, tok], width)) > 2:
            greedy += 1
            chunk = []
        chunk.append(tok)
    count = greedy + 1
    total = sum(len(t) + 1 for t, _ in tokens)
    target = total / count
    out: list[list[Any]] = []
    cur: list[Any] = []
    cur_len = 0
    for tok in tokens:
        fits = len(_wrap([t for t, _ in cur] + [tok[0]], width)) <= 2
        room = len(out) < count - 1
        long = cur_len + len(tok[0]) > target * 1.1
        if cur and fits and room and long and tok[0].endswith(_PUNCT):
            cur.append(tok)  # a little long, but it ends a phrase: break after it
            out.append(cur)
            cur, cur_len = [], 0
            continue
        soft = room and (long or (cur_len >= target * 0.7 and cur and cur[-1][0].endswith(_PUNCT)))
        if cur and (not fits or soft):
            out.append(cur)
            cur, cur_len = [], 0
        cur.append(tok)
        cur_len += len(tok[0]) + 1
    if cur:
        out.append(cur)
    return out


def _cue(chunk: list[tuple[str, float | None]], start: float, width: int) -> Cue:
    lines = _wrap([t for t, _ in chunk], width)
    text = "\n".join(lines)
    marks = []
    pos = 0
    for k, (tok, t) in enumerate(chunk):
        at = text.index(tok, pos)
        pos = at + len(tok)
        if k > 0 and t is not None and t > start:
            marks.append((at, t))
    return Cue(start, start, text, tuple(marks))


def _clock(seconds: float, sep: str) -> str:
    ms = max(0, round(seconds * 1000))
    h, ms = divmod(ms, 3_600_000)
    m, ms = divmod(ms, 60_000)
    s, ms = divmod(ms, 1000)
    return f"{h:02d}:{m:02d}:{s:02d}{sep}{ms:03d}"


def srt_text(schedule: Any) -> str:
    blocks = []
    for k, c in enumerate(cues(schedule), start=1):
        blocks.append(f"{k}\n{_clock(c.start, ',')} --> {_clock(c.end, ',')}\n{c.text}\n")
    return "\n".join(blocks)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def vtt_text(schedule: Any) -> str:
    """WebVTT with a `<hh:mm:ss.mmm>` timestamp before every word after a cue's first."""
    title = " ".join(str(getattr(schedule, "title", "") or "").replace("-->", "->").split())
    out = ["WEBVTT" + (f" - {title}" if title else ""), ""]
    for k, c in enumerate(cues(schedule), start=1):
        body, pos = [], 0
        for at, t in c.words:
            body.append(_escape(c.text[pos:at]))
            body.append(f"<{_clock(t, '.')}>")
            pos = at
        body.append(_escape(c.text[pos:]))
        out += [str(k), f"{_clock(c.start, '.')} --> {_clock(c.end, '.')}", "".join(body), ""]
    return "\n".join(out)


def write_captions(path: str | os.PathLike[str], schedule: Any) -> None:
    """`.srt` or `.vtt` by extension, written atomically."""
    from visualizer.errors import UsageError

    path = Path(path)
    ext = path.suffix.lower()
    if ext == ".srt":
        text = srt_text(schedule)
    elif ext == ".vtt":
        text = vtt_text(schedule)
    else:
        raise UsageError(f"captions must end in .srt or .vtt, not {path.name!r}")
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
