"""Tests run headless: no window, no sound card, a private cache dir."""

from __future__ import annotations

import os
import tempfile

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
os.environ.setdefault("DREAMVIZ_CACHE_DIR", tempfile.mkdtemp(prefix="dreamviz-test-cache-"))
os.environ.setdefault("DREAMVIZ_CONFIG_DIR", tempfile.mkdtemp(prefix="dreamviz-test-config-"))
