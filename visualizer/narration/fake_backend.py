"""A worker backend with scripted faults, for testing supervision (hang, crash, error).

Same functions as `espeak_lib`, so `EspeakNarrator(backend="visualizer.narration.fake_backend")`
exercises the real worker, deadline and restart code. Text markers choose the fault:
`[hang]` sleeps forever, `[crash]` kills the process, `[crash-once:PATH]` crashes only while
PATH exists (and removes it), `[error]` raises.
"""

from __future__ import annotations

import os
import re
import time

import numpy as np

from visualizer.narration.espeak_lib import WordEvent
from visualizer.narration.fake import tone_words
from visualizer.script.text import words

SAMPLE_RATE = 22050


def version() -> str:
    return "fake-backend 1"


def sample_rate() -> int:
    return SAMPLE_RATE


def list_voices() -> list[tuple[str, str, tuple[str, ...]]]:
    return [("fake", "Fake", ("en",))]


def synthesize(text: str, name: str | None, rate: int, pitch: int, volume: float
               ) -> tuple[np.ndarray, int, list[WordEvent]]:
    if name not in (None, "fake"):
        raise LookupError(f"unknown voice {name!r} (see `dreamviz voices`)")
    if "[hang]" in text:
        time.sleep(3600)
    if "[crash]" in text:
        os._exit(3)
    once = re.search(r"\[crash-once:([^\]]+)\]", text)
    if once and os.path.exists(once.group(1)):
        os.remove(once.group(1))
        os._exit(3)
    if "[error]" in text:
        raise RuntimeError("scripted engine error")
    pcm, starts, _ = tone_words(text, rate, SAMPLE_RATE)
    events = [WordEvent(c, len(w.text), s) for (c, s), w in zip(starts, words(text), strict=True)]
    return pcm, SAMPLE_RATE, events
