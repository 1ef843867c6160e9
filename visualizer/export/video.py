"""One export, start to finish: sound to a temp WAV, frames painted and piped to an ffmpeg
process, everything to temp names beside the target, renamed into place only once complete.
Any failure or interruption kills ffmpeg (and render workers) and removes the temps."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from visualizer.clock import Clock, SystemClock
from visualizer.errors import DreamError
from visualizer.export.encoder import Encoder, encode_command, ffmpeg_exe
from visualizer.export.frames import FrameSource, channels
from visualizer.export.output import (
    check_target,
    remove_quietly,
    sigterm_interrupts,
    temp_beside,
)
from visualizer.export.pipe import FramePipe
from visualizer.export.progress import Progress
from visualizer.export.settings import ExportSettings
from visualizer.export.soundtrack import SAMPLE_RATE, soundtrack, write_wav
from visualizer.export.vtt import write_vtt


@dataclass(frozen=True)
class ExportResult:
    path: Path
    frames: int
    seconds: float  # of video
    elapsed: float  # wall time
    bytes: int
    captions: Path | None = None
    paint_seconds: float = 0.0  # wall time spent getting frames painted
    encode_wait_seconds: float = 0.0  # wall time blocked on the encoder

    @property
    def speed(self) -> float:
        """Seconds of video made per second of wall time."""
        return self.seconds / self.elapsed if self.elapsed > 0 else float("inf")


@dataclass
class _Timing:
    paint: float = 0.0
    encode_wait: float = 0.0


def sidecar_path(out: Path) -> Path:
    return out.with_suffix(".vtt")


def frame_count(schedule_duration: float, settings: ExportSettings) -> int:
    """Frames in the video: from `start` to the end of the dream, or `duration` long."""
    seconds = schedule_duration - settings.start
    if settings.duration is not None:
        seconds = min(seconds, settings.duration)
    return max(1, round(seconds * settings.fps))


def check_settings(settings: ExportSettings) -> None:
    if settings.width % 2 or settings.height % 2:
        raise DreamError(
            f"size {settings.width}x{settings.height}: H.264 video needs an even width and height")
    if not 1 <= settings.fps <= 120:
        raise DreamError(f"fps {settings.fps} out of range 1..120")
    if settings.start < 0:
        raise DreamError("--start must be zero or more seconds")


def check_target_vtt(path: Path, force: bool) -> None:
    if path.is_dir():
        raise DreamError("is a folder, not a captions file", path=str(path))
    if path.exists() and not force:
        raise DreamError("captions file already exists (use --force to overwrite)",
                         path=str(path))


def _public_mode(path: Path) -> None:
    """mkstemp files are 0600; the finished video should be readable like any other file."""
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(path, 0o666 & ~umask)


def _feed_threaded(frames: FrameSource, n: int, settings: ExportSettings, encoder: Encoder,
                   shape: tuple[int, int, int], progress: Progress, clock: Clock,
                   timing: _Timing) -> None:
    """Paint here, write from a thread: painting frame i+1 overlaps encoding frame i."""
    pipe = FramePipe(shape, encoder.write)
    try:
        for i in range(n):
            t0 = clock.now()
            buf = pipe.acquire()
            t1 = clock.now()
            frames.render_into(i, settings.frame_time(i), buf)
            pipe.submit(buf)
            timing.encode_wait += t1 - t0
            timing.paint += clock.now() - t1
            progress.update(i + 1)
        pipe.close()
    except BaseException:
        encoder.kill()  # unblocks a writer stuck in a full pipe
        pipe.abort()
        raise


def _feed_ordered(frames: Any, n: int, encoder: Encoder, progress: Progress, clock: Clock,
                  timing: _Timing) -> None:
    """Frames painted elsewhere (worker processes) arrive in order; write each one."""
    t0 = clock.now()
    for i, view in enumerate(frames.ordered(n)):
        t1 = clock.now()
        try:
            encoder.write(view)
        finally:
            view.release()  # shared memory can only be freed once no view is left
        t2 = clock.now()
        timing.paint += t1 - t0
        timing.encode_wait += t2 - t1
        progress.update(i + 1)
        t0 = t2


def export_video(
    out: Path,
    settings: ExportSettings,
    schedule: Any,
    utterances: Sequence[Any],
    frames: FrameSource,
    *,
    progress: Progress | None = None,
    clock: Clock | None = None,
) -> ExportResult:
    """Render `schedule` to `out` (.mp4). `frames` paints the pictures: anything with
    `render_into(index, t, out)` (optionally `size` and `pix_fmt`), or with `ordered(n)`
    yielding finished frames in order. Raises DreamError for anything the user can fix;
    KeyboardInterrupt (Ctrl-C or SIGTERM) propagates after cleaning up."""
    out = Path(out)
    check_settings(settings)
    check_target(out, settings.force)
    if settings.start >= schedule.duration:
        raise DreamError(f"--start {settings.start:g} s is past the end of the dream "
                         f"({schedule.duration:.1f} s)")
    vtt_out = sidecar_path(out) if settings.captions == "vtt" else None
    if vtt_out is not None:
        check_target_vtt(vtt_out, settings.force)
    clock = clock or SystemClock()
    n = frame_count(schedule.duration, settings)
    seconds = n / settings.fps
    progress = progress or Progress(n, settings.fps, clock=clock)
    started = clock.now()
    timing = _Timing()

    tmp_mp4: Path | None = None
    tmp_vtt: Path | None = None
    encoder: Encoder | None = None
    with sigterm_interrupts(), tempfile.TemporaryDirectory(prefix="dreamviz-export-") as work:
        try:
            progress.note("mixing narration and ambient sound")
            wav = Path(work) / "sound.wav"
            pcm = soundtrack(schedule, utterances, seconds, ambient=settings.ambient,
                             start=settings.start)
            write_wav(wav, pcm, SAMPLE_RATE)
            tmp_mp4 = temp_beside(out, out.suffix)
            fw, fh = getattr(frames, "size", (settings.width, settings.height))
            pix_fmt = getattr(frames, "pix_fmt", "rgb24")
            encoder = Encoder(encode_command(ffmpeg_exe(), settings, wav, tmp_mp4,
                                             (fw, fh), pix_fmt))
            progress.begin()
            if hasattr(frames, "ordered"):
                _feed_ordered(frames, n, encoder, progress, clock, timing)
            else:
                _feed_threaded(frames, n, settings, encoder, (fh, fw, channels(pix_fmt)),
                               progress, clock, timing)
            encoder.finish()
            encoder = None
            if vtt_out is not None:
                tmp_vtt = temp_beside(vtt_out, ".vtt")
                write_vtt(tmp_vtt, schedule, seconds, settings.start)
                _public_mode(tmp_vtt)
            _public_mode(tmp_mp4)
            os.replace(tmp_mp4, out)
            tmp_mp4 = None
            if tmp_vtt is not None and vtt_out is not None:
                os.replace(tmp_vtt, vtt_out)
                tmp_vtt = None
        except BaseException as exc:
            if encoder is not None:
                encoder.kill()
            progress.abandon()
            if isinstance(exc, OSError):
                raise DreamError(f"export failed: {exc.strerror or exc}", path=str(out)) from exc
            raise
        finally:
            remove_quietly(tmp_mp4, tmp_vtt)
    elapsed = clock.now() - started
    return ExportResult(out, n, seconds, elapsed, out.stat().st_size, vtt_out,
                        timing.paint, timing.encode_wait)
