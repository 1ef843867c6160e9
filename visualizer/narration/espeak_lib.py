"""espeak-ng driven directly through pyttsx3's ctypes bindings: PCM plus exact word events.

Runs inside the narration worker process only (a crash or hang in the C library must not take
the show down). On Linux the library and its data come from `espeakng-loader`, loaded with
RTLD_GLOBAL *before* pyttsx3 looks for it; a system libespeak-ng is the fallback.
"""

from __future__ import annotations

import ctypes
import os
from dataclasses import dataclass
from typing import Any

import numpy as np

_E: Any = None
_SAMPLE_RATE = 0
_CURRENT: dict[str, Any] = {}


@dataclass(frozen=True)
class WordEvent:
    """One espeak word event: 0-based char offset and length in the text, start in seconds."""

    char: int
    length: int
    start: float


def preload() -> None:
    """Make the bundled libespeak-ng the one pyttsx3 finds (it looks it up by name)."""
    try:
        import espeakng_loader

        ctypes.CDLL(espeakng_loader.get_library_path(), mode=ctypes.RTLD_GLOBAL)
        os.environ.setdefault("ESPEAK_DATA_PATH", espeakng_loader.get_data_path())
    except (ImportError, OSError):
        pass  # fall back to a system libespeak-ng


def _load() -> Any:
    """Load libespeak-ng once per process and initialise synchronous synthesis."""
    global _E, _SAMPLE_RATE
    if _E is not None:
        return _E
    preload()
    try:
        from pyttsx3.drivers import _espeak as E
    except (ImportError, OSError, RuntimeError) as exc:
        raise RuntimeError(f"espeak-ng library not found ({exc})") from None
    data = os.environ.get("ESPEAK_DATA_PATH")
    rate = E.Initialize(E.AUDIO_OUTPUT_SYNCHRONOUS, 1000, data.encode() if data else None, 0)
    if rate <= 0:
        raise RuntimeError("espeak-ng failed to initialise (voice data missing?)")
    _SAMPLE_RATE = int(rate)
    _E = E
    return E


def version() -> str:
    E = _load()
    try:
        info = ctypes.CFUNCTYPE(ctypes.c_char_p, ctypes.c_void_p)(("espeak_Info", E.dll))
        raw = info(None)
        return "espeak-ng " + (raw.decode("utf-8", "replace") if raw else "unknown")
    except (AttributeError, OSError):
        return "espeak-ng unknown"


def sample_rate() -> int:
    _load()
    return _SAMPLE_RATE


def list_voices() -> list[tuple[str, str, tuple[str, ...]]]:
    """(identifier, name, languages) for every installed voice."""
    E = _load()
    out = []
    for v in E.ListVoices():
        name = (v.name or b"").decode("utf-8", "replace")
        ident = (v.identifier or b"").decode("utf-8", "replace")
        langs = _languages(v.languages)
        out.append((ident or name, name, langs))
    return out


def _languages(raw: bytes | None) -> tuple[str, ...]:
    """espeak packs languages as <priority byte><name>\\0 ... \\0; keep the names."""
    if not raw:
        return ()
    # ctypes gives us the bytes up to the first NUL: one priority byte then the name
    return (raw[1:].decode("utf-8", "replace"),) if len(raw) > 1 else ()


def _set_voice(name: str | None, rate: int, pitch: int, volume: float) -> None:
    E = _load()
    wanted = {"name": name or "", "rate": rate, "pitch": pitch, "volume": volume}
    if wanted == _CURRENT:
        return
    if name:
        if E.SetVoiceByName(name.encode("utf-8")) != E.EE_OK:
            raise LookupError(f"unknown voice {name!r} (see `dreamviz voices`)")
    elif "name" not in _CURRENT or _CURRENT.get("name"):
        E.SetVoiceByName(b"en")
    E.SetParameter(E.RATE, int(rate), 0)
    E.SetParameter(E.PITCH, int(max(0, min(99, pitch))), 0)
    E.SetParameter(E.VOLUME, int(max(0, min(200, round(volume * 100)))), 0)
    _CURRENT.clear()
    _CURRENT.update(wanted)


def synthesize(text: str, name: str | None, rate: int, pitch: int, volume: float
               ) -> tuple[np.ndarray, int, list[WordEvent]]:
    """Speak `text` into memory: (mono int16 PCM, sample rate, word events)."""
    E = _load()
    _set_voice(name, rate, pitch, volume)
    chunks: list[np.ndarray] = []
    events: list[WordEvent] = []
    sr = _SAMPLE_RATE

    def callback(wav: Any, n: int, ev: Any) -> int:
        if n > 0 and wav:
            chunks.append(np.ctypeslib.as_array(wav, shape=(n,)).copy())
        i = 0
        while ev[i].type != E.EVENT_LIST_TERMINATED:
            e = ev[i]
            if e.type == E.EVENT_WORD:
                events.append(WordEvent(max(0, e.text_position - 1), e.length, e.sample / sr))
            i += 1
        return 0

    E.SetSynthCallback(callback)
    status = E.Synth(text.encode("utf-8"), flags=E.CHARS_UTF8)
    E.Synchronize()
    if status != E.EE_OK:
        raise RuntimeError(f"espeak-ng synthesis failed (status {status})")
    pcm = np.concatenate(chunks).astype(np.int16) if chunks else np.zeros(0, np.int16)
    return pcm, sr, events
