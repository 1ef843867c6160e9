"""What an export is asked to make: size, rate, quality, captions, sound. Pure data."""

from __future__ import annotations

from dataclasses import dataclass

QUALITIES = ("low", "medium", "high")
CAPTION_MODES = ("burn", "vtt")


@dataclass(frozen=True)
class EncodeProfile:
    """x264 speed/size trade-off for one quality level. `crf` lower is better looking;
    `preset` slower is smaller at the same look.

    Dark, slow gradients are the whole picture here, and the renderer dithers them to avoid
    8-bit banding; x264 at its usual settings smooths that dither away and the bands come
    back (visible in a dark room). Stronger adaptive quantisation biased to dark areas
    (aq-mode 3) and lighter deblocking keep most of the dither. The crf is a compromise
    measured on the bundled dreams: at 720p medium, crf 18 kept the dither best but cost
    18 ms of encoding per busy frame (as much as painting it); crf 20 costs 14.5 ms at about
    1.2 Mbit/s in the busiest scenes (far less in calm ones) and keeps most of it."""

    preset: str
    crf: int
    audio_bitrate: str
    x264: str = "aq-mode=3:aq-strength=1.2:deblock=-1,-1"


PROFILES = {
    "low": EncodeProfile(preset="veryfast", crf=23, audio_bitrate="96k"),
    "medium": EncodeProfile(preset="veryfast", crf=20, audio_bitrate="160k"),
    "high": EncodeProfile(preset="medium", crf=17, audio_bitrate="192k"),
}


@dataclass(frozen=True)
class ExportSettings:
    """One `dreamviz render`. `seed` None means the script's own seed. `start` and `duration`
    choose a stretch of the dream (for checking staging): from `start` seconds, for
    `duration` seconds or to the end when None."""

    width: int = 1280
    height: int = 720
    fps: int = 30
    quality: str = "medium"
    captions: str | None = None
    ambient: bool = True
    seed: int | None = None
    duration: float | None = None
    start: float = 0.0
    force: bool = False
    jobs: int | None = None  # render processes; None: one per core for long exports
    audio_rate: int = 48000  # what the AAC track carries: what every TV and browser expects

    @property
    def profile(self) -> EncodeProfile:
        return PROFILES[self.quality]

    def frame_time(self, index: int) -> float:
        """Dream time of frame `index`: exact, so any frame can be painted on its own."""
        return self.start + index / self.fps
