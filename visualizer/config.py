"""User settings for `play`: a small TOML file in the user config dir, overridden by options.

Why a file: a bedside or kiosk screen is set up once (dimmer, volume, sleep timer, display)
and then started with a bare `dreamviz play`. Every key is optional; a bad value is one
line naming the key and its line in the file, never a traceback.
"""

from __future__ import annotations

import difflib
import os
import re
import tomllib
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

from visualizer.errors import DreamError

QUALITIES = ("low", "medium", "high")


@dataclass(frozen=True)
class Settings:
    """What `play` starts with. `volume` is the voice level 0..1; `dim` the light level
    0.05..1 (1 = full brightness); `sleep_timer` in minutes, 0 = off; `rate` in words per
    minute, None = the script's own pace; `voice` None = the script's or the default."""

    fps: int = 60
    fullscreen: bool = True
    display: int = 0
    captions: bool = True
    volume: float = 0.8
    ambient: bool = True
    voice: str | None = None
    rate: int | None = None
    dim: float = 1.0
    quality: str = "medium"
    sleep_timer: float = 0.0
    shuffle: bool = False
    loop: bool = True


KEYS = tuple(f.name for f in fields(Settings))

HELP = {
    "fps": "frame-rate cap, 10..240 (30 saves power)",
    "fullscreen": "true: fullscreen at the desktop resolution; false: a window",
    "display": "which monitor to use, 0 = primary",
    "captions": "show the words at the bottom of the screen",
    "volume": "voice volume 0..1",
    "ambient": "play the ambient sound bed under the voice",
    "voice": 'voice name or id (see `dreamviz voices`), "" = default',
    "rate": "speaking rate in words per minute, 60..300 (0 = the script's own)",
    "dim": "light level 0.05..1 for a dark bedroom (D cycles it while playing)",
    "quality": "picture quality: low, medium or high",
    "sleep_timer": "minutes until the show fades out and stops, 0 = off",
    "shuffle": "play the dreams in a random order",
    "loop": "start again after the last dream",
}


def config_dir() -> Path:
    """`DREAMVIZ_CONFIG_DIR` if set (tests, portable installs), else the platform's."""
    override = os.environ.get("DREAMVIZ_CONFIG_DIR")
    if override:
        return Path(override).expanduser()
    from platformdirs import user_config_dir

    return Path(user_config_dir("dreamviz"))


def config_path() -> Path:
    return config_dir() / "settings.toml"


def _line_of(text: str, key: str) -> int | None:
    match = re.search(rf"^[ \t]*[\"']?{re.escape(key)}[\"']?[ \t]*=", text, re.MULTILINE)
    return text.count("\n", 0, match.start()) + 1 if match else None


def _bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    raise ValueError("must be true or false")


def _number(value: Any, lo: float, hi: float) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"must be a number between {lo:g} and {hi:g}")
    if not lo <= float(value) <= hi:
        raise ValueError(f"must be between {lo:g} and {hi:g}, not {value}")
    return float(value)


def _int(value: Any, lo: int, hi: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"must be a whole number between {lo} and {hi}")
    if not lo <= value <= hi:
        raise ValueError(f"must be between {lo} and {hi}, not {value}")
    return value


def _check(key: str, value: Any) -> Any:
    """The validated value for one key, or ValueError saying what is allowed."""
    if key == "fps":
        return _int(value, 10, 240)
    if key == "display":
        return _int(value, 0, 16)
    if key == "rate":
        rate = _int(value, 0, 300)
        if 0 < rate < 60:
            raise ValueError(f"must be between 60 and 300 (or 0 for the script's), not {rate}")
        return rate or None
    if key in ("fullscreen", "captions", "ambient", "shuffle", "loop"):
        return _bool(value)
    if key == "volume":
        return _number(value, 0.0, 1.0)
    if key == "dim":
        return _number(value, 0.05, 1.0)
    if key == "sleep_timer":
        return _number(value, 0.0, 24 * 60)
    if key == "quality":
        if value not in QUALITIES:
            raise ValueError(f"must be one of {', '.join(QUALITIES)}, not {value!r}")
        return value
    if key == "voice":
        if not isinstance(value, str):
            raise ValueError("must be a string (a voice name or id)")
        return value.strip() or None
    raise ValueError("unknown key")


def parse_settings(text: str, path: str = "<settings>") -> Settings:
    """Settings from TOML text; DreamError naming the key and line for any bad value."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        match = re.search(r"\(at line (\d+), column (\d+)\)", message)
        if match:
            reason = message[: match.start()].strip()
            raise DreamError(f"not valid TOML: {reason}", path, int(match[1]),
                             int(match[2])) from None
        raise DreamError(f"not valid TOML: {message}", path) from None
    values: dict[str, Any] = {}
    for key, value in data.items():
        line = _line_of(text, key)
        if key not in KEYS:
            near = difflib.get_close_matches(key, KEYS, n=1)
            hint = f" (did you mean {near[0]!r}?)" if near else f" (keys: {', '.join(KEYS)})"
            raise DreamError(f"unknown setting {key!r}{hint}", path, line, 1 if line else None)
        try:
            values[key] = _check(key, value)
        except ValueError as exc:
            raise DreamError(f"{key}: {exc}", path, line, 1 if line else None) from None
    return replace(Settings(), **values)


def load_settings(path: Path | None = None) -> Settings:
    """The user's settings (defaults when the file does not exist)."""
    path = path or config_path()
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return Settings()
    except OSError as exc:
        raise DreamError(f"cannot read settings: {exc.strerror or exc}", str(path)) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DreamError("settings file is not UTF-8 text", str(path),
                         raw.count(b"\n", 0, exc.start) + 1) from None
    return parse_settings(text, str(path))


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return '""'
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if isinstance(value, float) and value.is_integer():
        return f"{value:.1f}"
    return str(value)


def to_toml(settings: Settings, comments: bool = True) -> str:
    """The settings as a TOML file a person can edit (every key, with what it means)."""
    lines = []
    for key in KEYS:
        value = getattr(settings, key)
        if key == "rate" and value is None:
            value = 0
        if comments:
            lines.append(f"# {HELP[key]}")
        lines.append(f"{key} = {_toml_value(value)}")
    return "\n".join(lines) + "\n"


def write_default(path: Path | None = None, force: bool = False) -> Path:
    """Write a commented settings file with the defaults (never clobbering one by accident)."""
    path = path or config_path()
    if path.exists() and not force:
        raise DreamError("settings file already exists (use --force to overwrite)", str(path))
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".toml.tmp")
    tmp.write_text("# dreamviz settings: options on the command line override these.\n"
                   + to_toml(Settings()), encoding="utf-8")
    os.replace(tmp, path)
    return path


def set_value(key: str, text: str, path: Path | None = None) -> Settings:
    """Change one key in the file (validated; other lines and comments kept)."""
    path = path or config_path()
    if key not in KEYS:
        near = difflib.get_close_matches(key, KEYS, n=1)
        hint = f" (did you mean {near[0]!r}?)" if near else ""
        raise DreamError(f"unknown setting {key!r}{hint}", exit_code=2)
    try:
        value = tomllib.loads(f"v = {text}")["v"]
    except tomllib.TOMLDecodeError:
        value = text  # a bare word: treat as a string (quality = high, voice = en-us)
    try:
        value = _check(key, value)
    except ValueError as exc:
        raise DreamError(f"{key}: {exc}", exit_code=2) from None
    current = path.read_text(encoding="utf-8-sig") if path.exists() else ""
    load_settings(path)  # refuse to edit a file that is already broken
    if key == "rate" and value is None:
        value = 0
    line = f"{key} = {_toml_value(value)}"
    pattern = re.compile(rf"^[ \t]*{re.escape(key)}[ \t]*=.*$", re.MULTILINE)
    if pattern.search(current):
        updated = pattern.sub(line, current, count=1)
    else:
        updated = current + ("" if not current or current.endswith("\n") else "\n") + line + "\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".toml.tmp")
    tmp.write_text(updated, encoding="utf-8")
    os.replace(tmp, path)
    return load_settings(path)
