"""still / storyboard / bench commands, headless and fast (reading-pace timing, tiny sizes)."""

from __future__ import annotations

import json

import pygame
import pytest

from visualizer.cli import main


def test_still_is_byte_identical_for_same_inputs(tmp_path, capsys):
    a, b = tmp_path / "a.png", tmp_path / "b.png"
    args = ["still", "starlit-pond", "--at", "120", "--size", "160x90", "--no-voice"]
    assert main([*args, "--out", str(a)]) == 0
    assert main([*args, "--out", str(b)]) == 0
    assert a.read_bytes() == b.read_bytes()
    assert pygame.image.load(str(a)).get_size() == (160, 90)
    c = tmp_path / "c.png"
    assert main([*args, "--seed", "99", "--out", str(c)]) == 0
    assert c.read_bytes() != a.read_bytes()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no temp debris


def test_still_refuses_missing_folder_and_bad_time(tmp_path, capsys):
    assert main(["still", "starlit-pond", "--no-voice", "--out",
                 str(tmp_path / "nope" / "x.png")]) == 1
    err = capsys.readouterr().err
    assert "does not exist" in err and "Traceback" not in err
    assert main(["still", "starlit-pond", "--no-voice", "--at", "99999", "--out",
                 str(tmp_path / "x.png")]) == 2
    assert "past the end" in capsys.readouterr().err
    assert not (tmp_path / "x.png").exists()


def test_still_usage_errors_exit_2(tmp_path):
    with pytest.raises(SystemExit) as exc:
        main(["still", "starlit-pond", "--at", "-3", "--out", str(tmp_path / "x.png")])
    assert exc.value.code == 2


def test_storyboard_grid(tmp_path):
    out = tmp_path / "board.png"
    assert main(["storyboard", "candle-lake", "--frames", "4", "--size", "160x90",
                 "--columns", "2", "--no-voice", "--out", str(out)]) == 0
    sheet = pygame.image.load(str(out))
    w, h = sheet.get_size()
    assert w > 2 * 160 and h > 2 * 90


def test_storyboard_labels_and_moments():
    from visualizer.commands.storyboard import moments, wrap

    pygame.font.init()
    font = pygame.font.Font(None, 16)
    lines = wrap(font, "word " * 200, 120, 3)
    assert len(lines) == 3 and lines[-1].endswith("...")
    assert all(font.size(line)[0] <= 120 for line in lines)

    class Sched:
        duration = 100.0
        sentences = ()

    ts = moments(Sched, 4)
    assert ts == sorted(ts) and ts[0] > 0 and ts[-1] < 100


def test_bench_json_shape(tmp_path, capsys):
    out = tmp_path / "bench.json"
    assert main(["bench", "--size", "96x54", "--frames", "5", "--json", "--dream",
                 "candle-lake", "--out", str(out)]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["size"] == [96, 54]
    assert data["floor_ms"] >= 0 and data["naive_ms"] >= 0
    assert data["scenes"] and {"dream", "scene", "particles", "median_ms", "p99_ms"} <= set(
        data["scenes"][0])
    assert json.loads(out.read_text()) == data
