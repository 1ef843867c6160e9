"""Narration-only playback with a fake sink and clock; captions; terminal key parsing."""

from __future__ import annotations

import io
import itertools
import re

import numpy as np
import pytest

from visualizer.audio.fake import FakeSink
from visualizer.clock import FakeClock
from visualizer.narration import FakeNarrator, synthesize_all
from visualizer.narration.captions import cues, srt_text, vtt_text, write_captions
from visualizer.narration.session import NarrationSession, highlight_line, progress_bar
from visualizer.narration.terminal import parse_keys
from visualizer.script.model import Scene, Script, Sentence, SourcePos
from visualizer.script.text import words
from visualizer.timeline import build_schedule

SR = 22050
TEXTS = ("The lake is still.", "A candle flickers in the dark, and the walls breathe slowly "
         "around you as you walk deeper into the quiet passage.", "You wake.")


@pytest.fixture(scope="module")
def prepared():
    sentences = tuple(Sentence(i, t, i, words(t), SourcePos("d.txt", i + 1, 1))
                      for i, t in enumerate(TEXTS))
    script = Script("d.txt", "Test", sentences, (Scene("s", 0, 3, "dawn", "clear-sky", "lake"),))
    utts = synthesize_all(script, FakeNarrator(), cache=False)
    schedule = build_schedule(script, [u.clip for u in utts])
    return script, schedule


def _session(schedule, keys=None, **kw):
    clock = FakeClock()
    sink = FakeSink(clock)
    sink.load(np.zeros(int(schedule.duration * SR), np.int16), None, SR)
    out = io.StringIO()
    queue = list(keys or [])

    def read():
        now = clock.now()
        due = [k for t, k in queue if t <= now]
        queue[:] = [(t, k) for t, k in queue if t > now]
        return due

    return NarrationSession(schedule, sink, clock, out, keys=read, **kw), sink, clock, out


def test_plain_mode_prints_each_sentence_when_spoken(prepared):
    _, schedule = prepared
    session, _sink, clock, out = _session(schedule)
    outcome = session.run()
    assert outcome.reason == "end"
    lines = out.getvalue().splitlines()
    assert [ln.split("] ", 1)[1] for ln in lines] == list(TEXTS)
    assert "\x1b" not in out.getvalue()
    assert clock.now() == pytest.approx(schedule.duration, abs=0.1)


def test_json_lines(prepared):
    import json

    _, schedule = prepared
    session, *_, out = _session(schedule, json_lines=True)
    session.run()
    records = [json.loads(ln) for ln in out.getvalue().splitlines()]
    assert [r["text"] for r in records] == list(TEXTS)
    assert records[1]["start"] == pytest.approx(schedule.sentences[1].start, abs=1e-3)


def test_space_pauses_and_right_arrow_skips(prepared):
    _, schedule = prepared
    s1 = schedule.sentences[1].start
    keys = [(4.0, " "), (9.0, " "), (9.5, "right"), (10.0, "q")]
    session, sink, _clock, out = _session(schedule, keys=keys, interactive=True)
    outcome = session.run()
    assert outcome.reason == "quit"
    assert ("pause",) in sink.calls and ("resume",) in sink.calls
    # paused for 5 s inside sentence 1, then skipped to sentence 2
    assert ("play", round(s1, 3)) in sink.calls
    assert outcome.position == pytest.approx(s1 + 0.5, abs=0.06)
    text = out.getvalue()
    assert "paused" in text and "\x1b[1;7m" in text  # live line with a highlighted word


def test_left_arrow_goes_back_to_sentence_start_then_previous(prepared):
    _, schedule = prepared
    s1 = schedule.sentences[1].start
    keys = [(s1 + 3.0, "left"), (s1 + 3.5, "left"), (s1 + 3.6, "q")]
    session, sink, *_ = _session(schedule, keys=keys)
    session.run()
    plays = [c[1] for c in sink.calls if c[0] == "play"]
    assert plays == [0.0, round(s1, 3), round(schedule.sentences[0].start, 3)]


def test_sleep_timer_fades_over_the_last_minute_and_stops(prepared):
    _, schedule = prepared
    session, sink, clock, _ = _session(schedule, sleep_timer=8.0)
    outcome = session.run()
    assert outcome.reason == "sleep"
    assert clock.now() == pytest.approx(8.0, abs=0.06)
    voice = [(t, v) for t, which, v in sink.volume_log if which == "voice"]
    assert voice[0][1] == 1.0 and voice[-1][1] < 0.02
    mid = min(voice, key=lambda tv: abs(tv[0] - 4.0))
    assert mid[1] == pytest.approx(0.5, abs=0.05)  # short timer: fades across all of it
    assert all(b <= a + 1e-9 for (_, a), (_, b) in itertools.pairwise(voice))
    assert sink.calls[-1] == ("stop",)


def test_highlight_and_progress_fit_the_width():
    text = "A candle flickers in the dark, and the walls breathe slowly around you."
    line = highlight_line(text, text.index("walls"), 5, 30)
    plain = re.sub(r"\x1b\[[0-9;]*m", "", line)
    assert len(plain) <= 30 and "\x1b[1;7mwalls\x1b[0m" in line
    assert len(progress_bar(0.5, 20)) == 20 and progress_bar(1.0, 8) == "█" * 8


def test_parse_keys():
    assert parse_keys(" q\x1b[C\x1b[D\x1b") == [" ", "q", "right", "left", "esc"]


def test_captions_srt_and_vtt(prepared, tmp_path):
    _, schedule = prepared
    cs = cues(schedule)
    assert len(cs) > len(TEXTS)  # the long sentence is split into readable cues
    for c in cs:
        lines = c.text.split("\n")
        assert len(lines) <= 2 and all(len(ln) <= 42 for ln in lines)
    assert all(a.end <= b.start + 1e-9 for a, b in itertools.pairwise(cs))
    assert cs[0].start == pytest.approx(schedule.sentences[0].start)
    joined = " ".join(c.text.replace("\n", " ") for c in cs)
    assert joined == " ".join(TEXTS)
    srt = srt_text(schedule)
    assert srt.startswith("1\n00:00:0") and " --> " in srt and "," in srt.split("\n")[1]
    vtt = vtt_text(schedule)
    assert vtt.startswith("WEBVTT")
    stamps = re.findall(r"<(\d\d:\d\d:\d\d\.\d\d\d)>", vtt)
    total_words = sum(len(s.words) for s in schedule.sentences)
    assert len(stamps) == total_words - len(cs)  # every word but each cue's first
    # an inline stamp is the word's spoken start
    w = schedule.sentences[0].words[1]
    assert f"<{_vtt(w.start)}>{w.text}" in vtt
    write_captions(tmp_path / "c.vtt", schedule)
    write_captions(tmp_path / "c.srt", schedule)
    assert (tmp_path / "c.srt").read_text(encoding="utf-8") == srt
    from visualizer.errors import DreamError

    with pytest.raises(DreamError):
        write_captions(tmp_path / "c.txt", schedule)


def _vtt(t: float) -> str:
    ms = round(t * 1000)
    return f"{ms // 3600000:02d}:{ms // 60000 % 60:02d}:{ms // 1000 % 60:02d}.{ms % 1000:03d}"
