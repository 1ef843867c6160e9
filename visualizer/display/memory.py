"""Giving memory back between dreams.

Each dream brings tens of MB of audio and the preparing thread's temporaries; freed blocks
stay in glibc's per-thread arenas and RSS drifts upwards by tens of MB over a night though
nothing leaks. Between dreams (the screen is dark anyway) we collect garbage and ask glibc to
return free pages to the OS. Elsewhere this is just a garbage collection.

glibc also raises its mmap threshold each time a large mmapped block is freed (up to 32 MB),
after which multi-MB arrays (audio loops, frame buffers) come from the heap and can pin it:
the 8-hour soak showed a one-time +18 MB step that way. `pin_mmap_threshold` fixes the
threshold so large arrays are always mapped and fully returned when freed.
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


M_TRIM_THRESHOLD = -1  # mallopt parameters (malloc.h)
M_MMAP_THRESHOLD = -3
MMAP_THRESHOLD = 4 * 1024 * 1024  # audio loops and tracks are larger; per-frame scraps smaller
# Pinning the mmap threshold also pins the trim threshold (128 KB), which makes the heap
# shrink and grow every frame (system time x3 in the soak); trimming waits for the gap
# between dreams (`release_memory`) instead.
TRIM_THRESHOLD = 64 * 1024 * 1024


@cache
def pin_mmap_threshold() -> bool:
    """Stop glibc's dynamic mmap threshold (once per process); True where it applied."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        pinned = bool(libc.mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD))
        return pinned and bool(libc.mallopt(M_TRIM_THRESHOLD, TRIM_THRESHOLD))
    except (OSError, AttributeError):
        return False


def release_memory() -> None:
    gc.collect()
    trim = _trim()
    if trim is not None:
        trim(0)
