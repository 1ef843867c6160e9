"""The WebVTT sidecar beside the video: the narration layer's captions (with inline word
timestamps), written to a temp file the export renames into place."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from visualizer.export.timing import vtt_text


def write_vtt(path: Path, schedule: Any, seconds: float, start: float = 0.0) -> None:
    """UTF-8, LF line ends, flushed to disk before the caller's rename. Times are the
    video's (0 at `start`)."""
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write(vtt_text(schedule, seconds, start))
        f.flush()
        os.fsync(f.fileno())
