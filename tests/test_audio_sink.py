"""Sinks: the fake one for the player's tests, and the pygame mixer sink headless (dummy
driver), including no device and a device that disappears and comes back."""

from __future__ import annotations

import numpy as np
import pytest

from visualizer.audio.fake import FakeSink
from visualizer.audio.mixer_sink import MixerSink
from visualizer.clock import FakeClock

SR = 22050


def test_fake_sink_position_follows_clock_and_pauses():
    clock = FakeClock()
    sink = FakeSink(clock)
    sink.load(np.zeros(SR * 10, np.int16), None, SR)
    sink.play(2.0)
    clock.advance(1.5)
    assert sink.position() == pytest.approx(3.5)
    sink.pause()
    clock.advance(5)
    assert sink.position() == pytest.approx(3.5) and sink.busy()
    sink.resume()
    clock.advance(1)
    assert sink.position() == pytest.approx(4.5)
    clock.advance(100)
    assert sink.position() == pytest.approx(10.0) and not sink.busy()
    sink.set_ambient_volume(0.5)
    assert sink.volume_log[-1][1:] == ("ambient", 0.5)
    assert [c[0] for c in sink.calls] == ["load", "play", "pause", "resume"]


@pytest.fixture
def mixer_sink():
    clock = FakeClock()
    notes: list[str] = []
    sink = MixerSink(clock, note=notes.append)
    if not sink.available:
        pytest.skip(f"no dummy audio driver here: {notes}")
    yield sink, clock, notes
    sink.close()


def _track(seconds: float) -> np.ndarray:
    t = np.arange(int(seconds * SR)) / SR
    return (np.sin(2 * np.pi * 220 * t) * 8000).astype(np.int16)


def test_mixer_sink_plays_pauses_and_seeks(mixer_sink):
    import time

    sink, _clock, _ = mixer_sink
    sink.load(_track(5.0), _track(2.0), SR)
    sink.play(0.0)
    time.sleep(0.3)
    p1 = sink.position()
    assert 0.1 < p1 < 1.0 and sink.busy()
    sink.pause()
    frozen = sink.position()
    time.sleep(0.2)
    assert sink.position() == pytest.approx(frozen, abs=1e-6)
    sink.resume()
    time.sleep(0.2)
    assert sink.position() > frozen + 0.05
    sink.play(3.0)
    time.sleep(0.2)
    assert 3.0 < sink.position() < 3.8
    sink.set_voice_volume(0.5)
    sink.set_ambient_volume(0.2)
    assert sink._pg.mixer.music.get_volume() == pytest.approx(0.5, abs=0.01)
    sink.stop()
    assert not sink.busy()


def test_no_audio_device_is_silent_with_one_note_and_wall_clock(monkeypatch):
    import pygame

    def refuse(*a, **k):
        raise pygame.error("no available audio device")

    monkeypatch.setattr(pygame.mixer, "get_init", lambda: None)
    monkeypatch.setattr(pygame.mixer, "init", refuse)
    clock = FakeClock()
    notes: list[str] = []
    sink = MixerSink(clock, note=notes.append)
    assert sink.available is False
    assert len(notes) == 1 and "no audio device" in notes[0] and "\n" not in notes[0]
    sink.load(np.zeros(SR * 4, np.int16), None, SR)
    sink.play(1.0)
    clock.advance(1.25)
    assert sink.position() == pytest.approx(2.25)
    sink.pause()
    clock.advance(3)
    assert sink.position() == pytest.approx(2.25)
    sink.resume()
    clock.advance(10)
    assert sink.position() == pytest.approx(4.0) and not sink.busy()
    assert len(notes) == 1


def test_device_lost_and_back_resumes_at_the_current_position(mixer_sink, monkeypatch):
    import pygame

    sink, clock, notes = mixer_sink
    sink.load(_track(20.0), None, SR)
    sink.play(2.0)
    # the device goes away: every mixer call fails
    real_get_pos = pygame.mixer.music.get_pos
    real_init = pygame.mixer.init

    def gone(*a, **k):
        raise pygame.error("audio device removed")

    monkeypatch.setattr(pygame.mixer.music, "get_pos", gone)
    monkeypatch.setattr(pygame.mixer, "init", gone)
    p0 = sink.position()  # notices the loss, keeps time from the wall clock
    assert sink.lost and any("lost" in n for n in notes)
    clock.advance(3.0)
    assert sink.position() == pytest.approx(p0 + 3.0, abs=0.01)
    assert sink.recoveries == 0  # init still failing
    # the device comes back
    monkeypatch.setattr(pygame.mixer.music, "get_pos", real_get_pos)
    monkeypatch.setattr(pygame.mixer, "init", real_init)
    clock.advance(2.5)  # past the retry interval
    resumed_at = sink.position()
    assert not sink.lost and sink.recoveries == 1
    assert resumed_at == pytest.approx(p0 + 5.5, abs=0.05)
    assert sink._offset == pytest.approx(resumed_at, abs=0.05)
    assert pygame.mixer.music.get_busy()
    assert any("back" in n for n in notes)


def test_stalled_mixer_counts_as_lost(mixer_sink, monkeypatch):
    import pygame

    sink, clock, _notes = mixer_sink
    sink.load(_track(20.0), None, SR)
    sink.play(0.0)
    monkeypatch.setattr(pygame.mixer.music, "get_pos", lambda: 500)  # frozen
    monkeypatch.setattr(pygame.mixer.music, "get_busy", lambda: True)
    sink.position()
    clock.advance(0.5)
    sink.position()
    assert not sink.lost
    clock.advance(1.0)
    sink.position()
    assert sink.lost
