"""The parsed dream: sentences, scenes, cues and voice. Small frozen dataclasses, no behaviour.

Every layer below reads these; only `script/` builds them.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class SourcePos:
    """Where something was written: 1-based line and column, for `file:line:col` messages."""

    path: str
    line: int
    col: int

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.col}"


@dataclass(frozen=True)
class Word:
    """One spoken word of a sentence: its letters and its character offset in `Sentence.text`."""

    text: str
    char: int


@dataclass(frozen=True)
class Sentence:
    """One sentence, as written (outer whitespace stripped, line breaks made spaces).

    Joining every `text` with a space gives the dream's text in order (modulo whitespace).
    `pause_after` is an explicit author pause in seconds; None means the default pacing.
    """

    index: int
    text: str
    paragraph: int
    words: tuple[Word, ...]
    pos: SourcePos | None = None
    pause_after: float | None = None


@dataclass(frozen=True)
class Transition:
    """How a scene arrives: `dissolve` (cross-fade), `bleed` (colours run into each other),
    `fade` (through dark). Duration in seconds."""

    kind: str = "dissolve"
    duration: float = 4.0


@dataclass(frozen=True)
class Scene:
    """A run of sentences staged as one place.

    `first`..`end` are sentence indices (end exclusive). `sky`, `ground` and every name in
    `layers` are motif names from assets/motifs.json that stay for the whole scene;
    `palette` is a name from assets/palettes.json; `mood` one of calm, wonder, fear, relief, joy.
    """

    name: str
    first: int
    end: int
    palette: str
    sky: str
    ground: str
    mood: str = "calm"
    layers: tuple[str, ...] = ()
    transition: Transition = field(default_factory=Transition)
    pos: SourcePos | None = None


@dataclass(frozen=True)
class Cue:
    """A motif summoned by a word: it fades in when that word is spoken.

    `char` is the offset of the word in its sentence's text. `hold` is how long it stays at
    full intensity after fading in (None: until its scene ends); then it fades out.
    """

    motif: str
    sentence: int
    word: str
    char: int
    intensity: float = 1.0
    fade_in: float = 2.5
    hold: float | None = None
    fade_out: float = 4.0
    pos: SourcePos | None = None


@dataclass(frozen=True)
class Voice:
    """Narration settings. `rate` in words per minute (calm default, slower than espeak's 175)."""

    name: str | None = None
    rate: int = 140
    volume: float = 1.0
    pitch: int = 45


@dataclass(frozen=True)
class Pauses:
    """Silence after a sentence, a paragraph and a scene, in seconds (including the voice's own
    trailing silence)."""

    sentence: float = 0.9
    paragraph: float = 2.0
    scene: float = 3.0


@dataclass(frozen=True)
class Script:
    """A whole dream ready to schedule. A plain .txt dream and a .dream script both become this."""

    path: str
    title: str
    sentences: tuple[Sentence, ...]
    scenes: tuple[Scene, ...]
    cues: tuple[Cue, ...] = ()
    voice: Voice = field(default_factory=Voice)
    pauses: Pauses = field(default_factory=Pauses)
    seed: int = 0
    warnings: tuple[str, ...] = ()
