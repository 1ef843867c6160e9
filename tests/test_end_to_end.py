"""The foundation's acceptance, through the real command line: every bundled dream reads,
times, narrates and renders; bad input gets one line and an exit code, never a traceback."""

from __future__ import annotations

import json
import re
import wave
from pathlib import Path

import numpy as np
import pygame
import pytest

from visualizer import cli
from visualizer.resources import bundled_dreams, scenes_dir

DREAMS = ("mirror-grove", "starlit-pond", "candle-lake")


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def timeline(capsys: pytest.CaptureFixture[str], dream: str) -> dict:
    code, out, err = run(capsys, "timeline", dream, "--json")
    assert code == 0, err
    return json.loads(out)


def collapse(text: str) -> str:
    return " ".join(text.split())


def test_every_bundled_dream_has_a_short_name_and_ships_in_scenes() -> None:
    names = {p.stem for p in bundled_dreams()}
    assert set(DREAMS) <= names
    for name in DREAMS:
        assert (scenes_dir() / f"{name}.txt").is_file()


@pytest.mark.parametrize("dream", DREAMS)
def test_timeline_sentences_are_the_dream_in_order(
    capsys: pytest.CaptureFixture[str], dream: str
) -> None:
    data = timeline(capsys, dream)
    source = (scenes_dir() / f"{dream}.txt").read_text(encoding="utf-8")
    assert collapse(" ".join(s["text"] for s in data["sentences"])) == collapse(source)
    assert data["duration"] >= 60
    starts = [s["start"] for s in data["sentences"]]
    assert starts == sorted(starts)
    assert data["scenes"] and data["cues"]


def test_txt_path_works_as_a_dream(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    dream = tmp_path / "mine.txt"
    dream.write_text("I float above a quiet sea. Stars come out one by one.", encoding="utf-8")
    data = timeline(capsys, str(dream))
    assert [s["text"] for s in data["sentences"]] == [
        "I float above a quiet sea.",
        "Stars come out one by one.",
    ]
    assert {"sea", "stars"} <= {c["motif"] for c in data["cues"]}


@pytest.mark.parametrize("dream", DREAMS)
def test_narration_wav_matches_the_timeline(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, dream: str
) -> None:
    data = timeline(capsys, dream)
    out = tmp_path / f"{dream}.wav"
    code, _, err = run(capsys, "narrate", dream, "--out", str(out), "--no-ambient")
    assert code == 0, err
    with wave.open(str(out)) as w:
        seconds = w.getnframes() / w.getframerate()
        pcm = np.frombuffer(w.readframes(w.getnframes()), dtype=np.int16)
    assert seconds >= 60
    assert seconds == pytest.approx(data["duration"], abs=0.1)
    # speech where the timeline says, silence in the lead-in
    rate = len(pcm) / seconds
    first = data["sentences"][0]
    lead = pcm[: int(first["start"] * rate) - 10]
    spoken = pcm[int(first["start"] * rate) : int(first["speech_end"] * rate)]
    assert np.abs(lead).max() == 0
    assert np.sqrt(np.mean(spoken.astype(np.float64) ** 2)) > 300


def frame(path: Path) -> np.ndarray:
    return pygame.surfarray.array3d(pygame.image.load(str(path))).astype(np.int16)


@pytest.mark.parametrize("dream", DREAMS)
def test_stills_at_three_times_differ_and_are_not_black(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, dream: str
) -> None:
    duration = timeline(capsys, dream)["duration"]
    frames = []
    for i, frac in enumerate((0.15, 0.5, 0.85)):
        out = tmp_path / f"{i}.png"
        code, _, err = run(capsys, "still", dream, "--at", f"{duration * frac:.2f}",
                           "--out", str(out), "--size", "320x180", "--seed", "4")
        assert code == 0, err
        frames.append(frame(out))
    for f in frames:
        assert f.mean() > 12, "frame is (nearly) black"
        assert f.std() > 4, "frame is a flat colour"
    for a, b in ((0, 1), (1, 2), (0, 2)):
        assert np.abs(frames[a] - frames[b]).mean() > 4, "frames at different times look alike"


def test_still_is_byte_identical_for_the_same_seed(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    paths = [tmp_path / "a.png", tmp_path / "b.png"]
    for p in paths:
        code, _, err = run(capsys, "still", "starlit-pond", "--at", "100", "--out", str(p),
                           "--size", "256x144", "--seed", "9")
        assert code == 0, err
    assert paths[0].read_bytes() == paths[1].read_bytes()


def test_version_and_help_for_every_subcommand(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        cli.main(["--version"])
    assert exc.value.code == 0
    assert re.match(r"dreamviz \d+\.\d+", capsys.readouterr().out)
    parser = cli.build_parser()
    commands = parser._subparsers._group_actions[0].choices  # type: ignore[union-attr]
    for name in ("play", "narrate", "still", "timeline"):
        assert name in commands
    for name in commands:
        with pytest.raises(SystemExit) as exc:
            cli.main([name, "--help"])
        assert exc.value.code == 0
        assert "usage:" in capsys.readouterr().out


@pytest.mark.parametrize(
    "content",
    [b"", b"   \n\t\n", b"\x00\x01\x02binary\x00", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"],
    ids=["empty", "whitespace", "nul-bytes", "png"],
)
def test_bad_dream_files_get_one_line_naming_the_file(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, content: bytes
) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_bytes(content)
    code, out, err = run(capsys, "timeline", str(bad), "--json")
    assert code == 1
    assert out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1 and str(bad) in lines[0]
    assert "Traceback" not in err


def test_missing_file_and_unknown_name(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "timeline", "no-such-dream")
    assert code == 1 and "no-such-dream" in err and len(err.strip().splitlines()) == 1


def test_the_bundled_playlist_opens_with_the_gentlest_dream() -> None:
    assert [p.stem for p in bundled_dreams()][:3] == ["mirror-grove", "starlit-pond", "candle-lake"]


@pytest.mark.parametrize("command", ["still", "storyboard"])
def test_pictures_never_replace_an_existing_file_without_force(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, command: str
) -> None:
    mine = tmp_path / "mine.png"
    mine.write_bytes(b"my own picture")
    extra = ["--frames", "2"] if command == "storyboard" else ["--at", "5"]
    args = [command, "candle-lake", "--no-voice", "--size", "64x36", "--out", str(mine), *extra]
    code, _, err = run(capsys, *args)
    assert code == 1 and "--force" in err and str(mine) in err
    assert mine.read_bytes() == b"my own picture"
    code, _, err = run(capsys, *args, "--force")
    assert code == 0, err
    assert mine.read_bytes().startswith(b"\x89PNG")


def test_narrate_keeps_an_existing_captions_file_without_force(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    mine = tmp_path / "mine.vtt"
    mine.write_text("my own captions", encoding="utf-8")
    args = ["narrate", "candle-lake", "--engine", "none", "--out", str(tmp_path / "n.wav"),
            "--captions", str(mine)]
    code, _, err = run(capsys, *args)
    assert code == 1 and "--force" in err
    assert mine.read_text(encoding="utf-8") == "my own captions"
    assert not (tmp_path / "n.wav").exists()
