"""Choosing a narrator: the best voice this machine has, or the silent reading pace."""

from __future__ import annotations

import sys
import threading

from visualizer.errors import UsageError
from visualizer.narration.base import NarrationFailed, Narrator
from visualizer.narration.pace import ReadingPaceNarrator
from visualizer.narration.synth import Warn, print_warning

ENGINES = ("auto", "espeak", "pyttsx3", "none", "fake")


_SHARED: dict[str, Narrator] = {}
_LOCK = threading.Lock()


def get_narrator(engine: str = "auto", warn: Warn | None = None, shared: bool = True
                 ) -> Narrator:
    """`auto`: espeak-ng on Linux, pyttsx3's native driver on macOS/Windows (espeak-ng if
    present), else the reading pace with a one-line warning. `none`: captions only, silent.
    `fake`: test tones.

    One narrator per engine is shared by the whole process (`shared=False` for a private
    one): a playlist that prepares dream after dream reuses one speech worker, and a missing
    voice is reported once, not once per dream."""
    if engine not in ENGINES:
        raise UsageError(f"unknown narration engine {engine!r} (one of {', '.join(ENGINES)})")
    if not shared:
        return _make(engine, warn or print_warning)
    with _LOCK:
        if engine not in _SHARED:
            _SHARED[engine] = _make(engine, warn or print_warning)
        return _SHARED[engine]


def _make(engine: str, warn: Warn) -> Narrator:
    if engine == "none":
        return ReadingPaceNarrator(reason="narration turned off")
    if engine == "fake":
        from visualizer.narration.fake import FakeNarrator

        return FakeNarrator()
    order = [engine] if engine != "auto" else (
        ["espeak"] if sys.platform.startswith("linux") else ["pyttsx3", "espeak"])
    reasons = []
    for name in order:
        try:
            if name == "espeak":
                from visualizer.narration.espeak import EspeakNarrator

                return EspeakNarrator()
            from visualizer.narration.native import NativeNarrator

            return NativeNarrator()
        except NarrationFailed as exc:
            reasons.append(f"{name}: {exc}")
    reason = "; ".join(reasons)
    warn(f"no voice available ({reason}); captions only, at reading pace")
    return ReadingPaceNarrator(reason=reason)
