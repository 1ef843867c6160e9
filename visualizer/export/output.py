"""Where the video goes: checks before any work starts, a temp name beside the target, and a
rename at the very end, so an interrupted or failed export never leaves a half-written file."""

from __future__ import annotations

import contextlib
import os
import signal
import tempfile
from collections.abc import Iterator
from pathlib import Path

from visualizer.errors import DreamError

VIDEO_SUFFIXES = (".mp4", ".m4v", ".mov")


def check_target(path: Path, force: bool) -> Path:
    """Refuse what would fail late or lose data: a folder, a missing folder, a wrong
    extension, an existing file without --force."""
    if path.suffix.lower() not in VIDEO_SUFFIXES:
        raise DreamError("output must be an .mp4 file (H.264 + AAC)", path=str(path))
    parent = path.parent if str(path.parent) else Path(".")
    if not parent.is_dir():
        raise DreamError(f"folder does not exist: {parent}", path=str(path))
    if path.is_dir():
        raise DreamError("is a folder, not a video file", path=str(path))
    if path.exists() and not force:
        raise DreamError("already exists (use --force to overwrite)", path=str(path))
    if not os.access(parent, os.W_OK):
        raise DreamError(f"folder is not writable: {parent}", path=str(path))
    return path


def temp_beside(path: Path, suffix: str) -> Path:
    """A fresh hidden name in the target's folder (same filesystem: the rename is atomic)."""
    try:
        fd, name = tempfile.mkstemp(prefix=f".{path.stem}.", suffix=f".part{suffix}",
                                    dir=path.parent if str(path.parent) else ".")
    except OSError as exc:
        raise DreamError(f"cannot write here: {exc.strerror}", path=str(path)) from exc
    os.close(fd)
    return Path(name)


def remove_quietly(*paths: Path | None) -> None:
    for p in paths:
        if p is not None:
            with contextlib.suppress(OSError):
                p.unlink()


class Terminated(KeyboardInterrupt):
    """SIGTERM, delivered as an interruption so the same cleanup runs as for Ctrl-C."""


@contextlib.contextmanager
def sigterm_interrupts() -> Iterator[None]:
    """While exporting, SIGTERM unwinds like Ctrl-C (temp files removed, ffmpeg killed).
    Only the main thread can install handlers; elsewhere this does nothing."""

    def handler(signum: int, frame: object) -> None:
        raise Terminated()

    try:
        previous = signal.signal(signal.SIGTERM, handler)
    except ValueError:  # not the main thread
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)
