"""Turning a dream file into what the player needs: schedule, narration track, ambient loop.

Runs on the preloader's worker thread (no pygame here). Glue over the pipeline and the
audio layer; when the pipeline cannot be imported (a broken install) it falls back to
captions at a calm reading pace over silence, with a note, rather than no show at all.
"""

from __future__ import annotations

import importlib
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from visualizer.errors import DreamError

log = logging.getLogger("dreamviz.display")

SAMPLE_RATE = 22050


@dataclass(frozen=True)
class LoadedDream:
    """One dream ready to play. `voice` is the whole narration track (mono int16, exactly
    `schedule.duration` long); `ambient` a seamless loop or None."""

    path: str
    title: str
    schedule: Any
    voice: np.ndarray
    ambient: np.ndarray | None
    sample_rate: int = SAMPLE_RATE
    seed: int = 0
    speaks: bool = True


def _optional(module: str, name: str) -> Any:
    try:
        return getattr(importlib.import_module(module), name)
    except (ImportError, AttributeError):
        return None


def _ambient(schedule: Any, sample_rate: int, voice: np.ndarray) -> np.ndarray | None:
    """The dream's ambient bed, as long as the narration and ducked under the voice."""
    fn = _optional("visualizer.audio.ambient", "ambient_track")
    if fn is None:
        return None
    try:
        return np.ascontiguousarray(fn(schedule, sample_rate, voice_track=voice))
    except Exception as exc:  # a missing bed must not cost the narration
        log.warning("ambient sound unavailable (%s: %s)", type(exc).__name__, exc)
        return None


def _title(script: Any, path: Path) -> str:
    title = getattr(script, "title", "") or ""
    return title or path.stem.replace("-", " ").replace("_", " ").title()


def reading_pace(path: Path) -> LoadedDream:
    """Captions at a reading pace over silence: the show when nothing can speak."""
    from visualizer.display.fakes import ReadingSchedule

    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise DreamError(f"cannot read dream: {exc}", str(path)) from None
    lines = [ln for ln in text.splitlines() if not ln.lstrip().startswith(("#", "@", "["))]
    schedule = ReadingSchedule.from_text(" ".join(lines))
    if not schedule.sentences:
        raise DreamError("the dream is empty", str(path))
    silence = np.zeros(int(schedule.duration * SAMPLE_RATE), dtype=np.int16)
    return LoadedDream(str(path), _title(None, path), schedule, silence, None, SAMPLE_RATE,
                       0, False)


def make_loader(narrator: Any = None, voice: str | None = None, rate: int | None = None,
                ambient: bool = True) -> Callable[[Path], LoadedDream]:
    """`load(path) -> LoadedDream` using the real pipeline and audio mixdown; `voice` and
    `rate` override the script's own voice settings when given."""
    pipeline = _optional("visualizer.pipeline", "prepare")
    narration_track = _optional("visualizer.audio.mixdown", "narration_track")
    if pipeline is None or narration_track is None:
        log.warning("the narration pipeline is not available; captions only, no voice")
        return reading_pace
    from visualizer import pipeline as pl

    chosen_narrator: list[Any] = [narrator]
    lock = threading.Lock()  # preloader and watcher threads share one narrator

    def load(path: Path) -> LoadedDream:
        with lock:
            return _load(path)

    def _load(path: Path) -> LoadedDream:
        script = pl.load(path)
        chosen = pl.effective_voice(script, None, name=voice, rate=rate)
        if chosen_narrator[0] is None:  # one narrator for the whole night, made on first use
            from visualizer.narration import get_narrator

            chosen_narrator[0] = get_narrator()
        prepared = pl.prepare(script, narrator=chosen_narrator[0], voice=chosen)
        utterances = list(prepared.utterances)
        sample_rate = utterances[0].sample_rate if utterances else SAMPLE_RATE
        track = np.ascontiguousarray(narration_track(prepared.schedule, utterances,
                                                     sample_rate))
        bed = _ambient(prepared.schedule, sample_rate, track) if ambient else None
        return LoadedDream(str(path), _title(script, path), prepared.schedule, track, bed,
                           sample_rate, int(script.seed), bool(prepared.speaks))

    return load
