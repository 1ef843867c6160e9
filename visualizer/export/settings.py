"""What an export is asked to make: size, rate, quality, captions, sound. Pure data."""

from __future__ import annotations

from dataclasses import dataclass

QUALITIES = ("low", "medium", "high")
CAPTION_MODES = ("burn", "vtt")


@dataclass(frozen=True)
class EncodeProfile:
    """x264 speed/size trade-off for one quality level. `crf` lower is better looking;
    `preset` slower is smaller at the same look. Dark, slow gradients band easily, so even
    `low` keeps a moderate crf and every level uses aq-mode 3 (bits go to dark areas)."""

    preset: str
    crf: int
    audio_bitrate: str


PROFILES = {
    "low": EncodeProfile(preset="veryfast", crf=26, audio_bitrate="96k"),
    "medium": EncodeProfile(preset="veryfast", crf=21, audio_bitrate="160k"),
    "high": EncodeProfile(preset="medium", crf=18, audio_bitrate="192k"),
}


@dataclass(frozen=True)
class ExportSettings:
    """One `dreamviz render`. `seed` None means the script's own seed; `duration` None means
    the whole dream (a shorter value renders only its beginning, for checking staging)."""

    width: int = 1280
    height: int = 720
    fps: int = 30
    quality: str = "medium"
    captions: str | None = None
    ambient: bool = True
    seed: int | None = None
    duration: float | None = None
    force: bool = False
    jobs: int | None = None  # render processes; None: one per core for long exports
    audio_rate: int = 48000  # what the AAC track carries: what every TV and browser expects

    @property
    def profile(self) -> EncodeProfile:
        return PROFILES[self.quality]
