"""WAV files: 16-bit PCM, written atomically (unique temp name, then rename) so a crash or a
full disk never leaves a half file where a good one was expected."""

from __future__ import annotations

import contextlib
import io
import os
import tempfile
import wave
from pathlib import Path

import numpy as np


def _as_int16(pcm: np.ndarray) -> np.ndarray:
    if pcm.dtype == np.int16:
        return pcm
    if np.issubdtype(pcm.dtype, np.floating):
        return (np.clip(pcm, -1.0, 1.0) * 32767.0).astype(np.int16)
    return np.clip(pcm, -32768, 32767).astype(np.int16)


def _write(fh: object, pcm: np.ndarray, sample_rate: int) -> None:
    data = _as_int16(np.asarray(pcm))
    channels = 1 if data.ndim == 1 else data.shape[1]
    with wave.open(fh, "wb") as w:  # type: ignore[arg-type]
        w.setnchannels(channels)
        w.setsampwidth(2)
        w.setframerate(int(sample_rate))
        w.writeframes(np.ascontiguousarray(data).astype("<i2").tobytes())


def wav_bytes(pcm: np.ndarray, sample_rate: int) -> bytes:
    """The WAV file as bytes (for pygame.mixer.music via BytesIO)."""
    buf = io.BytesIO()
    _write(buf, pcm, sample_rate)
    return buf.getvalue()


def write_wav(path: str | os.PathLike[str], pcm: np.ndarray, sample_rate: int) -> None:
    """Write int16 (or float -1..1) mono (n,) or multi-channel (n, c) PCM atomically."""
    path = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent or ".")
    try:
        with os.fdopen(fd, "wb") as fh:
            _write(fh, pcm, sample_rate)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def read_wav(path: str | os.PathLike[str]) -> tuple[np.ndarray, int]:
    """(int16 PCM, sample rate); mono as (n,), more channels as (n, c). ValueError if bad."""
    try:
        with wave.open(str(path), "rb") as w:
            if w.getsampwidth() != 2:
                raise ValueError(f"{path}: only 16-bit WAV is supported")
            channels, sr, n = w.getnchannels(), w.getframerate(), w.getnframes()
            raw = w.readframes(n)
    except wave.Error as exc:
        raise ValueError(f"{path}: not a WAV file ({exc})") from None
    except EOFError:
        raise ValueError(f"{path}: truncated WAV file") from None
    pcm = np.frombuffer(raw, dtype="<i2").astype(np.int16)
    if len(pcm) != n * channels:
        raise ValueError(f"{path}: truncated WAV file")
    return (pcm if channels == 1 else pcm.reshape(-1, channels)), sr
