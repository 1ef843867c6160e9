"""The glue every command shares: dream file -> Script -> spoken clips -> Schedule."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from visualizer.narration.base import Narrator, Utterance
from visualizer.resources import resolve_dream
from visualizer.script.model import Script, Voice
from visualizer.timeline import Schedule, build_schedule


@dataclass(frozen=True)
class Prepared:
    """A dream ready to play, render or export."""

    path: Path
    script: Script
    schedule: Schedule
    utterances: tuple[Utterance, ...]
    speaks: bool  # False when narration is captions-only (no voice available)
    warnings: tuple[str, ...] = ()


def load(dream: str | Path) -> Script:
    """A bundled short name or a path -> parsed, directed Script (raises DreamError)."""
    from visualizer.script import load_script

    return load_script(resolve_dream(str(dream)))


def effective_voice(script: Script, voice: Voice | None = None, **overrides: Any) -> Voice:
    """The script's voice, replaced by an explicit one, then by non-None overrides."""
    base = voice or script.voice
    changes = {k: v for k, v in overrides.items() if v is not None}
    return dataclasses.replace(base, **changes) if changes else base


def prepare(
    dream: str | Path | Script,
    narrator: Narrator | None = None,
    voice: Voice | None = None,
) -> Prepared:
    """Read the dream, synthesize (or fetch from cache) every sentence, build the schedule."""
    from visualizer.narration import get_narrator, synthesize_all

    script = dream if isinstance(dream, Script) else load(dream)
    path = Path(script.path)
    narrator = narrator or get_narrator()
    utterances = tuple(synthesize_all(script, narrator, voice=voice))
    schedule = build_schedule(script, [u.clip for u in utterances])
    warnings = tuple(script.warnings)
    return Prepared(path, script, schedule, utterances, bool(narrator.speaks), warnings)
