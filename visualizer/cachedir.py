"""The user cache folder and its size bound, shared by the narration clips and the ambient
layers (each keeps its own sub-folder)."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path


def cache_dir(kind: str) -> Path:
    """`DREAMVIZ_CACHE_DIR`/kind, else the platform's user cache folder for dreamviz/kind."""
    env = os.environ.get("DREAMVIZ_CACHE_DIR")
    if env:
        return Path(env).expanduser() / kind
    import platformdirs

    return Path(platformdirs.user_cache_dir("dreamviz")) / kind


def evict_oldest(folder: Path, pattern: str, max_bytes: int,
                 companions: tuple[str, ...] = ()) -> None:
    """Delete the least recently touched files matching `pattern` (and their companion
    files: the same name with each suffix in `companions`) until the rest fit `max_bytes`."""
    try:
        files = [(p.stat().st_mtime, p.stat().st_size, p) for p in folder.glob(pattern)]
    except OSError:
        return
    total = sum(size for _, size, _ in files)
    for _, size, path in sorted(files):
        if total <= max_bytes:
            break
        for victim in (path, *(path.with_suffix(s) for s in companions)):
            with contextlib.suppress(OSError):
                victim.unlink()
        total -= size
