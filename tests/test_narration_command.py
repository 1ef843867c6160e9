"""`dreamviz narrate` and `dreamviz voices` end to end (real espeak-ng where available)."""

from __future__ import annotations

import json

import numpy as np
import pytest

from visualizer.audio.analysis import onsets
from visualizer.audio.wav import read_wav
from visualizer.cli import main


def _has_voice() -> bool:
    from visualizer.narration import get_narrator

    n = get_narrator("espeak", warn=lambda m: None, shared=False)
    ok = n.speaks
    getattr(n, "close", lambda: None)()
    return ok


needs_voice = pytest.mark.skipif(not _has_voice(), reason="espeak-ng not available")


@needs_voice
def test_narrate_out_matches_the_timeline(tmp_path, capsys):
    out = tmp_path / "candle.wav"
    assert main(["timeline", "candle-lake", "--json"]) == 0
    timeline = json.loads(capsys.readouterr().out)
    assert main(["narrate", "candle-lake", "--out", str(out), "--json"]) == 0
    summary = json.loads(capsys.readouterr().out)  # nothing but JSON on stdout
    assert summary["out"] == str(out) and summary["speaks"] is True
    pcm, sr = read_wav(out)
    assert len(pcm) / sr >= 60
    assert len(pcm) / sr == pytest.approx(timeline["duration"], abs=0.1)
    starts = [s["start"] for s in timeline["sentences"]]
    found = onsets(pcm, sr, threshold=600, min_gap=0.5)
    assert len(found) == len(starts)
    errors = [abs(a - b) for a, b in zip(found, starts, strict=True)]
    assert max(errors) <= 0.050, max(errors)


@needs_voice
def test_narrate_out_refuses_to_overwrite_and_writes_captions(tmp_path, capsys):
    out = tmp_path / "d.wav"
    out.write_bytes(b"precious")
    assert main(["narrate", "starlit-pond", "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert "already exists" in err and "--force" in err and err.count("\n") == 1
    assert out.read_bytes() == b"precious"
    vtt = tmp_path / "d.vtt"
    assert main(["narrate", "starlit-pond", "--out", str(out), "--force",
                 "--captions", str(vtt), "--rate", "120"]) == 0
    captured = capsys.readouterr()
    assert "Audio saved to" not in captured.out
    assert captured.out.startswith("wrote ")
    assert read_wav(out)[0].size > 0
    text = vtt.read_text(encoding="utf-8")
    assert text.startswith("WEBVTT") and "<00:00:0" in text


def test_narrate_usage_errors(tmp_path, capsys):
    assert main(["narrate", "candle-lake", "--out", str(tmp_path / "x.mp3")]) == 2
    assert main(["narrate", "candle-lake", "--captions", str(tmp_path / "x.txt"),
                 "--out", str(tmp_path / "y.wav")]) == 2
    with pytest.raises(SystemExit) as exc:
        main(["narrate", "candle-lake", "--rate", "5"])
    assert exc.value.code == 2
    assert main(["narrate", "no-such-dream", "--out", str(tmp_path / "z.wav")]) == 1
    assert main(["narrate", "candle-lake", "--out", str(tmp_path / "nodir" / "z.wav")]) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err


def test_narrate_without_voice_writes_reading_pace_silence(tmp_path, capsys):
    out = tmp_path / "silent.wav"
    assert main(["narrate", "mirror-grove", "--engine", "none", "--out", str(out),
                 "--json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    pcm, sr = read_wav(out)
    assert summary["speaks"] is False and not pcm.any()
    assert len(pcm) / sr == pytest.approx(summary["duration"], abs=0.01) and len(pcm) > 60 * sr


def test_narrate_with_ambient_fills_the_pauses(tmp_path, capsys):
    out = tmp_path / "amb.wav"
    assert main(["narrate", "candle-lake", "--engine", "none", "--ambient", "--out",
                 str(out), "--sleep-timer", "0.5"]) == 0
    pcm, sr = read_wav(out)
    assert len(pcm) == 30 * sr  # the sleep timer cuts at 30 s
    x = pcm.astype(np.float64)
    assert np.sqrt(np.mean(x[5 * sr: 10 * sr] ** 2)) > 100  # a bed under the silence
    assert abs(x[-100:]).max() < 50  # faded out at the end of the timer


def test_no_voice_falls_back_with_one_warning(monkeypatch):
    from visualizer.narration import espeak, get_narrator

    monkeypatch.setattr(espeak, "BACKEND", "visualizer.narration.no_such_engine")
    warnings: list[str] = []
    n = get_narrator("auto", warn=warnings.append, shared=False)
    assert n.speaks is False
    assert len(warnings) == 1 and "no voice" in warnings[0] and "\n" not in warnings[0]


@needs_voice
def test_voices_lists_english(capsys):
    assert main(["voices", "en", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["engine"].startswith("espeak-ng")
    ids = [v["id"] for v in data["voices"]]
    assert any(i.endswith("en-US") for i in ids)
    assert all(any(lang.startswith("en") for lang in v["languages"]) or
               v["id"].rsplit("/", 1)[-1].startswith("en") or v["name"].lower().startswith("en")
               for v in data["voices"])
    assert main(["voices"]) == 0
    assert "English" in capsys.readouterr().out


@needs_voice
def test_narrate_with_named_voice(tmp_path, capsys):
    out = tmp_path / "us.wav"
    assert main(["narrate", "candle-lake", "--voice", "gmw/en-US", "--out", str(out),
                 "--sleep-timer", "0.2"]) == 0
    assert read_wav(out)[0].any()
    assert main(["narrate", "candle-lake", "--voice", "klingon-xx", "--out",
                 str(tmp_path / "k.wav")]) == 1
    assert "unknown voice" in capsys.readouterr().err
