"""Real exports at a small size: a valid MP4 with the right streams, narration where the
timeline says, captions, overwrite refusal, nothing left behind on Ctrl-C / SIGTERM / ffmpeg
failure, and the same frames and sound every time."""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from visualizer import pipeline
from visualizer.cli import main
from visualizer.errors import DreamError
from visualizer.export import ExportSettings, decode_audio, export_video, frame_hashes, probe
from visualizer.export import video as video_mod
from visualizer.export.make import make_frames
from visualizer.narration import FakeNarrator

DREAM = """I drift over a silver lake at night.
Stars open one by one above the water.

A small candle glows on the far shore, and I float toward it.
The light grows warm and I wake.
"""
W, H, FPS = 320, 180, 15
SR = 22050


@pytest.fixture(scope="module")
def dream_file(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("dream") / "lake.txt"
    path.write_text(DREAM, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def prepared(dream_file):
    return pipeline.prepare(dream_file, narrator=FakeNarrator())


@pytest.fixture(scope="module")
def ten_seconds(prepared, tmp_path_factory) -> Path:
    """A 10-second export, voice only (no ambient bed), with a VTT sidecar."""
    out = tmp_path_factory.mktemp("out") / "lake.mp4"
    settings = ExportSettings(width=W, height=H, fps=FPS, quality="low", captions="vtt",
                              ambient=False, duration=10.0)
    frames = make_frames(prepared.schedule, settings, seed=3)
    export_video(out, settings, prepared.schedule, prepared.utterances, frames)
    return out


def _files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def test_ten_second_export_is_a_valid_mp4(ten_seconds):
    info = probe(ten_seconds)
    assert info.duration == pytest.approx(10.0, abs=0.1)
    assert info.video_codec == "h264" and info.pix_fmt == "yuv420p"
    assert info.color is not None and info.color.startswith("tv, bt709")  # tagged for TVs
    assert (info.width, info.height) == (W, H)
    assert info.fps == pytest.approx(FPS)
    assert info.frames == 10 * FPS
    assert info.frame_seconds == pytest.approx(10.0, abs=0.1)
    assert info.audio_codec == "aac" and info.audio_rate == 48000
    assert info.audio_channels == "stereo"
    # faststart: the index (moov) comes before the media data (mdat) for web playback
    head = ten_seconds.read_bytes()[:200_000]
    assert head.find(b"moov") != -1 and head.find(b"moov") < head.find(b"mdat")
    assert _files(ten_seconds.parent) == ["lake.mp4", "lake.vtt"]  # no temp files left


def _onsets(pcm: np.ndarray, sr: int, gap: float = 0.5) -> list[float]:
    """Starts of sound after at least `gap` seconds of quiet, from a 5 ms energy envelope."""
    hop = int(sr * 0.005)
    n = len(pcm) // hop
    frames = pcm[: n * hop].astype(np.float32).reshape(n, hop)
    env = np.sqrt((frames**2).mean(axis=1))
    loud = env > max(300.0, 0.08 * env.max())
    quiet_needed = int(gap / 0.005)
    onsets, quiet = [], quiet_needed
    for i, is_loud in enumerate(loud):
        if is_loud and quiet >= quiet_needed:
            onsets.append(i * hop / sr)
        quiet = 0 if is_loud else quiet + 1
    return onsets


def test_audio_sentence_onsets_match_the_timeline_within_50ms(ten_seconds, prepared):
    pcm = decode_audio(ten_seconds, SR)
    assert len(pcm) == pytest.approx(10 * SR, abs=SR * 0.05)
    expected = [s.words[0].start for s in prepared.schedule.sentences if s.start < 9.5]
    assert len(expected) >= 2
    found = _onsets(pcm, SR)
    assert len(found) == len(expected), (found, expected)
    for got, want in zip(found, expected):
        assert abs(got - want) <= 0.05, (got, want)


class _Grey:
    """Frames that cost nothing: for tests about sound, not pictures."""

    def render_into(self, index: int, t: float, out: np.ndarray) -> None:
        out.fill(90)


def _lead(pcm: np.ndarray, sr: int) -> float:
    """Where the voice in a clip becomes loud enough for `_onsets` to hear it."""
    return _onsets(np.concatenate([np.zeros(sr, np.int16), pcm]), sr)[0] - 1.0


def test_real_voice_lands_where_the_timeline_says(dream_file, tmp_path):
    """The real espeak voice: each sentence is heard at its timeline start (plus the clip's
    own lead-in before the first sound), within 50 ms, after AAC encoding and muxing."""
    real = pipeline.prepare(dream_file)
    if not real.speaks:
        pytest.skip("no speech engine here")
    out = tmp_path / "voice.mp4"
    settings = ExportSettings(width=W, height=H, fps=FPS, ambient=False, duration=10.0)
    export_video(out, settings, real.schedule, real.utterances, _Grey())
    found = _onsets(decode_audio(out, SR), SR)
    expected = [s.start + _lead(u.pcm, u.sample_rate)
                for s, u in zip(real.schedule.sentences, real.utterances) if s.start < 9.5]
    assert len(found) == len(expected) >= 2, (found, expected)
    for got, want in zip(found, expected):
        assert abs(got - want) <= 0.05, (got, want)


def test_a_stretch_from_the_middle_keeps_sound_and_captions_on_the_video_clock(
        prepared, tmp_path):
    sched = prepared.schedule
    start = sched.sentences[1].start - 0.2  # in the pause before the second sentence
    settings = ExportSettings(width=W, height=H, fps=FPS, ambient=False, captions="vtt",
                              start=start, duration=6.0)
    out = tmp_path / "middle.mp4"
    export_video(out, settings, sched, prepared.utterances, _Grey())
    assert probe(out).duration == pytest.approx(6.0, abs=0.1)
    found = _onsets(decode_audio(out, SR), SR)
    expected = [s.words[0].start - start for s in sched.sentences
                if 0 < s.words[0].start - start < 5.9]
    assert found and len(found) == len(expected)
    for got, want in zip(found, expected):
        assert abs(got - want) <= 0.05, (got, want)
    vtt = out.with_suffix(".vtt").read_text(encoding="utf-8")
    assert "00:00:00.200 --> " in vtt  # the second sentence, 0.2 s into the video
    assert sched.sentences[0].text.split()[-1] not in vtt  # finished before the start


def test_start_past_the_end_is_a_one_line_error(prepared, tmp_path):
    settings = ExportSettings(width=W, height=H, fps=FPS, start=prepared.schedule.duration + 1)
    with pytest.raises(DreamError, match="past the end"):
        export_video(tmp_path / "x.mp4", settings, prepared.schedule, prepared.utterances,
                     _Grey())
    assert _files(tmp_path) == []


def test_vtt_sidecar_matches_the_sentences(ten_seconds, prepared):
    text = ten_seconds.with_suffix(".vtt").read_text(encoding="utf-8")
    assert text.startswith("WEBVTT")
    shown = [s for s in prepared.schedule.sentences if s.start < 10]
    assert len(shown) < len(prepared.schedule.sentences)  # the rest is past the video's end
    assert text.count(" --> ") == len(shown)
    for s in shown:
        assert s.text.split()[0] in text
    assert prepared.schedule.sentences[-1].text.split()[-1] not in text


def test_cli_render_is_deterministic_and_refuses_to_overwrite(dream_file, tmp_path, capsys):
    """Real narrator, ambient bed, burned captions: same command twice, same bytes."""
    args = [str(dream_file), "--size", f"{W}x{H}", "--fps", str(FPS), "--duration", "4",
            "--quality", "low", "--captions", "burn", "--seed", "5", "--quiet"]
    a, b = tmp_path / "a.mp4", tmp_path / "b.mp4"
    assert main(["render", *args, "--out", str(a)]) == 0
    assert main(["render", *args, "--out", str(b)]) == 0
    out = capsys.readouterr().out
    assert f"wrote {a}" in out
    assert frame_hashes(a) == frame_hashes(b)
    assert len(frame_hashes(a)) == 4 * FPS
    assert np.array_equal(decode_audio(a), decode_audio(b))
    assert hashlib.sha256(a.read_bytes()).digest() == hashlib.sha256(b.read_bytes()).digest()
    assert probe(a).audio_codec == "aac"
    # the first sentence starts at 3 s: by 3.6 s its caption is burned into the lower band
    from visualizer.export.probe import decode_frame

    before_words = decode_frame(a, int(2.5 * FPS), W, H).astype(int)
    spoken = decode_frame(a, int(3.6 * FPS), W, H).astype(int)
    strokes = np.abs(spoken - before_words).max(axis=2) > 50
    assert strokes[int(H * 0.7):].sum() > 150  # text in the lower band
    assert strokes[: H // 2].sum() < 10  # the picture above is the same

    before = a.read_bytes()
    assert main(["render", *args, "--out", str(a)]) == 1
    err = capsys.readouterr().err
    assert "already exists" in err and "--force" in err and len(err.strip().splitlines()) == 1
    assert a.read_bytes() == before
    assert main(["render", *args, "--out", str(a), "--duration", "2", "--force"]) == 0
    assert len(frame_hashes(a)) == 2 * FPS  # --force replaced it
    assert _files(tmp_path) == ["a.mp4", "b.mp4"]


def test_cli_missing_folder_and_bad_size_are_one_line_errors(dream_file, tmp_path, capsys):
    assert main(["render", str(dream_file), "--out", str(tmp_path / "no" / "x.mp4")]) == 1
    err = capsys.readouterr().err
    assert "folder does not exist" in err and len(err.strip().splitlines()) == 1
    code = main(["render", str(dream_file), "--out", str(tmp_path / "x.mp4"),
                 "--size", "321x180"])
    assert code == 1 and "even" in capsys.readouterr().err
    assert _files(tmp_path) == []


class _Interrupting:
    """A frame source that is Ctrl-C'd part way through."""

    def __init__(self, at: int) -> None:
        self.at = at

    def render_into(self, index: int, t: float, out: np.ndarray) -> None:
        if index == self.at:
            raise KeyboardInterrupt
        out.fill(index % 256)


def _recording_encoder(monkeypatch) -> list:
    made: list = []

    class Recording(video_mod.Encoder):
        def __init__(self, cmd):
            super().__init__(cmd)
            made.append(self)

    monkeypatch.setattr(video_mod, "Encoder", Recording)
    return made


def test_ctrl_c_leaves_no_file_and_no_ffmpeg_behind(prepared, tmp_path, monkeypatch):
    made = _recording_encoder(monkeypatch)
    settings = ExportSettings(width=W, height=H, fps=FPS, captions="vtt", duration=5.0)
    with pytest.raises(KeyboardInterrupt):
        export_video(tmp_path / "x.mp4", settings, prepared.schedule, prepared.utterances,
                     _Interrupting(at=30))
    assert _files(tmp_path) == []
    assert made and made[0].proc.poll() is not None  # ffmpeg was stopped


def test_ffmpeg_failure_is_one_line_and_leaves_nothing(prepared, tmp_path, monkeypatch):
    real = video_mod.encode_command

    def broken(*args):
        cmd = real(*args)
        return [*cmd[:-3], "-c:v", "no-such-encoder", *cmd[-3:]]

    monkeypatch.setattr(video_mod, "encode_command", broken)
    settings = ExportSettings(width=W, height=H, fps=FPS, duration=3.0)
    with pytest.raises(DreamError) as info:
        export_video(tmp_path / "x.mp4", settings, prepared.schedule, prepared.utterances,
                     _Interrupting(at=-1))
    assert str(info.value).startswith("ffmpeg failed:") and "\n" not in str(info.value)
    assert _files(tmp_path) == []


def test_sigterm_during_render_exits_cleanly_without_a_file(dream_file, tmp_path):
    out = tmp_path / "x.mp4"
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    proc = subprocess.Popen(
        [sys.executable, "-m", "visualizer", "render", str(dream_file), "--out", str(out),
         "--size", "640x360", "--fps", "30", "--quality", "low"],
        stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, env=env,
    )
    assert proc.stderr is not None
    line = ""
    while "%" not in line:  # the first progress line: frames are flowing
        line = proc.stderr.readline().decode()
        assert line, "render ended before any progress"
    proc.send_signal(signal.SIGTERM)
    rest = proc.stderr.read().decode()
    code = proc.wait(timeout=30)
    assert code != 0 and "interrupted" in rest
    assert "Traceback" not in rest
    assert _files(tmp_path) == []


def test_parallel_workers_paint_the_same_frames_as_one_process(prepared, tmp_path):
    from visualizer.export.make import render_prepared

    base = ExportSettings(width=W, height=H, fps=FPS, quality="low", captions="burn",
                          duration=3.0, jobs=1)
    one = render_prepared(prepared, tmp_path / "one.mp4", base, quiet=True)
    two = render_prepared(prepared, tmp_path / "two.mp4", replace(base, jobs=2), quiet=True)
    assert one.frames == two.frames == 3 * FPS
    assert frame_hashes(one.path) == frame_hashes(two.path)


class _StopAt:
    """A progress display whose user presses Ctrl-C at a given frame."""

    def __init__(self, at: int) -> None:
        self.at = at

    def update(self, done: int) -> None:
        if done == self.at:
            raise KeyboardInterrupt

    def note(self, text: str) -> None:
        pass

    def begin(self) -> None:
        pass

    def abandon(self) -> None:
        pass


def test_ctrl_c_with_render_workers_stops_them_and_frees_shared_memory(prepared, tmp_path):
    from visualizer.export.make import make_frames
    from visualizer.export.parallel import ParallelFrames

    settings = ExportSettings(width=W, height=H, fps=FPS, duration=4.0, jobs=2)
    local = make_frames(prepared.schedule, settings, seed=1)
    frames = ParallelFrames(prepared.schedule, settings, 1, 2, local.size, local.pix_fmt)
    procs = list(frames._procs)
    shm_names = [s.name for s in frames._shms]
    try:
        with pytest.raises(KeyboardInterrupt):
            export_video(tmp_path / "x.mp4", settings, prepared.schedule, prepared.utterances,
                         frames, progress=_StopAt(10))
    finally:
        frames.close()
    assert _files(tmp_path) == []
    assert not any(p.is_alive() for p in procs)
    assert not any(Path("/dev/shm", name.lstrip("/")).exists() for name in shm_names)


def test_an_existing_captions_file_is_not_overwritten_without_force(prepared, tmp_path):
    vtt = tmp_path / "x.vtt"
    vtt.write_text("mine", encoding="utf-8")
    settings = ExportSettings(width=W, height=H, fps=FPS, captions="vtt", duration=1.0)
    with pytest.raises(DreamError, match="captions file already exists"):
        export_video(tmp_path / "x.mp4", settings, prepared.schedule, prepared.utterances,
                     _Grey())
    assert _files(tmp_path) == ["x.vtt"] and vtt.read_text(encoding="utf-8") == "mine"
    export_video(tmp_path / "x.mp4", replace(settings, force=True), prepared.schedule,
                 prepared.utterances, _Grey())
    assert _files(tmp_path) == ["x.mp4", "x.vtt"]
    assert vtt.read_text(encoding="utf-8").startswith("WEBVTT")
    assert oct(vtt.stat().st_mode & 0o777) == oct(0o666 & ~_umask())
    assert oct((tmp_path / "x.mp4").stat().st_mode & 0o777) == oct(0o666 & ~_umask())


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


class BrokenSchedule:
    """A schedule whose picture breaks after one second (for the worker failure path)."""

    def __init__(self, schedule) -> None:
        self.inner = schedule

    def __getattr__(self, name: str):
        if name == "inner":  # while unpickling in the worker
            raise AttributeError(name)
        return getattr(self.inner, name)

    def sample(self, t: float):
        if t > 1.0:
            raise ValueError("no such scene state")
        return self.inner.sample(t)


def test_a_failing_render_worker_stops_the_export_with_one_line(prepared, tmp_path):
    from visualizer.export.make import render_prepared
    from visualizer.export.parallel import WorkerFailed

    broken = replace(prepared, schedule=BrokenSchedule(prepared.schedule))
    settings = ExportSettings(width=W, height=H, fps=FPS, duration=4.0, jobs=2)
    with pytest.raises(WorkerFailed) as info:
        render_prepared(broken, tmp_path / "x.mp4", settings, quiet=True)
    assert "ValueError: no such scene state" in str(info.value)
    assert "\n" not in str(info.value)
    assert _files(tmp_path) == []
    import multiprocessing

    assert not [p for p in multiprocessing.active_children() if "render" in p.name]
