"""A supervised worker process for speech synthesis.

TTS engines are C libraries that can hang or crash; they run in a child process (spawn
context, so no inherited locks or audio state) with a deadline per job. A hung or dead
worker is killed and restarted; the caller decides whether to retry. The child's fd 1 goes
to /dev/null so chatter like pyttsx3's "Audio saved to ..." never reaches our stdout.
"""

from __future__ import annotations

import atexit
import contextlib
import importlib
import multiprocessing as mp
import os
import signal
import sys
import threading
import traceback
import types
import weakref
from collections.abc import Iterator
from typing import Any

START_DEADLINE = 30.0  # a cold start imports numpy and loads voice data


class WorkerError(RuntimeError):
    """The job failed inside the worker (the engine raised)."""


class WorkerDied(RuntimeError):
    """The worker crashed or missed its deadline; it has been restarted."""


def _serve(conn: Any, backend: str) -> None:
    """Child main loop: call `backend.<op>(*args)` for each request until told to stop.

    Ctrl-C in a terminal reaches the whole process group; the parent handles it and closes
    us, so the child ignores SIGINT instead of printing a traceback of its own."""
    with contextlib.suppress(ValueError, OSError):
        signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 1)
    except OSError:
        pass
    try:
        _serve_requests(conn, backend)
    except (BrokenPipeError, EOFError, ConnectionError):
        return  # the parent went away (quit, Ctrl-C): nothing left to answer


def _serve_requests(conn: Any, backend: str) -> None:
    try:
        module = importlib.import_module(backend)
    except BaseException as exc:  # report and exit: the parent falls back
        conn.send(("err", f"{type(exc).__name__}: {exc}"))
        return
    conn.send(("ok", "ready"))
    while True:
        try:
            request = conn.recv()
        except (EOFError, OSError):
            return
        if request is None:
            return
        op, args = request
        try:
            result = ("ok", getattr(module, op)(*args))
        except LookupError as exc:
            result = ("lookup", str(exc.args[0]) if exc.args else str(exc))
        except Exception as exc:
            result = ("err", traceback.format_exception_only(type(exc), exc)[-1].strip())
        conn.send(result)


@contextlib.contextmanager
def _sigint_ignored() -> Iterator[None]:
    """Start children with SIGINT ignored (an ignored signal survives exec), so a Ctrl-C that
    lands while the child is still importing prints nothing; the parent stays in charge."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


@contextlib.contextmanager
def _plain_main() -> Iterator[None]:
    """Start the child without re-running the parent's __main__ (a script, stdin, pytest):
    the worker only needs our package, and a main that cannot be re-imported would kill it."""
    saved = sys.modules.get("__main__")
    sys.modules["__main__"] = types.ModuleType("__main__")
    try:
        yield
    finally:
        if saved is not None:
            sys.modules["__main__"] = saved


class SupervisedWorker:
    """Runs functions of `backend` (a module name) in a child process with deadlines."""

    def __init__(self, backend: str, deadline: float = 10.0) -> None:
        self.backend = backend
        self.deadline = deadline
        self.restarts = 0
        self._ctx = mp.get_context("spawn")
        self._proc: Any = None
        self._conn: Any = None
        self._lock = threading.RLock()
        _LIVE.add(self)

    @property
    def pid(self) -> int | None:
        return self._proc.pid if self._proc is not None else None

    def start(self) -> None:
        """Start the child and wait for it to load its backend (raises WorkerDied/WorkerError)."""
        self.close()
        parent, child = self._ctx.Pipe()
        proc = self._ctx.Process(target=_serve, args=(child, self.backend), daemon=True,
                                 name="dreamviz-tts")
        with _plain_main(), _sigint_ignored():
            proc.start()
        child.close()
        self._proc, self._conn = proc, parent
        if not parent.poll(START_DEADLINE):
            self.close(force=True)
            raise WorkerDied(f"speech worker did not start within {START_DEADLINE:.0f} s")
        try:
            status, value = parent.recv()
        except (EOFError, OSError):
            self.close(force=True)
            raise WorkerDied("speech worker exited while starting") from None
        if status != "ok":
            self.close()
            raise WorkerError(value)

    def call(self, op: str, *args: Any, deadline: float | None = None) -> Any:
        """Run `backend.op(*args)` in the child. A hang past the deadline or a crash kills
        the child, raises WorkerDied, and the next call starts a fresh one. Thread-safe: one
        request at a time (a playlist may prepare the next dream in the background)."""
        with self._lock:
            return self._call(op, args, deadline)

    def _call(self, op: str, args: tuple[Any, ...], deadline: float | None) -> Any:
        if self._proc is None or not self._proc.is_alive():
            if self._proc is not None:
                self.restarts += 1
            self.start()
        limit = self.deadline if deadline is None else deadline
        try:
            self._conn.send((op, args))
            if not self._conn.poll(limit):
                self._kill()
                raise WorkerDied(f"speech worker hung for {limit:g} s; restarted")
            status, value = self._conn.recv()
        except (EOFError, OSError, BrokenPipeError):
            self._kill()
            raise WorkerDied("speech worker crashed; restarted") from None
        if status == "lookup":
            raise LookupError(value)
        if status != "ok":
            raise WorkerError(value)
        return value

    def _kill(self) -> None:
        self.restarts += 1
        self.close(force=True)

    def close(self, force: bool = False) -> None:
        """Stop the child: politely (it finishes its loop), or at once when it is hung."""
        proc, conn = self._proc, self._conn
        self._proc = self._conn = None
        if conn is not None:
            if not force:
                with contextlib.suppress(OSError, ValueError, BrokenPipeError):
                    conn.send(None)
            conn.close()
        if proc is not None:
            if force:
                proc.kill()
            proc.join(0.5)
            if proc.is_alive():
                proc.kill()
                proc.join(2.0)


_LIVE: weakref.WeakSet[SupervisedWorker] = weakref.WeakSet()


@atexit.register
def _close_all() -> None:
    for worker in list(_LIVE):
        worker.close()
