"""Frames to files: atomic PNG writing and the checks the still/storyboard commands share."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import numpy as np
import pygame

from visualizer.errors import DreamError


def check_png_target(path: Path, force: bool = True) -> Path:
    """Refuse early (before any rendering) when the PNG cannot be written where asked, or
    would replace an existing file and `force` is not given (nothing of yours is lost)."""
    path = Path(path).expanduser()
    if path.suffix.lower() != ".png":
        raise DreamError("the output must be a .png file", path=str(path), exit_code=2)
    parent = path.parent if str(path.parent) else Path(".")
    if not parent.is_dir():
        raise DreamError("the folder for the output does not exist", path=str(parent))
    if path.is_dir():
        raise DreamError("is a folder, not a file", path=str(path))
    if path.exists() and not force:
        raise DreamError("already exists (use --force to overwrite)", path=str(path))
    if not os.access(parent, os.W_OK):
        raise DreamError("cannot write in this folder", path=str(parent))
    return path


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def array_surface(frame: np.ndarray) -> pygame.Surface:
    """uint8 (h, w, 3) -> a pygame Surface (copies)."""
    return pygame.surfarray.make_surface(np.ascontiguousarray(frame.transpose(1, 0, 2)))


def save_png(surface: pygame.Surface, path: Path) -> Path:
    """Write a PNG atomically: a temp file in the same folder, then rename over the target,
    so a reader never sees half a picture and a failure leaves no debris."""
    path = check_png_target(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.stem}.", suffix=".png", dir=path.parent)
    os.close(fd)
    try:
        pygame.image.save(surface, tmp)
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600; a picture is for sharing
        os.replace(tmp, path)
    except (OSError, pygame.error) as exc:
        Path(tmp).unlink(missing_ok=True)
        raise DreamError(f"cannot write the picture: {exc}", path=str(path)) from exc
    return path
