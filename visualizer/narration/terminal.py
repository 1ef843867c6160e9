"""Keys from an interactive terminal without Enter: cbreak mode (no echo), restored on exit
whatever happens. Arrow keys arrive as escape sequences and are named "left"/"right"/..."""

from __future__ import annotations

import contextlib
import os
import select
import sys
from collections.abc import Callable, Iterator
from typing import TextIO

_SEQUENCES = {"\x1b[C": "right", "\x1b[D": "left", "\x1b[A": "up", "\x1b[B": "down",
              "\x1bOC": "right", "\x1bOD": "left", "\x1bOA": "up", "\x1bOB": "down"}


def parse_keys(data: str) -> list[str]:
    """Split raw terminal input into key names (printable chars stay as themselves)."""
    keys = []
    i = 0
    while i < len(data):
        for seq, name in _SEQUENCES.items():
            if data.startswith(seq, i):
                keys.append(name)
                i += len(seq)
                break
        else:
            ch = data[i]
            keys.append("esc" if ch == "\x1b" else ch)
            i += 1
    return keys


def is_interactive(stdin: TextIO | None = None, stdout: TextIO | None = None) -> bool:
    stdin = stdin or sys.stdin
    stdout = stdout or sys.stdout
    try:
        return stdin.isatty() and stdout.isatty() and os.environ.get("TERM") != "dumb"
    except (AttributeError, ValueError):
        return False


@contextlib.contextmanager
def raw_keys(stdin: TextIO | None = None) -> Iterator[Callable[[], list[str]]]:
    """Yield a non-blocking `read() -> [key, ...]`; the terminal is restored on exit."""
    stdin = stdin or sys.stdin
    fd = stdin.fileno()
    import termios
    import tty

    saved = termios.tcgetattr(fd)

    def read() -> list[str]:
        data = b""
        while select.select([fd], [], [], 0)[0]:
            chunk = os.read(fd, 64)
            if not chunk:
                break
            data += chunk
        return parse_keys(data.decode("utf-8", "replace")) if data else []

    try:
        tty.setcbreak(fd)
        yield read
    finally:
        termios.tcsetattr(fd, termios.TCSADRAIN, saved)
