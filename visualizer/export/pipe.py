"""Rendering and encoding overlap: the main thread renders into one of a few preallocated
frame buffers while a writer thread hands earlier ones to ffmpeg. Two queues (free buffers,
filled buffers) bound the memory and make the faster side wait for the slower one."""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable

import numpy as np

_STOP = None


class FramePipe:
    """`acquire()` a free buffer, fill it, `submit()` it; `close()` waits for the writer.

    `sink` is called from the writer thread with each filled buffer (e.g. Encoder.write). If it
    raises, the error is re-raised in the rendering thread at the next acquire/submit/close.
    """

    def __init__(self, shape: tuple[int, ...], sink: Callable[[memoryview], None],
                 depth: int = 4) -> None:
        self._sink = sink
        self._free: queue.Queue[np.ndarray] = queue.Queue()
        self._filled: queue.Queue[np.ndarray | None] = queue.Queue()
        for _ in range(max(2, depth)):
            self._free.put(np.empty(shape, dtype=np.uint8))
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="frame-writer", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while True:
            buf = self._filled.get()
            if buf is _STOP:
                return
            if self._error is None:
                try:
                    self._sink(buf.data.cast("B"))
                except BaseException as exc:  # handed to the rendering thread
                    self._error = exc
            self._free.put(buf)

    def _check(self) -> None:
        if self._error is not None:
            raise self._error

    def acquire(self) -> np.ndarray:
        while True:
            self._check()
            try:
                return self._free.get(timeout=0.2)
            except queue.Empty:
                continue

    def submit(self, buf: np.ndarray) -> None:
        self._check()
        self._filled.put(buf)

    def close(self) -> None:
        """Wait until every submitted frame reached the sink."""
        self._filled.put(_STOP)
        self._thread.join()
        self._check()

    def abort(self) -> None:
        """Stop without caring about the frames still queued (the sink is being killed)."""
        self._error = self._error or RuntimeError("aborted")
        self._filled.put(_STOP)
        self._thread.join(timeout=10)
