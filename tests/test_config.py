"""Settings TOML: defaults, overrides, one-line errors naming the key and line."""

from __future__ import annotations

import argparse
import os
from pathlib import Path

import pytest

from visualizer.cli import main
from visualizer.commands.play import merged
from visualizer.config import (
    KEYS,
    Settings,
    config_path,
    load_settings,
    parse_settings,
    set_value,
    to_toml,
    write_default,
)
from visualizer.errors import DreamError


@pytest.fixture
def cfg(tmp_path, monkeypatch):
    monkeypatch.setenv("DREAMVIZ_CONFIG_DIR", str(tmp_path / "cfg"))
    return tmp_path / "cfg" / "settings.toml"


def test_config_dir_honours_the_env_override(cfg):
    assert config_path() == cfg


def test_missing_file_means_defaults(cfg):
    assert load_settings() == Settings()


def test_values_are_read_and_validated(cfg):
    s = parse_settings('fps = 30\ndim = 0.3\nvoice = "en-us"\nrate = 0\nshuffle = true\n'
                       'sleep_timer = 45\nquality = "low"\n')
    assert (s.fps, s.dim, s.voice, s.rate, s.shuffle, s.sleep_timer, s.quality) == (
        30, 0.3, "en-us", None, True, 45.0, "low")


@pytest.mark.parametrize("text, where, words", [
    ("fps = 60\ndim = 7\n", 2, "dim: must be between 0.05 and 1"),
    ('\n\nvolume = "loud"\n', 3, "volume: must be a number"),
    ("captions = 1\n", 1, "captions: must be true or false"),
    ('quality = "ultra"\n', 1, "quality: must be one of low, medium, high"),
    ("rate = 20\n", 1, "rate: must be between 60 and 300"),
    ("fps = 2.5\n", 1, "fps: must be a whole number"),
    ("dimm = 0.5\n", 1, "unknown setting 'dimm' (did you mean 'dim'?)"),
])
def test_a_bad_value_is_one_line_naming_key_and_line(text, where, words):
    with pytest.raises(DreamError) as info:
        parse_settings(text, "settings.toml")
    message = str(info.value)
    assert message.startswith(f"settings.toml:{where}:1: ") and words in message
    assert "\n" not in message


def test_broken_toml_names_line_and_column():
    with pytest.raises(DreamError) as info:
        parse_settings("fps = 60\ndim = \n", "s.toml")
    assert str(info.value).startswith("s.toml:2:") and "not valid TOML" in str(info.value)


def test_written_defaults_read_back_and_every_key_is_documented(cfg):
    write_default()
    assert load_settings() == Settings()
    text = cfg.read_text()
    for key in KEYS:
        assert f"\n{key} = " in text
    with pytest.raises(DreamError, match="already exists"):
        write_default()
    assert parse_settings(to_toml(Settings(voice="x", rate=120))) == Settings(voice="x",
                                                                               rate=120)


def test_set_value_keeps_comments_and_validates(cfg):
    write_default()
    set_value("dim", "0.3")
    set_value("quality", "high")  # a bare word is a string
    s = load_settings()
    assert s.dim == 0.3 and s.quality == "high"
    assert cfg.read_text().count("# light level") == 1
    with pytest.raises(DreamError, match="dim: must be between"):
        set_value("dim", "3")
    with pytest.raises(DreamError, match="did you mean 'volume'"):
        set_value("volum", "0.5")


def test_command_line_overrides_the_file():
    settings = Settings(fps=60, fullscreen=True, captions=True, dim=0.5, loop=True)
    args = argparse.Namespace(windowed=True, fullscreen=False, display=None, fps=None,
                              quality=None, captions=False, volume=None, ambient=None,
                              voice=None, rate=None, dim=None, low_power=True,
                              sleep_timer=10.0, shuffle=None, once=True, loop=False)
    s = merged(args, settings)
    assert (s.fullscreen, s.captions, s.fps, s.quality, s.dim, s.sleep_timer, s.loop) == (
        False, False, 30, "low", 0.5, 10.0, False)


def test_config_command_shows_path_and_values(cfg, capsys):
    assert main(["config", "--set", "dim=0.25", "--set", "shuffle=true"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0] == f"# {cfg}"
    assert "dim = 0.25\n" in out and "fps = 60  # default" in out
    assert main(["config", "--path"]) == 0
    assert capsys.readouterr().out.strip() == str(cfg)


def test_config_command_bad_file_is_one_line_exit_1(cfg, capsys):
    cfg.parent.mkdir(parents=True)
    cfg.write_text("fps = 60\nvolume = 2\n")
    assert main(["config", "--show"]) == 1
    err = capsys.readouterr().err
    assert err == f"dreamviz: {cfg}:2:1: volume: must be between 0 and 1, not 2\n"


def test_bad_setting_stops_play_before_any_window(cfg, capsys):
    cfg.parent.mkdir(parents=True)
    cfg.write_text('quality = "ultra"\n')
    assert main(["play", "--duration", "1"]) == 1
    assert "quality: must be one of" in capsys.readouterr().err
    assert os.environ.get("SDL_VIDEODRIVER") == "dummy"
    assert Path(cfg).exists()
