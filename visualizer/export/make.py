"""From a prepared dream to a file: build the renderer, captions and progress for one export
(what `dreamviz render` and the benchmark both call)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from visualizer.clock import Clock
from visualizer.export.burn import CaptionBurner
from visualizer.export.frames import RenderedFrames
from visualizer.export.progress import Progress
from visualizer.export.settings import ExportSettings
from visualizer.export.timing import caption_cues
from visualizer.export.video import ExportResult, export_video, frame_count


def make_frames(schedule: Any, settings: ExportSettings, seed: int) -> RenderedFrames:
    from visualizer.engine.renderer import Renderer

    renderer = Renderer(settings.width, settings.height, seed=seed, quality=settings.quality)
    burner = None
    if settings.captions == "burn":
        burner = CaptionBurner(caption_cues(schedule.sentences, schedule.duration),
                               settings.width, settings.height)
    return RenderedFrames(schedule, renderer, burner)


def render_prepared(prepared: Any, out: Path, settings: ExportSettings, *,
                    quiet: bool = False, clock: Clock | None = None) -> ExportResult:
    """Export a `pipeline.Prepared` dream with the real renderer."""
    schedule = prepared.schedule
    seed = settings.seed if settings.seed is not None else int(prepared.script.seed)
    frames = make_frames(schedule, settings, seed)
    progress = Progress(frame_count(schedule.duration, settings), settings.fps, clock=clock,
                        quiet=quiet)
    result = export_video(out, settings, schedule, prepared.utterances, frames,
                          title=schedule.title, progress=progress, clock=clock)
    progress.finish("encoded")
    return result
