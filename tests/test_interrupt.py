"""Ctrl-C in a terminal reaches the whole process group (ours and the speech worker's):
the user sees one line and exit code 130, never a traceback from either process."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest


@pytest.mark.parametrize("delay", [0.6, 3.0], ids=["while-synthesizing", "while-speaking"])
def test_ctrl_c_to_the_process_group_prints_one_line(tmp_path: Path, delay: float) -> None:
    env = dict(os.environ, SDL_AUDIODRIVER="dummy", SDL_VIDEODRIVER="dummy",
               DREAMVIZ_CACHE_DIR=str(tmp_path / "cache"))
    proc = subprocess.Popen(
        [sys.executable, "-m", "visualizer", "narrate", "candle-lake"],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True,
    )
    time.sleep(delay)
    os.killpg(proc.pid, signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    text = err.decode()
    assert "Traceback" not in text, text
    assert proc.returncode in (0, 130)
    assert len(text.strip().splitlines()) <= 2, text
