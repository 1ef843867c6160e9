"""The fullscreen relaxation player: a playlist of dreams, picture and voice in lockstep,
the keys a person expects, and a loop that keeps going all night.

Everything is injected (clock, sink factory, renderer factory, loader, event source), so
tests drive it headless with a fake clock, a recording sink and posted key events.

Loop: fixed timestep capped at `fps` (see pacing.py). Visual time is the narration track's
position (mediaclock.py). Light and sound share one set of fades: dimmer, sleep timer, the
switch to the next dream, and the fade on quit.
"""

from __future__ import annotations

import contextlib
import logging
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pygame

from visualizer.clock import Clock, SystemClock
from visualizer.display.captions import Captions
from visualizer.display.guard import PlainRenderer, SafeRenderer
from visualizer.display.keys import Action, action_for
from visualizer.display.loading import LoadedDream
from visualizer.display.mediaclock import MediaClock
from visualizer.display.memory import pin_mmap_threshold, release_memory
from visualizer.display.overlay import Overlay
from visualizer.display.pacing import FramePacer
from visualizer.display.playlist import Playlist, Preloader
from visualizer.display.startup import monotonic_origin
from visualizer.display.window import Window
from visualizer.errors import DreamError

log = logging.getLogger("dreamviz.display")
WARM_AHEAD = 8.0  # seconds of a dream whose motifs are made before its first frame

DIM_LEVELS = (1.0, 0.7, 0.45, 0.28, 0.15)
VOLUME_STEP = 0.1
QUIT_FADE = 0.8
SWITCH_FADE = 1.5
SLEEP_FADE = 60.0
AUDIO_RETRY = 10.0
MINIMISED_FPS = 8.0
DARK_FPS = 5.0
PAUSED_FPS = 15.0
GIVE_UP_FRAMES = 300  # consecutive failing frames (5 s at 60 fps) before giving up

# Window events that are not in every pygame build get a harmless placeholder.
_EV = {name: getattr(pygame, name, -1000 - i) for i, name in enumerate((
    "WINDOWMINIMIZED", "WINDOWHIDDEN", "WINDOWRESTORED", "WINDOWSHOWN", "WINDOWMAXIMIZED",
    "WINDOWSIZECHANGED", "WINDOWRESIZED", "VIDEORESIZE", "WINDOWDISPLAYCHANGED",
    "AUDIODEVICEREMOVED", "AUDIODEVICEADDED", "WINDOWEXPOSED"))}


@dataclass(frozen=True)
class PlayerOptions:
    """How to play. Times in seconds; `sleep_timer` 0 = off; `duration` None = no limit."""

    fps: float = 60.0
    captions: bool = True
    volume: float = 0.8
    ambient: bool = True
    ambient_level: float = 0.55
    dim: float = 1.0
    quality: str = "medium"
    sleep_timer: float = 0.0
    stay: bool = False
    duration: float | None = None
    gap: float = 4.0
    hints: bool = True
    start_at: float = 0.0
    repeat_dream: bool = False  # preview: the one dream starts again at its end
    screenshot: str | None = None  # save the screen at `screenshot_at` (dream time), exit
    screenshot_at: float = 0.0
    adaptive: bool = True  # step picture quality down (and back up) to hold the frame rate
    titles: bool = True  # the dream's name fades in and out as it begins


def smoothstep(x: float) -> float:
    x = min(1.0, max(0.0, x))
    return x * x * (3.0 - 2.0 * x)


class SilentSink:
    """No sound device: everything is a no-op and the wall clock is the master."""

    available = False

    def load(self, voice: Any, ambient: Any, sample_rate: int) -> None: ...
    def play(self, start: float = 0.0) -> None: ...
    def position(self) -> float:
        return 0.0

    def pause(self) -> None: ...
    def resume(self) -> None: ...
    def stop(self) -> None: ...
    def set_voice_volume(self, volume: float) -> None: ...
    def set_ambient_volume(self, volume: float) -> None: ...
    def busy(self) -> bool:
        return False


class Player:
    def __init__(
        self,
        playlist: Playlist,
        load: Callable[[Path], LoadedDream],
        *,
        window: Window,
        renderer_factory: Callable[..., Any],
        sink_factory: Callable[[], Any],
        clock: Clock | None = None,
        events: Callable[[], Iterable[pygame.event.Event]] | None = None,
        options: PlayerOptions | None = None,
        reloader: Any = None,
        report: Callable[[str], None] | None = None,
    ) -> None:
        self.playlist = playlist
        self.window = window
        self.renderer_factory = renderer_factory
        self.sink_factory = sink_factory
        self.clock = clock or SystemClock()
        self.events = events or pygame.event.get
        self.opt = options or PlayerOptions()
        self.reloader = reloader
        self.report = report or (lambda msg: print(f"dreamviz: {msg}", file=sys.stderr))
        self.preloader = Preloader(load)
        self.pacer = FramePacer(self.clock, self.opt.fps)
        self.mclock = MediaClock(self.clock)

        # What a person can change while it plays.
        self.paused = False
        self.muted = False
        self.ambient_on = self.opt.ambient
        self.volume = min(1.0, max(0.0, self.opt.volume))
        self.dim = min(1.0, max(0.05, self.opt.dim))
        self.captions_on = self.opt.captions

        # Where the show is.
        self.phase = "loading"  # loading | playing | gap | switching | dark | waiting
        self.current: LoadedDream | None = None
        self.current_path: Path | None = None
        self.next_path: Path | None = None
        self.dreams_started = 0
        self.t = 0.0
        self.done = False
        self.exit_code = 0
        self.exit_reason = ""
        self.minimised = False
        self.audio_lost = False
        self.sleep_fade = 1.0
        self.frames = 0
        self.rendered = 0
        self.adaptive: Any = None  # the engine's AdaptiveQuality, fed with render times
        self.on_frame: Callable[[Player, float], None] | None = None

        self.sink: Any = SilentSink()
        self.safe: SafeRenderer | None = None
        self._followed: Any = None  # the schedule the renderer reads slow motifs from
        self._to_warm: list[str] = []  # motifs still to make, by when they are first needed
        self._origin = time.perf_counter()  # the process start (set in start())
        self.frame: pygame.Surface | None = None
        self.captions: Captions | None = None
        self.overlay: Overlay | None = None
        self._frame_valid = False
        self._caption_last: int | None = None
        self._started_at = 0.0
        self._phase_at = 0.0
        self._quit_at: float | None = None
        self._gap_until = 0.0
        self._audio_retry_at = 0.0
        self._applied_volumes: tuple[float, float] | None = None
        self._renderer_key: tuple | None = None
        self._shot_taken = False
        self._stop_signal: int | None = None
        self._old_handlers: dict[int, Any] = {}
        self._failing = 0
        self._logged_errors: set[str] = set()

    # ---------------------------------------------------------------- lifecycle ----------
    def run(self) -> int:
        """Play until the playlist ends, a key quits, a timer or a signal stops it."""
        self._install_signals()
        try:
            self.start()
            while not self.done:
                self.step()
        except KeyboardInterrupt:
            self.exit_code, self.exit_reason = 130, "interrupted"
        finally:
            self.close()
        return self.exit_code

    def start(self) -> None:
        """Open the window and begin preparing the first dream (tests call this, then
        `step` frame by frame, then `close`)."""
        self._origin = monotonic_origin()
        pin_mmap_threshold()
        self._open()

    def step(self) -> None:
        """One frame: wait for its slot, handle input, advance, draw. An unexpected error in
        a frame is logged once and the next frame tries again; only an error that repeats
        for `GIVE_UP_FRAMES` frames in a row ends the show (as one line, exit 1)."""
        now = self.pacer.wait()
        begin = time.perf_counter()
        try:
            self._tick(now)
            self._failing = 0
        except DreamError:
            raise
        except Exception as exc:
            self._failing += 1
            key = f"{type(exc).__name__}: {exc}"
            if key not in self._logged_errors:
                self._logged_errors.add(key)
                log.warning("a frame failed (%s); carrying on", key)
            if self._failing >= GIVE_UP_FRAMES:
                raise DreamError(f"the player keeps failing: {key}") from exc
        if self.on_frame is not None:
            self.on_frame(self, time.perf_counter() - begin)

    def close(self) -> None:
        self._close()

    def _open(self) -> None:
        surface = self.window.open()
        size = surface.get_size()
        self.frame = pygame.Surface(size).convert()
        self.frame.fill((0, 0, 0))
        self.captions = Captions(size)
        self.captions.enabled = self.captions_on
        self.overlay = Overlay(size)
        now = self.clock.now()
        self._started_at = now
        if self.opt.hints:
            self.overlay.show_hints(now)
        if self.opt.sleep_timer > 0:
            minutes = self.opt.sleep_timer / 60.0
            self.overlay.note(f"Sleep timer: {minutes:.0f} min" if minutes >= 1
                              else f"Sleep timer: {self.opt.sleep_timer:.0f} s", now)
        self.sink = self._new_sink()
        self._queue_next()
        self._set_phase("loading", now)

    def _close(self) -> None:
        self._restore_signals()
        with contextlib.suppress(Exception):
            self.sink.stop()
        closer = getattr(self.sink, "close", None)
        if callable(closer):
            with contextlib.suppress(Exception):
                closer()
        self.preloader.close()
        if self.reloader is not None:
            self.reloader.close()
        self.window.close()

    def _on_signal(self, signum: int, frame: Any) -> None:
        self._stop_signal = signum

    def _install_signals(self) -> None:
        if threading.current_thread() is not threading.main_thread():
            return
        for sig in (signal.SIGTERM, signal.SIGINT, getattr(signal, "SIGHUP", None)):
            if sig is not None:
                self._old_handlers[sig] = signal.signal(sig, self._on_signal)

    def _restore_signals(self) -> None:
        for sig, handler in self._old_handlers.items():
            signal.signal(sig, handler)
        self._old_handlers.clear()

    # ---------------------------------------------------------------- sound --------------
    def _new_sink(self) -> Any:
        try:
            sink = self.sink_factory()
        except Exception as exc:
            log.warning("no sound (%s: %s); playing silently", type(exc).__name__, exc)
            return SilentSink()
        return sink

    def _audio(self, method: str, *args: Any) -> Any:
        """Call the sink; a failing sink means the device went away: carry on silently."""
        try:
            return getattr(self.sink, method)(*args)
        except Exception as exc:
            self._lose_audio(f"{type(exc).__name__}: {exc}")
            return None

    def _lose_audio(self, why: str) -> None:
        if isinstance(self.sink, SilentSink):
            return
        log.warning("sound device lost (%s); playing silently", why)
        with contextlib.suppress(Exception):
            self.sink.stop()
        closer = getattr(self.sink, "close", None)  # let go of the dead device
        if callable(closer):
            with contextlib.suppress(Exception):
                closer()
        self.sink = SilentSink()
        self.audio_lost = True
        self._applied_volumes = None
        now = self.clock.now()
        self._audio_retry_at = now + AUDIO_RETRY
        if self.overlay:
            self.overlay.note("Sound device lost \u2014 playing silently", now)

    def _regain_audio(self, now: float) -> None:
        """A device came (back): a fresh sink, the same track, from where we are."""
        self._audio_retry_at = now + AUDIO_RETRY
        sink = self._new_sink()
        if not getattr(sink, "available", False):
            return
        if self.sink is not sink:
            with contextlib.suppress(Exception):
                self.sink.stop()
        self.sink = sink
        self.audio_lost = False
        self._applied_volumes = None
        if self.current is not None and self.phase in ("playing", "switching"):
            self._audio("load", self.current.voice, self.current.ambient,
                        self.current.sample_rate)
            if self.t < self.current.schedule.duration:
                self._audio("play", self.t)
                if self.paused:
                    self._audio("pause")
        if self.overlay and not self.audio_lost:
            self.overlay.note("Sound is back", now)

    def _volumes(self, now: float) -> tuple[float, float]:
        common = self._fade_level(now)
        voice = 0.0 if self.muted else self.volume * common
        ambient = self.opt.ambient_level * self.volume * common if self.ambient_on else 0.0
        return round(voice, 3), round(ambient, 3)

    def _apply_volumes(self, now: float) -> None:
        volumes = self._volumes(now)
        if volumes != self._applied_volumes:
            self._applied_volumes = volumes
            self._audio("set_voice_volume", volumes[0])
            self._audio("set_ambient_volume", volumes[1])

    # ---------------------------------------------------------------- fades --------------
    def _fade_level(self, now: float) -> float:
        """The shared fade of light and sound: sleep timer x quit x dream switch."""
        level = self.sleep_fade
        if self._quit_at is not None:
            level *= 1.0 - smoothstep((now - self._quit_at) / QUIT_FADE)
        if self.phase == "switching":
            level *= 1.0 - smoothstep((now - self._phase_at) / SWITCH_FADE)
        return level

    def brightness(self, now: float) -> float:
        return self.dim * self._fade_level(now)

    # ---------------------------------------------------------------- playlist -----------
    def _queue_next(self) -> None:
        path = self.playlist.next()
        self.next_path = path
        if path is None:
            return
        if self.current is not None and path == self.current_path:
            self.preloader.keep(path, self.current)  # a one-dream loop: reuse it
        else:
            self.preloader.request(path)

    def _set_phase(self, phase: str, now: float) -> None:
        self.phase = phase
        self._phase_at = now
        if phase == "dark":
            # Asleep and the show is over: let the monitor's own power saving take it.
            with contextlib.suppress(pygame.error):
                pygame.display.set_allow_screensaver(True)
        self._pace()

    def _pace(self) -> None:
        """The frame rate the moment needs: full while moving; a still picture (paused)
        needs no 60 fps; nothing to show (minimised, dark) needs only to hear keys."""
        if self.phase == "dark":
            fps = DARK_FPS
        elif self.minimised:
            fps = MINIMISED_FPS
        elif self.paused:
            fps = min(self.opt.fps, PAUSED_FPS)
        else:
            fps = self.opt.fps
        self.pacer.set_fps(fps)

    def _try_start_next(self, now: float) -> None:
        path = self.next_path
        if path is None:
            self._finish(0, "the playlist ended")
            return
        if not self.preloader.ready(path):
            if self.phase == "loading" and now - self._phase_at > 1.5 and self.overlay:
                self.overlay.note(f"Preparing {path.stem.replace('-', ' ')}\u2026", now,
                                  hold=True)
            return
        try:
            dream = self.preloader.take(path)
        except DreamError as exc:
            self._skip_broken(path, str(exc), now)
            return
        except Exception as exc:
            self._skip_broken(path, f"{path}: cannot prepare: {type(exc).__name__}: {exc}",
                              now)
            return
        self._start(dream, path, now)

    def _skip_broken(self, path: Path, message: str, now: float) -> None:
        """A dream that cannot be prepared is reported once and left out; if none is left,
        that error ends the show (one line, exit 1)."""
        if self.reloader is not None:  # preview --watch: wait for the author's fix
            self.reloader.failed_first(message, self)
            self.current_path = path
            self.next_path = None
            self._set_phase("waiting", now)
            return
        self.playlist.drop(path)
        if not self.playlist.items:
            raise _AllBroken(message)
        self.report(message)
        self._queue_next()
        self._set_phase("loading", now)

    def _start(self, dream: LoadedDream, path: Path, now: float, at: float = 0.0) -> None:
        self.current, self.current_path = dream, path
        self.dreams_started += 1
        at = at or (self.opt.start_at if self.dreams_started == 1 else 0.0)
        at = min(max(0.0, at), max(0.0, dream.schedule.duration - 0.5))
        self._make_renderer(dream.seed)
        self._warm(dream, at)  # before the voice starts: the stall falls in the dark
        self._caption_last = None
        self._frame_valid = False
        self.mclock.reset(at)
        self.t = at
        if self.paused:
            self.mclock.pause()
        self._audio("stop")
        self._audio("load", dream.voice, dream.ambient, dream.sample_rate)
        self._applied_volumes = None
        self._apply_volumes(now)
        self._audio("play", at)
        if self.paused:
            self._audio("pause")
        release_memory()  # the last dream's audio is gone: give its pages back
        if self.overlay:
            self.overlay.clear_note(now)  # "Preparing..."
            if self.paused:
                self.overlay.note("Paused", now, hold=True)
            if self.opt.titles and at < 1.0:
                self.overlay.title(dream.title, now)
            if not dream.speaks:
                self.overlay.note("No voice available \u2014 captions at a reading pace", now)
        self._set_phase("playing", now)
        self._queue_next()

    def replace_dream(self, dream: LoadedDream, now: float) -> None:
        """A new version of the playing dream (preview --watch): keep the playhead."""
        keep = self.t if self.current is not None else self.opt.start_at
        if self.current is None:
            self.dreams_started += 1
        self.current = dream
        self._make_renderer(dream.seed)
        at = min(keep, max(0.0, dream.schedule.duration - 0.5))
        self._warm(dream, at)
        self._caption_last = None
        self._frame_valid = False
        self.mclock.reset(at)
        self.t = at
        self._audio("stop")
        self._audio("load", dream.voice, dream.ambient, dream.sample_rate)
        self._applied_volumes = None
        self._apply_volumes(now)
        self._audio("play", at)
        if self.paused:
            self._audio("pause")
        if self.phase != "playing":
            self._set_phase("playing", now)

    def _end_of_dream(self, now: float) -> None:
        self._audio("stop")
        if self.opt.repeat_dream and self.current is not None and self.current_path:
            self._start(self.current, self.current_path, now, at=0.0)
            return
        self._gap_until = now + self.opt.gap
        self._set_phase("gap", now)

    def next_dream(self, now: float) -> None:
        if self.phase == "playing":
            self._set_phase("switching", now)
        elif self.phase in ("gap", "loading"):
            self._gap_until = now

    # ---------------------------------------------------------------- picture ------------
    def _make_renderer(self, seed: int) -> None:
        assert self.frame is not None
        w, h = self.frame.get_size()
        key = (w, h, seed, self.opt.quality)
        if key == self._renderer_key and self.safe is not None:
            return
        self._renderer_key = key
        try:
            renderer = self.renderer_factory(w, h, seed, self.opt.quality)
        except Exception as exc:
            log.warning("the picture engine failed to start (%s: %s); plain colours",
                        type(exc).__name__, exc)
            renderer = PlainRenderer(w, h, seed)
        disabled = self.safe.disabled if self.safe is not None else set()
        self.safe = SafeRenderer(renderer, fallback=lambda: PlainRenderer(w, h, seed))
        self._followed = None
        self.safe.disabled |= disabled  # a motif that failed stays off for the night
        self._setup_adaptive(renderer)

    def _warm(self, dream: LoadedDream, at: float = 0.0) -> None:
        """Make the motifs of the first WARM_AHEAD seconds from `at` now (a texture takes
        10-200 ms, and the stall falls in the dark lead-in); the rest are made one per frame
        after the first frames (`_warm_one`), long before their scenes, so the first frame
        does not wait for the whole dream's textures."""
        schedule = dream.schedule
        first: dict[str, float] = {}
        for scene in getattr(schedule, "scenes", ()):
            begin = scene.start - getattr(scene, "transition_duration", 0.0)
            for name in (scene.sky, scene.ground, *scene.layers):
                first[name] = min(first.get(name, begin), begin)
        for cue in getattr(schedule, "cues", ()):
            first[cue.motif] = min(first.get(cue.motif, cue.time), cue.time)
        now = {name for name, begin in first.items() if begin <= at + WARM_AHEAD}
        self._to_warm = [name for begin, name in sorted((b, n) for n, b in first.items()
                                                         if n not in now)]
        if self.safe is not None and now:
            self.safe.warm(now)

    def _warm_one(self) -> None:
        """Make one more motif of the playing dream (called once a frame has been shown)."""
        if self._to_warm and self.safe is not None:
            self.safe.warm({self._to_warm.pop(0)})

    def _setup_adaptive(self, renderer: Any) -> None:
        """Hold the frame budget with the engine's adaptive quality ladder, if it has one."""
        if not self.opt.adaptive or not callable(getattr(renderer, "set_quality", None)):
            return
        if self.adaptive is None:
            try:
                from visualizer.engine.quality import AdaptiveQuality, frame_budget_ms

                budget = frame_budget_ms(self.pacer.fps)  # room for captions and flip
                self.adaptive = AdaptiveQuality(budget, start=self.opt.quality,
                                                ceiling=self.opt.quality)
            except (ImportError, ValueError) as exc:
                log.info("no adaptive quality: %s", exc)
                return
        if renderer.quality != self.adaptive.quality:
            renderer.set_quality(self.adaptive.quality)

    def _render(self, state: Any) -> None:
        assert self.safe is not None and self.frame is not None
        begin = time.perf_counter()
        if self.safe.render_to_surface(self.frame, state, self.t):
            self._frame_valid = True
            self.rendered += 1
            if self.rendered == 1:
                log.info("first frame %.2f s after the process started",
                         time.perf_counter() - self._origin)
            if self.adaptive is not None and not self.safe.gave_up:
                change = self.adaptive.add((time.perf_counter() - begin) * 1000.0)
                if change is not None:
                    log.info("picture quality -> %s", change.name)
                    self.safe.renderer.set_quality(change)

    def _resize(self, now: float) -> None:
        surface = self.window.refresh()
        size = surface.get_size()
        assert self.frame is not None and self.captions and self.overlay
        if size == self.frame.get_size():
            return
        self.frame = pygame.Surface(size).convert()
        self.frame.fill((0, 0, 0))
        self._frame_valid = False
        self.captions.resize(size)
        self.overlay.resize(size)
        if self.current is not None:
            self._make_renderer(self.current.seed)

    # ---------------------------------------------------------------- input --------------
    def _handle_events(self, now: float) -> None:
        for event in self.events():
            kind = event.type
            if kind == pygame.QUIT:
                self._finish(0, "window closed")
            elif kind == pygame.KEYDOWN:
                action = action_for(event)
                if action is not None:
                    self.act(action, now)
            elif kind == pygame.MOUSEMOTION:
                self.window.mouse_moved(now)
            elif kind in (_EV["WINDOWMINIMIZED"], _EV["WINDOWHIDDEN"]):
                self.minimised = True
                self._pace()
            elif kind in (_EV["WINDOWRESTORED"], _EV["WINDOWSHOWN"], _EV["WINDOWMAXIMIZED"],
                          _EV["WINDOWEXPOSED"]):
                if self.minimised:
                    self.minimised = False
                    self._pace()
                if kind != _EV["WINDOWEXPOSED"]:
                    self._resize(now)
            elif kind in (_EV["VIDEORESIZE"], _EV["WINDOWSIZECHANGED"], _EV["WINDOWRESIZED"],
                          _EV["WINDOWDISPLAYCHANGED"]):
                self._resize(now)
            elif kind == _EV["AUDIODEVICEREMOVED"]:
                if not getattr(event, "iscapture", False):
                    self._lose_audio("the output device was removed")
            elif (kind == _EV["AUDIODEVICEADDED"] and not getattr(event, "iscapture", False)
                  and (self.audio_lost or not getattr(self.sink, "available", False))):
                self._regain_audio(now)

    def act(self, action: Action, now: float) -> None:
        """What a key does (public so tests and remote controls can call it directly)."""
        ov = self.overlay
        if action is Action.QUIT:
            if self._quit_at is None:
                self._quit_at = now
            else:
                self._finish(0, "quit")
        elif action is Action.PAUSE:
            self.set_paused(not self.paused, now)
        elif action is Action.NEXT_SENTENCE:
            self.skip_sentence(+1, now)
        elif action is Action.PREV_SENTENCE:
            self.skip_sentence(-1, now)
        elif action is Action.NEXT_DREAM:
            self.next_dream(now)
            if ov:
                ov.note("Next dream", now)
        elif action is Action.CAPTIONS:
            self.captions_on = not self.captions_on
            if self.captions:
                self.captions.enabled = self.captions_on
            if ov:
                ov.note("Captions on" if self.captions_on else "Captions off", now)
        elif action is Action.MUTE:
            self.muted = not self.muted
            if ov:
                ov.note("Voice muted" if self.muted else "Voice on", now)
        elif action is Action.AMBIENT:
            self.ambient_on = not self.ambient_on
            if ov:
                ov.note("Ambient sound on" if self.ambient_on else "Ambient sound off", now)
        elif action in (Action.VOLUME_UP, Action.VOLUME_DOWN):
            step = VOLUME_STEP if action is Action.VOLUME_UP else -VOLUME_STEP
            self.volume = round(min(1.0, max(0.0, self.volume + step)), 2)
            if ov:
                ov.note(f"Volume {round(self.volume * 100)}%", now)
        elif action is Action.DIMMER:
            dimmer = [d for d in DIM_LEVELS if d < self.dim - 1e-6]
            self.dim = dimmer[0] if dimmer else DIM_LEVELS[0]  # darker, then back to full
            if ov:
                ov.note(f"Brightness {round(self.dim * 100)}%", now)
        elif action is Action.FULLSCREEN:
            self.window.toggle_fullscreen()
            self.window.mouse_moved(now)
            self._resize(now)
        elif action is Action.HINTS and ov:
            if ov.hints_visible(now):
                ov.hide_hints()
            else:
                ov.show_hints(now)

    def set_paused(self, paused: bool, now: float) -> None:
        if paused == self.paused:
            return
        self.paused = paused
        self._pace()
        if paused:
            self.mclock.pause()
            self._audio("pause")
            if self.overlay:
                self.overlay.note("Paused", now, hold=True)
        else:
            self.mclock.resume()
            self._audio("resume")
            if self.overlay:
                self.overlay.clear_note(now)

    def seek(self, t: float, now: float) -> None:
        if self.current is None:
            return
        t = min(max(0.0, t), max(0.0, self.current.schedule.duration - 0.05))
        self.mclock.reset(t)
        self.t = t
        self._frame_valid = False
        self._caption_last = None
        self._audio("play", t)
        if self.paused:
            self._audio("pause")

    def skip_sentence(self, direction: int, now: float) -> None:
        if self.current is None or self.phase != "playing":
            return
        sentences = self.current.schedule.sentences
        if not sentences:
            return
        here = -1
        for i, s in enumerate(sentences):
            if s.start <= self.t + 1e-6:
                here = i
        if direction > 0:
            if here + 1 < len(sentences):
                self.seek(sentences[here + 1].start, now)
            elif self.overlay:
                self.overlay.note("Last sentence", now)
        else:
            if here >= 0 and self.t - sentences[here].start > 2.0:
                target = here
            else:
                target = max(0, here - 1)
            self.seek(sentences[target].start if here >= 0 else 0.0, now)

    def _finish(self, code: int, reason: str) -> None:
        if not self.done:
            self.done = True
            self.exit_code = code
            self.exit_reason = reason

    # ---------------------------------------------------------------- the frame ----------
    def _tick(self, now: float) -> None:
        self._handle_events(now)
        if self._stop_signal is not None:
            name = signal.Signals(self._stop_signal).name
            self._finish(130 if self._stop_signal == signal.SIGINT else 0, name)
            return
        self._update(now)
        if self.done:
            return
        if not self.minimised:
            self._draw(now)
        self.frames += 1

    def _update(self, now: float) -> None:
        elapsed = now - self._started_at
        if self.opt.duration is not None and elapsed >= self.opt.duration:
            self._finish(0, "duration reached")
            return
        if self._quit_at is not None and now - self._quit_at >= QUIT_FADE:
            self._finish(0, "quit")
            return
        if self.opt.sleep_timer > 0:
            left = self.opt.sleep_timer - elapsed
            self.sleep_fade = smoothstep(left / min(SLEEP_FADE, self.opt.sleep_timer))
            if left <= 0 and self.phase != "dark":
                self._audio("stop")
                if not self.opt.stay:
                    self._finish(0, "sleep timer")
                    return
                self._set_phase("dark", now)
        if self.phase == "dark":
            return
        if self.reloader is not None:
            self.reloader.poll(self, now)
        if self.audio_lost and now >= self._audio_retry_at:
            self._regain_audio(now)
        if self.phase == "loading":
            self._try_start_next(now)
        elif self.phase == "gap":
            if now >= self._gap_until:
                self._try_start_next(now)
        elif self.phase == "switching":
            self.t = self.mclock.time(self.sink)
            if now - self._phase_at >= SWITCH_FADE:
                self._audio("stop")
                self._gap_until = now + 0.5
                self._set_phase("gap", now)
        elif self.phase == "playing" and self.current is not None:
            self.t = self.mclock.time(self.sink)
            if self.t >= self.current.schedule.duration and not self.paused:
                self._end_of_dream(now)
        self._apply_volumes(now)

    def _draw(self, now: float) -> None:
        screen = self.window.surface
        if screen is None or self.frame is None:
            return
        level = self.brightness(now)
        showing = self.phase in ("playing", "switching") and self.current is not None
        if showing and level > 0.002:
            assert self.current is not None and self.safe is not None
            schedule = self.current.schedule
            state = schedule.sample(self.t)
            if self._followed is not schedule:  # a new dream, or a script reloaded
                self.safe.follow(schedule.sample)
                self._followed = schedule
            if not (self.paused and self._frame_valid):
                self._render(state)
                if self.rendered > 1:
                    self._warm_one()
            screen.blit(self.frame, (0, 0))
            if self.captions is not None:
                self._caption_last = self.captions.draw(screen, schedule.sentences, state,
                                                        self.t, self._caption_last)
        else:
            screen.fill((0, 0, 0))
        if self.overlay is not None and self.phase != "dark":
            self.overlay.draw(screen, now)
        if level < 0.999:
            k = max(0, min(255, int(level * 255 + 0.5)))
            screen.fill((k, k, k), special_flags=pygame.BLEND_RGB_MULT)
        self._screenshot(screen, now)
        self.window.tick_cursor(now)
        self.window.flip()

    def _screenshot(self, screen: pygame.Surface, now: float) -> None:
        """Save the screen once the first dream reaches `screenshot_at` seconds, then end
        the show (documentation, kiosk checks)."""
        if (self.opt.screenshot and not self._shot_taken and self.phase == "playing"
                and self.t >= self.opt.screenshot_at):
            self._shot_taken = True
            try:
                pygame.image.save(screen, self.opt.screenshot)
            except (pygame.error, OSError) as exc:
                raise DreamError(f"cannot save screenshot: {exc}",
                                 path=self.opt.screenshot) from None
            self._finish(0, "screenshot saved")


class _AllBroken(DreamError):
    """Every dream in the playlist failed to prepare."""

    def __init__(self, message: str) -> None:
        super().__init__(message)

    def __str__(self) -> str:
        return self.message
