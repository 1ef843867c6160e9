"""The encoder runs as its own ffmpeg process (from imageio-ffmpeg): raw RGB frames in on stdin,
a WAV file as the second input, H.264 yuv420p + AAC in an MP4 out. Being a separate process,
it encodes on the other core while Python renders the next frames."""

from __future__ import annotations

import collections
import contextlib
import os
import re
import subprocess
import threading
from pathlib import Path

from visualizer.errors import DreamError
from visualizer.export.settings import ExportSettings


def ffmpeg_exe() -> str:
    """Path of the ffmpeg binary bundled with imageio-ffmpeg (or IMAGEIO_FFMPEG_EXE)."""
    try:
        import imageio_ffmpeg
    except ImportError as exc:  # pragma: no cover - a declared dependency
        raise DreamError(f"video export needs imageio-ffmpeg: {exc}") from exc
    try:
        return imageio_ffmpeg.get_ffmpeg_exe()
    except RuntimeError as exc:
        raise DreamError(f"no ffmpeg found for video export: {exc}") from exc


def encode_command(exe: str, settings: ExportSettings, audio_wav: Path | None,
                   out: Path, frame_size: tuple[int, int] | None = None,
                   pix_fmt: str = "rgb24") -> list[str]:
    """The ffmpeg command line. Frames arrive as `pix_fmt` at `frame_size` (default: the
    output size) and are scaled to the output size here if smaller. Everything that could vary
    between runs (encoder version strings, creation time, metadata) is switched off with
    bitexact flags so the same inputs give the same file, byte for byte."""
    w, h, fps = settings.width, settings.height, settings.fps
    fw, fh = frame_size or (w, h)
    prof = settings.profile
    scale = "scale=" if (fw, fh) == (w, h) else f"scale={w}:{h}:flags=bicubic:"
    cmd = [
        exe, "-hide_banner", "-loglevel", "error", "-y",
        "-f", "rawvideo", "-pix_fmt", pix_fmt, "-s", f"{fw}x{fh}", "-framerate", str(fps),
        "-i", "pipe:0",
    ]
    if audio_wav is not None:
        cmd += ["-i", str(audio_wav)]
    cmd += ["-map", "0:v:0"]
    if audio_wav is not None:
        cmd += ["-map", "1:a:0"]
    cmd += [
        # Frames are sRGB; say so, and convert with the HD matrix so colours are right in
        # browsers and on TVs (swscale's default would be BT.601, untagged).
        "-vf", f"{scale}out_color_matrix=bt709:out_range=tv,format=yuv420p,"
               "setparams=color_primaries=bt709:color_trc=bt709:colorspace=bt709:range=tv",
        "-c:v", "libx264", "-preset", prof.preset, "-crf", str(prof.crf),
        "-x264-params", prof.x264,
        "-profile:v", "high", "-pix_fmt", "yuv420p",
        "-colorspace", "bt709", "-color_primaries", "bt709", "-color_trc", "bt709",
        "-color_range", "tv",
        "-g", str(max(1, fps * 4)),
    ]
    if audio_wav is not None:
        cmd += ["-c:a", "aac", "-b:a", prof.audio_bitrate, "-ar", str(settings.audio_rate),
                "-ac", "2"]
    cmd += [
        "-movflags", "+faststart",
        "-map_metadata", "-1", "-fflags", "+bitexact", "-flags:v", "+bitexact",
        "-flags:a", "+bitexact",
        "-f", "mp4", str(out),
    ]
    return cmd


class Encoder:
    """An ffmpeg child process fed raw frames. `write` blocks while ffmpeg is busy (the pipe
    is the back-pressure); its stderr is drained by a thread so it can never fill and stall,
    and the last lines are kept for a one-line error message."""

    def __init__(self, cmd: list[str]) -> None:
        self.cmd = cmd
        self._tail: collections.deque[str] = collections.deque(maxlen=20)
        # Its own process group: a Ctrl-C in the terminal reaches only us, and we decide
        # (kill it, delete the temp file) instead of ffmpeg finalising a partial video.
        try:
            self.proc = subprocess.Popen(
                cmd, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                bufsize=0, process_group=0 if os.name == "posix" else None,
            )
        except OSError as exc:
            raise DreamError(f"cannot start ffmpeg: {exc}") from exc
        self._drain = threading.Thread(target=self._read_stderr, name="ffmpeg-stderr",
                                       daemon=True)
        self._drain.start()

    def _read_stderr(self) -> None:
        assert self.proc.stderr is not None
        for raw in self.proc.stderr:
            line = raw.decode("utf-8", "replace").strip()
            if line:
                self._tail.append(line)

    def write(self, frame: memoryview | bytes) -> None:
        """Send one frame; raises DreamError if ffmpeg has gone away."""
        assert self.proc.stdin is not None
        try:
            # views released on the way out, even on errors: shared memory behind a frame
            # can only be freed once no view of it is left (not even in a traceback)
            with memoryview(frame) as whole, whole.cast("B") as data:
                pos = 0
                while pos < len(data):  # an unbuffered pipe may take part of a frame
                    pos += self.proc.stdin.write(data[pos:]) or 0
        except (BrokenPipeError, ValueError, OSError):
            self.proc.wait()
            raise self.failure() from None

    def finish(self) -> None:
        """Close the frame stream and wait for the file to be finalised."""
        assert self.proc.stdin is not None
        with contextlib.suppress(OSError):
            self.proc.stdin.close()
        code = self.proc.wait()
        self._drain.join(timeout=5)
        if code != 0:
            raise self.failure()

    def kill(self) -> None:
        """Stop at once (Ctrl-C, a failure elsewhere): nothing it wrote is kept."""
        if self.proc.poll() is None:
            self.proc.kill()
        try:
            if self.proc.stdin is not None:
                self.proc.stdin.close()
        except OSError:
            pass
        self.proc.wait()
        self._drain.join(timeout=5)

    def last_error(self) -> str:
        """ffmpeg's last complaint, without its `[muxer @ 0x55...]` prefix."""
        if not self._tail:
            return ""
        return re.sub(r"^(\[[^\]]*\]\s*)+", "", self._tail[-1]) or self._tail[-1]

    def failure(self) -> DreamError:
        self._drain.join(timeout=5)
        code = self.proc.returncode
        detail = self.last_error() or f"exit status {code}"
        return DreamError(f"ffmpeg failed: {detail}")
