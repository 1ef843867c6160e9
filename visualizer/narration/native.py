"""The platform's own voice through pyttsx3 (macOS nsss, Windows sapi5), supervised like espeak."""

from __future__ import annotations

from visualizer.narration.espeak import EspeakNarrator

BACKEND = "visualizer.narration.native_lib"


class NativeNarrator(EspeakNarrator):
    """Same worker, restart and retry as EspeakNarrator; no word events (estimated later)."""

    def __init__(self, deadline: float = 20.0) -> None:
        super().__init__(backend=BACKEND, deadline=deadline)
