"""How long ago this process started, for the "first frame after N s" measure (the issue's
start-up target counts from the process start, imports included)."""

from __future__ import annotations

import os
import time


def process_age() -> float | None:
    """Seconds since this process started (Linux: from /proc), None where unknown."""
    try:
        with open("/proc/self/stat", encoding="ascii") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        with open("/proc/uptime", encoding="ascii") as f:
            uptime = float(f.read().split()[0])
        ticks = os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return None
    started = int(fields[19]) / ticks  # field 22 of stat: start time after boot, in ticks
    return max(0.0, uptime - started)


def monotonic_origin() -> float:
    """A perf_counter() reading that stands for the process start (now, if unknown)."""
    age = process_age()
    return time.perf_counter() - (age or 0.0)
