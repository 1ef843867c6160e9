"""From a prepared dream to a file: build the renderer (in this process or in workers),
captions and progress for one export (what `dreamviz render` and the benchmark call)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from visualizer.clock import Clock
from visualizer.export.burn import CaptionBurner
from visualizer.export.frames import RenderedFrames
from visualizer.export.progress import Progress
from visualizer.export.settings import ExportSettings
from visualizer.export.timing import caption_cues
from visualizer.export.video import ExportResult, export_video, frame_count

PARALLEL_MIN_SECONDS = 20.0  # below this, starting render workers costs more than it saves


def make_frames(schedule: Any, settings: ExportSettings, seed: int) -> RenderedFrames:
    """The renderer `play` uses, painting at the export's size (captions burned if asked)."""
    from visualizer.engine.renderer import Renderer

    renderer = Renderer(settings.width, settings.height, seed=seed, quality=settings.quality)
    burner = None
    if settings.captions == "burn":
        n = frame_count(schedule.duration, settings)
        cues = caption_cues(schedule, n / settings.fps, settings.start)
        burner = CaptionBurner(cues, settings.width, settings.height)
    return RenderedFrames(schedule, renderer, burner)


def cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def render_jobs(settings: ExportSettings, frames: int) -> int:
    """How many processes paint frames: as asked, else one per core for long exports."""
    if settings.jobs is not None:
        return max(1, settings.jobs)
    if frames < PARALLEL_MIN_SECONDS * settings.fps:
        return 1
    return max(1, cores())


def shared_memory_room(needed: int) -> bool:
    """Is there room in /dev/shm for the frame slots? (Containers often give it 64 MB, and
    running out there kills a worker with SIGBUS instead of raising an error.)"""
    try:
        st = os.statvfs("/dev/shm")
    except OSError:
        return os.name == "nt"  # Windows shared memory is not a filesystem
    return st.f_bavail * st.f_frsize >= needed * 1.5


def render_prepared(prepared: Any, out: Path, settings: ExportSettings, *,
                    quiet: bool = False, clock: Clock | None = None) -> ExportResult:
    """Export a `pipeline.Prepared` dream with the real renderer."""
    from visualizer.export.parallel import SLOTS_PER_WORKER, ParallelFrames

    schedule = prepared.schedule
    seed = settings.seed if settings.seed is not None else int(prepared.script.seed)
    n = frame_count(schedule.duration, settings)
    local = make_frames(schedule, settings, seed)
    jobs = render_jobs(settings, n)
    progress = Progress(n, settings.fps, clock=clock, quiet=quiet)
    w, h = local.size
    if jobs > 1 and not shared_memory_room(jobs * SLOTS_PER_WORKER * w * h * 4):
        jobs = 1
    frames: Any = local
    try:
        if jobs > 1:
            try:
                frames = ParallelFrames(schedule, settings, seed, jobs, local.size,
                                        local.pix_fmt)
            except OSError:  # no shared memory or processes here: paint in this process
                frames = local
        result = export_video(out, settings, schedule, prepared.utterances, frames,
                              progress=progress, clock=clock)
    except BaseException:
        if frames is not local:
            frames.close(abort=True)
        raise
    if frames is not local:
        frames.close()
    progress.finish("encoded")
    return result
