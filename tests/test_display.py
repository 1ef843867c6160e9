"""Display building blocks: captions, playlist, pacing, media clock, window, keys, guard."""

from __future__ import annotations

import itertools
import os
import random
from pathlib import Path

import numpy as np
import pygame
import pytest

from visualizer.cli import main
from visualizer.clock import FakeClock
from visualizer.display.captions import Captions, layout
from visualizer.display.fakes import ReadingSchedule, RecordingSink
from visualizer.display.guard import PlainRenderer, motif_in_traceback
from visualizer.display.keys import KEYMAP, Action, action_for
from visualizer.display.mediaclock import MediaClock
from visualizer.display.pacing import FramePacer
from visualizer.display.playlist import Playlist, collect
from visualizer.display.window import Window
from visualizer.engine.canvas import Canvas
from visualizer.engine.registry import Motif
from visualizer.errors import DreamError


def test_layout_wraps_greedily_within_the_width():
    lay = layout([30, 40, 50, 20, 60], space=5, max_width=100)
    assert lay.lines == ((0, 1), (2, 3), (4,))
    assert lay.x == (0, 35, 0, 55, 0)
    assert lay.widths == (75, 75, 60)
    assert max(lay.widths) <= 100


def test_captions_scale_with_the_screen_and_fit_its_width():
    pygame.font.init()
    small, big = Captions((640, 360)), Captions((1920, 1080))
    assert big.px == pytest.approx(small.px * 3, abs=2)
    sched = ReadingSchedule.from_text("A fairly long sentence " * 12 + "ends here.")
    surface = pygame.Surface((640, 360))
    sentence = sched.sentences[0]
    t = sentence.words[-1].start
    small.draw(surface, sched.sentences, sched.sample(t), t, None)
    assert small.picture.get_width() <= 640 * 0.8
    assert small.picture.get_height() <= small.line_h * 2 + small.px  # two lines shown


def test_captions_fade_out_after_the_sentence_and_can_be_switched_off():
    pygame.font.init()
    sched = ReadingSchedule.from_text("Only one sentence here.")
    caps = Captions((320, 180))
    surface = pygame.Surface((320, 180))
    s = sched.sentences[0]
    mid = (s.start + s.end) / 2
    assert caps.draw(surface, sched.sentences, sched.sample(mid), mid, None) == 0
    assert surface.get_at((160, 170))[:3] != (0, 0, 0) or np.asarray(
        pygame.surfarray.array3d(surface)).max() > 100
    surface.fill((0, 0, 0))
    late = s.end + 5.0
    assert caps.draw(surface, sched.sentences, sched.sample(late), late, 0) == 0
    assert pygame.surfarray.array3d(surface).max() == 0  # faded away
    caps.enabled = False
    surface.fill((0, 0, 0))
    caps.draw(surface, sched.sentences, sched.sample(mid), mid, None)
    assert pygame.surfarray.array3d(surface).max() == 0


def test_shuffle_is_seeded_and_never_repeats_back_to_back():
    items = [Path(f"{c}.txt") for c in "abcde"]
    a = Playlist(items, shuffle=True, rng=random.Random(3))
    b = Playlist(items, shuffle=True, rng=random.Random(3))
    run_a = [a.next() for _ in range(50)]
    assert run_a == [b.next() for _ in range(50)]
    assert all(x != y for x, y in itertools.pairwise(run_a))
    assert set(run_a[:5]) == set(items)  # each cycle plays every dream once
    assert run_a[:5] != items or run_a[5:10] != items


def test_once_ends_and_loop_does_not():
    items = [Path("a.txt"), Path("b.txt")]
    once = Playlist(items, loop=False)
    assert [once.next(), once.next(), once.next()] == [*items, None]
    looped = Playlist(items)
    assert [looped.next() for _ in range(5)] == [*items, *items, items[0]]
    looped.drop(items[1])
    assert {looped.next() for _ in range(4)} == {items[0]}


def test_collect_folders_files_and_bundled_names(tmp_path):
    (tmp_path / "a.txt").write_text("x")
    (tmp_path / "a.dream").write_text("x")
    (tmp_path / "b.txt").write_text("x")
    (tmp_path / "notes.md").write_text("x")
    assert collect([str(tmp_path)]) == [tmp_path / "a.dream", tmp_path / "b.txt"]
    assert [p.stem for p in collect(["mirror-grove"])] == ["mirror-grove"]
    assert len(collect([])) >= 3
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(DreamError, match=r"no \.txt or \.dream"):
        collect([str(empty)])
    with pytest.raises(DreamError, match="no such file"):
        collect(["no-such-dream"])


def test_pacer_caps_the_rate_and_never_spirals():
    clock = FakeClock(0.0)
    pacer = FramePacer(clock, 50)
    times = [pacer.wait() for _ in range(10)]
    assert np.diff(times) == pytest.approx([0.02] * 9)
    clock.advance(1.0)  # a frame that took a whole second
    after = pacer.wait()
    assert pacer.late == 1 and after == pytest.approx(times[-1] + 1.0)
    nxt = [pacer.wait() for _ in range(3)]
    assert np.diff([after, *nxt]) == pytest.approx([0.02] * 3)  # no burst to catch up


def test_media_clock_follows_the_sink_then_the_wall_and_freezes_when_paused():
    clock = FakeClock(100.0)
    sink = RecordingSink(clock)
    sink.load(np.zeros(5000, np.int16), None, 1000)  # a 5 s track
    sink.play(0.0)
    mc = MediaClock(clock)
    clock.advance(2.0)
    assert mc.time(sink) == pytest.approx(2.0)
    clock.advance(4.0)  # the track ended at 5 s: the wall carries on
    assert mc.time(sink) == pytest.approx(6.0)
    mc.pause()
    clock.advance(3.0)
    assert mc.time(sink) == pytest.approx(6.0)
    mc.resume()
    clock.advance(1.0)
    assert mc.time(None) == pytest.approx(7.0)
    mc.reset(1.0)
    assert mc.time(None) == pytest.approx(1.0)


def test_no_display_is_one_line_suggesting_narrate(monkeypatch):
    for name in ("SDL_VIDEODRIVER", "DISPLAY", "WAYLAND_DISPLAY"):
        monkeypatch.delenv(name, raising=False)
    with pytest.raises(DreamError) as info:
        Window().open()
    assert "dreamviz narrate" in str(info.value) and "\n" not in str(info.value)


def test_asking_for_a_missing_monitor_is_a_usage_error():
    with pytest.raises(DreamError, match="--display 5") as info:
        Window(fullscreen=False, size=(64, 64), display=5).open()
    assert info.value.exit_code == 2
    pygame.display.quit()


def test_every_key_in_the_issue_is_mapped():
    wanted = {Action.PAUSE: pygame.K_SPACE, Action.PREV_SENTENCE: pygame.K_LEFT,
              Action.NEXT_SENTENCE: pygame.K_RIGHT, Action.NEXT_DREAM: pygame.K_n,
              Action.CAPTIONS: pygame.K_c, Action.MUTE: pygame.K_m,
              Action.AMBIENT: pygame.K_a, Action.VOLUME_UP: pygame.K_PLUS,
              Action.VOLUME_DOWN: pygame.K_MINUS, Action.DIMMER: pygame.K_d,
              Action.FULLSCREEN: pygame.K_f, Action.HINTS: pygame.K_h,
              Action.QUIT: pygame.K_ESCAPE}
    for action, key in wanted.items():
        assert KEYMAP[key] is action
    assert KEYMAP[pygame.K_q] is Action.QUIT
    plus = pygame.event.Event(pygame.KEYDOWN, key=0, unicode="?", mod=0)
    assert action_for(plus) is Action.HINTS


def test_the_failing_motif_is_found_in_the_traceback():
    class Lantern(Motif):
        name = "lantern"

        def draw(self, canvas, intensity, t, ctx):
            return 1 / 0

    motif = Lantern(Canvas(4, 4), np.random.default_rng(0))
    try:
        motif.draw(motif.canvas, 1.0, 0.0, None)
    except ZeroDivisionError as exc:
        assert motif_in_traceback(exc.__traceback__) == "lantern"


def test_plain_renderer_paints_the_palette_and_follows_the_fade():
    sched = ReadingSchedule.from_text("One. Two.", palette="dawn")
    surface = pygame.Surface((64, 36))
    r = PlainRenderer(64, 36)
    r.render_to_surface(surface, sched.sample(sched.lead_in + 0.1), 1.0)
    bright = pygame.surfarray.array3d(surface).mean()
    r.render_to_surface(surface, sched.sample(0.0), 1.0)
    assert bright > 60 and pygame.surfarray.array3d(surface).max() == 0


def test_play_command_end_to_end_headless(tmp_path, capsys, monkeypatch):
    from visualizer.narration import fake

    monkeypatch.setattr("visualizer.narration.get_narrator", lambda *a, **k: fake.FakeNarrator())
    dream = tmp_path / "tiny.txt"
    dream.write_text("I float above a quiet pond. The stars come out.")
    shot = tmp_path / "shot.png"
    code = main(["play", str(dream), "--windowed", "--size", "160x90", "--duration", "30",
                 "--no-hints", "--screenshot", str(shot), "--screenshot-at", "2.5"])
    assert code == 0
    assert "Traceback" not in capsys.readouterr().err
    frame = pygame.surfarray.array3d(pygame.image.load(str(shot)))
    assert frame.shape[:2] == (160, 90) and frame.mean() > 5
    assert not pygame.display.get_init()  # the screen was given back


def test_captions_keep_the_punctuation_as_written():
    from visualizer.display.captions import tokens
    from visualizer.timeline.model import TimedSentence, TimedWord

    text = "A gentle river, meandering \u2014 and \u201clooping\u201d back."
    words, at = [], 0
    for i, w in enumerate(["A", "gentle", "river", "meandering", "and", "looping", "back"]):
        at = text.index(w, at)
        words.append(TimedWord(w, at, i, i + 1))
        at += len(w)
    sentence = TimedSentence(0, text, 0, 7, 7, 0, 0, tuple(words))
    shown, owner = tokens(sentence)
    assert " ".join(shown) == text
    assert [shown[k] for k in owner] == ["A", "gentle", "river,", "meandering", "and",
                                         "\u201clooping\u201d", "back."]


def test_media_clock_smooths_the_mixers_stepwise_position():
    class Steppy:
        """A sink whose position moves in 23 ms buffer steps, like the mixer's."""

        available = True

        def __init__(self, clock):
            self.clock = clock
            self.offset = 0.0

        def busy(self):
            return True

        def position(self):
            return (self.clock.now() // 0.023) * 0.023 + self.offset

    clock = FakeClock(0.0)
    sink = Steppy(clock)
    mc = MediaClock(clock)
    seen = []
    for _ in range(600):
        clock.advance(1 / 60)
        seen.append(mc.time(sink))
    steps = np.diff(seen[60:])
    assert steps.min() > 0.6 / 60 and steps.max() < 1.4 / 60  # no freezes, no double steps
    assert abs(seen[-1] - sink.position()) < 0.03  # and still locked to the audio
    sink.offset = 3.0  # the device jumped ahead (it came back after a stall): follow at once
    clock.advance(1 / 60)
    assert mc.time(sink) == pytest.approx(sink.position(), abs=1e-9)


def test_captions_cut_a_line_of_text_without_spaces_to_fit():
    from visualizer.display.captions import tokens
    from visualizer.timeline.model import TimedSentence, TimedWord

    text = "我梦见一片安静的湖水星星落在水面上像灯笼一样慢慢漂浮" * 3
    words = tuple(TimedWord(ch, i, i * 0.2, i * 0.2 + 0.2) for i, ch in enumerate(text))
    sentence = TimedSentence(0, text, 0, 30, 30, 0, 0, words)
    shown, owner = tokens(sentence, lambda s: 10 * len(s), 100)
    assert "".join(shown) == text and all(len(piece) <= 10 for piece in shown)
    assert owner[0] == 0 and owner[10] == 1 and owner[-1] == len(shown) - 1
    pygame.font.init()
    caps = Captions((320, 180))
    surface = pygame.Surface((320, 180))
    sched = type("S", (), {"sentences": (sentence,)})()
    from visualizer.timeline.model import SceneState

    state = SceneState(t=5.0, palette={}, mood={}, motifs={}, sentence=0, word=25)
    caps.draw(surface, sched.sentences, state, 5.0, None)
    assert caps.picture.get_width() <= 320


def test_play_without_a_display_says_so_in_one_line(monkeypatch, capsys):
    for name in ("SDL_VIDEODRIVER", "DISPLAY", "WAYLAND_DISPLAY"):
        monkeypatch.delenv(name, raising=False)
    assert main(["play", "mirror-grove", "--duration", "1"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "dreamviz narrate" in err and "Traceback" not in err


def test_a_slow_default_framebuffer_is_swapped_for_the_faster_one(monkeypatch):
    monkeypatch.delenv("SDL_FRAMEBUFFER_ACCELERATION", raising=False)
    window = Window(fullscreen=False, size=(64, 64))
    window.surface = pygame.Surface((64, 64))
    timings = iter([0.017, 0.0011])  # the measured 1080p case: GL path vs plain
    monkeypatch.setattr(window, "_time_flips", lambda: next(timings))
    monkeypatch.setattr(window, "_reopen", lambda: None)
    window._choose_framebuffer()
    assert window.framebuffer == "software"
    assert os.environ["SDL_FRAMEBUFFER_ACCELERATION"] == "0"
    assert window.flip_ms == pytest.approx({"default": 17.0, "software": 1.1})
    # and when the plain path is no faster, the default comes back
    monkeypatch.delenv("SDL_FRAMEBUFFER_ACCELERATION")
    window = Window(fullscreen=False, size=(64, 64))
    timings = iter([0.017, 0.020])
    monkeypatch.setattr(window, "_time_flips", lambda: next(timings))
    monkeypatch.setattr(window, "_reopen", lambda: None)
    window._choose_framebuffer()
    assert window.framebuffer == "default" and "SDL_FRAMEBUFFER_ACCELERATION" not in os.environ


def test_on_x11_a_fast_plain_framebuffer_is_kept_without_a_second_window(monkeypatch):
    monkeypatch.setenv("SDL_FRAMEBUFFER_ACCELERATION", "0")  # as open() sets it on X11
    window = Window(fullscreen=False, size=(64, 64))
    window.surface = pygame.Surface((64, 64))
    reopened = []
    monkeypatch.setattr(window, "_time_flips", lambda: 0.0011)
    monkeypatch.setattr(window, "_reopen", lambda: reopened.append(1))
    window._choose_framebuffer("software")
    assert window.framebuffer == "software" and not reopened
    assert window.flip_ms == pytest.approx({"software": 1.1})
    # a slow plain path is compared with SDL's default, and the faster kept
    timings = iter([0.012, 0.004])
    monkeypatch.setattr(window, "_time_flips", lambda: next(timings))
    window._choose_framebuffer("software")
    assert window.framebuffer == "default" and "SDL_FRAMEBUFFER_ACCELERATION" not in os.environ
