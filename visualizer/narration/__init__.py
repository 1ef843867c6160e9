"""Offline text-to-speech: supervised worker, cache, exact word timing where the engine gives it.

Public API: `get_narrator(engine)`, `synthesize_all(script, narrator, voice)`, and the
narrators `FakeNarrator` (tests) and `ReadingPaceNarrator` (no voice).
"""

from visualizer.narration.base import NarrationFailed, Narrator, Utterance, VoiceInfo
from visualizer.narration.fake import FakeNarrator
from visualizer.narration.pace import ReadingPaceNarrator
from visualizer.narration.select import get_narrator
from visualizer.narration.synth import synthesize_all, synthesize_iter

__all__ = [
    "FakeNarrator",
    "NarrationFailed",
    "Narrator",
    "ReadingPaceNarrator",
    "Utterance",
    "VoiceInfo",
    "get_narrator",
    "synthesize_all",
    "synthesize_iter",
]
