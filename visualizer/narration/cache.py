"""Synthesized sentences cached on disk by content hash, so a dream speaks instantly the
second time.

One WAV (mono 16-bit) plus a JSON sidecar per sentence, keyed by text + voice + rate + pitch +
volume + engine version. Writes go to a unique temp name and are renamed into place; a read
checks the frame count against the sidecar. The folder is size-bounded (oldest evicted). A
read-only or full folder switches to a private temp folder with one warning.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
from collections.abc import Callable
from pathlib import Path

from visualizer.audio.wav import read_wav, write_wav
from visualizer.cachedir import cache_dir, evict_oldest
from visualizer.narration.base import Utterance
from visualizer.script.model import Voice
from visualizer.timeline.model import SpokenClip

MAX_BYTES = 200 * 1024 * 1024
FORMAT = 1


def default_dir() -> Path:
    return cache_dir("narration")


def cache_key(text: str, voice: Voice, engine_id: str) -> str:
    blob = json.dumps([FORMAT, text, voice.name, voice.rate, voice.pitch,
                       round(voice.volume, 4), engine_id], ensure_ascii=False)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()[:32]


class ClipCache:
    def __init__(self, folder: Path | str | None = None, max_bytes: int = MAX_BYTES,
                 warn: Callable[[str], None] | None = None) -> None:
        self.folder = Path(folder) if folder is not None else default_dir()
        self.max_bytes = max_bytes
        self._warn = warn
        self._fallen_back = False
        self.hits = 0
        self.misses = 0

    def get(self, key: str) -> Utterance | None:
        wav, meta = self.folder / f"{key}.wav", self.folder / f"{key}.json"
        try:
            info = json.loads(meta.read_text(encoding="utf-8"))
            pcm, sr = read_wav(wav)
        except (OSError, ValueError):
            self.misses += 1
            return None
        if len(pcm) != info.get("frames") or sr != info.get("sample_rate") or pcm.ndim != 1:
            self.misses += 1
            return None  # truncated or foreign file: synthesize again (overwrites it)
        with contextlib.suppress(OSError):
            os.utime(wav)  # recently used: evicted last
        self.hits += 1
        clip = SpokenClip(duration=len(pcm) / sr, speech_end=float(info["speech_end"]),
                          word_starts=tuple((int(c), float(t)) for c, t in info["word_starts"]))
        return Utterance(text=info.get("text", ""), pcm=pcm, sample_rate=sr, clip=clip)

    def put(self, key: str, utt: Utterance) -> None:
        meta = {"text": utt.text, "frames": len(utt.pcm), "sample_rate": utt.sample_rate,
                "speech_end": utt.clip.speech_end,
                "word_starts": [list(w) for w in utt.clip.word_starts]}
        for _ in range(2):
            try:
                self.folder.mkdir(parents=True, exist_ok=True)
                write_wav(self.folder / f"{key}.wav", utt.pcm, utt.sample_rate)
                _atomic_text(self.folder / f"{key}.json", json.dumps(meta))
                break
            except OSError as exc:
                if self._fallen_back:
                    return
                self._fall_back(exc)
        self._evict()

    def _fall_back(self, exc: OSError) -> None:
        old = self.folder
        self.folder = Path(tempfile.mkdtemp(prefix="dreamviz-narration-"))
        self._fallen_back = True
        if self._warn:
            reason = exc.strerror or type(exc).__name__
            self._warn(f"cannot write the narration cache {old} ({reason}); using {self.folder}")

    def _evict(self) -> None:
        evict_oldest(self.folder, "*.wav", self.max_bytes, companions=(".json",))


def _atomic_text(path: Path, text: str) -> None:
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
