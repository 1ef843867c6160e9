"""The player driven headless: fake clock, recording sink, posted key events."""

from __future__ import annotations

import logging
import os
import signal
import time
from pathlib import Path

import numpy as np
import pygame
import pytest

from visualizer.clock import FakeClock
from visualizer.display.fakes import ReadingSchedule, RecordingSink
from visualizer.display.guard import PlainRenderer
from visualizer.display.loading import LoadedDream
from visualizer.display.player import (
    DIM_LEVELS,
    QUIT_FADE,
    SWITCH_FADE,
    Player,
    PlayerOptions,
    SilentSink,
)
from visualizer.display.playlist import Playlist
from visualizer.display.window import Window
from visualizer.engine.canvas import Canvas
from visualizer.engine.registry import Motif
from visualizer.errors import DreamError

SR = 1000  # a tiny sample rate keeps the fake tracks small
FPS = 20
TEXT = [
    "The first dream begins by the water. Lanterns drift over the pond. The night is warm.",
    "A second dream opens in the snow. Everything is quiet and white.",
]


def _dream(path: Path) -> LoadedDream:
    schedule = ReadingSchedule.from_text(path.read_text())
    voice = np.zeros(int(schedule.duration * SR), dtype=np.int16)
    return LoadedDream(str(path), path.stem, schedule, voice, None, SR, 7, True)


class Harness:
    def __init__(self, tmp_path: Path, options: PlayerOptions | None = None, dreams: int = 1,
                 renderer_factory=None, loop: bool = True, start: bool = True,
                 reloader=None, load=None) -> None:
        self.clock = FakeClock(1000.0)
        self.sinks: list[RecordingSink] = []
        self.paths = []
        for i in range(dreams):
            p = tmp_path / f"dream{i}.txt"
            p.write_text(TEXT[i % len(TEXT)])
            self.paths.append(p)
        self.loads: list[Path] = []

        def counted(path: Path) -> LoadedDream:
            self.loads.append(path)
            return (load or _dream)(path)

        def sink_factory() -> RecordingSink:
            sink = RecordingSink(self.clock)
            self.sinks.append(sink)
            return sink

        self.player = Player(
            Playlist(self.paths, loop=loop), counted,
            window=Window(fullscreen=False, size=(160, 90)),
            renderer_factory=renderer_factory or (lambda w, h, seed, q: PlainRenderer(w, h)),
            sink_factory=sink_factory, clock=self.clock,
            options=options or PlayerOptions(fps=FPS, gap=1.0),
            report=lambda msg: None, reloader=reloader,
        )
        if start:
            self.player.start()

    @property
    def sink(self) -> RecordingSink:
        return self.sinks[-1]

    def steps(self, n: int) -> None:
        for _ in range(n):
            if self.player.done:
                return
            self.player.step()

    def until(self, cond, limit: float = 20.0) -> None:
        """Step until `cond()`; while a dream is being prepared (on its thread, in real
        time) real time is let pass too."""
        deadline = time.monotonic() + limit
        while not cond():
            assert time.monotonic() < deadline, f"timed out in phase {self.player.phase}"
            self.player.step()
            if self.player.phase in ("loading", "gap", "waiting"):
                time.sleep(0.002)

    def playing(self) -> None:
        self.until(lambda: self.player.phase == "playing")

    def seconds(self, s: float) -> None:
        self.steps(round(s * FPS))

    def key(self, key: int, unicode: str = "") -> None:
        pygame.event.post(pygame.event.Event(pygame.KEYDOWN, key=key, mod=0, unicode=unicode,
                                             scancode=0))
        self.player.step()

    def close(self) -> None:
        self.player.close()


@pytest.fixture
def h(tmp_path):
    harness = Harness(tmp_path)
    harness.playing()
    yield harness
    harness.close()


def test_starts_the_dream_through_the_sink_and_follows_its_clock(h):
    assert h.sink.names()[:3] == ["stop", "load", "play"]
    assert h.sink.calls[2] == ("play", 0.0)
    t0 = h.player.t
    h.seconds(2.0)
    assert h.player.t == pytest.approx(t0 + 2.0, abs=0.11)
    assert h.player.t == pytest.approx(h.sink.position(), abs=1e-6)
    assert h.player.rendered > 30
    assert pygame.display.get_surface().get_size() == (160, 90)
    assert not pygame.display.get_allow_screensaver()  # never blanked mid-dream


def test_visual_time_follows_the_sink_not_the_wall(h):
    h.seconds(1.0)
    h.sink._pos += 0.5  # the device's clock runs ahead of the wall clock
    h.player.step()
    assert h.player.t == pytest.approx(h.sink.position(), abs=1e-6)
    h.sink._pos -= 0.3  # a stumble backwards holds the picture instead of rewinding it
    held = h.player.t
    h.player.step()
    assert h.player.t == held


def test_space_pauses_voice_sound_and_motion_together(h):
    h.seconds(1.0)
    h.key(pygame.K_SPACE)
    assert h.player.paused and h.sink.paused and h.sink.names()[-1] == "pause"
    frozen, rendered = h.player.t, h.player.rendered
    h.seconds(2.0)
    assert h.player.t == frozen
    assert h.player.rendered == rendered  # no repainting a still picture
    assert h.player.overlay.note_text == "Paused"
    assert h.player.pacer.fps == 15.0  # a still picture is drawn less often
    h.key(pygame.K_SPACE)
    assert not h.player.paused and h.sink.names()[-1] == "resume"
    h.seconds(1.0)
    assert h.player.t == pytest.approx(frozen + 1.0, abs=0.15)


def test_right_and_left_seek_the_sink_to_sentence_starts(h):
    sentences = h.player.current.schedule.sentences
    h.seconds(sentences[0].start + 0.5)
    h.key(pygame.K_RIGHT)
    assert h.sink.calls[-1] == ("play", round(sentences[1].start, 3))
    assert h.player.t == pytest.approx(sentences[1].start, abs=0.06)
    h.key(pygame.K_RIGHT)
    assert h.sink.calls[-1] == ("play", round(sentences[2].start, 3))
    h.seconds(0.5)
    h.key(pygame.K_LEFT)  # early in a sentence: back to the previous one
    assert h.sink.calls[-1] == ("play", round(sentences[1].start, 3))
    h.seconds(2.5)
    h.key(pygame.K_LEFT)  # well into it: back to its own start
    assert h.sink.calls[-1] == ("play", round(sentences[1].start, 3))


def test_seek_while_paused_stays_paused(h):
    h.seconds(1.0)
    h.key(pygame.K_SPACE)
    h.key(pygame.K_RIGHT)
    assert h.sink.names()[-2:] == ["play", "pause"] and h.sink.paused
    t = h.player.t
    h.seconds(1.0)
    assert h.player.t == t


def test_captions_mute_ambient_volume_and_dimmer_keys(h):
    h.seconds(3.0)
    assert h.player.captions.enabled
    h.key(pygame.K_c)
    assert not h.player.captions.enabled and not h.player.captions_on
    h.key(pygame.K_c)
    assert h.player.captions.enabled
    volume = h.sink.voice_volume
    assert volume == pytest.approx(0.8)
    h.key(pygame.K_m)
    assert h.sink.voice_volume == 0.0 and h.sink.ambient_volume > 0
    h.key(pygame.K_m)
    assert h.sink.voice_volume == pytest.approx(volume)
    h.key(pygame.K_a)
    assert h.sink.ambient_volume == 0.0 and h.sink.voice_volume > 0
    h.key(pygame.K_a)
    h.key(pygame.K_MINUS)
    assert h.sink.voice_volume == pytest.approx(0.7)
    h.key(pygame.K_EQUALS, "+")
    h.key(pygame.K_EQUALS, "+")
    assert h.sink.voice_volume == pytest.approx(0.9)
    assert h.player.overlay.note_text == "Volume 90%"
    bright = pygame.surfarray.array3d(pygame.display.get_surface()).mean()
    h.key(pygame.K_d)
    assert h.player.dim == DIM_LEVELS[1]
    dimmed = pygame.surfarray.array3d(pygame.display.get_surface()).mean()
    assert dimmed < bright * 0.85
    for _ in range(len(DIM_LEVELS) - 1):
        h.key(pygame.K_d)
    assert h.player.dim == DIM_LEVELS[0]  # cycles back to full


def test_captions_show_the_spoken_word_and_rerender_only_on_change(h):
    sentence = h.player.current.schedule.sentences[0]
    h.seconds(sentence.words[1].start + 0.05)
    caps = h.player.captions
    assert caps._key[0] == 0 and caps._key[2] == 1
    renders = caps.renders
    h.steps(2)  # same word: no new caption picture
    assert caps.renders == renders
    h.seconds(sentence.words[3].start - sentence.words[1].start)
    assert caps.renders > renders


def test_escape_fades_out_then_quits(h):
    h.seconds(1.0)
    h.key(pygame.K_ESCAPE)
    assert not h.player.done
    h.seconds(QUIT_FADE / 2)
    assert 0 < h.sink.voice_volume < 0.8
    h.seconds(QUIT_FADE)
    assert h.player.done and h.player.exit_code == 0 and h.player.exit_reason == "quit"


def test_next_dream_fades_and_moves_on(tmp_path):
    h = Harness(tmp_path, dreams=2)
    try:
        h.playing()
        first = h.player.current.path
        h.seconds(1.0)
        h.key(pygame.K_n)
        assert h.player.phase == "switching"
        h.seconds(SWITCH_FADE / 2)
        assert h.sink.voice_volume < 0.6
        h.until(lambda: h.player.dreams_started == 2)
        assert h.player.current.path != first
        assert h.player.overlay._title_text == "dream1"  # its name fades in as it begins
        assert h.sink.names().count("load") == 2
        assert h.sink.calls[-1] == ("play", 0.0)
    finally:
        h.close()


def test_playlist_plays_through_with_a_gap_and_once_ends(tmp_path):
    h = Harness(tmp_path, dreams=2, loop=False, options=PlayerOptions(fps=FPS, gap=1.0))
    try:
        h.playing()
        h.seconds(h.player.current.schedule.duration + 0.2)
        assert h.player.phase == "gap"
        assert h.sink.names()[-1] == "stop"
        h.until(lambda: h.player.dreams_started == 2)
        h.until(lambda: h.player.done, limit=30)
        assert h.player.exit_reason == "the playlist ended"
    finally:
        h.close()


def test_one_dream_loops_without_preparing_it_again(tmp_path):
    h = Harness(tmp_path, dreams=1)
    try:
        h.playing()
        h.seconds(h.player.current.schedule.duration + 0.2)
        h.until(lambda: h.player.dreams_started == 2)
        assert len(h.loads) == 1
    finally:
        h.close()


def test_sleep_timer_fades_light_and_sound_then_exits(tmp_path):
    h = Harness(tmp_path, options=PlayerOptions(fps=FPS, sleep_timer=70.0, gap=0.5))
    try:
        assert h.player.overlay.note_text == "Sleep timer: 1 min"
        h.playing()
        h.until(lambda: h.clock.now() - h.player._started_at >= 5.0, limit=30)
        assert h.player.sleep_fade == 1.0
        h.until(lambda: h.clock.now() - h.player._started_at >= 40.0, limit=30)
        assert 0.1 < h.player.sleep_fade < 0.9
        assert h.player.brightness(h.clock.now()) < 0.9
        if h.player.phase == "playing":
            assert h.sink.voice_volume < 0.8 * 0.9
        h.until(lambda: h.player.done, limit=30)
        assert h.player.exit_reason == "sleep timer"
        assert h.clock.now() - h.player._started_at == pytest.approx(70.0, abs=0.2)
    finally:
        h.close()


def test_sleep_timer_with_stay_stays_dark(tmp_path):
    h = Harness(tmp_path, options=PlayerOptions(fps=FPS, sleep_timer=5.0, stay=True))
    try:
        h.playing()
        h.until(lambda: h.player.phase == "dark", limit=30)
        assert not h.player.done and h.sink.names()[-1] == "stop"
        assert pygame.display.get_allow_screensaver()  # the monitor may sleep now
        h.steps(3)
        assert pygame.surfarray.array3d(pygame.display.get_surface()).max() == 0
        h.key(pygame.K_q)
        h.key(pygame.K_q)  # a second press quits at once
        assert h.player.done
    finally:
        h.close()


class Broken(Motif):
    name = "orb"

    def draw(self, canvas, intensity, t, ctx):
        raise FloatingPointError("orb exploded")


class MotifRenderer:
    """Paints through a real Motif object that fails, as the engine would."""

    def __init__(self, w, h):
        self.plain = PlainRenderer(w, h)
        self.orb = Broken(Canvas(8, 8), np.random.default_rng(0))

    def render_to_surface(self, surface, state, t):
        if "orb" in state.motifs:
            self.orb.draw(self.orb.canvas, 1.0, t, None)
        self.plain.render_to_surface(surface, state, t)


def test_a_failing_motif_is_logged_once_and_switched_off(tmp_path, caplog):
    caplog.set_level(logging.WARNING, logger="dreamviz")
    h = Harness(tmp_path, renderer_factory=lambda w, hh, seed, q: MotifRenderer(w, hh))
    try:
        h.playing()
        real = h.player.current.schedule.sample

        def with_orb(t):
            s = real(t)
            return type(s)(**{**s.__dict__, "motifs": {**s.motifs, "orb": 1.0}})

        object.__setattr__(h.player.current.schedule, "sample", with_orb)
        h.seconds(1.0)
        assert h.player.safe.disabled == {"orb"}
        assert h.player.safe.failed_frames == 1
        messages = [r.message for r in caplog.records if "orb" in r.message]
        assert len(messages) == 1 and "switched off" in messages[0]
        before = h.player.rendered
        h.seconds(1.0)
        assert h.player.rendered > before  # the show goes on
    finally:
        h.close()


def test_a_frame_failure_with_no_motif_to_blame_falls_back_to_plain_colours(tmp_path):
    class Explodes:
        def render_to_surface(self, surface, state, t):
            raise ValueError("bad frame")

    h = Harness(tmp_path, renderer_factory=lambda w, hh, seed, q: Explodes())
    try:
        h.playing()
        h.seconds(2.0)
        assert h.player.safe.gave_up
        assert isinstance(h.player.safe.renderer, PlainRenderer)
        assert h.player.rendered > 0 and not h.player.done
    finally:
        h.close()


def test_audio_device_removed_then_added(h):
    h.seconds(2.0)
    first = h.sink
    pygame.event.post(pygame.event.Event(pygame.AUDIODEVICEREMOVED, which=0, iscapture=0))
    h.player.step()
    assert isinstance(h.player.sink, SilentSink) and h.player.audio_lost
    assert first.names()[-1] == "stop"
    t = h.player.t
    h.seconds(1.0)
    assert h.player.t == pytest.approx(t + 1.0, abs=0.1)  # the wall clock carries on
    pygame.event.post(pygame.event.Event(pygame.AUDIODEVICEADDED, which=0, iscapture=0))
    h.player.step()
    assert h.player.sink is h.sinks[-1] and h.sink is not first
    assert h.sink.names()[:2] == ["load", "play"]
    assert h.sink.calls[1][1] == pytest.approx(h.player.t, abs=0.1)


def test_a_failing_sink_call_means_silence_not_a_crash(h):
    h.seconds(1.0)
    h.sink.fail_next = RuntimeError("device gone")
    h.key(pygame.K_RIGHT)
    assert isinstance(h.player.sink, SilentSink)
    h.seconds(1.0)
    assert not h.player.done


def test_resize_recreates_the_frame_and_renderer(h):
    pygame.display.set_mode((200, 120), pygame.RESIZABLE)
    pygame.event.post(pygame.event.Event(pygame.VIDEORESIZE, size=(200, 120), w=200, h=120))
    h.player.step()
    assert h.player.frame.get_size() == (200, 120)
    assert h.player.captions.size == (200, 120)
    h.seconds(0.5)
    assert not h.player.done


def test_minimised_keeps_time_but_does_no_drawing(h):
    h.seconds(1.0)
    pygame.event.post(pygame.event.Event(pygame.WINDOWMINIMIZED))
    h.player.step()
    rendered, t = h.player.rendered, h.player.t
    h.steps(8)
    assert h.player.rendered == rendered and h.player.t > t
    pygame.event.post(pygame.event.Event(pygame.WINDOWRESTORED))
    h.steps(2)
    assert h.player.rendered > rendered


def test_hints_show_at_start_and_again_on_h(h):
    ov = h.player.overlay
    assert ov.hints_visible(h.clock.now())
    h.seconds(10.0)
    assert not ov.hints_visible(h.clock.now())
    h.key(pygame.K_h)
    assert ov.hints_visible(h.clock.now())


def test_duration_stops_the_show(tmp_path):
    h = Harness(tmp_path, options=PlayerOptions(fps=FPS, duration=3.0))
    try:
        h.until(lambda: h.player.done, limit=30)
        assert h.player.exit_reason == "duration reached"
        assert h.clock.now() - h.player._started_at == pytest.approx(3.0, abs=0.1)
    finally:
        h.close()


def test_sigterm_exits_cleanly_and_gives_the_screen_back(tmp_path):
    h = Harness(tmp_path, start=False)

    def on_frame(player, work):
        if player.frames == 5:
            os.kill(os.getpid(), signal.SIGTERM)

    h.player.on_frame = on_frame
    code = h.player.run()
    assert code == 0 and h.player.exit_reason == "SIGTERM"
    assert not pygame.display.get_init()
    assert signal.getsignal(signal.SIGTERM) is signal.SIG_DFL
    assert "stop" in h.sink.names()


def test_a_dream_that_cannot_be_prepared_is_skipped(tmp_path):
    h = Harness(tmp_path, dreams=2)
    real = h.player.preloader.load
    reports = []
    h.player.report = reports.append

    def load(path):
        if path.name == "dream0.txt":
            raise DreamError("the dream is empty", str(path), 1, 1)
        return real(path)

    h.player.preloader.load = load
    h.player.preloader._pending.clear()
    h.player.preloader.request(h.player.next_path)
    try:
        h.playing()
        assert h.player.current.path.endswith("dream1.txt")
        assert reports and "dream0.txt:1:1: the dream is empty" in reports[0]
    finally:
        h.close()


def test_an_error_anywhere_in_a_frame_is_survived(h, caplog):
    caplog.set_level(logging.WARNING, logger="dreamviz")
    real = h.player.current.schedule.sample
    calls = {"n": 0}

    def flaky(t):
        calls["n"] += 1
        if calls["n"] % 3 == 0:
            raise KeyError("glitch")
        return real(t)

    object.__setattr__(h.player.current.schedule, "sample", flaky)
    h.seconds(2.0)
    assert not h.player.done and h.player.t > 1.5
    assert sum("glitch" in r.message for r in caplog.records) == 1


def test_f_toggles_fullscreen_and_the_picture_follows_the_new_size(h):
    h.seconds(0.5)
    h.key(pygame.K_f)
    assert h.player.window.fullscreen
    size = pygame.display.get_surface().get_size()
    assert size == h.player.window.desktop_size()
    assert h.player.frame.get_size() == size and h.player.captions.size == size
    h.key(pygame.K_f)
    assert not h.player.window.fullscreen
    assert h.player.frame.get_size() == (160, 90)
    h.seconds(0.5)
    assert not h.player.done


def test_when_no_dream_can_be_prepared_the_error_ends_the_show(tmp_path):
    def broken(path):
        raise DreamError("binary file, not text", str(path))

    h = Harness(tmp_path, dreams=2, load=broken, start=False)
    reports = []
    h.player.report = reports.append
    with pytest.raises(DreamError, match="binary file, not text"):
        h.player.run()
    assert len(reports) == 1  # the first is reported, the last one is the exit message
    assert not pygame.display.get_init()


def test_slow_frames_step_the_engine_quality_down(tmp_path):
    from visualizer.engine.quality import level

    class Slow:
        def __init__(self, w, hh):
            self.plain = PlainRenderer(w, hh)
            self.quality = level("medium")
            self.changes = []

        def set_quality(self, q):
            self.quality = q
            self.changes.append(q.name)

        def render_to_surface(self, surface, state, t):
            time.sleep(0.006)  # over the 200 fps budget (3 ms)
            self.plain.render_to_surface(surface, state, t)

    made = []

    def factory(w, hh, seed, q):
        made.append(Slow(w, hh))
        return made[-1]

    h = Harness(tmp_path, renderer_factory=factory, options=PlayerOptions(fps=200))
    try:
        h.playing()
        h.steps(40)
        assert made[-1].changes and made[-1].changes[0] != "medium"
        assert h.player.adaptive.quality.scale < level("medium").scale
    finally:
        h.close()


class Warmable:
    """A renderer that records which motifs it was asked to make, and after how many
    frames; making `failing` raises, as a motif too big for memory would."""

    def __init__(self, w, hh, failing=None):
        self.plain = PlainRenderer(w, hh)
        self.warmed = []
        self.frames = 0
        self.failing = failing

    def warm(self, names):
        for name in sorted(names):
            if name == self.failing:
                raise MemoryError(f"no room for the {name} texture")
            self.warmed.append((self.frames, name))

    def render_to_surface(self, surface, state, t):
        self.frames += 1
        self.plain.render_to_surface(surface, state, t)


def test_the_schedules_motifs_are_warmed_before_the_voice_starts(tmp_path, caplog):
    caplog.set_level(logging.WARNING, logger="dreamviz")
    from visualizer.timeline.model import TimedCue, TimedScene

    def load(path):
        dream = _dream(path)
        scene = TimedScene(0, "one", 0, 10, "dusk", "night-sky", "meadow", "calm",
                           ("mist",), "dissolve", 4.0)
        cue = TimedCue(3.0, "candle", "candle", 0, 0, 1.0, 2.0, 9.0, 2.0)
        object.__setattr__(dream.schedule, "scenes", (scene,))
        object.__setattr__(dream.schedule, "cues", (cue,))
        return dream

    made = []
    h = Harness(tmp_path, load=load,
                renderer_factory=lambda w, hh, s, q: made.append(
                    Warmable(w, hh, failing="candle")) or made[-1])
    try:
        h.playing()
        assert sorted(n for _, n in made[-1].warmed) == ["meadow", "mist", "night-sky"]
        assert h.player.safe.disabled == {"candle"}
        assert any("candle" in r.message for r in caplog.records)
        h.seconds(1.0)
        assert not h.player.done
    finally:
        h.close()


def test_motifs_needed_later_are_made_after_the_first_frame(tmp_path):
    """The first frame waits only for the motifs of its first seconds; a cue a minute later
    is made one frame after the picture is up, long before it is needed."""
    from visualizer.timeline.model import TimedCue, TimedScene

    def load(path):
        dream = _dream(path)
        scene = TimedScene(0, "one", 0, 100, "dusk", "night-sky", "meadow", "calm",
                           (), "dissolve", 4.0)
        cues = (TimedCue(60.0, "orb", "orb", 0, 0, 1.0, 2.0, 70.0, 2.0),
                TimedCue(30.0, "candle", "candle", 0, 0, 1.0, 2.0, 40.0, 2.0))
        object.__setattr__(dream.schedule, "scenes", (scene,))
        object.__setattr__(dream.schedule, "cues", cues)
        return dream

    made = []
    h = Harness(tmp_path, load=load,
                renderer_factory=lambda w, hh, s, q: made.append(Warmable(w, hh)) or made[-1])
    try:
        h.playing()
        h.seconds(0.5)
        warmed = made[-1].warmed
        assert {n for f, n in warmed if f == 0} == {"meadow", "night-sky"}
        later = [(f, n) for f, n in warmed if f > 0]
        assert [n for _, n in later] == ["candle", "orb"]  # in the order they are needed
        assert all(f >= 2 for f, _ in later)
    finally:
        h.close()
