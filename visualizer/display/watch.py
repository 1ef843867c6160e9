"""Hot reload for authors: `preview --watch` reloads the script when it is saved.

The file's mtime and size are polled twice a second (no inotify dependency; works with
editors that save by renaming). A changed file is prepared on a worker thread; the new
version replaces the playing one at the same playhead. A script error goes on screen and to
the terminal as one line, and the last good version keeps playing.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future
from pathlib import Path
from typing import Any

from visualizer.display.worker import Worker
from visualizer.errors import DreamError

POLL = 0.5


class ScriptWatcher:
    def __init__(self, path: Path, load: Callable[[Path], Any],
                 report: Callable[[str], None], interval: float = POLL) -> None:
        self.path = Path(path)
        self.load = load
        self.report = report
        self.interval = interval
        self.reloads = 0
        self.errors = 0
        self._seen = self._stamp()
        self._next_check = 0.0
        self._pool = Worker("dreamviz-watch")
        self._pending: Future | None = None
        self._last_error: str | None = None

    def _stamp(self) -> tuple[int, int] | None:
        try:
            st = self.path.stat()
        except OSError:
            return None
        return st.st_mtime_ns, st.st_size

    def poll(self, player: Any, now: float) -> None:
        """Called every frame by the player; cheap unless the file changed."""
        if self._pending is not None and self._pending.done():
            future, self._pending = self._pending, None
            self._finish(future, player, now)
        if now < self._next_check:
            return
        self._next_check = now + self.interval
        stamp = self._stamp()
        if stamp is None or stamp == self._seen or self._pending is not None:
            return
        self._seen = stamp
        self._pending = self._pool.submit(self.load, self.path)

    def _finish(self, future: Future, player: Any, now: float) -> None:
        try:
            dream = future.result()
        except DreamError as exc:
            self._show_error(str(exc), player)
            return
        except Exception as exc:  # a bug while preparing must not end the preview
            self._show_error(f"{self.path}: cannot prepare: {type(exc).__name__}: {exc}",
                             player)
            return
        self.reloads += 1
        self._last_error = None
        if player.overlay is not None:
            player.overlay.set_error(None)
            player.overlay.note("Reloaded", now)
        player.replace_dream(dream, now)
        self.report(f"reloaded {self.path} at {player.t:.1f} s")

    def _show_error(self, message: str, player: Any) -> None:
        self.errors += 1
        if player.overlay is not None:
            player.overlay.set_error(message)
        if message != self._last_error:
            self._last_error = message
            self.report(message)

    def failed_first(self, message: str, player: Any) -> None:
        """The script was broken at start: show it and wait for the author to fix it."""
        self._show_error(message, player)

    def close(self) -> None:
        self._pool.close()
