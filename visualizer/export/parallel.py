"""Frames rendered by several worker processes at once, handed to the encoder in order.

A frame is a pure function of (seed, state, t), so worker k can paint frames k, k+N, k+2N...
with its own Renderer and the result is the same bytes as painting them one by one. Frames
travel through shared memory slots (no pickling of pixels); the parent only sends
(frame, slot) tasks, receives "done" notes, and writes each finished slot to ffmpeg while the
workers are already painting the next ones. Used when there is more than one core: the
engine's per-frame Python work is what limits export speed, and processes sidestep the GIL."""

from __future__ import annotations

import contextlib
import multiprocessing as mp
import os
import queue
import signal
from collections.abc import Iterator
from dataclasses import dataclass
from multiprocessing import shared_memory
from typing import Any

import numpy as np

from visualizer.export.settings import ExportSettings

SLOTS_PER_WORKER = 3
POLL = 0.5  # seconds between liveness checks while waiting


@dataclass(frozen=True)
class _Job:
    schedule: Any
    settings: ExportSettings
    seed: int
    slot_names: tuple[str, ...]
    shape: tuple[int, int, int]
    parent: int


def _worker(job: _Job, tasks: Any, done: Any) -> None:
    """Paint every (index, slot) task into its slot until told to stop (None) or orphaned."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides when to stop
    os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
    os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
    shms: list[shared_memory.SharedMemory] = []
    slots: list[np.ndarray] = []
    try:
        from visualizer.export.make import make_frames

        frames = make_frames(job.schedule, job.settings, job.seed)
        for name in job.slot_names:
            shm = shared_memory.SharedMemory(name=name)
            shms.append(shm)
            slots.append(np.ndarray(job.shape, np.uint8, buffer=shm.buf))
        while True:
            try:
                task = tasks.get(timeout=POLL)
            except queue.Empty:
                if os.getppid() != job.parent:
                    return
                continue
            if task is None:
                return
            index, slot = task
            frames.render_into(index, job.settings.frame_time(index), slots[slot])
            done.put((index, slot, None))
    except BaseException as exc:  # reported to the parent, which raises it there
        done.put((-1, -1, f"{type(exc).__name__}: {exc}"))
    finally:
        slots.clear()  # drop the array views before unmapping
        for shm in shms:
            with contextlib.suppress(BufferError):
                shm.close()


class WorkerFailed(RuntimeError):
    pass


class ParallelFrames:
    """`ordered(n)` yields frames 0..n-1 as memoryviews (valid until the next one), painted
    by `workers` processes. `close()` always: stops workers and frees shared memory."""

    def __init__(self, schedule: Any, settings: ExportSettings, seed: int, workers: int,
                 size: tuple[int, int], pix_fmt: str) -> None:
        self.size = size
        self.pix_fmt = pix_fmt
        self.workers = max(1, int(workers))
        w, h = size
        depth = 3 if pix_fmt in ("rgb24", "bgr24") else 4
        self.shape = (h, w, depth)
        nbytes = h * w * depth
        self._shms: list[shared_memory.SharedMemory] = []
        self._procs: list[Any] = []
        ctx = mp.get_context("spawn")
        self._done = ctx.Queue()
        self._tasks = [ctx.Queue() for _ in range(self.workers)]
        try:
            for k in range(self.workers):
                names = []
                for _ in range(SLOTS_PER_WORKER):
                    shm = shared_memory.SharedMemory(create=True, size=nbytes)
                    self._shms.append(shm)
                    names.append(shm.name)
                job = _Job(schedule, settings, seed, tuple(names), self.shape, os.getpid())
                proc = ctx.Process(target=_worker, args=(job, self._tasks[k], self._done),
                                   name=f"dreamviz-render-{k}", daemon=True)
                proc.start()
                self._procs.append(proc)
        except BaseException:
            self.close()
            raise

    def _slot_view(self, worker: int, slot: int) -> memoryview:
        shm = self._shms[worker * SLOTS_PER_WORKER + slot]
        assert shm.buf is not None
        return shm.buf[: int(np.prod(self.shape))]

    def _wait(self, pending: dict[int, tuple[int, int]], index: int) -> None:
        """Block until frame `index` is painted (others may finish first: keep them)."""
        while index not in pending:
            try:
                got, slot, error = self._done.get(timeout=POLL)
            except queue.Empty:
                dead = [p for p in self._procs if not p.is_alive()]
                if dead:
                    raise WorkerFailed(f"render worker {dead[0].name} exited "
                                       f"(code {dead[0].exitcode})") from None
                continue
            if error is not None:
                raise WorkerFailed(f"render worker failed: {error}")
            pending[got] = (got % self.workers, slot)

    def ordered(self, n: int) -> Iterator[memoryview]:
        pending: dict[int, tuple[int, int]] = {}
        for k in range(self.workers):  # worker k paints frames k, k+N, k+2N...
            for slot in range(SLOTS_PER_WORKER):
                index = k + slot * self.workers
                if index < n:
                    self._tasks[k].put((index, slot))
        for index in range(n):
            self._wait(pending, index)
            worker, slot = pending.pop(index)
            yield self._slot_view(worker, slot)
            # the consumer is done with this slot: give it the worker's next frame
            again = index + SLOTS_PER_WORKER * self.workers
            if again < n:
                self._tasks[worker].put((again, slot))

    def close(self, abort: bool = False) -> None:
        """Stop the workers (at once when aborting, else after their current frame)."""
        for q in self._tasks:
            with contextlib.suppress(OSError, ValueError):
                q.put(None)
        for p in self._procs:
            if abort and p.is_alive():
                p.terminate()
            p.join(timeout=2)
            if p.is_alive():
                p.terminate()
                p.join(timeout=2)
        for q in [*self._tasks, self._done]:
            q.close()
            q.cancel_join_thread()
        for shm in self._shms:
            with contextlib.suppress(BufferError):  # a view still alive: freed with it
                shm.close()
            with contextlib.suppress(FileNotFoundError):
                shm.unlink()
        self._procs.clear()
        self._shms.clear()
