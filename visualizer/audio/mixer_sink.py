"""The real sound: pygame.mixer plays the narration track and the ambient bed.

The voice is `pygame.mixer.music` loaded from an in-memory WAV; its position is
`music.get_pos()` (what the mixer has consumed since `play`, frozen while paused) plus the
offset we started from, and that position is the master clock of the show. The bed is a
`pygame.mixer.Sound` on its own channel: looped when it is a short loop, or started at the
same offset when it is a whole-dream track (already ducked). No device: `available` is False
and time comes from the injected wall clock. A device that disappears mid-play (headphones
pulled) shows up as errors or a position that stops moving; the sink then keeps time from the
wall clock, re-opens the mixer every couple of seconds, and resumes where the listener is.
"""

from __future__ import annotations

import contextlib
import io
import os
import sys
import time
from collections.abc import Callable

import numpy as np

from visualizer.audio.mixdown import resample
from visualizer.audio.wav import wav_bytes
from visualizer.clock import Clock, SystemClock

STALL = 1.0  # seconds of wall time without mixer progress before we call the device lost
RETRY = 2.0  # seconds between attempts to re-open a lost device
BUFFER = 512  # mixer buffer in frames: ~23 ms at 22050 Hz
FADE = 0.15  # seconds of fade on pause, resume, seek and stop: spans several device buffers
FADE_STEPS = 10


def _note(message: str) -> None:
    print(f"dreamviz: {message}", file=sys.stderr)


class MixerSink:
    def __init__(self, clock: Clock | None = None, sample_rate: int = 22050,
                 note: Callable[[str], None] | None = None) -> None:
        self.clock = clock or SystemClock()
        self.sample_rate = sample_rate
        self._note = note or _note
        self.voice: np.ndarray | None = None
        self.ambient: np.ndarray | None = None
        self.track_rate = sample_rate
        self.voice_volume = 1.0
        self.ambient_volume = 1.0
        self.playing = False
        self.paused = False
        self.lost = False
        self.recoveries = 0
        self._offset = 0.0  # track position at the last (re)start
        self._wall_anchor = (0.0, self.clock.now())  # (position, wall time) for the wall clock
        self._last_pos = (-1, 0.0)  # (get_pos ms, wall time it last changed)
        self._retry_at = 0.0
        self._channel = None
        self._music_bytes: bytes | None = None
        self._music_from = -1
        self.available = self._open(first=True)

    # ---- device -------------------------------------------------------------------------
    def _open(self, first: bool = False) -> bool:
        try:
            os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")  # keep stdout clean
            import pygame

            if not pygame.mixer.get_init():
                pygame.mixer.init(frequency=self.sample_rate, size=-16, channels=1,
                                  buffer=BUFFER)
            self._pg = pygame
            self._format = pygame.mixer.get_init()
            return True
        except Exception as exc:  # pygame.error, or no pygame at all
            if first:
                driver = os.environ.get("SDL_AUDIODRIVER", "")
                why = str(exc) or type(exc).__name__
                self._note(f"no audio device ({why}{', ' + driver if driver else ''}); "
                           "playing silently")
            return False

    def close(self) -> None:
        self.stop()
        if self.available:
            with contextlib.suppress(Exception):
                self._pg.mixer.quit()

    # ---- loading ------------------------------------------------------------------------
    def load(self, voice: np.ndarray, ambient: np.ndarray | None, sample_rate: int) -> None:
        self.stop()
        self.voice = np.ascontiguousarray(voice, dtype=np.int16)
        self.ambient = None if ambient is None else np.ascontiguousarray(ambient, np.int16)
        self.track_rate = sample_rate
        self._music_bytes = wav_bytes(self.voice, sample_rate)
        self._music_from = 0  # first track frame of the WAV the mixer has loaded
        self._offset = 0.0
        self._wall_anchor = (0.0, self.clock.now())
        if self.available and not self.lost:
            self._guard(self._load_music)

    def _load_music(self, frame: int = 0) -> None:
        """Load the track from `frame` on. SDL_mixer seeks WAV music only to whole seconds
        (play(start=1.5) starts at 1.0, measured), so a seek loads the track's tail instead;
        the common case, the whole track, reuses the prepared bytes."""
        if frame <= 0 or self.voice is None:
            data, frame = self._music_bytes or b"", 0
        else:
            data = wav_bytes(self.voice[frame:], self.track_rate)
        self._pg.mixer.music.load(io.BytesIO(data), "wav")
        self._music_from = frame

    @property
    def duration(self) -> float:
        return 0.0 if self.voice is None else len(self.voice) / self.track_rate

    def _synced_bed(self) -> bool:
        """A bed as long as the voice follows the voice's position; a short one loops."""
        return (self.ambient is not None and self.voice is not None
                and len(self.ambient) >= len(self.voice) - self.track_rate // 10)

    def _bed_sound(self, start: float) -> object | None:
        if self.ambient is None or len(self.ambient) == 0:
            return None
        bed = self.ambient
        if self._synced_bed():
            bed = bed[int(start * self.track_rate):]
            if len(bed) < self.track_rate // 20:
                return None
        freq, _, channels = self._format
        pcm = resample(bed, self.track_rate, freq)
        if channels > 1:
            pcm = np.repeat(pcm[:, None], channels, axis=1)
        # fade the first 20 ms so a restart mid-bed never clicks
        n = min(len(pcm), int(0.02 * freq))
        ramp = np.linspace(0.0, 1.0, n, dtype=np.float32)
        pcm = pcm.copy()
        pcm[:n] = (pcm[:n].T * ramp).T.astype(np.int16)
        return self._pg.sndarray.make_sound(np.ascontiguousarray(pcm))

    # ---- transport ----------------------------------------------------------------------
    def play(self, start: float = 0.0) -> None:
        start = max(0.0, min(float(start), self.duration))
        self.playing, self.paused = True, False
        self._offset = start
        self._wall_anchor = (start, self.clock.now())
        self._last_pos = (-1, self.clock.now())
        if self.available and not self.lost:
            self._guard(self._start_audio, start)

    def _start_audio(self, start: float) -> None:
        music = self._pg.mixer.music
        if music.get_busy() and not self.paused:
            self._ramp(1.0, 0.0)  # a seek mid-word: fade out what is playing first
        frame = round(start * self.track_rate)
        if frame != self._music_from:
            self._load_music(frame)
        music.set_volume(self.voice_volume)
        music.play()
        if self._channel is not None:
            self._channel.stop()
            self._channel = None
        sound = self._bed_sound(start)
        if sound is not None:
            self._channel = sound.play(loops=0 if self._synced_bed() else -1)
            if self._channel is not None:
                self._channel.set_volume(self.ambient_volume)

    def position(self) -> float:
        """Seconds into the track as heard (mixer), or from the wall clock without one."""
        if not self.playing:
            return self._offset
        if self.paused:
            return self._wall_anchor[0]
        wall = self._wall_position()
        if not self.available or self.lost:
            self._maybe_recover(wall)
            return wall
        try:
            ms = self._pg.mixer.music.get_pos()
            busy = self._pg.mixer.music.get_busy()
        except Exception as exc:
            self._lose(exc)
            return wall
        now = self.clock.now()
        if ms != self._last_pos[0]:
            self._last_pos = (ms, now)
        elif busy and now - self._last_pos[1] > STALL and wall < self.duration:
            self._lose(RuntimeError("the mixer stopped consuming audio"))
            return wall
        if ms < 0 or not busy:  # finished (or not started yet): the wall carries on
            return min(wall, self.duration) if ms < 0 else wall
        pos = self._offset + ms / 1000.0
        self._wall_anchor = (pos, now)
        return pos

    def _wall_position(self) -> float:
        pos, since = self._wall_anchor
        return min(pos + (self.clock.now() - since), self.duration)

    def pause(self) -> None:
        if not self.playing or self.paused:
            return
        pos = self.position()
        if self.available and not self.lost:
            self._guard(self._pause_audio)
            with contextlib.suppress(Exception):  # exactly where the mixer stopped
                ms = self._pg.mixer.music.get_pos()
                if ms >= 0 and abs(self._offset + ms / 1000.0 - pos) < 0.5:
                    pos = self._offset + ms / 1000.0
        self._wall_anchor = (pos, self.clock.now())
        self.paused = True

    def _ramp(self, start: float, end: float) -> None:
        """A short volume ramp (FADE seconds) so pausing or stopping mid-word never clicks.
        Blocks for FADE: it only runs on a key press or at the end."""
        music, channel = self._pg.mixer.music, self._channel
        for k in range(1, FADE_STEPS + 1):
            g = start + (end - start) * k / FADE_STEPS
            music.set_volume(self.voice_volume * g)
            if channel is not None:
                channel.set_volume(self.ambient_volume * g)
            time.sleep(FADE / FADE_STEPS)

    def _pause_audio(self) -> None:
        if self._pg.mixer.music.get_busy():
            self._ramp(1.0, 0.0)
        self._pg.mixer.music.pause()
        if self._channel is not None:
            self._channel.pause()

    def resume(self) -> None:
        if not self.playing or not self.paused:
            return
        self.paused = False
        self._wall_anchor = (self._wall_anchor[0], self.clock.now())
        self._last_pos = (-2, self.clock.now())
        if self.available and not self.lost:
            self._guard(self._resume_audio)

    def _resume_audio(self) -> None:
        self._pg.mixer.music.set_volume(0.0)
        if self._channel is not None:
            self._channel.set_volume(0.0)
        self._pg.mixer.music.unpause()
        if self._channel is not None:
            self._channel.unpause()
        self._ramp(0.0, 1.0)

    def stop(self) -> None:
        if self.playing:
            self._offset = self.position()
        self.playing = self.paused = False
        if self.available and not self.lost:
            self._guard(self._stop_audio)

    def _stop_audio(self) -> None:
        if self._pg.mixer.music.get_busy():
            self._ramp(1.0, 0.0)
        self._pg.mixer.music.stop()
        if self._channel is not None:
            self._channel.stop()
            self._channel = None

    def set_voice_volume(self, volume: float) -> None:
        self.voice_volume = max(0.0, min(1.0, float(volume)))
        if self.available and not self.lost:
            self._guard(lambda: self._pg.mixer.music.set_volume(self.voice_volume))

    def set_ambient_volume(self, volume: float) -> None:
        self.ambient_volume = max(0.0, min(1.0, float(volume)))
        if self.available and not self.lost and self._channel is not None:
            self._guard(lambda: self._channel.set_volume(self.ambient_volume))

    def busy(self) -> bool:
        return self.playing and (self.paused or self.position() < self.duration - 1e-3)

    # ---- faults -------------------------------------------------------------------------
    def _guard(self, fn: Callable[..., object], *args: object) -> None:
        try:
            fn(*args)
        except Exception as exc:
            self._lose(exc)

    def _lose(self, exc: Exception) -> None:
        if not self.lost:
            self._note(f"sound device lost ({exc}); carrying on silently")
        self.lost = True
        self._retry_at = self.clock.now() + RETRY
        self._channel = None
        with contextlib.suppress(Exception):
            self._pg.mixer.quit()

    def _maybe_recover(self, wall: float) -> None:
        if not self.available or not self.lost or self.clock.now() < self._retry_at:
            return
        self._retry_at = self.clock.now() + RETRY
        if not self._open():
            return
        self.lost = False
        self.recoveries += 1
        try:
            self._music_from = -1  # the new mixer has nothing loaded
            self._offset = wall
            self._wall_anchor = (wall, self.clock.now())
            self._last_pos = (-1, self.clock.now())
            if wall < self.duration:
                self._start_audio(wall)
            self._note("sound is back")
        except Exception as exc:
            self._lose(exc)
