"""preview --watch: reload on save, keep the playhead, errors on screen, last good plays on."""

from __future__ import annotations

import os
from concurrent.futures import wait
from pathlib import Path

import pytest
from test_player import FPS, Harness, _dream

from visualizer.display.player import PlayerOptions
from visualizer.display.watch import ScriptWatcher
from visualizer.errors import DreamError


def strict(path: Path):
    """A loader that refuses a line starting with '@bad', like a script error."""
    for n, line in enumerate(path.read_text().splitlines(), 1):
        if line.startswith("@bad"):
            raise DreamError("unknown directive '@bad'", str(path), n, 1)
    return _dream(path)


def save(path: Path, text: str) -> None:
    path.write_text(text)
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000_000))  # a visible change


def settle(h: Harness, watcher: ScriptWatcher) -> None:
    """Step until the watcher notices the save, let the reload finish in real time, then
    step once so the player picks it up (the picture's clock barely moves meanwhile)."""
    for _ in range(10):
        if watcher._pending is not None:
            break
        h.player.step()
    assert watcher._pending is not None, "the save was not noticed"
    wait([watcher._pending], timeout=20)
    h.player.step()


@pytest.fixture
def preview(tmp_path):
    reports: list[str] = []
    script = tmp_path / "dream0.txt"
    watcher = ScriptWatcher(script, strict, reports.append, interval=0.1)
    h = Harness(tmp_path, load=strict, reloader=watcher, start=False,
                options=PlayerOptions(fps=FPS, repeat_dream=True, gap=0.0, start_at=2.0))
    watcher._seen = watcher._stamp()
    h.player.start()
    yield h, watcher, script, reports
    h.close()


def test_starts_at_the_requested_second(preview):
    h, *_ = preview
    h.playing()
    assert h.sink.calls[2] == ("play", 2.0)


def test_saving_reloads_and_keeps_the_playhead(preview):
    h, watcher, script, reports = preview
    h.playing()
    h.seconds(1.0)
    save(script, "A changed first sentence here. And a brand new second one. Then a third.")
    settle(h, watcher)
    assert watcher.reloads == 1
    assert h.player.current.schedule.sentences[0].text == "A changed first sentence here."
    assert h.sink.calls[-1][0] == "play" and h.sink.calls[-1][1] == pytest.approx(3.0, abs=0.6)
    assert h.player.t == pytest.approx(3.0, abs=0.6)
    assert reports and reports[-1].startswith("reloaded ")


def test_a_script_error_shows_and_the_last_good_version_plays_on(preview):
    h, watcher, script, reports = preview
    h.playing()
    good = h.player.current
    save(script, "Fine sentence.\n@bad directive\n")
    settle(h, watcher)
    assert watcher.errors == 1
    message = f"{script}:2:1: unknown directive '@bad'"
    assert reports == [message]
    assert h.player.overlay.error == message
    assert h.player.current is good and h.player.phase == "playing"
    t = h.player.t
    h.seconds(1.0)
    assert h.player.t > t  # still playing
    save(script, "Fixed now. All good again.")
    settle(h, watcher)
    assert watcher.reloads == 1
    assert h.player.overlay.error is None
    assert h.player.current.schedule.sentences[0].text == "Fixed now."


def test_broken_at_start_waits_for_the_fix(tmp_path):
    reports: list[str] = []
    script = tmp_path / "dream0.txt"
    watcher = ScriptWatcher(script, strict, reports.append, interval=0.1)
    h = Harness(tmp_path, load=strict, reloader=watcher, start=False,
                options=PlayerOptions(fps=FPS, repeat_dream=True, gap=0.0))
    script.write_text("@bad at the top\n")
    watcher._seen = watcher._stamp()
    h.player.report = reports.append
    h.player.start()
    try:
        h.until(lambda: h.player.phase == "waiting")
        assert reports == [f"{script}:1:1: unknown directive '@bad'"]
        assert not h.player.done
        save(script, "Now it is a dream. It plays.")
        h.until(lambda: h.player.phase == "playing")
        assert h.sink.calls[-1] == ("play", 0.0) and h.player.overlay.error is None
    finally:
        h.close()


def test_the_dream_repeats_in_preview(preview):
    h, *_ = preview
    h.playing()
    h.seconds(h.player.current.schedule.duration)
    h.steps(3)
    assert h.player.dreams_started >= 2 and h.player.phase == "playing"
