"""What plays next: the bundled dreams or the user's files and folders, looped or once,
in order or shuffled (seeded RNG injected, so a test can predict it).

`Preloader` prepares the next dream on a worker thread while the current one plays, so
moving on never stalls the picture.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from concurrent.futures import Future
from pathlib import Path
from typing import Any

from visualizer.display.worker import Worker
from visualizer.errors import DreamError
from visualizer.resources import bundled_dreams, resolve_dream

DREAM_SUFFIXES = (".dream", ".txt")


def _folder(path: Path) -> list[Path]:
    """Dreams in a folder: one per name, the hand-tuned `.dream` winning over its `.txt`."""
    by_stem: dict[str, Path] = {}
    for suffix in reversed(DREAM_SUFFIXES):
        for item in sorted(path.glob(f"*{suffix}")):
            if item.is_file():
                by_stem[item.stem] = item
    return [by_stem[k] for k in sorted(by_stem)]


def collect(names: Sequence[str]) -> list[Path]:
    """Paths for the user's arguments (files, folders, bundled names); none = bundled."""
    if not names:
        return bundled_dreams()
    paths: list[Path] = []
    for name in names:
        candidate = Path(name).expanduser()
        if candidate.is_dir():
            found = _folder(candidate)
            if not found:
                raise DreamError("no .txt or .dream files in this folder", path=name)
            paths.extend(found)
        else:
            paths.append(resolve_dream(name))
    return paths


class Playlist:
    def __init__(self, items: Sequence[Path], loop: bool = True, shuffle: bool = False,
                 rng: random.Random | None = None) -> None:
        if not items:
            raise DreamError("nothing to play")
        self.items = list(items)
        self.loop = loop
        self.shuffle = shuffle
        self.rng = rng or random.Random()
        self.order: list[Path] = []
        self.cycles = 0
        self._pos = 0
        self._last: Path | None = None
        self._new_cycle()

    def _new_cycle(self) -> None:
        order = list(self.items)
        if self.shuffle:
            self.rng.shuffle(order)
            if len(order) > 1 and order[0] == self._last:
                order.append(order.pop(0))  # never the same dream twice in a row
        self.order = order
        self._pos = 0

    def peek(self) -> Path | None:
        """What `next()` will give (None: the end of a --once playlist)."""
        if self._pos < len(self.order):
            return self.order[self._pos]
        if not self.loop:
            return None
        self.cycles += 1
        self._new_cycle()
        return self.order[0]

    def next(self) -> Path | None:
        item = self.peek()
        if item is not None:
            self._pos += 1
            self._last = item
        return item

    def drop(self, item: Path) -> None:
        """Forget a dream that cannot be played (so a broken file is not retried forever)."""
        self.items = [p for p in self.items if p != item]
        self.order = self.order[: self._pos] + [p for p in self.order[self._pos:] if p != item]


class Preloader:
    """One worker thread preparing dreams ahead of time; results are cached by path for the
    single next item, so a one-dream loop does not prepare the same dream again."""

    def __init__(self, load: Callable[[Path], Any]) -> None:
        self.load = load
        self._pool = Worker("dreamviz-prepare")
        self._pending: dict[Path, Future] = {}

    def request(self, path: Path) -> None:
        if path not in self._pending:
            self._pending = {p: f for p, f in self._pending.items() if not f.done() or p == path}
            self._pending[path] = self._pool.submit(self.load, path)

    def ready(self, path: Path) -> bool:
        future = self._pending.get(path)
        return future is not None and future.done()

    def take(self, path: Path) -> Any:
        """The prepared dream (raises what preparing raised). Call once `ready`."""
        future = self._pending.pop(path)
        return future.result()

    def keep(self, path: Path, value: Any) -> None:
        """Hold an already prepared dream for reuse (one-dream loops)."""
        done: Future = Future()
        done.set_result(value)
        self._pending[path] = done

    def close(self) -> None:
        for future in self._pending.values():
            future.cancel()
        self._pending.clear()
        self._pool.close()
