"""One background thread for preparing dreams, as a daemon.

Why not ThreadPoolExecutor: its threads are joined when Python exits, so Ctrl-C or SIGTERM
during a first, long narration synthesis would hang the exit until it finished. A daemon
thread lets the player leave at once; its half-done work is simply dropped.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable
from concurrent.futures import Future
from typing import Any

_STOP = object()


class Worker:
    def __init__(self, name: str) -> None:
        self._tasks: queue.SimpleQueue[Any] = queue.SimpleQueue()
        self._closed = False
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)
        self._thread.start()

    def submit(self, fn: Callable[..., Any], *args: Any) -> Future:
        future: Future = Future()
        if self._closed:
            future.cancel()
            return future
        self._tasks.put((future, fn, args))
        return future

    def _run(self) -> None:
        while True:
            task = self._tasks.get()
            if task is _STOP:
                return
            future, fn, args = task
            if not future.set_running_or_notify_cancel():
                continue
            try:
                result = fn(*args)
            except BaseException as exc:  # handed to whoever takes the result
                future.set_exception(exc)
            else:
                future.set_result(result)

    def close(self) -> None:
        """Stop after the current task; queued ones are cancelled. Does not wait."""
        self._closed = True
        self._tasks.put(_STOP)
