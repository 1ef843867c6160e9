"""Looking inside a finished video with the same bundled ffmpeg: streams, duration, the audio
as PCM, per-frame hashes. Used by tests, the benchmark and anyone checking an export."""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from visualizer.errors import DreamError
from visualizer.export.encoder import ffmpeg_exe


@dataclass(frozen=True)
class MediaInfo:
    duration: float
    video_codec: str | None
    width: int
    height: int
    fps: float
    pix_fmt: str | None
    color: str | None  # range and colour tags, e.g. "tv, bt709, progressive"
    audio_codec: str | None
    audio_rate: int
    audio_channels: str | None
    frames: int
    frame_seconds: float


_DURATION = re.compile(r"Duration: (\d+):(\d+):(\d+(?:\.\d+)?)")
_VIDEO = re.compile(r"Stream #\S+.*?: Video: (\w+)[^,]*, (\w+)[^,]*(?:\([^)]*\))?.*?, (\d+)x(\d+)")
_FPS = re.compile(r"([\d.]+) fps")
_COLOR = re.compile(r"Video: .*?, \w+\(([^)]*)\)")
_AUDIO = re.compile(r"Stream #\S+.*?: Audio: (\w+)[^,]*, (\d+) Hz, ([^,]+)")


def _run(args: list[str]) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([ffmpeg_exe(), "-hide_banner", *args], capture_output=True,
                          check=False)


def probe(path: Path) -> MediaInfo:
    """Parse `ffmpeg -i` (stderr) and count frames by decoding (imageio-ffmpeg)."""
    import imageio_ffmpeg

    text = _run(["-i", str(path)]).stderr.decode("utf-8", "replace")
    m = _DURATION.search(text)
    if not m:
        raise DreamError(f"not a readable video: {text.strip().splitlines()[-1:]}",
                         path=str(path))
    duration = int(m[1]) * 3600 + int(m[2]) * 60 + float(m[3])
    v = _VIDEO.search(text)
    a = _AUDIO.search(text)
    fps = 0.0
    color = None
    if v:
        c = _COLOR.search(text[v.start():].splitlines()[0])
        color = c[1] if c else None
        f = _FPS.search(text[v.start():].splitlines()[0])
        fps = float(f[1]) if f else 0.0
    frames, secs = imageio_ffmpeg.count_frames_and_secs(str(path))
    return MediaInfo(
        duration=duration,
        video_codec=v[1] if v else None,
        pix_fmt=v[2] if v else None,
        color=color,
        width=int(v[3]) if v else 0,
        height=int(v[4]) if v else 0,
        fps=fps,
        audio_codec=a[1] if a else None,
        audio_rate=int(a[2]) if a else 0,
        audio_channels=a[3].strip() if a else None,
        frames=int(frames),
        frame_seconds=float(secs),
    )


def decode_audio(path: Path, sample_rate: int = 22050) -> np.ndarray:
    """The audio track as mono int16 at `sample_rate`."""
    proc = _run(["-i", str(path), "-vn", "-f", "s16le", "-ac", "1", "-ar", str(sample_rate),
                 "-"])
    if proc.returncode != 0:
        raise DreamError(f"cannot decode audio: {proc.stderr.decode(errors='replace')[-200:]}",
                         path=str(path))
    return np.frombuffer(proc.stdout, dtype="<i2").astype(np.int16)


def frame_hashes(path: Path) -> list[str]:
    """MD5 of every decoded video frame (ffmpeg's framemd5 muxer)."""
    proc = _run(["-i", str(path), "-map", "0:v:0", "-f", "framemd5", "-"])
    lines = proc.stdout.decode().splitlines()
    return [ln.rsplit(",", 1)[1].strip() for ln in lines if ln and not ln.startswith("#")]


def decode_frame(path: Path, index: int, width: int, height: int) -> np.ndarray:
    """One decoded frame as uint8 RGB (h, w, 3)."""
    proc = _run(["-i", str(path), "-vf", f"select=eq(n\\,{index})", "-frames:v", "1",
                 "-f", "rawvideo", "-pix_fmt", "rgb24", "-"])
    data = np.frombuffer(proc.stdout, dtype=np.uint8)
    if data.size != width * height * 3:
        raise DreamError(f"cannot decode frame {index}", path=str(path))
    return data.reshape(height, width, 3)
