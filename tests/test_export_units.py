"""Export building blocks without ffmpeg: captions timing, VTT, progress, sound fitting,
output checks, the frame pipe and the caption burner."""

from __future__ import annotations

import io
import itertools
import re
import threading
import time
from pathlib import Path

import numpy as np
import pytest

from visualizer.clock import FakeClock
from visualizer.errors import DreamError
from visualizer.export.burn import CaptionBurner
from visualizer.export.encoder import Encoder, encode_command, ffmpeg_exe
from visualizer.export.output import check_target, sigterm_interrupts, temp_beside
from visualizer.export.pipe import FramePipe
from visualizer.export.progress import Progress, clock_text
from visualizer.export.settings import ExportSettings
from visualizer.export.soundtrack import fit_length, soundtrack
from visualizer.export.timing import CaptionCue, caption_cues, vtt_text
from visualizer.timeline.model import TimedSentence, TimedWord


def _sentence(i: int, text: str, start: float, speech: float, clip: float) -> TimedSentence:
    words = []
    t = start + 0.01
    chars = [(m.start(), m.group()) for m in re.finditer(r"[\w']+", text)]
    step = (speech - 0.01) / max(1, len(chars))
    for char, w in chars:
        words.append(TimedWord(w, char, t, t + step))
        t += step
    return TimedSentence(i, text, start, start + clip, start + speech, 0, 0, tuple(words))


SENTENCES = (
    _sentence(0, "I float above a quiet lake.", 3.0, 2.0, 2.4),
    _sentence(1, "Stars & <light> answer.", 6.0, 1.5, 1.9),
    _sentence(2, "Done.", 8.0, 0.5, 0.9),
)


class FakeSchedule:
    def __init__(self, sentences=SENTENCES, duration: float = 12.0) -> None:
        self.sentences = sentences
        self.duration = duration
        self.title = "Test"
        self.seed = 0


# ---- caption timing and VTT -------------------------------------------------------------

def test_caption_cues_follow_the_voice_and_never_overlap():
    cues = caption_cues(FakeSchedule())
    assert [c.text for c in cues] == [s.text for s in SENTENCES]
    assert cues[0].start == 3.0
    assert cues[0].end <= SENTENCES[1].start  # gone before the next sentence
    assert cues[0].end >= SENTENCES[0].speech_end  # stays while spoken
    for a, b in itertools.pairwise(cues):
        assert a.end <= b.start
    # every word: (char in text, start, end), in order, ending where the voice stops
    words = cues[0].words
    assert words[0] == (0, 3.0, SENTENCES[0].words[1].start)
    assert [w[1] for w in words] == sorted(w[1] for w in words)
    assert words[-1][2] == pytest.approx(SENTENCES[0].speech_end)
    assert cues[0].text[words[2][0]:].startswith("above")


def test_long_sentences_become_several_short_cues():
    text = ("I walk for a long time along the silver shore, past sleeping boats and lanterns, "
            "until the water turns to light and the sky folds gently down around me.")
    sched = FakeSchedule((_sentence(0, text, 1.0, 9.0, 9.5),), 12.0)
    cues = caption_cues(sched)
    assert len(cues) >= 2 and len({c.index for c in cues}) == len(cues)
    assert all(len(c.text.split("\n")) <= 2 for c in cues)
    assert " ".join(c.text.replace("\n", " ") for c in cues) == text


def test_caption_cues_stop_where_the_video_stops():
    cues = caption_cues(FakeSchedule(), 7.0)
    assert [c.text for c in cues] == [SENTENCES[0].text, SENTENCES[1].text]
    assert cues[-1].end <= 7.0


def test_a_stretch_from_the_middle_shows_what_is_spoken_there_on_the_video_clock():
    cues = caption_cues(FakeSchedule(), 3.0, start=5.8)  # dream time 5.8 .. 8.8
    assert [c.text for c in cues] == [SENTENCES[1].text, SENTENCES[2].text]
    assert cues[0].start == pytest.approx(6.0)  # cues stay in dream time for burning in
    text = vtt_text(FakeSchedule(), 3.0, start=5.8)
    assert "00:00:00.200 --> " in text and "00:00:02.200 --> " in text  # video time
    assert SENTENCES[0].text not in text
    under_way = caption_cues(FakeSchedule(), 2.0, start=4.0)  # sentence 0 still spoken
    assert under_way[0].text == SENTENCES[0].text and under_way[0].start < 4.0


def test_vtt_has_title_cues_word_timestamps_and_escapes():
    sched = FakeSchedule()
    sched.title = "A --> dream"
    text = vtt_text(sched, 12.0)
    lines = text.splitlines()
    assert lines[0] == "WEBVTT - A -> dream"
    assert any(ln.startswith("00:00:03.000 --> ") for ln in lines)
    first = next(ln for ln in lines if ln.startswith("I "))
    assert first.startswith("I <00:00:03.")
    second = next(ln for ln in lines if ln.startswith("Stars"))
    assert "&amp;" in second and "&lt;" in second and "<light>" not in second
    assert "Done." in text
    assert "Done." not in vtt_text(sched, 7.0)


# ---- progress ---------------------------------------------------------------------------

def test_progress_plain_prints_every_tenth_with_speed_and_eta():
    clock = FakeClock()
    out = io.StringIO()
    p = Progress(100, fps=10, stream=out, clock=clock, tty=False)
    for i in range(1, 101):
        clock.advance(0.05)  # 0.1 s of video per 0.05 s: 2x
        p.update(i)
    lines = out.getvalue().splitlines()
    assert len(lines) == 10
    assert lines[0] == "render: 10% (0:01/0:10 of video, 2.0x real time, ETA 0:04)"
    assert lines[-1].startswith("render: 100%")
    assert "\r" not in out.getvalue()


def test_progress_tty_redraws_in_place_and_finishes_the_line():
    clock = FakeClock()
    out = io.StringIO()
    p = Progress(30, fps=30, stream=out, clock=clock, tty=True)
    for i in range(1, 31):
        clock.advance(0.02)
        p.update(i)
    p.finish("done")
    text = out.getvalue()
    assert text.count("\r") >= 2 and text.endswith("\n")
    assert "[" + "#" * Progress.WIDTH + "]" in text and "100%" in text and "done" in text


def test_progress_speed_counts_from_the_first_frame_not_the_preparations():
    clock = FakeClock()
    out = io.StringIO()
    p = Progress(10, fps=10, stream=out, clock=clock, tty=False)
    p.note("mixing sound")
    clock.advance(30.0)  # sound synthesis
    p.begin()
    clock.advance(0.5)
    p.update(10)
    assert out.getvalue().splitlines() == [
        "render: mixing sound",
        "render: 100% (0:01/0:01 of video, 2.0x real time, ETA 0:00)",
    ]


def test_progress_quiet_writes_nothing():
    out = io.StringIO()
    p = Progress(10, 10, stream=out, clock=FakeClock(), quiet=True)
    p.update(10)
    p.finish("x")
    assert out.getvalue() == ""


def test_clock_text():
    assert clock_text(7.2) == "0:07"
    assert clock_text(205) == "3:25"
    assert clock_text(3723) == "1:02:03"


# ---- sound ------------------------------------------------------------------------------

def test_fit_length_pads_and_trims_with_a_fade():
    track = np.full(1000, 10000, np.int16)
    padded = fit_length(track, 1500)
    assert len(padded) == 1500 and padded[999] == 10000 and not padded[1000:].any()
    cut = fit_length(track, 600, fade=100)
    assert len(cut) == 600 and cut[499] == 10000 and abs(int(cut[-1])) < 200


class _Utt:
    def __init__(self, pcm: np.ndarray) -> None:
        self.pcm = pcm
        self.sample_rate = 22050


def test_soundtrack_places_each_clip_at_its_sentence_start():
    sched = FakeSchedule()
    utts = [_Utt(np.full(2205, 8000 + i, np.int16)) for i in range(3)]
    pcm = soundtrack(sched, utts, 10.0, ambient=False, sr=22050)
    assert len(pcm) == 220500
    for i, s in enumerate(SENTENCES):
        k = round(s.start * 22050)
        assert not pcm[k - 50:k].any()
        assert pcm[k] == 8000 + i and pcm[k + 2204] == 8000 + i


# ---- output checks ----------------------------------------------------------------------

def test_check_target_refuses_missing_folder_existing_file_and_wrong_type(tmp_path):
    with pytest.raises(DreamError, match="folder does not exist"):
        check_target(tmp_path / "nope" / "a.mp4", force=False)
    existing = tmp_path / "a.mp4"
    existing.write_bytes(b"keep")
    with pytest.raises(DreamError, match="already exists"):
        check_target(existing, force=False)
    assert check_target(existing, force=True) == existing
    with pytest.raises(DreamError, match=r"\.mp4"):
        check_target(tmp_path / "a.gif", force=False)
    (tmp_path / "d.mp4").mkdir()
    with pytest.raises(DreamError, match="folder"):
        check_target(tmp_path / "d.mp4", force=True)


def test_temp_beside_is_hidden_in_the_same_folder(tmp_path):
    p = temp_beside(tmp_path / "dream.mp4", ".mp4")
    assert p.parent == tmp_path and p.name.startswith(".dream.") and p.name.endswith(".mp4")


def test_sigterm_becomes_an_interrupt_and_the_handler_is_restored():
    import os
    import signal

    before = signal.getsignal(signal.SIGTERM)
    with pytest.raises(KeyboardInterrupt), sigterm_interrupts():
        os.kill(os.getpid(), signal.SIGTERM)
        time.sleep(1)
    assert signal.getsignal(signal.SIGTERM) == before


# ---- frame pipe -------------------------------------------------------------------------

def test_frame_pipe_delivers_every_frame_in_order_with_bounded_buffers():
    got: list[int] = []
    seen_buffers: set[int] = set()

    def sink(view: memoryview) -> None:
        time.sleep(0.001)
        arr = np.frombuffer(view, np.uint8)
        got.append(int(arr[0]))

    pipe = FramePipe((4, 4, 3), sink, depth=3)
    for i in range(50):
        buf = pipe.acquire()
        seen_buffers.add(id(buf))
        buf.fill(i)
        pipe.submit(buf)
    pipe.close()
    assert got == list(range(50))
    assert len(seen_buffers) <= 3


def test_frame_pipe_hands_a_sink_error_to_the_renderer():
    def sink(view: memoryview) -> None:
        raise DreamError("ffmpeg failed: disk full")

    pipe = FramePipe((2, 2, 3), sink, depth=2)
    with pytest.raises(DreamError, match="disk full"):
        try:
            for _ in range(100):
                pipe.submit(pipe.acquire())
                time.sleep(0.001)
            pipe.close()
        except DreamError:
            pipe.abort()
            raise
    assert not any(t.name == "frame-writer" and t.is_alive() for t in threading.enumerate())


# ---- encoder ----------------------------------------------------------------------------

def test_encode_command_is_browser_and_tv_friendly():
    cmd = encode_command("ffmpeg", ExportSettings(width=640, height=360, fps=25),
                         Path("a.wav"), Path("o.mp4"))
    joined = " ".join(cmd)
    for part in ("-c:v libx264", "-pix_fmt yuv420p", "-c:a aac", "-movflags +faststart",
                 "-s 640x360", "-framerate 25", "-f mp4", "+bitexact", "-ar 48000"):
        assert part in joined
    no_audio = encode_command("ffmpeg", ExportSettings(), None, Path("o.mp4"))
    assert "-c:a" not in no_audio and "1:a:0" not in no_audio


def test_encoder_failure_is_one_line_with_ffmpegs_last_words(tmp_path):
    enc = Encoder([ffmpeg_exe(), "-hide_banner", "-loglevel", "error", "-f", "rawvideo",
                   "-pix_fmt", "rgb24", "-s", "8x8", "-i", "pipe:0", "-c:v", "no-such-codec",
                   str(tmp_path / "x.mp4")])
    with pytest.raises(DreamError) as info:
        for _ in range(50):
            enc.write(bytes(8 * 8 * 3))
        enc.finish()
    msg = str(info.value)
    assert msg.startswith("ffmpeg failed: ") and "\n" not in msg
    assert "no-such-codec" in msg or "encoder" in msg.lower()


# ---- burned-in captions -----------------------------------------------------------------

def test_caption_burner_draws_only_while_a_sentence_is_shown_in_the_lower_band():
    w, h = 320, 180
    burner = CaptionBurner(caption_cues(FakeSchedule()), w, h)
    blank = np.full((h, w, 3), 40, np.uint8)
    frame = blank.copy()
    burner.apply(frame, 1.0)  # before the first sentence
    assert np.array_equal(frame, blank)
    burner.apply(frame, 4.0)
    changed = np.argwhere((frame != blank).any(axis=2))
    assert len(changed) > 200
    assert changed[:, 0].min() > h * 0.6  # low in the frame
    assert frame.max() > 180  # light text on a dark frame


def test_caption_burner_fades_in_and_highlights_the_spoken_word():
    cue = CaptionCue(0, "one two three", 1.0, 5.0, ((0, 1.0, 2.0), (4, 2.0, 3.0), (8, 3.0, 4.0)))
    burner = CaptionBurner([cue], 320, 180)
    assert burner.opacity(cue, 1.0) == 0.0 and burner.opacity(cue, 3.0) == 1.0
    assert 0 < burner.opacity(cue, 1.2) < 1
    assert burner.word_at(cue, 2.5) == 4 and burner.word_at(cue, 0.5) == -1
    assert burner.word_at(cue, 4.5) == -1
    a = burner.patch(cue, 1.5).color.copy()
    b = burner.patch(cue, 2.5).color.copy()
    assert a.shape == b.shape and not np.array_equal(a, b)
    assert len(burner._patches) == 2  # cached per (sentence, word)
    burner.patch(cue, 1.6)
    assert len(burner._patches) == 2


def test_caption_burner_wraps_long_sentences_inside_the_frame():
    text = " ".join(["somewhere"] * 30)
    cue = CaptionCue(0, text, 0.0, 9.0, ())
    burner = CaptionBurner([cue], 320, 180)
    patch = burner.patch(cue, 3.0)
    assert patch.alpha.shape[1] <= 320 and patch.alpha.shape[0] < 180
    frame = np.zeros((180, 320, 3), np.uint8)
    burner.apply(frame, 3.0)
    assert frame.any()


# ---- how many render processes ----------------------------------------------------------

def test_render_jobs_parallel_only_for_long_exports_unless_asked(monkeypatch):
    from visualizer.export import make

    monkeypatch.setattr(make, "cores", lambda: 2)
    assert make.render_jobs(ExportSettings(fps=30), 10 * 30) == 1  # startup would dominate
    assert make.render_jobs(ExportSettings(fps=30), 120 * 30) == 2
    assert make.render_jobs(ExportSettings(fps=30, jobs=3), 10) == 3


def test_shared_memory_room_checks_dev_shm(monkeypatch):
    from visualizer.export import make

    class Stat:
        f_bavail = 1000
        f_frsize = 4096

    monkeypatch.setattr(make.os, "statvfs", lambda path: Stat())
    assert make.shared_memory_room(1_000_000)
    assert not make.shared_memory_room(4_000_000)  # a container's small /dev/shm
