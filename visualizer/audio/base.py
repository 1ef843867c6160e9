"""Where sound goes while playing: the pygame mixer in real life, a fake in tests.

The narration track's playback position is the master clock of `play`: visuals follow
`sink.position()`.
"""

from __future__ import annotations

from typing import Protocol

import numpy as np


class AudioSink(Protocol):
    available: bool  # False when there is no audio device: play silently, clock from the wall

    def load(self, voice: np.ndarray, ambient: np.ndarray | None, sample_rate: int) -> None:
        """Voice: the whole narration track, mono int16. Ambient: a seamless loop, or None."""
        ...

    def play(self, start: float = 0.0) -> None: ...

    def position(self) -> float:
        """Seconds into the narration track as heard (the master clock)."""
        ...

    def pause(self) -> None: ...

    def resume(self) -> None: ...

    def stop(self) -> None: ...

    def set_voice_volume(self, volume: float) -> None: ...

    def set_ambient_volume(self, volume: float) -> None: ...

    def busy(self) -> bool:
        """True while the narration track is still playing."""
        ...
