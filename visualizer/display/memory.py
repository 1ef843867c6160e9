"""Giving memory back between dreams.

Each dream brings tens of MB of audio and the preparing thread's temporaries; freed blocks
stay in glibc's per-thread arenas and RSS drifts upwards by tens of MB over a night though
nothing leaks. Between dreams (the screen is dark anyway) we collect garbage and ask glibc to
return free pages to the OS. Elsewhere this is just a garbage collection.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import gc
import sys
from functools import cache


@cache
def _trim():  # type: ignore[no-untyped-def]
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        return libc.malloc_trim
    except (OSError, AttributeError):
        return None


def release_memory() -> None:
    gc.collect()
    trim = _trim()
    if trim is not None:
        trim(0)
