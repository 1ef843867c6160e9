"""Reading a dream file safely: any bytes in, clean text or one clear `DreamError` out.

Why so careful: dreams come from phones, old editors and copy-paste. We accept BOMs, CRLF,
UTF-16 with a BOM and Windows-1252 (with a warning), and refuse binary, empty and huge files
with one line naming the file, never a traceback or a hang.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from visualizer.errors import DreamError

MAX_BYTES = 1_000_000
"""Largest dream we read (1 MB, about 170,000 words: many hours of narration)."""

_CONTROL = frozenset(chr(c) for c in range(32) if chr(c) not in "\t\n\r\f\v") | {"\x7f"}


@dataclass(frozen=True)
class SourceText:
    """The text of a dream file, newline-normalised, plus any warnings about how it was read."""

    path: str
    text: str
    warnings: tuple[str, ...] = ()


def _line_col(text: str, index: int) -> tuple[int, int]:
    line = text.count("\n", 0, index) + 1
    col = index - (text.rfind("\n", 0, index) + 1) + 1
    return line, col


def read_bytes(path: str | Path) -> bytes:
    """The file's bytes, or a DreamError for missing, folder, unreadable or too-large files."""
    name = str(path)
    p = Path(path)
    try:
        if p.is_dir():
            raise DreamError("is a folder, not a dream file", path=name)
        size = p.stat().st_size
        if size > MAX_BYTES:
            raise DreamError(
                f"file is too large ({size:,} bytes; the limit is {MAX_BYTES:,} bytes)", path=name
            )
        with p.open("rb") as fh:
            data = fh.read(MAX_BYTES + 1)
    except FileNotFoundError:
        raise DreamError("no such file", path=name) from None
    except PermissionError:
        raise DreamError("cannot read: permission denied", path=name) from None
    except IsADirectoryError:
        raise DreamError("is a folder, not a dream file", path=name) from None
    except OSError as exc:
        raise DreamError(f"cannot read: {exc.strerror or exc}", path=name) from None
    if len(data) > MAX_BYTES:
        raise DreamError(f"file is too large (the limit is {MAX_BYTES:,} bytes)", path=name)
    return data


def decode(data: bytes, path: str) -> SourceText:
    """Bytes to normalised text (no BOM, `\\n` line ends), refusing binary and empty input."""
    warnings: list[str] = []
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError:
            raise DreamError("looks like UTF-16 but does not decode", path=path) from None
    else:
        nul = data.find(b"\x00")
        if nul >= 0:
            line = data.count(b"\n", 0, nul) + 1
            col = nul - (data.rfind(b"\n", 0, nul) + 1) + 1
            raise DreamError(
                "binary file (contains NUL bytes), not a dream", path=path, line=line, col=col
            )
        if data.startswith(b"\xef\xbb\xbf"):
            data = data[3:]
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            line = data.count(b"\n", 0, exc.start) + 1
            try:
                text = data.decode("cp1252")
                enc = "Windows-1252"
            except UnicodeDecodeError:
                text = data.decode("latin-1")
                enc = "Latin-1"
            warnings.append(
                f"{path}:{line}:1: not UTF-8; read as {enc} (save the file as UTF-8)"
            )
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    controls = sum(1 for ch in text if ch in _CONTROL)
    if controls:
        if controls > max(2, len(text) // 50):
            first = next(i for i, ch in enumerate(text) if ch in _CONTROL)
            line, col = _line_col(text, first)
            raise DreamError(
                "binary file (control characters), not a dream", path=path, line=line, col=col
            )
        first = next(i for i, ch in enumerate(text) if ch in _CONTROL)
        line, _ = _line_col(text, first)
        warnings.append(f"{path}:{line}:1: {controls} control character(s) read as spaces")
        text = "".join(" " if ch in _CONTROL else ch for ch in text)
    if not text.strip():
        raise DreamError("empty dream: the file has no words to read", path=path)
    return SourceText(path=path, text=text, warnings=tuple(warnings))


def read_source(path: str | Path) -> SourceText:
    """Read and decode a dream file (see module docstring for what is accepted)."""
    return decode(read_bytes(path), str(path))
