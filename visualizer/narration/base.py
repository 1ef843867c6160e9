"""What a narrator gives back, and the shape every narrator has (real espeak, pyttsx3
native drivers, the silent reading-pace fallback, and test fakes)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

import numpy as np

from visualizer.script.model import Voice
from visualizer.timeline.model import SpokenClip

SAMPLE_RATE = 22050


@dataclass(frozen=True)
class Utterance:
    """One sentence spoken: mono int16 PCM plus what the timeline needs to know about it."""

    text: str
    pcm: np.ndarray
    sample_rate: int
    clip: SpokenClip

    @property
    def duration(self) -> float:
        return len(self.pcm) / self.sample_rate


@dataclass(frozen=True)
class VoiceInfo:
    id: str
    name: str
    languages: tuple[str, ...] = ()


class Narrator(Protocol):
    """Turns text into speech. `engine_id` names engine and version (part of the cache key).
    `synthesize` never returns silence for non-empty text unless the narrator is the
    captions-only fallback (`speaks` is False)."""

    engine_id: str
    speaks: bool

    def synthesize(self, text: str, voice: Voice) -> Utterance: ...

    def voices(self) -> list[VoiceInfo]: ...


class NarrationFailed(RuntimeError):
    """A narrator could not speak one sentence (engine error, hang, crash); the caller falls
    back to the reading pace for that sentence."""
