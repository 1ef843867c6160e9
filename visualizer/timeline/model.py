"""The schedule of a dream and the state of the scene at one moment. Pure data.

`timeline/` builds a `Schedule` from a `Script` plus what the voice measured (`SpokenClip`), and
`Schedule.sample(t)` gives a `SceneState`. No clock, no I/O, no pygame here.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class SpokenClip:
    """What the narrator measured for one sentence's audio clip.

    `duration`: length of the clip in seconds (the WAV, trailing silence included).
    `speech_end`: where the voice stops inside the clip (espeak leaves ~0.435 s of silence).
    `word_starts`: (char offset in the sentence text, seconds from clip start) per word, exact
    from the engine where it gives word events; empty means "estimate it".
    """

    duration: float
    speech_end: float
    word_starts: tuple[tuple[int, float], ...] = ()


@dataclass(frozen=True)
class TimedWord:
    text: str
    char: int
    start: float
    end: float


@dataclass(frozen=True)
class TimedSentence:
    """A sentence placed on the narration track: its clip starts at `start`, ends at `end`."""

    index: int
    text: str
    start: float
    end: float
    speech_end: float
    paragraph: int
    scene: int
    words: tuple[TimedWord, ...]


@dataclass(frozen=True)
class TimedScene:
    index: int
    name: str
    start: float
    end: float
    palette: str
    sky: str
    ground: str
    mood: str
    layers: tuple[str, ...]
    transition: str
    transition_duration: float


@dataclass(frozen=True)
class TimedCue:
    """A motif's envelope: fades in from `time`, full from `time+fade_in` until `release`, then
    fades out over `fade_out`."""

    time: float
    motif: str
    word: str
    sentence: int
    scene: int
    intensity: float
    fade_in: float
    release: float
    fade_out: float


@dataclass(frozen=True)
class Camera:
    """Slow drift of the view, in fractions of the screen; zoom 1.0 is neutral."""

    x: float = 0.0
    y: float = 0.0
    zoom: float = 1.0


@dataclass(frozen=True)
class SceneSide:
    """One scene visible at a moment: its share of the picture (`weight`, the visible sides sum
    to 1), its palette and the motifs it shows when settled (sky, ground, layers). Lets the
    engine cache one settled background per side of a cross-fade and blend them."""

    weight: float
    palette: str
    motifs: tuple[str, ...]


@dataclass(frozen=True)
class SceneState:
    """Everything the engine needs to paint one frame.

    `palette` and `mood` are weights (summing to 1) that blend named palettes and moods through
    transitions; `motifs` is the intensity 0..1 of every element to draw (sky, ground, scene
    layers and cued motifs alike; absent means 0). `fade` is overall brightness 0..1 (dark at
    the very start and end). `scene` is the dominant scene; `transition` is 0 at the start of
    a transition into it and 1 once settled. `sentence`/`word` index what is being spoken
    (None in a pause). `ages` gives, for each cued motif showing, the seconds since its cue
    began to fade in, so a motif can unfold over a whole sentence (flowers opening one by one).
    `sides` lists the visible scenes with their weights (two or three during a transition).
    """

    t: float
    palette: dict[str, float]
    mood: dict[str, float]
    motifs: dict[str, float]
    camera: Camera = field(default_factory=Camera)
    fade: float = 1.0
    scene: int = 0
    transition: float = 1.0
    transition_kind: str = "dissolve"
    sentence: int | None = None
    word: int | None = None
    ages: dict[str, float] = field(default_factory=dict)  # seconds since each cue began
    sides: tuple[SceneSide, ...] = ()  # each visible scene (empty: not known, e.g. a still)
