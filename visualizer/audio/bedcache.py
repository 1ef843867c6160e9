"""Rendered ambient layers kept on disk, so a dream's sound bed is ready at once the second
time (rendering a dream's layers takes ~0.6 s of FFTs, most of a cold start).

One .npy per layer, named by what it is made from and a hash of the code that makes it, so a
change to the synthesis never reads a stale layer. Writes go to a unique temp name and are
renamed into place; a read checks shape and type. The folder is size-bounded (oldest
evicted). Any error means "not cached": the layer is rendered as before.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import tempfile
from functools import cache
from pathlib import Path

import numpy as np

from visualizer.cachedir import cache_dir, evict_oldest

MAX_BYTES = 160 * 1024 * 1024  # ~8 dreams' layers at 22050 Hz


def default_dir() -> Path:
    return cache_dir("ambient")


@cache
def code_version() -> str:
    """A hash of the synthesis code: part of every name."""
    src = Path(__file__).with_name("ambient.py").read_bytes()
    return hashlib.sha256(src).hexdigest()[:12]


class LayerCache:
    def __init__(self, folder: Path | str | None = None, max_bytes: int = MAX_BYTES) -> None:
        self.folder = Path(folder) if folder is not None else default_dir()
        self.max_bytes = max_bytes

    def _path(self, key: tuple) -> Path:
        name = "-".join(str(part) for part in key) or "layer"
        safe = "".join(c if c.isalnum() or c in "-._" else "_" for c in name)
        return self.folder / f"{safe}-{code_version()}.npy"

    def get(self, key: tuple, n: int) -> np.ndarray | None:
        path = self._path(key)
        try:
            arr = np.load(path, allow_pickle=False)
        except (OSError, ValueError, EOFError):
            return None
        if arr.dtype != np.float32 or arr.shape != (n,) or not np.isfinite(arr).all():
            return None
        with contextlib.suppress(OSError):
            os.utime(path)  # recently used: evicted last
        return arr

    def put(self, key: tuple, layer: np.ndarray) -> None:
        path = self._path(key)
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=f".{path.stem}.", suffix=".tmp", dir=self.folder)
        except OSError:
            return
        try:
            with os.fdopen(fd, "wb") as fh:
                np.save(fh, np.ascontiguousarray(layer, dtype=np.float32), allow_pickle=False)
            os.replace(tmp, path)
        except OSError:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            return
        self._evict()

    def _evict(self) -> None:
        evict_oldest(self.folder, "*.npy", self.max_bytes)
