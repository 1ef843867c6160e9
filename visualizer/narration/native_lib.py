"""pyttsx3's native drivers (nsss on macOS, sapi5 on Windows) via `save_to_file`, for the worker.

Pitfalls handled: never `say()`; one `save_to_file` + one `runAndWait` per file; the file may
appear a moment after `runAndWait` returns (poll for it); empty text is not sent; the driver's
"Audio saved to" chatter goes to the worker's /dev/null stdout. No word events here: word
starts are estimated by the timeline.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from typing import Any

import numpy as np

from visualizer.narration.espeak_lib import WordEvent

_ENGINE: Any = None


def _engine() -> Any:
    global _ENGINE
    if _ENGINE is None:
        if sys.platform.startswith("linux"):  # pyttsx3's espeak driver: use the bundled lib
            from visualizer.narration.espeak_lib import preload

            preload()
        import pyttsx3

        _ENGINE = pyttsx3.init()
    return _ENGINE


def version() -> str:
    import pyttsx3

    name = type(_engine().proxy._driver).__module__.rsplit(".", 1)[-1]
    return f"pyttsx3 {getattr(pyttsx3, '__version__', '2.99')} {name}"


def sample_rate() -> int:
    return 22050


def list_voices() -> list[tuple[str, str, tuple[str, ...]]]:
    out = []
    for v in _engine().getProperty("voices"):
        langs = tuple(x.decode("utf-8", "replace") if isinstance(x, bytes) else str(x)
                      for x in (v.languages or ()))
        out.append((str(v.id), str(v.name), langs))
    return out


def _read_any(path: str) -> tuple[np.ndarray, int]:
    import wave

    try:
        with wave.open(path, "rb") as w:
            sr, ch, width = w.getframerate(), w.getnchannels(), w.getsampwidth()
            raw = w.readframes(w.getnframes())
            big = False
    except wave.Error:
        import aifc  # macOS writes AIFF

        with aifc.open(path, "rb") as a:
            sr, ch, width = a.getframerate(), a.getnchannels(), a.getsampwidth()
            raw = a.readframes(a.getnframes())
            big = True
    if width != 2:
        raise RuntimeError(f"unsupported sample width {width}")
    pcm = np.frombuffer(raw, dtype=">i2" if big else "<i2").astype(np.int16)
    if ch > 1:
        pcm = pcm.reshape(-1, ch).mean(axis=1).astype(np.int16)
    return pcm, int(sr)


def synthesize(text: str, name: str | None, rate: int, pitch: int, volume: float
               ) -> tuple[np.ndarray, int, list[WordEvent]]:
    engine = _engine()
    if name:
        ids = {str(v.id): v.id for v in engine.getProperty("voices")}
        names = {str(v.name): v.id for v in engine.getProperty("voices")}
        chosen = ids.get(name) or names.get(name)
        if chosen is None:
            raise LookupError(f"unknown voice {name!r} (see `dreamviz voices`)")
        engine.setProperty("voice", chosen)
    engine.setProperty("rate", int(rate))
    engine.setProperty("volume", max(0.0, min(1.0, float(volume))))
    if not text.strip():
        return np.zeros(0, np.int16), 22050, []
    folder = tempfile.mkdtemp(prefix="dreamviz-tts-")
    path = os.path.join(folder, "clip.wav")
    try:
        engine.save_to_file(text, path)
        engine.runAndWait()
        for _ in range(100):  # the file can appear a little after runAndWait returns
            if os.path.exists(path) and os.path.getsize(path) > 44:
                break
            time.sleep(0.02)
        else:
            raise RuntimeError("the speech engine wrote no audio")
        time.sleep(0.02)
        pcm, sr = _read_any(path)
    finally:
        for f in os.listdir(folder):
            os.unlink(os.path.join(folder, f))
        os.rmdir(folder)
    return pcm, sr, []
