"""Where bundled data lives, and how a short dream name becomes a file."""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from visualizer.errors import DreamError

_REPO_ROOT = Path(__file__).resolve().parent.parent


def _package_dir(package: str, fallback: str) -> Path:
    try:
        path = Path(str(resources.files(package)))
        if path.is_dir():
            return path
    except (ModuleNotFoundError, TypeError):
        pass
    return _REPO_ROOT / fallback


@cache
def assets_dir() -> Path:
    """The `assets/` folder (palettes, lexicon, motif catalogue, fonts)."""
    return _package_dir("visualizer.assets", "assets")


@cache
def scenes_dir() -> Path:
    """The `scenes/` folder with the bundled dreams and their scripts."""
    return _package_dir("visualizer.scenes", "scenes")


@cache
def load_json_asset(name: str) -> Any:
    """Read a JSON data file from assets/ once."""
    path = assets_dir() / name
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise DreamError(f"cannot read bundled data: {exc}", path=str(path)) from exc


# A night opens gently: the dawn meadow first, the abyss (which resolves into light) last.
PLAYLIST_ORDER = ("mirror-grove", "starlit-pond", "candle-lake")


def bundled_dreams() -> list[Path]:
    """The bundled dreams in playing order, one per short name: the hand-tuned `.dream` if
    present, else the `.txt`."""
    by_name: dict[str, Path] = {}
    for path in sorted(scenes_dir().glob("*.txt")) + sorted(scenes_dir().glob("*.dream")):
        by_name[path.stem] = path  # .dream wins over .txt
    rank = {name: i for i, name in enumerate(PLAYLIST_ORDER)}
    return [by_name[k] for k in sorted(by_name, key=lambda n: (rank.get(n, len(rank)), n))]


def resolve_dream(name_or_path: str) -> Path:
    """A path to an existing file, or a bundled short name like `mirror-grove`."""
    candidate = Path(name_or_path).expanduser()
    if candidate.is_file():
        return candidate
    if candidate.is_dir():
        raise DreamError("is a folder, not a dream file", path=name_or_path)
    for path in bundled_dreams():
        if name_or_path in (path.stem, path.name):
            return path
    for ext in (".dream", ".txt"):
        bundled = scenes_dir() / f"{name_or_path}{ext}"
        if bundled.is_file():
            return bundled
    names = ", ".join(p.stem for p in bundled_dreams())
    raise DreamError(f"no such file or bundled dream (bundled: {names})", path=name_or_path)
