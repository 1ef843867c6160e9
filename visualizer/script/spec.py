"""What each `.dream` directive accepts, and how its written values become numbers and names.

One table shared by lint (to report) and the builder (to convert), so they never disagree.
"""

from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass(frozen=True)
class Range:
    """A numeric option: kind `int` or `float`, inclusive bounds, and what it means."""

    kind: str
    lo: float
    hi: float
    unit: str = ""


DIRECTIVES: dict[str, dict[str, Range | None]] = {
    "title": {},
    "voice": {
        "name": None,
        "rate": Range("int", 60, 400, "words per minute"),
        "pitch": Range("int", 0, 99),
        "volume": Range("float", 0.0, 1.0),
    },
    "seed": {},
    "pauses": {
        "sentence": Range("float", 0.0, 60.0, "seconds"),
        "paragraph": Range("float", 0.0, 60.0, "seconds"),
        "scene": Range("float", 0.0, 60.0, "seconds"),
    },
    "scene": {
        "palette": None,
        "sky": None,
        "ground": None,
        "mood": None,
        "layers": None,
        "transition": None,
    },
    "cue": {
        "at": None,
        "intensity": Range("float", 0.0, 1.0),
        "fade": Range("float", 0.0, 60.0, "seconds"),
        "fade_in": Range("float", 0.0, 60.0, "seconds"),
        "hold": Range("float", 0.0, 3600.0, "seconds"),
        "fade_out": Range("float", 0.0, 60.0, "seconds"),
    },
    "pause": {},
    "auto": {"scenes": None, "cues": None},
}
"""Directive name -> its `key=` options (a Range for numbers, None for names/words)."""

ALIASES = {
    "color": "palette", "colour": "palette", "colors": "palette", "colours": "palette",
    "background": "sky", "floor": "ground", "feeling": "mood", "motifs": "layers",
    "layer": "layers", "speed": "rate", "wpm": "rate", "loudness": "volume", "word": "at",
    "duration": "hold", "strength": "intensity", "fadein": "fade_in", "fadeout": "fade_out",
    "fade-in": "fade_in", "fade-out": "fade_out", "voice": "name",
}
"""Words authors reach for, and the option they mean (for did-you-mean)."""

SEED = Range("int", 0, 2**31 - 1)
PAUSE = Range("float", 0.0, 120.0, "seconds")
TRANSITION_SECONDS = Range("float", 0.0, 60.0, "seconds")
MAX_LAYERS = 8
ON_OFF = ("on", "off")


def number(text: str, spec: Range) -> tuple[float | int | None, str | None]:
    """(value, None) if `text` is a number inside `spec`, else (None, a message)."""
    try:
        value: float = float(text)
    except ValueError:
        what = "a whole number" if spec.kind == "int" else "a number"
        return None, f"expected {what}, not {text!r}"
    if not math.isfinite(value):
        return None, f"expected a finite number, not {text!r}"
    if spec.kind == "int":
        if value != int(value):
            return None, f"expected a whole number, not {text!r}"
        value = int(value)
    if not spec.lo <= value <= spec.hi:
        unit = f" {spec.unit}" if spec.unit else ""
        lo = int(spec.lo) if spec.lo == int(spec.lo) else spec.lo
        hi = int(spec.hi) if spec.hi == int(spec.hi) else spec.hi
        return None, f"{text} is out of range {lo}..{hi}{unit}"
    return value, None


def split_transition(text: str) -> tuple[str, str | None]:
    """`dissolve:4` -> ("dissolve", "4"); `fade` -> ("fade", None)."""
    kind, sep, seconds = text.partition(":")
    return kind.strip().lower(), (seconds.strip() if sep else None)


def split_list(text: str) -> list[str]:
    """`hills, leaves` or `hills,leaves` -> names; `none` -> []."""
    if text.strip().lower() in ("none", "-", ""):
        return []
    return [part.strip().lower() for part in text.split(",") if part.strip()]
